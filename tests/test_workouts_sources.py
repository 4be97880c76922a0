# ruff: noqa: E501 (export headers and rows stay on one line, as in the files)
"""The workouts table's sources: Garmin Connect Activities.csv (in six languages, and as a
spreadsheet re-saved it), MyFitnessPal Exercise-Summary, Cronometer exercises.csv and Withings
activities.csv. Small fixtures written by hand in each real format, then the real files of
../shared/real_exports with figures computed outside spectrum (commands in comments)."""

from __future__ import annotations

import csv
import datetime as dt

import polars as pl
import pytest

from pipeline.ingest import prepare
from pipeline.quarantine import quarantine_rows
from pipeline.sources._parse import ReadOptions
from tests.conftest import real, write

ME = ReadOptions()
BERLIN = ReadOptions(time_zone="Europe/Berlin")
D = dt.datetime

CUT = "Time '07:07.2' was cut by a spreadsheet (its hours are lost): the duration is unknown"


def rows(prep) -> list[dict]:
    """Stored rows as dicts, floats rounded to 6 places (hand values are fractions)."""
    cols = ["start_local", "type", "duration_min", "distance_km", "avg_hr", "kcal"]
    out = prep.accepted.sort("start_local").select(cols).to_dicts()
    return [{k: round(v, 6) if isinstance(v, float) else v for k, v in r.items()} for r in out]


def reasons(prep) -> list[tuple[int, str]]:
    q = quarantine_rows(prep)
    return q.sort("line").select("line", "reason").rows()


def counts(prep) -> tuple[int, int, int, int, int]:
    r = prep.report
    assert r.rows_read == (r.rows_accepted + r.rows_quarantined + r.rows_duplicate + r.note_lines)
    return r.rows_read, r.rows_accepted, r.rows_quarantined, r.rows_ignored, r.rows_duplicate


# ---------------------------------------------------------------------------------- Garmin

# An account in miles: stride length (m) x cadence x time says ~1,500-1,600 m per unit.
GARMIN_MILES = """\
Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Avg Run Cadence,Avg Stride Length,Total Ascent,Elapsed Time
Running,2022-04-16 13:33:48,false,"Hill run, long","6.09","1,079","01:12:28","152","170","163","0.83","1,079","01:12:28"
Walking,2022-04-17 08:00:00,false,"Walk","2.00","--","35:20","--","--","110","0.75","--","--"
Strength Training,2022-04-18 18:00:00,false,"Gym","0.00","99","0:39:16.5","69","100","--","--","--","00:40:00"
Pool Swimming,2022-04-19 07:00:00,false,"Pool","1,175","251","--","--","--","--","--","--","00:37:57"
"""


def test_garmin_miles_thousands_missing_and_duration_shapes(tmp_path):
    # cadence x stride x minutes / distance: 163 x 0.83 x 72.467 / 6.09 = 1610 and
    # 110 x 0.75 x 35.333 / 2.00 = 1458: median 1534 m per unit, so miles
    prep = prepare(write(tmp_path / "Activities.csv", GARMIN_MILES, crlf=True), None, ME)
    assert prep.report.format == "garmin_activities"
    assert counts(prep) == (4, 4, 0, 0, 0)
    assert prep.warnings == []
    assert rows(prep) == [
        # "1,079" kcal; 01:12:28 = 72 + 28/60 min; 6.09 mi x 1.609344 km
        {"start_local": D(2022, 4, 16, 13, 33, 48), "type": "Running",
         "duration_min": round(72 + 28 / 60, 6), "distance_km": round(6.09 * 1.609344, 6),
         "avg_hr": 152.0, "kcal": 1079.0},
        # mm:ss "35:20"; "--" calories and heart rate are unknown, never 0
        {"start_local": D(2022, 4, 17, 8), "type": "Walking",
         "duration_min": round(35 + 20 / 60, 6), "distance_km": round(2 * 1.609344, 6),
         "avg_hr": None, "kcal": None},
        # h:mm:ss.s; a distance of 0.00 is what the export says, kept
        {"start_local": D(2022, 4, 18, 18), "type": "Strength Training",
         "duration_min": 39.275, "distance_km": 0.0, "avg_hr": 69.0, "kcal": 99.0},
        # Time "--": the elapsed time; pool metres whatever the account's unit
        {"start_local": D(2022, 4, 19, 7), "type": "Pool Swimming",
         "duration_min": round(37 + 57 / 60, 6), "distance_km": 1.175, "avg_hr": None,
         "kcal": 251.0},
    ]  # fmt: skip


