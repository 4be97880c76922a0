"""Withings weight.csv: localised headers by name, fat mass as a share of weight, pounds."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.ingest import prepare
from pipeline.sources._parse import ReadOptions
from tests import fixtures as fx
from tests.conftest import real, write

ME = ReadOptions()


def rows(prep) -> list[tuple]:
    frame = prep.accepted.sort("ts_local")
    return frame.select("ts_local", "weight_kg", "fat_pct").rows()


def test_english_export_with_fat_mass(tmp_path):
    prep = prepare(write(tmp_path / "weight.csv", fx.WITHINGS_WEIGHT), None, ME)
    assert prep.report.format == "withings_weight"
    assert rows(prep) == [
        (dt.datetime(2026, 3, 1, 7, 5), 81.0, None),  # no fat mass: unknown, not 0
        (dt.datetime(2026, 3, 3, 7, 10), 80.0, 25.0),  # 20 kg of 80 kg
    ]


def test_pounds_become_kilograms(tmp_path):
    text = fx.WITHINGS_WEIGHT.replace("(kg)", "(lb)").replace("80.00,20.00", "176.37,44.09")
    prep = prepare(write(tmp_path / "weight.csv", text), None, ME)
    weight, fat = rows(prep)[1][1:]
    assert weight == pytest.approx(80.0, abs=0.01) and fat == pytest.approx(25.0, abs=0.01)


def test_the_real_german_export():
    prep = prepare(real("withings/Handballfreak_WithingsData_german/weight.csv"), None, ME)
    r = prep.report
    assert (r.format, r.rows_read, r.rows_accepted, r.rows_quarantined) == (
        "withings_weight",
        3,
        3,
        0,
    )
    assert rows(prep)[-1] == (dt.datetime(2019, 12, 28, 13, 32, 55), 83.0, None)


def nights(prep) -> list[tuple]:
    frame = prep.accepted.sort("date")
    return frame.select("date", "record", "asleep_min", "in_bed_min").rows()


def test_english_sleep_stages_in_seconds(tmp_path):
    prep = prepare(write(tmp_path / "sleep.csv", fx.WITHINGS_SLEEP), None, ME)
    assert prep.report.format == "withings_sleep"
    # 4 h light + 2 h deep + 1 h REM = 420 min asleep; 23:30 to 07:00 = 450 min in bed
    assert nights(prep) == [(dt.date(2026, 3, 3), "2026-03-02T23:30", 420, 450)]


BERLIN = ReadOptions(time_zone="Europe/Berlin")


def test_the_real_german_sleep_export():
    prep = prepare(real("withings/Handballfreak_WithingsData_german/sleep.csv"), None, BERLIN)
    r = prep.report
    # line 38 repeats line 37's night (same start, a later end): the last one counts
    assert (r.rows_read, r.rows_accepted, r.rows_quarantined, r.rows_duplicate) == (89, 88, 0, 1)
    # 18,660 s light + 14,160 s deep = 547 min asleep; 00:26 to 09:45 = 559 min in bed
    assert nights(prep)[0] == (dt.date(2019, 12, 29), "2019-12-29T00:26", 547, 559)
    feb2 = [n for n in nights(prep) if n[0] == dt.date(2020, 2, 2)]
    assert feb2 == [(dt.date(2020, 2, 2), "2020-02-02T00:41", 502, 520)]


def test_offset_times_become_the_persons_local_time(tmp_path):
    """The same night read for someone in London: 00:26+01:00 is 23:26 there."""
    london = ReadOptions(time_zone="Europe/London")
    prep = prepare(real("withings/Handballfreak_WithingsData_german/sleep.csv"), None, london)
    # 00:26+01:00 to 09:45+01:00 is 23:26 to 08:45 in London: same length, same end date
    assert nights(prep)[0] == (dt.date(2019, 12, 29), "2019-12-28T23:26", 547, 559)
