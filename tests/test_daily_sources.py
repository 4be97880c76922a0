# ruff: noqa: E501 (export headers and rows stay on one line, as in the files)
"""Daily CSVs: Google Fit daily metrics, Oura trends, Withings aggregates_steps, Lose It!
food-logs. Small fixtures in each real format, then the real files in ../shared/real_exports.

Every line is accounted for: rows_read = accepted + quarantined + duplicate + ignored.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import sources
from pipeline.errors import DataError
from pipeline.ingest import choose_source, prepare
from pipeline.sources import (
    google_fit_daily,
    loseit_food_logs,
    oura_trends,
    withings_aggregates_steps,
)
from pipeline.sources._csv import read_rows
from pipeline.sources._parse import ReadOptions
from tests.conftest import real, write

ME = ReadOptions()
LA = ReadOptions(time_zone="America/Los_Angeles")


def counts(prep) -> tuple[int, int, int, int, int]:
    r = prep.report
    assert r.rows_read == (r.rows_accepted + r.rows_quarantined + r.rows_duplicate + r.note_lines)
    return r.rows_read, r.rows_accepted, r.rows_quarantined, r.rows_duplicate, r.rows_ignored


def reasons(prep) -> list[tuple]:
    """Each quarantined line's failures, by line and column (checks report in any order)."""
    return sorted(prep.failures.select("_line", "column", "check", "value").rows())


# ---------------------------------------------------------------------------------------
# Google Fit: the 2021+ column order (Move Minutes first), one line per case:
# 2 activity + weight, 3 calories only (feeds nothing), 4 weight only, 5 a step count that
# does not parse, 6 inactive 1,500 min (more than a day), 7 a 900 kg weight beside good steps
GOOGLE_FIT = """\
Date,Move Minutes count,Calories (kcal),Distance (m),Heart Points,Heart Minutes,Step count,Average weight (kg),Max weight (kg),Min weight (kg),Inactive duration (ms),Walking duration (ms)
2026-03-01,45,2210.5,5123.4,30.0,22,7012,80.4,80.6,80.2,49800000,2700000
2026-03-02,,1650.25,,,,,,,,,
2026-03-03,,,,,,,79.9,79.9,79.9,,
2026-03-04,30,1900.0,2500.0,8.0,8,abc,,,,52200000,
2026-03-05,12,1800.0,900.0,,,1200,,,,90000000,
2026-03-06,20,1850.0,3000.0,10.0,6,4100,900.0,900.0,900.0,54000000,
"""

ACTIVITY = [
    "date",
    "steps",
    "distance_km",
    "sedentary_min",
    "light_min",
    "moderate_min",
    "vigorous_min",
    "active_kcal",
    "wear_min",
]


def test_google_fit_feeds_activity_and_body_from_one_line(tmp_path):
    prep = prepare(write(tmp_path / "Daily activity metrics.csv", GOOGLE_FIT), None, ME)
    assert prep.report.format == "google_fit_daily"
    # 6 lines: 2 feed a table (line 2 both), 3 quarantined, line 3 (calories only) ignored
    assert counts(prep) == (6, 2, 3, 0, 1)
    # 5,123.4 m = 5.1234 km; 49,800,000 ms = 830 min still; Heart Minutes 22 = moderate or
    # vigorous; Calories 2210.5 is total energy: active_kcal unknown; no wear figure
    assert prep.accepted.select(ACTIVITY).rows() == [
        (dt.date(2026, 3, 1), 7012, 5.1234, 830, None, 22, None, None, None)
    ]
    body = prep.extra["body"].sort("ts_local").select("ts_local", "weight_kg", "fat_pct")
    assert body.rows() == [
        (dt.datetime(2026, 3, 1, 0, 0), 80.4, None),  # the day's average, at 00:00
        (dt.datetime(2026, 3, 3, 0, 0), 79.9, None),  # a weigh-in day without activity
    ]
    assert reasons(prep) == [
        (5, "Step count", "parses_as_integer", "abc"),
        (6, "minutes_sum", "minutes_sum_at_most_1440", None),
        (6, "sedentary_min", "less_than_or_equal_to(1440)", "1500"),
        # the line fails whole: its 4,100 steps are not stored either
        (7, "weight_kg", "less_than_or_equal_to(350)", "900.0"),
    ]
    assert (prep.report.first_date, prep.report.last_date) == ("2026-03-01", "2026-03-03")