GARMIN_NO_STRIDE = """\
Activity Type,Date,Title,Distance,Calories,Time,Avg HR
Cycling,2023-06-30 15:06:33,Ride,20.50,480,00:50:00,130
Yoga,2023-07-01 08:00:00,Yoga,--,99,00:20:51,90
"""


def test_garmin_without_stride_reads_km_and_says_so_once(tmp_path):
    path = write(tmp_path / "Activities.csv", GARMIN_NO_STRIDE)
    prep = prepare(path, None, ME)
    assert [r["distance_km"] for r in rows(prep)] == [20.5, None]
    assert prep.warnings == [
        f"{path}: distances were read as km: Garmin writes no unit, and no row has the "
        "stride length that would tell km from miles; if your Garmin account shows miles, "
        "these distances are 1.6 times too short"
    ]


# The same run in each account language: 5.00 km in 30:00, 400 kcal, 150 bpm (steps x
# stride or cadence x stride x time is 1,000 m per km where the columns exist).
LOCALISED = {
    "german": "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit,Ø Herzfrequenz,"
    "Maximale Herzfrequenz,Ø Schrittlänge,Schritte\n"
    'Laufen,2023-05-01 07:00:00,false,"Morgenlauf","5.00","400","00:30:00","150","170",'
    '"1.00","5,000"',
    "german_older": "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit,Ø HF,Max. HF,"
    "Ø Schrittfrequenz (Laufen),Ø Schrittlänge\n"
    'Laufen,2023-05-01 07:00:00,false,"Lauf","5.00","400","00:30:00","150","170","166.67",'
    '"1.00"',
    "danish": "Aktivitetstype,Dato,Favorit,Titel,Distance,Kalorier,Tid,Gennemsnitlig puls,"
    "Maks. puls,Gennemsnit kadence løb,Gennemsnitlig skridtlængde\n"
    'Løb,2023-05-01 07:00:00,false,"5k, dukkert","5.00","400","00:30:00","150","167",'
    '"166.67","1.00"',
    "french": "Type d'activité,Date,Favori,Titre,Distance,Calories,Durée,"
    "Fréquence cardiaque moyenne,Pas,Longueur moyenne des foulées\n"
    'Course à pied,2023-05-01 07:00:00,false,"Sortie","5.00","400","00:30:00","150",'
    '"5,000","1.00"',
    "spanish": "Tipo de actividad,Fecha,Título,Distancia,Calorías,Tiempo,"
    "Frecuencia cardiaca media,Pasos,Longitud media de zancada\n"
    'Carrera,2023-05-01 07:00:00,"Carrera","5.00","400","00:30:00","150","5,000","1.00"',
    "dutch": "Activiteittype,Datum,Favoriet,Titel,Afstand,Calorieën,Tijd,Gem. HS,"
    "Gem. staplengte,Stappen\n"
    'Hardlopen,2023-05-01 07:00:00,false,"Rondje","5.00","400","00:30:00","150","1.00",'
    '"5,000"',
}


@pytest.mark.parametrize("language", sorted(LOCALISED))
def test_garmin_localised_headers_map_to_the_same_workout(tmp_path, language):
    prep = prepare(write(tmp_path / "Activities.csv", LOCALISED[language]), None, ME)
    assert prep.report.format == "garmin_activities"
    assert prep.warnings == []  # the stride shows km
    (row,) = rows(prep)
    assert {k: v for k, v in row.items() if k != "type"} == {
        "start_local": D(2023, 5, 1, 7),
        "duration_min": 30.0,
        "distance_km": 5.0,
        "avg_hr": 150.0,
        "kcal": 400.0,
    }
    assert row["type"] == LOCALISED[language].split("\n")[1].split(",")[0]


GARMIN_BAD = """\
Activity Type,Date,Title,Distance,Calories,Time,Avg HR
Running,2023-06-30 15:06:33,Run,"5,25",300,00:30:00,140
Running,yesterday,Run,5.00,300,00:30:00,140
Running,2023-07-02 15:06:33,Run,5.00,300,half an hour,140
Running,2023-07-03 15:06:33,Run,5.00,300,00:30:00,400
Running,2023-07-04 15:06:33,Run,5.00,300,00:30:00,140
"""


