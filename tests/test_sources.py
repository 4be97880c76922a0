"""Each export format: detected from its header, parsed to canonical columns by hand-checked
values, with the vendor's byte quirks (BOM, CRLF, empty = unknown)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.errors import DataError
from pipeline.ingest import prepare
from pipeline.sources._parse import ReadOptions
from tests import fixtures as fx
from tests.conftest import write

ME = ReadOptions()


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (fx.FITBIT_DAILY, "fitbit_daily_activity"),
        (fx.FITBIT_HOURLY, "fitbit_hourly_steps"),
        (fx.FITBIT_MINUTE, "fitbit_minute_steps"),
        (fx.FITBIT_SLEEP, "fitbit_sleep"),
        (fx.FITBIT_WEIGHT, "fitbit_weight"),
        (fx.CRONOMETER_SERVINGS, "cronometer_servings"),
        (fx.CRONOMETER_SERVINGS_NO_TIME, "cronometer_servings"),
        (fx.CRONOMETER_DAILY, "cronometer_dailysummary"),
        (fx.MFP_NUTRITION, "mfp_nutrition"),
        (fx.MFP_NUTRITION_TIME, "mfp_nutrition"),
        (fx.MFP_MEASUREMENT, "mfp_measurement"),
    ],
)
def test_format_is_detected_from_the_header_not_the_name(tmp_path, text, fmt):
    path = write(tmp_path / "export-renamed.csv", text)
    assert prepare(path, None, ME).report.format == fmt


def test_fitbit_daily_maps_fairly_and_very_active_to_moderate_and_vigorous(tmp_path):
    path = write(tmp_path / "d.csv", fx.FITBIT_DAILY, crlf=True)
    row = prepare(path, None, ME).accepted.row(0, named=True)
    assert row["person"] == "111"
    assert row["date"] == dt.date(2026, 3, 1)
    assert (row["steps"], row["distance_km"]) == (10000, 7.5)
    assert (row["moderate_min"], row["vigorous_min"]) == (10, 20)
    assert (row["light_min"], row["sedentary_min"]) == (200, 700)
    assert row["wear_min"] is None and row["active_kcal"] is None


def test_fitbit_person_option_renames_a_one_person_file(tmp_path):
    path = write(tmp_path / "d.csv", fx.FITBIT_DAILY)
    prep = prepare(path, None, ReadOptions(person="alex"))
    assert prep.report.persons == ["alex"]


def test_fitbit_person_option_refuses_a_many_person_file(tmp_path):
    text = fx.FITBIT_DAILY + "222,3/1/2026,5,0,0,0,0,0,0,0,0,0,0,1440,1500\n"
    path = write(tmp_path / "d.csv", text)
    with pytest.raises(DataError) as err:
        prepare(path, None, ReadOptions(person="alex"))
    assert str(err.value) == (
        "this Fitbit export holds 2 people (Id 111, 222); "
        "drop --person to store each under their own Id."
    )


def test_fitbit_intraday_timestamps_and_intervals(tmp_path):
    hourly = prepare(write(tmp_path / "h.csv", fx.FITBIT_HOURLY, crlf=True), None, ME).accepted
    assert hourly["ts_local"].to_list() == [dt.datetime(2026, 3, 1, 0), dt.datetime(2026, 3, 1, 13)]
    assert hourly["interval_min"].to_list() == [60, 60]
    minute = prepare(write(tmp_path / "m.csv", fx.FITBIT_MINUTE), None, ME).accepted
    assert minute["ts_local"][1] == dt.datetime(2026, 3, 1, 13, 1)
    assert minute["steps"].to_list() == [80, 95]


def test_fitbit_sleep_exact_duplicates_count_once_when_stored(tmp_path, store):
    from pipeline.ingest import ingest

    ingest(store, [write(tmp_path / "s.csv", fx.FITBIT_SLEEP)], None, ME, strict=False)
    stored = store.read("sleep").collect()
    assert stored.select("date", "asleep_min", "in_bed_min").rows() == [
        (dt.date(2026, 3, 1), 400, 430)
    ]


def test_fitbit_weight_empty_fat_is_unknown_not_zero(tmp_path):
    frame = prepare(write(tmp_path / "w.csv", fx.FITBIT_WEIGHT), None, ME).accepted
    assert frame["fat_pct"].to_list() == [None, 22.0]
    assert frame["ts_local"][1] == dt.datetime(2026, 3, 3, 23, 59, 59)


def test_cronometer_servings_quoted_names_times_and_unknown_nutrients(tmp_path):
    frame = prepare(write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS), None, ME).accepted
    assert frame["food_name"].to_list()[:2] == ["Oats, rolled", 'White Bread "sliced", toasted']
    assert frame["time"][1] == dt.time(12, 30)
    soup = frame.row(2, named=True)
    assert soup["kcal"] == 400.0
    assert soup["carbs_g"] is None and soup["fiber_g"] is None  # empty cell: unknown
    assert frame["added_sugars_g"].to_list()[:2] == [0.0, 6.0]
    assert frame["entry_id"].to_list() == ["0001", "0002", "0003", "0001"]
    assert set(frame["granularity"]) == {"item"}


def test_cronometer_servings_without_time_or_added_sugars(tmp_path):
    frame = prepare(write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS_NO_TIME), None, ME).accepted
    row = frame.row(0, named=True)
    assert row["time"] is None and row["added_sugars_g"] is None
    assert row["meal"] == "Uncategorized" and row["kcal"] == 232.5


def test_cronometer_dailysummary_is_one_day_level_entry_per_day(tmp_path):
    frame = prepare(write(tmp_path / "d.csv", fx.CRONOMETER_DAILY), None, ME).accepted
    assert frame.select("date", "kcal", "carbs_g", "fiber_g").rows()[0] == (
        dt.date(2026, 3, 1),
        1200.0,
        144.0,
        11.0,
    )
    assert set(frame["granularity"]) == {"day"}


def test_mfp_nutrition_with_bom_and_per_meal_rows(tmp_path):
    path = write(tmp_path / "n.csv", fx.MFP_NUTRITION, bom=True, crlf=True)
    frame = prepare(path, None, ReadOptions(person="sam")).accepted
    assert frame["meal"].to_list() == ["Breakfast", "Dinner", "Snacks"]
    assert frame["food_name"].null_count() == 3  # the export has no food names
    assert frame["carbs_g"].to_list() == [60.0, 80.0, 40.0]
    assert frame["person"].unique().to_list() == ["sam"]
    assert set(frame["granularity"]) == {"meal"}


def test_mfp_nutrition_time_column_with_blank_times(tmp_path):
    frame = prepare(write(tmp_path / "n.csv", fx.MFP_NUTRITION_TIME, bom=True), None, ME).accepted
    assert frame["time"].to_list() == [dt.time(10, 0), None]


def test_mfp_measurement_in_pounds(tmp_path):
    path = write(tmp_path / "m.csv", fx.MFP_MEASUREMENT)
    frame = prepare(path, None, ReadOptions(weight_unit="lb")).accepted
    assert frame["weight_kg"].round(3).to_list() == [79.832, 79.379]
    assert frame["ts_local"][0] == dt.datetime(2026, 3, 1, 12)


def test_unknown_header_is_refused_with_a_fix(tmp_path):
    path = write(tmp_path / "x.csv", "Id,Note,Mood\n1,4/12/2016 7:21:00 AM,97\n")
    from pipeline.ingest import choose_source

    assert choose_source(path, ["Id", "Note", "Mood"], None) is None
    with pytest.raises(DataError) as err:
        choose_source(path, ["Id", "Note", "Mood"], "fitbit_daily_activity")
    assert str(err.value) == (
        f"{path} does not look like fitbit_daily_activity (missing columns: ActivityDate, "
        "SedentaryMinutes, TotalSteps, VeryActiveMinutes); check the file or drop --format."
    )


def test_every_source_declares_its_contract():
    import schemas
    from pipeline import sources

    for s in sources.SOURCES:
        assert s.TABLE in schemas.TABLES
        assert s.TITLE and s.HOW_TO_EXPORT and callable(s.detect)
        # a CSV source reads text rows; a JSON source turns its items into rows first; a
        # streamed one (Apple Health) reads its file itself
        if getattr(s, "STREAM", False):
            assert callable(s.sniff) and callable(s.read_stream)
        else:
            assert callable(s.read)
        if hasattr(s, "to_rows"):
            assert callable(s.sniff)
    assert len(sources.BY_NAME) == len(sources.SOURCES)


def test_parsing_is_vectorised_on_text_columns():
    from pipeline.sources._parse import us_datetime

    s = pl.Series(["12/31/2025 11:59:59 PM", "1/2/2026 12:00:00 AM"])
    parsed = pl.select(us_datetime(pl.lit(s))).to_series()
    assert parsed.to_list() == [dt.datetime(2025, 12, 31, 23, 59, 59), dt.datetime(2026, 1, 2)]


def test_biometrics_lines_are_all_accounted_for(tmp_path):
    text = (
        "Day,Group,Metric,Unit,Amount\n"
        '2026-03-01,Uncategorized,"Weight",lbs,176.0\n'
        '2026-03-01,Uncategorized,"Waist",in,40\n'
        '2026-03-02,Uncategorized,"Blood Pressure",mmHg,120\n'
        "2026-03-02,Uncategorized,,cm,99\n"
        '2026-03-03,Uncategorized,"Waist",furlong,1\n'
        '2026-03-04,Uncategorized,"Waist",cm,\n'
    )
    prep = prepare(write(tmp_path / "biometrics.csv", text), None, ReadOptions())
    r = prep.report
    # 6 lines: 2 stored (one day), 2 ignored (blood pressure, no metric), 2 quarantined
    assert (r.rows_read, r.rows_accepted, r.rows_ignored, r.rows_quarantined) == (6, 2, 2, 2)
    assert prep.failures.select("_line", "check", "value").rows() == [
        (6, "unit_is_known", "furlong"),
        (7, "amount_is_given", ""),
    ]
    row = prep.accepted.row(0, named=True)
    # 176 lb = 79.832 kg; 40 in = 101.6 cm, both on 1 March
    assert (round(row["weight_kg"], 3), row["waist_cm"]) == (79.832, 101.6)
    assert r.stored_as == "1 day of body measurements"


def test_a_renamed_withings_steps_file_is_pointed_to_its_format(tmp_path):
    path = write(tmp_path / "steps_copy.csv", "date,value\n2020-01-01,5\n")
    with pytest.raises(DataError) as err:
        prepare(path, None, ReadOptions())
    assert str(err.value) == (
        f"{path} is not a known export (header: date, value); its header is that of "
        "withings_aggregates_steps: if it is that file, pass --format "
        "withings_aggregates_steps; run 'spectrum formats' to see the supported files, or pass "
        "--format NAME."
    )