def test_google_fit_german_headers_by_name(tmp_path):
    text = (
        "Datum,Kalorien (kcal),Distanz (m),Kardiopunkte,Kardiominuten,Schrittzahl,"
        "Durchschnittsgewicht (kg),Anzahl der Aktivitätsminuten\n"
        "2026-03-01,2100.0,4000.0,12.0,9,6500,81.2,40\n"
    )
    prep = prepare(write(tmp_path / "Tägliche Aktivitätswerte.csv", text), None, ME)
    assert prep.report.format == "google_fit_daily"
    assert prep.accepted.select(ACTIVITY).rows() == [
        (dt.date(2026, 3, 1), 6500, 4.0, None, None, 9, None, None, None)
    ]
    assert prep.extra["body"]["weight_kg"].to_list() == [81.2]


def test_google_fit_per_day_bucket_files_are_not_this_export():
    # Takeout's one-file-per-day (15-minute buckets) would count the day twice
    buckets = ["Start time", "End time", "Move Minutes count", "Calories (kcal)", "Step count"]
    assert not google_fit_daily.detect(buckets)


# ---------------------------------------------------------------------------------------
# Oura trends: the header and example row documented in reference/formats.md 5b (with the
# duplicate "Sleep Timing"), then variations of that row.
OURA_HEADER = "date,Sleep Score,Total Sleep Score,REM Sleep Score,Deep Sleep Score,Sleep Efficiency Score,Restfulness Score,Sleep Latency Score,Sleep Timing Score,Total Bedtime,Total Sleep Time,Awake Time,REM Sleep Time,Light Sleep Time,Deep Sleep Time,Restless Sleep,Sleep Efficiency,Sleep Latency,Sleep Timing,Sleep Timing,Bedtime Start,Bedtime End,Average Resting Heart Rate,Lowest Resting Heart Rate,Average HRV,Temperature Deviation (°C),Respiratory Rate,Activity Score,Stay Active Score,Move Every Hour Score,Meet Daily Targets Score,Training Frequency Score,Training Volume Score,Recovery Time Score,Activity Burn,Total Burn,Target Calories,Steps,Daily Movement,Inactive Time,Rest Time,Low Activity Time,Medium Activity Time,High Activity Time,Non-wear Time,Average MET,Long Periods of Inactivity,Readiness Score,Previous Night Score,Sleep Balance Score,Previous Day Activity Score,Activity Balance Score,Temperature Score,Resting Heart Rate Score,HRV Balance Score,Recovery Index Score"
OURA_ROW = "2020-03-04,74,74,34,99,96,53,72,100,27300,24690,2610,2400,14490,7800,41,90,270,13170,,2020-03-03T22:14:42-08:00,2020-03-04T05:49:42-08:00,56.63,46,69,-0.29,13.75,87,53,100,78,100,97,100,278,2545,350,5703,4799,690,504,234,12,0,0,1.34375,0,67,65,0,0,0,93,100,0,20"
OURA_COLUMNS = OURA_HEADER.split(",")


def oura_row(**cells: str) -> str:
    """The example row with some cells changed (by header name; "Sleep_Timing" unused)."""
    values = OURA_ROW.split(",")
    for name, value in cells.items():
        values[OURA_COLUMNS.index(name.replace("_", " "))] = value
    return ",".join(values)


NIGHT = ("Total Bedtime", "Total Sleep Time", "Bedtime Start", "Bedtime End")
DAY = ("Activity Burn", "Steps", "Inactive Time", "Rest Time", "Low Activity Time")
DAY += ("Medium Activity Time", "High Activity Time", "Non-wear Time")