def test_garmin_rows_that_do_not_parse_are_quarantined_with_reasons(tmp_path):
    prep = prepare(write(tmp_path / "Activities.csv", GARMIN_BAD), None, ME)
    assert counts(prep) == (5, 1, 4, 0, 0)
    assert reasons(prep) == [
        (2, "Distance '5,25' is not a number"),  # a decimal comma Garmin does not write
        (3, "Date 'yesterday' is not a datetime"),
        (4, "Time 'half an hour' is not a duration"),
        (5, "avg_hr '400.0' is above the most possible, 250"),
    ]


# A copy re-saved by Excel: M/D/YYYY H:MM dates, FALSE, unquoted, hours cut from a duration
# with tenths of a second ("07:07.2" was 00:07:07.2 or any hour and 7:07.2).
GARMIN_EXCEL = """\
Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Avg Run Cadence,Avg Stride Length
Walking,5/7/2020 9:13,FALSE,Lafayette Walking,1.94,212,0:42:49,82,86,0.86
Cardio,12/25/2018 14:54,FALSE,Cardio,0,81,07:07.2,134,--,0
Running,5/6/2020 7:17,FALSE,Easy Run,4.5,569,0:55:00,133,145,0.89
"""


def test_garmin_spreadsheet_copy_is_named_and_its_cut_durations_are_unknown(tmp_path):
    path = write(tmp_path / "Garmin_2019.csv", GARMIN_EXCEL)
    prep = prepare(path, None, ME)
    assert counts(prep) == (3, 3, 0, 0, 0)
    assert prep.warnings == [
        f"{path}: this file was re-saved by a spreadsheet (dates like 5/7/2020 9:13): start "
        "times were read as month/day/year, to the minute (the seconds are lost); 1 "
        "duration(s) the spreadsheet cut to minutes:seconds, losing the hours (e.g. 07:07.2), "
        "are stored as unknown; export Activities.csv again from Garmin Connect for exact "
        "figures"
    ]
    got = rows(prep)
    assert [(r["start_local"], r["duration_min"], r["kcal"]) for r in got] == [
        (D(2018, 12, 25, 14, 54), None, 81.0),  # stored: the workout happened
        (D(2020, 5, 6, 7, 17), 55.0, 569.0),
        (D(2020, 5, 7, 9, 13), round(42 + 49 / 60, 6), 212.0),
    ]
    # 86 x 0.86 x 42.82 / 1.94 = 1,632 and 145 x 0.89 x 55 / 4.5 = 1,577 m per unit: miles
    assert got[1]["distance_km"] == round(4.5 * 1.609344, 6)
    assert reasons(prep) == [(3, CUT)]
    assert prep.report.rows_quarantined == 0  # a record, not a rejected line


def test_garmin_spreadsheet_day_first_and_unknown_order(tmp_path):
    day_first = GARMIN_NO_STRIDE.replace("2023-06-30 15:06:33", "30/6/2023 15:06").replace(
        "2023-07-01 08:00:00", "1/7/2023 8:00"
    )
    prep = prepare(write(tmp_path / "a.csv", day_first), None, ME)
    assert [r["start_local"] for r in rows(prep)] == [D(2023, 6, 30, 15, 6), D(2023, 7, 1, 8)]
    assert "read as day/month/year, to the minute" in prep.warnings[-1]
    unknown = GARMIN_NO_STRIDE.replace("2023-06-30 15:06:33", "6/7/2023 15:06").replace(
        "2023-07-01 08:00:00", "7/7/2023 8:00"
    )
    prep = prepare(write(tmp_path / "b.csv", unknown), None, ME)
    assert [r["start_local"] for r in rows(prep)] == [D(2023, 6, 7, 15, 6), D(2023, 7, 7, 8)]
    assert (
        "read as month/day/year (no day above 12 shows the order; US spreadsheets write the "
        "month first), to the minute" in prep.warnings[-1]
    )


# ---------------------------------------------------------------------------------- MyFitnessPal

