"""Validation: every rule quarantines the failing row with file line, column, check and value;
good rows of the same file land."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.ingest import ingest, prepare
from pipeline.sources._parse import ReadOptions
from tests import fixtures as fx
from tests.conftest import write

ME = ReadOptions()
DAILY_HEAD = fx.FITBIT_DAILY.splitlines()[0]
SERVINGS_HEAD = fx.CRONOMETER_SERVINGS.splitlines()[0]


def failures_of(tmp_path, text: str) -> list[tuple]:
    prep = prepare(write(tmp_path / "f.csv", text), None, ME)
    return prep.failures.select("_line", "column", "check", "value").rows()


def test_steps_above_100000_and_minutes_above_1440(tmp_path):
    text = "\n".join(
        [
            DAILY_HEAD,
            "1,3/1/2026,120000,5,5,0,0,0,0,0,10,10,100,700,2000",  # line 2: steps
            "1,3/2/2026,5000,5,5,0,0,0,0,0,100,100,600,700,2000",  # line 3: 1500 minutes
            "1,3/3/2026,5000,5,5,0,0,0,0,0,10,10,100,700,2000",  # line 4: fine
        ]
    )
    fails = failures_of(tmp_path, text)
    assert fails[0] == (2, "steps", "less_than_or_equal_to(100000)", "120000")
    assert fails[1][:3] == (3, "minutes_sum", "minutes_sum_at_most_1440")
    prep = prepare(tmp_path / "f.csv", None, ME)
    assert prep.accepted["date"].to_list() == [dt.date(2026, 3, 3)]
    assert (prep.report.rows_read, prep.report.rows_accepted) == (3, 1)
    assert prep.report.rows_quarantined == 2


def test_unparseable_and_future_dates(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    text = "\n".join(
        [
            SERVINGS_HEAD,
            '2026-13-45,8:00 AM,"B","Oats","1",300,54,8,1,0,46,5,10,"C"',
            f'{future},8:00 AM,"B","Oats","1",300,54,8,1,0,46,5,10,"C"',
        ]
    )
    fails = failures_of(tmp_path, text)
    assert fails[0] == (2, "Day", "parses_as_iso_date", "2026-13-45")
    assert fails[1] == (3, "date", "not_in_future", future)


def test_kcal_range_and_fibre_or_sugars_above_carbs(tmp_path):
    text = "\n".join(
        [
            SERVINGS_HEAD,
            '2026-03-01,8:00 AM,"B","Huge","1",12000,54,8,1,0,46,5,10,"C"',  # kcal
            '2026-03-01,8:05 AM,"B","Odd fibre","1",50,2,3,1,0,0,0,1,"C"',  # fibre > carbs by 1
            '2026-03-01,8:10 AM,"B","Odd sugar","1",50,2,1,5,0,1,0,1,"C"',  # sugars > carbs by 3
            '2026-03-01,8:15 AM,"B","Negative","1",-5,2,1,1,0,1,0,1,"C"',  # kcal < 0
        ]
    )
    prep = prepare(write(tmp_path / "f.csv", text), None, ME)
    fails = prep.failures.select("_line", "column", "check", "value").rows()
    assert fails == [
        (2, "kcal", "less_than_or_equal_to(10000)", "12000.0"),
        (5, "kcal", "greater_than_or_equal_to(0)", "-5.0"),
    ]
    # METRICS.md: 1 g over is app rounding and counts as it is; 3 g over (more than 1 g and
    # 10%) leaves that entry's carbohydrate unknown, but its 50 kcal still count
    kept = prep.accepted.sort("entry_id").select("kcal", "carbs_g", "fiber_g", "sugars_g").rows()
    assert kept == [(50.0, 2.0, 3.0, 1.0), (50.0, None, None, None)]
    assert [w.split(": ", 1)[1] for w in prep.warnings] == [
        "1 entry lists slightly more fibre or sugars than carbohydrate (app rounding, line(s) "
        "3): counted as they are",
        "1 entry lists more fibre or sugars than carbohydrate beyond rounding (line(s) 4): "
        "their carbohydrate figures are left unknown, their energy counts",
    ]


def test_text_where_a_number_belongs(tmp_path):
    text = fx.MFP_NUTRITION.replace("2026-03-02,Snacks,300.0", "2026-03-02,Snacks,lots")
    fails = failures_of(tmp_path, text)
    assert fails == [(4, "Calories", "parses_as_number", "lots")]


def test_line_numbers_count_blank_lines(tmp_path):
    # MyFitnessPal notes can hold raw line breaks; the blank lines still count as lines.
    text = fx.MFP_NUTRITION.replace(
        "10.0,1.0,0.0,0.0,0.0,0.0,10.0,5.0,40.0,2.0,30.0,3.0,0.0,0.0,0.0,0.0,",
        "10.0,1.0,0.0,0.0,0.0,0.0,10.0,5.0,40.0,2.0,30.0,3.0,0.0,0.0,0.0,0.0,note\n\nmore",
    )
    assert failures_of(tmp_path, text) == []  # "more" continues the note: a note line
    report = prepare(tmp_path / "f.csv", None, ME).report
    assert (report.rows_read, report.rows_accepted, report.note_lines) == (4, 3, 1)
    # a line that is cut short but begins with a date is a damaged row: quarantined
    cut = fx.MFP_NUTRITION + "2026-03-05,Lunch,300.0\n"
    assert failures_of(tmp_path, cut) == [
        (5, "(row)", "fields_match_header", "has 3 fields, the header has 20")
    ]


def test_quarantine_is_stored_with_file_and_reason(tmp_path, store):
    path = write(tmp_path / "n.csv", fx.MFP_NUTRITION.replace("Snacks,300.0", "Snacks,lots"))
    ingest(store, [path], None, ME, strict=False)
    q = store.read_side("quarantine")
    assert q.select("file", "line", "column", "check", "value", "reason").rows() == [
        (
            str(path),
            4,
            "Calories",
            "parses_as_number",
            "lots",
            "Calories 'lots' is not a number",
        )
    ]
    food = store.read("food_items").collect()
    assert food.height == 2  # the two good rows landed
    assert food.filter(pl.col("date") == dt.date(2026, 3, 2)).height == 0


def test_future_weigh_in_is_quarantined(tmp_path):
    future = dt.date.today() + dt.timedelta(days=2)
    stamp = f"{future.month}/{future.day}/{future.year} 7:00:00 AM"
    text = fx.FITBIT_WEIGHT + f"111,{stamp},78,171.96,,24.5,True,1\n"
    fails = failures_of(tmp_path, text)
    assert fails == [(4, "ts_local", "not_in_future", f"{future.isoformat()} 07:00:00.000000")]