def blank(names: tuple[str, ...], date: str) -> str:
    cells = {n.replace(" ", "_"): "" for n in names} | {"date": date}
    return oura_row(**cells)


OURA = "\n".join(
    [
        OURA_HEADER,
        OURA_ROW,  # line 2: the documented day
        # line 3: a night without the ring (no sleep), a day with 3 h not worn
        blank(NIGHT, "2020-03-05").replace(",690,504,234,12,0,0,", ",600,480,170,10,0,180,"),
        # line 4: the export's last day: last night's sleep, no activity yet
        blank(DAY, "2020-03-06")
        .replace("2020-03-03T22:14:42", "2020-03-05T23:00:00")
        .replace("2020-03-04T05:49:42", "2020-03-06T06:30:00"),
        # line 5: activity times in seconds (41,400 s inactive): more than a day of minutes
        oura_row(date="2020-03-07", Inactive_Time="41400"),
        # line 6: a bedtime that is not a time
        oura_row(date="2020-03-08", Bedtime_Start="last night"),
        # line 7: a row with no figure at all (a day before the ring arrived)
        blank(NIGHT + DAY, "2020-03-09"),
    ]
)


def test_oura_feeds_activity_and_sleep_in_minutes(tmp_path):
    prep = prepare(write(tmp_path / "oura_2020-03-04_2020-03-09_trends.csv", OURA), None, LA)
    assert prep.report.format == "oura_trends"
    assert counts(prep) == (6, 3, 2, 0, 1)
    # 690 + 504 + 234 + 12 + 0 = 1440 min classified = worn; line 3: 600 + 480 + 170 + 10 =
    # 1260 worn, 180 not (1440 - 180)
    assert prep.accepted.sort("date").select(ACTIVITY).rows() == [
        (dt.date(2020, 3, 4), 5703, None, 690, 234, 12, 0, 278.0, 1440),
        (dt.date(2020, 3, 5), 5703, None, 600, 170, 10, 0, 278.0, 1260),
    ]
    # 24,690 s = 411.5 -> 412 min asleep, 27,300 s = 455 min in bed; -08:00 is the wall
    # time in Los Angeles; the night belongs to the date it ends
    sleep = prep.extra["sleep"].sort("date")
    assert sleep.select("date", "record", "start_local", "end_local").rows() == [
        (dt.date(2020, 3, 4), "2020-03-03T22:14",
         dt.datetime(2020, 3, 3, 22, 14, 42), dt.datetime(2020, 3, 4, 5, 49, 42)),
        (dt.date(2020, 3, 6), "2020-03-05T23:00",
         dt.datetime(2020, 3, 5, 23, 0), dt.datetime(2020, 3, 6, 6, 30)),
    ]  # fmt: skip
    assert sleep["asleep_min"].to_list() == [412, 412]
    assert sleep["in_bed_min"].to_list() == [455, 455]
    assert reasons(prep) == [
        (5, "minutes_sum", "minutes_sum_at_most_1440", None),
        (5, "sedentary_min", "less_than_or_equal_to(1440)", "41400"),
        (5, "wear_min", "less_than_or_equal_to(1440)", "42150"),
        (6, "Bedtime Start", "parses_as_wall_time_in_zone", "last night"),
    ]


def test_oura_offsets_become_wall_time_in_the_person_zone(tmp_path):
    path = write(tmp_path / "trends.csv", f"{OURA_HEADER}\n{OURA_ROW}")
    sleep = prepare(path, None, ReadOptions(time_zone="Europe/Berlin")).extra["sleep"]
    # 22:14:42 at -08:00 is 07:14:42 in Berlin (+01:00) the next day
    assert sleep.select("date", "record").rows() == [(dt.date(2020, 3, 4), "2020-03-04T07:14")]