MFP_EXERCISE = '''\
Date,Exercise,Type,Exercise Calories,Exercise Minutes,Sets,Reps Per Set,Pounds,Steps,Note
2024-07-02,Health Connect calorie adjustment,Cardio,573.0,1,,,,9840,
2024-07-03,"""Walking, 3.5 mph, brisk pace""",Cardio,178.0,18,,,,,
2024-07-03,"""Walking, 3.5 mph, brisk pace""",Cardio,178.0,18,,,,,
2024-07-03,Yoga,Cardio,95.0,30,,,,,evening, with a friend
2024-07-03,"""Aerobics, general""",Cardio,abc,31,,,,,
2024-07-04,Bench press,Strength,0.0,,3,10,135,,
2024-07-04,"""Walking, 3.5 mph, brisk pace""",Cardio,178.0,18,,,,,
'''


def test_mfp_exercise_names_adjustments_repeats_and_day_ordinals(tmp_path):
    path = write(tmp_path / "Exercise-Summary-2024-07-02-to-2024-07-04.csv", MFP_EXERCISE)
    prep = prepare(path, None, ME)
    assert prep.report.format == "mfp_exercise"
    # 7 lines: 1 adjustment ignored, 1 exact repeat stored once, 1 quarantined, 4 stored
    assert counts(prep) == (7, 4, 1, 1, 1)
    assert reasons(prep) == [(6, "Exercise Calories 'abc' is not a number")]
    assert rows(prep) == [
        # the day + 0, 1, ... seconds: the day's distinct lines in file order
        {"start_local": D(2024, 7, 3, 0, 0, 0), "type": "Walking, 3.5 mph, brisk pace",
         "duration_min": 18.0, "distance_km": None, "avg_hr": None, "kcal": 178.0},
        {"start_local": D(2024, 7, 3, 0, 0, 1), "type": "Yoga",
         "duration_min": 30.0, "distance_km": None, "avg_hr": None, "kcal": 95.0},
        {"start_local": D(2024, 7, 4, 0, 0, 0), "type": "Bench press",
         "duration_min": None, "distance_km": None, "avg_hr": None, "kcal": 0.0},
        {"start_local": D(2024, 7, 4, 0, 0, 1), "type": "Walking, 3.5 mph, brisk pace",
         "duration_min": 18.0, "distance_km": None, "avg_hr": None, "kcal": 178.0},
    ]  # fmt: skip
    assert prep.warnings == [
        f"{path}: 1 line(s) repeat an earlier exercise line of the same day cell for cell "
        "(an app's sync copies): each such exercise is stored once"
    ]


def test_mfp_exercise_starts_are_the_same_when_read_again_or_in_a_longer_export(tmp_path):
    first = prepare(write(tmp_path / "a.csv", MFP_EXERCISE, bom=True, crlf=True), None, ME)
    again = prepare(write(tmp_path / "b.csv", MFP_EXERCISE), None, ME)
    longer = MFP_EXERCISE + "2024-07-05,Yoga,Cardio,95.0,30,,,,,\n"
    later = prepare(write(tmp_path / "c.csv", longer), None, ME)
    assert rows(first) == rows(again) == rows(later)[:4]
    assert rows(later)[4]["start_local"] == D(2024, 7, 5)


# ---------------------------------------------------------------------------------- Cronometer

CRONOMETER_EXERCISES = """\
Day,Group,Exercise,Minutes,Calories Burned
2026-07-15,Uncategorized,"Active Energy Balance (Apple Health)",0.0,-402.21
2026-07-15,Uncategorized,"Traditional Strength Training (Apple Health)",57.5,-243.53
2026-07-16,Uncategorized,"Daily Activity (Garmin)",107.0,-527.00
2026-07-16,Uncategorized,"Martial Arts",50.0,-245.07
2026-07-16,Uncategorized,"Custom Exercise",15.0,-75.00
2026-07-17,Uncategorized,"Walking",ten,-75.00
"""


