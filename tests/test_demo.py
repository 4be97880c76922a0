"""The demo person has data for every metric: each demo month's summary has no null."""

from __future__ import annotations

import pytest

from pipeline.analysis import person_days
from pipeline.config import Config
from pipeline.demo import DEMO_MONTHS, DEMO_PERSON
from pipeline.ingest import ingest
from pipeline.paths import SAMPLE_DATA
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from pipeline.summary import month_period, summary_from_days


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("demo"))
    result = ingest(store, [SAMPLE_DATA], None, ReadOptions(person=DEMO_PERSON), strict=True)
    for r in result.reports:
        assert r.rows_read == r.rows_accepted + r.rows_quarantined + r.rows_ignored
    return person_days(store, DEMO_PERSON, Config())


@pytest.mark.parametrize("month", DEMO_MONTHS)
def test_every_metric_is_known_in_the_demo(days, month):
    s = summary_from_days(days, DEMO_PERSON, month_period(month), Config())
    missing = [k for k, v in s["metrics"].items() if v is None]
    missing += [f"consistency.{k}" for k, v in s["metrics"]["consistency"].items() if v is None]
    assert missing == []
    assert s["coverage"]["minute_level_days"] >= 25
    # only the caveat that there is no heart rate: nothing is missing
    assert set(s["notes"]) <= {"long_sitting_bouts_per_day"}
    labels = {k: d["label"] for k, d in s["direction"].items()}
    assert "insufficient" not in labels.values(), labels