def test_duplicate_sleep_timing_is_tolerated_other_duplicates_are_not(tmp_path):
    rows = read_rows(f"{OURA_HEADER}\n{OURA_ROW}\n".encode(), tmp_path / "t.csv")
    assert [c for c in rows.frame.columns if c.startswith("Sleep Timing")] == [
        "Sleep Timing Score",
        "Sleep Timing",
        "Sleep Timing (2)",
    ]
    assert rows.frame.select("Sleep Timing", "Sleep Timing (2)").row(0) == ("13170", None)
    with pytest.raises(DataError, match="has the column 'Steps' twice"):
        read_rows(b"date,Steps,Steps\n2020-03-04,1,2\n", tmp_path / "t.csv")


# ---------------------------------------------------------------------------------------
# Withings aggregates: the same header for steps, distance and calories; newest first.
AGGREGATES = """\
date,value
2026-03-03,8123
2026-03-02,
2026-03-01,4567
2026-02-30,100
"""


def test_withings_aggregates_steps_by_header_and_name(tmp_path):
    prep = prepare(write(tmp_path / "aggregates_steps.csv", AGGREGATES), None, ME)
    assert prep.report.format == "withings_aggregates_steps"
    # line 3: a date without a value holds no figure (ignored, not a day of 0 steps);
    # line 5: 30 February is no date
    assert counts(prep) == (4, 2, 1, 0, 1)
    assert prep.accepted.sort("date").select("date", "steps", "wear_min").rows() == [
        (dt.date(2026, 3, 1), 4567, None),
        (dt.date(2026, 3, 3), 8123, None),
    ]
    assert reasons(prep) == [(5, "date", "parses_as_iso_date", "2026-02-30")]


@pytest.mark.parametrize(
    "name",
    ["aggregates_distance.csv", "aggregates_calories_earned.csv", "steps.csv", "value.csv"],
)
def test_withings_aggregates_other_names_are_not_steps(tmp_path, name):
    path = write(tmp_path / name, AGGREGATES)
    assert choose_source(path, ["date", "value"], None) is None
    assert prepare(path, None, ME, skip_unknown=True) is None
    with pytest.raises(DataError) as err:  # named on its own: refused
        prepare(path, None, ME)
    if name.startswith("aggregates_"):  # a Withings file spectrum knows and does not use
        what = "distance" if "distance" in name else "calories"
        assert str(err.value) == (
            f"{path} holds Withings {what}, which spectrum does not use; nothing to read."
        )
    else:  # the header says what it might be; only the user knows
        assert str(err.value).startswith(
            f"{path} is not a known export (header: date, value); its header is that of "
            "withings_aggregates_steps: if it is that file, pass --format "
            "withings_aggregates_steps; "
        )


def test_withings_aggregates_renamed_copy_and_format_option(tmp_path):
    copy = write(tmp_path / "Aggregates_Steps (1).csv", AGGREGATES)
    assert choose_source(copy, ["date", "value"], None) is withings_aggregates_steps
    renamed = write(tmp_path / "march.csv", AGGREGATES)
    prep = prepare(renamed, "withings_aggregates_steps", ME)
    assert prep.report.rows_accepted == 2
    assert sources.detect(["date", "value"]) is None  # no name: never a guess