def test_cronometer_exercises_negative_calories_and_whole_day_rows(tmp_path):
    prep = prepare(write(tmp_path / "exercises.csv", CRONOMETER_EXERCISES), None, ME)
    assert prep.report.format == "cronometer_exercises"
    assert counts(prep) == (6, 3, 1, 2, 0)  # Active Energy Balance, Daily Activity ignored
    assert reasons(prep) == [(7, "Minutes 'ten' is not a number")]
    assert rows(prep) == [
        {"start_local": D(2026, 7, 15), "type": "Traditional Strength Training (Apple Health)",
         "duration_min": 57.5, "distance_km": None, "avg_hr": None, "kcal": 243.53},
        {"start_local": D(2026, 7, 16), "type": "Martial Arts",
         "duration_min": 50.0, "distance_km": None, "avg_hr": None, "kcal": 245.07},
        {"start_local": D(2026, 7, 16, 0, 0, 1), "type": "Custom Exercise",
         "duration_min": 15.0, "distance_km": None, "avg_hr": None, "kcal": 75.0},
    ]  # fmt: skip


def test_cronometer_exercises_time_column_gives_the_start_where_filled(tmp_path):
    text = (
        "Day,Time,Group,Exercise,Minutes,Calories Burned\n"
        '2026-07-16,6:30 PM,Uncategorized,"Martial Arts",50.0,-245.07\n'
        '2026-07-16,,Uncategorized,"Custom Exercise",15.0,-75.00\n'
    )
    prep = prepare(write(tmp_path / "exercises.csv", text), None, ME)
    assert [r["start_local"] for r in rows(prep)] == [
        D(2026, 7, 16, 0, 0, 1),
        D(2026, 7, 16, 18, 30),
    ]


# ---------------------------------------------------------------------------------- Withings

WITHINGS_ACTIVITIES = """\
von,bis,"from (manual)","to (manual)",Timezone,"Activity type",Data,GPS,Modified
2020-01-10T08:44:39+01:00,2020-01-10T08:57:41+01:00,,,Europe/Berlin,Running,"{""calories"":156,""manual_distance"":0,""manual_calories"":0,""hr_average"":172,""distance"":2500}",,2020-01-10T09:00:00+01:00
2020-01-10T08:44:39+01:00,2020-01-10T08:57:41+01:00,,,Europe/Berlin,Multi Sport,{},,2020-01-10T09:00:01+01:00
2020-01-11T12:18:00+01:00,2020-01-11T12:40:00+01:00,,,Europe/Berlin,Walking,"{""calories"":107,""manual_distance"":2000,""manual_calories"":0,""hr_average"":0,""distance"":1918}",,2020-01-11T14:33:20+01:00
2020-01-12T23:30:00+01:00,2020-01-13T00:10:00+01:00,2020-01-12T23:35:00+01:00,,Europe/Berlin,Walking,"{""calories"":50}",,2020-01-13T00:20:00+01:00
2020-01-13T10:00:00+01:00,2020-01-13T10:30:00+01:00,,,Europe/Berlin,Walking,not json,,2020-01-13T10:31:00+01:00
"""


def test_withings_activities_json_blob_wrappers_and_manual_figures(tmp_path):
    prep = prepare(write(tmp_path / "activities.csv", WITHINGS_ACTIVITIES), None, BERLIN)
    assert prep.report.format == "withings_activities"
    assert counts(prep) == (5, 3, 1, 1, 0)  # the Multi Sport wrapper is ignored
    assert reasons(prep) == [(6, "Data 'not json' is not a json object")]
    assert rows(prep) == [
        # 08:44:39 to 08:57:41 is 13 min 2 s; distance in metres
        {"start_local": D(2020, 1, 10, 8, 44, 39), "type": "Running",
         "duration_min": round(13 + 2 / 60, 6), "distance_km": 2.5, "avg_hr": 172.0,
         "kcal": 156.0},
        # hr_average 0 is "not measured"; manual_distance 2000 m wins over 1918 m
        {"start_local": D(2020, 1, 11, 12, 18), "type": "Walking",
         "duration_min": 22.0, "distance_km": 2.0, "avg_hr": None, "kcal": 107.0},
        # the manual start 23:35 wins; the walk ends after midnight
        {"start_local": D(2020, 1, 12, 23, 35), "type": "Walking",
         "duration_min": 35.0, "distance_km": None, "avg_hr": None, "kcal": 50.0},
    ]  # fmt: skip


def test_withings_activities_english_header_and_time_zone(tmp_path):
    english = WITHINGS_ACTIVITIES.replace("von,bis,", "from,to,", 1)
    prep = prepare(write(tmp_path / "activities.csv", english), None, ReadOptions())
    assert prep.report.format == "withings_activities"
    # UTC: 08:44:39+01:00 is 07:44:39
    assert rows(prep)[0]["start_local"] == D(2020, 1, 10, 7, 44, 39)


