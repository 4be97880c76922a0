"""Golden test: a small hand-checked week (tests/golden/input, described in
tests/golden/README.md) -> the daily and period tables in tests/golden/expected_*.

Every expected figure was worked out by hand in the README, not by running spectrum.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.analysis import person_days
from pipeline.config import Config
from pipeline.ingest import ingest
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from pipeline.summary import month_period, summary_from_days

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("golden"))
    result = ingest(store, [GOLDEN / "input"], None, ReadOptions(person="777"), strict=True)
    days = person_days(store, "777", Config())
    return result, days, summary_from_days(days, "777", month_period("2026-03"), Config())


def expected(name: str) -> pl.DataFrame:
    return pl.read_csv(GOLDEN / name, try_parse_dates=True)


def same(actual: pl.DataFrame, want: pl.DataFrame) -> None:
    got = actual.select(want.columns).sort("date")
    for col in want.columns:
        a, w = got[col].to_list(), want[col].to_list()
        if want[col].dtype.is_float() or got[col].dtype.is_float():
            assert a == pytest.approx(w, abs=1e-6), col
        else:
            assert a == w, col


def test_every_line_is_accounted_for(gold):
    result, _, _ = gold
    counts = {Path(r.file).name: r for r in result.reports}
    for r in result.reports:
        assert r.rows_read == r.rows_accepted + r.rows_quarantined + r.rows_ignored, r.file
    bio = counts["biometrics.csv"]
    assert (bio.rows_read, bio.rows_accepted, bio.rows_ignored) == (5, 4, 1)  # blood pressure
    assert bio.stored_as == "4 days of body measurements"
    assert counts["minuteSleep_merged.csv"].stored_as == "2 sleep records"
    assert counts["heartrate_seconds_merged.csv"].stored_as == "14 heart-rate minutes"


def test_daily_activity(gold):
    same(gold[1].activity, expected("expected_activity.csv"))


def test_daily_food(gold):
    same(gold[1].food, expected("expected_food.csv"))


def test_nights(gold):
    same(gold[1].sleep, expected("expected_sleep.csv"))


def test_period_tables(gold):
    summary = gold[2]
    want = json.loads((GOLDEN / "expected_period.json").read_text())
    for key, value in want["coverage"].items():
        assert summary["coverage"][key] == value, key
    got = summary["metrics"]
    assert set(got) == set(want["metrics"])
    for key, value in want["metrics"].items():
        if isinstance(value, dict):
            for sub, v in value.items():
                assert got[key][sub] == (pytest.approx(v, abs=1e-6) if v is not None else None)
        elif value is None:
            assert got[key] is None, key
        else:
            assert got[key] == pytest.approx(value, abs=1e-6), key