# ---------------------------------------------------------------------------------------
# Lose It!: the header confirmed by public parsers; US dates, a quoted name with commas,
# deleted entries (1 and true), "n/a" nutrients, a bad flag and a bad date.
LOSEIT = """\
Date,Name,Icon,Meal,Quantity,Units,Calories,Deleted,Fat (g),Protein (g),Carbohydrates (g),Saturated Fat (g),Sugars (g),Fiber (g),Cholesterol (mg),Sodium (mg)
03/01/2026,Strawberry,Fruit,Breakfast,200.0,Grams,67,0,0.6,1.4,15.4,0,9.8,4.0,0,2
03/01/2026,"Rice, White, Cooked",Rice,Lunch,350.0,Grams,455,0,1.0,9.4,99.0,0.3,0.2,1.4,0,4
03/01/2026,Strawberry,Fruit,Snacks,100.0,Grams,34,1,0.3,0.7,7.7,0,4.9,2.0,0,1
03/01/2026,Cola,Soda,Dinner,1.0,Can,140,true,0,0,39,0,39,0,0,45
03/02/2026,Custom Stew,Stew,Dinner,1.0,Serving,512,false,20,30,n/a,n/a,n/a,n/a,n/a,n/a
03/02/2026,Toast,Bread,Breakfast,2.0,Slice,160,maybe,2,6,30,0.4,3,2,0,300
13/02/2026,Egg,Egg,Breakfast,1.0,Each,72,0,5,6,0.4,1.6,0.2,0,186,71
"""

FOOD = [
    "date",
    "entry_id",
    "time",
    "meal",
    "food_name",
    "granularity",
    "kcal",
    "carbs_g",
    "fiber_g",
    "sugars_g",
]


def test_loseit_food_logs_deleted_rows_are_ignored(tmp_path):
    prep = prepare(write(tmp_path / "food-logs.csv", LOSEIT), None, ME)
    assert prep.report.format == "loseit_food_logs"
    # 7 lines: 3 stored, 2 deleted in the app (ignored), 2 quarantined
    assert counts(prep) == (7, 3, 2, 0, 2)
    assert prep.accepted.sort("date", "entry_id").select(FOOD).rows() == [
        (dt.date(2026, 3, 1), "0001", None, "Breakfast", "Strawberry", "item",
         67.0, 15.4, 4.0, 9.8),
        (dt.date(2026, 3, 1), "0002", None, "Lunch", "Rice, White, Cooked", "item",
         455.0, 99.0, 1.4, 0.2),
        # "n/a" is unknown, not 0 and not a failure; its energy counts
        (dt.date(2026, 3, 2), "0001", None, "Dinner", "Custom Stew", "item",
         512.0, None, None, None),
    ]  # fmt: skip
    assert prep.accepted["added_sugars_g"].null_count() == 3
    assert reasons(prep) == [
        (7, "Deleted", "parses_as_flag", "maybe"),
        (8, "Date", "parses_as_date", "13/02/2026"),
    ]


def test_loseit_iso_dates_and_the_eight_column_file(tmp_path):
    text = (
        "Date,Name,Icon,Meal,Quantity,Units,Calories,Deleted\n"
        "2026-06-16,Greek Yogurt,icon,Breakfast,1,cup,120,false\n"
        "2026-06-16,Banana,icon,Breakfast,1,each,105,FALSE\n"
    )
    prep = prepare(write(tmp_path / "food-logs.csv", text, crlf=True), None, ME)
    assert counts(prep) == (2, 2, 0, 0, 0)
    frame = prep.accepted.sort("entry_id")
    assert frame.select("date", "food_name", "kcal", "carbs_g").rows() == [
        (dt.date(2026, 6, 16), "Greek Yogurt", 120.0, None),
        (dt.date(2026, 6, 16), "Banana", 105.0, None),
    ]


def test_loseit_is_not_read_as_myfitnesspal():
    header = LOSEIT.splitlines()[0].split(",")
    assert [s.NAME for s in sources.SOURCES if s.detect(header)] == ["loseit_food_logs"]
    exercise = ["Date", "Name", "Icon", "Type", "Quantity", "Units", "Calories", "Deleted"]
    assert not loseit_food_logs.detect(exercise)


def test_oura_and_google_fit_headers_match_only_their_module():
    assert [s.NAME for s in sources.SOURCES if s.detect(OURA_COLUMNS)] == ["oura_trends"]
    google = GOOGLE_FIT.splitlines()[0].split(",")
    assert [s.NAME for s in sources.SOURCES if s.detect(google)] == ["google_fit_daily"]
    assert oura_trends.detect(OURA_COLUMNS) and not oura_trends.detect(google)