def test_workout_formats_do_not_claim_each_other():
    from pipeline import sources

    headers = {
        "garmin_activities": GARMIN_MILES,
        "mfp_exercise": MFP_EXERCISE,
        "cronometer_exercises": CRONOMETER_EXERCISES,
        "withings_activities": WITHINGS_ACTIVITIES,
        "withings_sleep": 'von,bis,"leicht (s)","tief (s)","rem (s)","wach (s)",Aufwachen',
    }
    for name, text in headers.items():
        columns = next(csv.reader([text.split("\n", 1)[0]]))
        assert name == sources.detect(columns).NAME


# ---------------------------------------------------------------------------------- real files

# (file, format, read, accepted, quarantined, ignored, duplicate, first date, last date)
REAL = [
    ("garmin/jeremyiwk_garmindata/Activities.csv", "garmin_activities", 144, 144, 0, 0, 0,
     "2021-07-01", "2022-04-18"),
    ("garmin/kostaskes_my-garmin-runs/Activities.csv", "garmin_activities", 1978, 1978, 0, 0,
     0, "2019-01-24", "2025-02-11"),
    # 12 durations cut by the spreadsheet: stored, their duration unknown (test below)
    ("garmin/kari0219_health_stats_excel_resaved/Garmin_2019.csv", "garmin_activities", 580,
     580, 0, 0, 0, "2018-12-25", "2020-05-07"),
    # 170 "Health Connect calorie adjustment" lines ignored; 1,785 lines repeat a line of
    # their day cell for cell (sync copies): stored once
    ("myfitnesspal/marcus-furius_health-intel/Exercise-Summary-2024-07-02-to-2026-03-02.csv",
     "mfp_exercise", 2739, 784, 0, 170, 1785, "2024-07-03", "2026-02-13"),
    ("myfitnesspal/kari0219_health_stats/Exercise-Summary-2019-05-01-to-2019-06-15.csv",
     "mfp_exercise", 69, 69, 0, 0, 0, "2019-05-01", "2019-06-12"),
    # 16 "Multi Sport" wrappers ignored; 2020-01-21 10:52 starts two walks: the later line
    # (10:52-11:45) counts
    ("withings/Handballfreak_WithingsData_german/activities.csv", "withings_activities", 158,
     141, 0, 16, 1, "2019-12-28", "2020-03-21"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("relative", "fmt", "read", "ok", "bad", "ignored", "dup", "first", "last"), REAL
)
def test_real_workout_exports_account_for_every_line(
    relative, fmt, read, ok, bad, ignored, dup, first, last
):
    prep = prepare(real(relative), None, BERLIN)
    assert prep.report.format == fmt
    assert counts(prep) == (read, ok, bad, ignored, dup)
    assert (prep.report.first_date, prep.report.last_date) == (first, last)


def month(prep, prefix: str) -> tuple[int, float, float]:
    m = prep.accepted.filter(pl.col("start_local").dt.strftime("%Y-%m") == prefix)
    return m.height, round(m["duration_min"].sum(), 4), round(m["kcal"].sum(), 4)


def test_real_garmin_months_match_hand_figures():
    # python3 -c "import csv;r=[x for x in csv.DictReader(open('garmin/jeremyiwk_garmindata/
    #   Activities.csv')) if x['Date'].startswith('2022-03')];t=[x['Time'].split(':') for x in r];
    #   print(len(r),round(sum(int(h)*60+int(m)+float(s)/60 for h,m,s in t),4),
    #   sum(int(x['Calories'].replace(',','')) for x in r))"  -> 24 1147.7 12502
    prep = prepare(real("garmin/jeremyiwk_garmindata/Activities.csv"), None, ME)
    assert month(prep, "2022-03") == (24, 1147.7, 12502.0)
    # same command on kostaskes' file for 2024-03 (Calories '--' skipped) -> 45 1603.2 9950
    prep = prepare(real("garmin/kostaskes_my-garmin-runs/Activities.csv"), None, ME)
    assert month(prep, "2024-03") == (45, 1603.2, 9950.0)


def test_real_garmin_spreadsheet_copy():
    # python3 -c "import csv,re;r=[x for x in csv.DictReader(open('garmin/kari0219_health_stats_
    #   excel_resaved/Garmin_2019.csv')) if re.match(r'5/\d+/2019 ',x['Date'])];t=[x['Time'].
    #   split(':') for x in r if re.fullmatch(r'\d+:\d\d:\d\d',x['Time'])];print(len(r),len(t),
    #   round(sum(int(h)*60+int(m)+float(s)/60 for h,m,s in t),4),sum(int(x['Calories'].
    #   replace(',','')) for x in r if x['Calories']!='--'))"  -> 52 51 2299.0333 16539
    prep = prepare(real("garmin/kari0219_health_stats_excel_resaved/Garmin_2019.csv"), None, ME)
    assert month(prep, "2019-05") == (52, 2299.0333, 16539.0)
    assert (
        prep.warnings[0]
        .split(": ", 1)[1]
        .startswith(
            "this file was re-saved by a spreadsheet (dates like 5/7/2020 9:13): start times were "
            "read as month/day/year, to the minute (the seconds are lost); 12 duration(s)"
        )
    )
    # the 12 Time cells shaped mm:ss.s (grep -n ',[0-9][0-9]:[0-9][0-9]\.[0-9],' finds them)
    records = reasons(prep)
    assert [line for line, _ in records] == [
        40,
        142,
        183,
        342,
        408,
        472,
        517,
        520,
        550,
        578,
        580,
        581,
    ]
    assert records[-2] == (580, CUT)
    unknown = prep.accepted.filter(pl.col("duration_min").is_null())
    assert unknown.height == 12


def test_real_mfp_exercise_months_match_hand_figures():
    # python3 -c "import csv;r=[x for x in csv.DictReader(open('myfitnesspal/marcus-furius_
    #   health-intel/Exercise-Summary-2024-07-02-to-2026-03-02.csv',newline='')) if x['Date'].
    #   startswith('2025-05') and not x['Exercise'].endswith('calorie adjustment')];u={tuple(
    #   x.values()):x for x in r}.values();print(len(r),len(u),sum(float(x['Exercise Minutes'])
    #   for x in u),round(sum(float(x['Exercise Calories']) for x in u),1))"
    #   -> 618 97 4333.0 20630.0  (618 lines, 97 distinct)
    prep = prepare(
        real(
            "myfitnesspal/marcus-furius_health-intel/Exercise-Summary-2024-07-02-to-2026-03-02.csv"
        ),
        None,
        ME,
    )
    assert month(prep, "2025-05") == (97, 4333.0, 20630.0)
    # python3 -c "import csv;r=[x for x in csv.DictReader(open('myfitnesspal/kari0219_health_
    #   stats/Exercise-Summary-2019-05-01-to-2019-06-15.csv',encoding='utf-8-sig')) if x['Date'].
    #   startswith('2019-05')];print(len(r),sum(float(x['Exercise Minutes']) for x in r),
    #   round(sum(float(x['Exercise Calories']) for x in r),1))"  -> 52 2303.0 16539.0
    prep = prepare(
        real("myfitnesspal/kari0219_health_stats/Exercise-Summary-2019-05-01-to-2019-06-15.csv"),
        None,
        ME,
    )
    assert month(prep, "2019-05") == (52, 2303.0, 16539.0)


def test_real_withings_month_matches_hand_figures():
    # python3 -c "import csv,json,datetime as d;a=list(csv.DictReader(open('withings/
    #   Handballfreak_WithingsData_german/activities.csv')));w=[x for x in a if not(x['Data']==
    #   '{}' and any(y is not x and y['Data']!='{}' and (y['von'],y['bis'])==(x['von'],x['bis'])
    #   for y in a))];k={x['von']:x for x in w if x['von'].startswith('2020-01')}.values();j=[
    #   json.loads(x['Data']) for x in k];print(len(k),sum((d.datetime.fromisoformat(x['bis'])-
    #   d.datetime.fromisoformat(x['von'])).total_seconds() for x in k)/60,sum(v.get('calories',
    #   0) for v in j))"  -> 63 1409.0833333333333 7197
    prep = prepare(real("withings/Handballfreak_WithingsData_german/activities.csv"), None, BERLIN)
    assert month(prep, "2020-01") == (63, 1409.0833, 7197.0)