# ---------------------------------------------------------------------------------------
# Real files. Figures for one month worked out outside spectrum with awk (commands below).
GOOGLE_REAL = "google_fit/kaustubhgupta_google-fit-data-analysis/Daily activity metrics.csv"
WITHINGS = "withings/Handballfreak_WithingsData_german/"


def test_real_google_fit_export():
    prep = prepare(real(GOOGLE_REAL), None, ME)
    # 1,053 days: 1,032 with activity figures, 1 with only a weight (2018-03-19), 20 with
    # only Calories (kcal) (2018-03-27..04-02, ...): ignored. 21 weigh-ins.
    #   awk -F, 'NR>1 && ($15!=""||$16!=""||$7!=""||$22!="")' "Daily activity metrics.csv" | wc -l
    #   awk -F, 'NR>1 && $2!=""' "Daily activity metrics.csv" | wc -l
    assert counts(prep) == (1053, 1033, 0, 0, 20)
    assert (prep.accepted.height, prep.extra["body"].height) == (1032, 21)
    assert (prep.report.first_date, prep.report.last_date) == ("2018-03-19", "2021-02-17")
    # February 2020 (columns: $2 Average weight, $7 Heart Minutes, $15 Step count,
    # $16 Distance (m), $22 Inactive duration (ms)):
    #   awk -F, '$1 ~ /^2020-02-/ {d++; s+=$15; h+=$7; if ($2!="") w++}
    #            END {print d, s, h, w}' "Daily activity metrics.csv"      -> 29 70212 168 1
    #   awk -F, '$1 ~ /^2020-02-/ && $22!="" {s+=int($22/60000+0.5)} END {print s}' -> 39194
    #   awk -F, '$1 ~ /^2020-02-/ {s+=$16} END {printf "%.6f", s/1000}'             -> 37.236006
    feb = prep.accepted.filter(
        (prep.accepted["date"] >= dt.date(2020, 2, 1))
        & (prep.accepted["date"] < dt.date(2020, 3, 1))
    )
    assert feb.height == 29
    assert (feb["steps"].sum(), feb["moderate_min"].sum(), feb["sedentary_min"].sum()) == (
        70212,
        168,
        39194,
    )
    assert feb["distance_km"].sum() == pytest.approx(37.236006, abs=1e-6)
    assert feb["active_kcal"].null_count() == feb["vigorous_min"].null_count() == 29
    body = prep.extra["body"]
    feb_weights = body.filter(body["ts_local"].dt.strftime("%Y-%m") == "2020-02")
    assert feb_weights.select("ts_local", "weight_kg").rows() == [(dt.datetime(2020, 2, 6), 68.5)]


def test_real_withings_aggregates_steps():
    prep = prepare(real(WITHINGS + "aggregates_steps.csv"), None, ME)
    assert prep.report.format == "withings_aggregates_steps"
    assert counts(prep) == (86, 86, 0, 0, 0)
    assert (prep.report.first_date, prep.report.last_date) == ("2019-12-28", "2020-03-22")
    # awk -F, '$1 ~ /^2020-02-/ {d++; s+=$2} END {print d, s}' aggregates_steps.csv -> 29 149992
    # awk -F, 'NR>1 {s+=$2} END {print s}' aggregates_steps.csv                   -> 451458
    feb = prep.accepted.filter(prep.accepted["date"].dt.strftime("%Y-%m") == "2020-02")
    assert (feb.height, feb["steps"].sum()) == (29, 149992)
    assert prep.accepted["steps"].sum() == 451458


@pytest.mark.parametrize(
    "name",
    [
        "aggregates_calories_earned.csv",
        "aggregates_calories_passive.csv",
        "aggregates_distance.csv",
        "raw_tracker_steps.csv",
        "bp.csv",
        "height.csv",
    ],
)
def test_real_withings_files_that_are_not_steps(name):
    assert prepare(real(WITHINGS + name), None, ME, skip_unknown=True) is None
