"""Apple Health `export.xml` (Health app > profile > Export All Health Data), read as a stream.

Real exports are 1-5 GB, so the file is never held: lxml's `iterparse` reads it element by
element, each element is cleared once read, and the few attributes spectrum needs are kept in
Python lists only until 50,000 records are collected; then they become one typed polars chunk
(categorical type and source, datetimes, float values: about 35 bytes a record). Everything
after the XML loop is vectorised.

What a "record" (a row of the file's counts) is: every element directly inside `<HealthData>`
except `<ExportDate>` and `<Me>`: `<Record>`, `<Workout>`, and the kinds spectrum does not read
(`<ActivitySummary>`, `<Correlation>`, `<ClinicalRecord>`, `<Audiogram>`, ...), which are
ignored (counted). The `<Record>`s inside a `<Correlation>` (blood pressure, food) are copies
of records that also appear on their own (Apple's DTD says so), so they are not counted twice.
For the file, records read = records behind stored rows (`_n`) + quarantined + ignored +
exact duplicates.

What is read (HealthKit identifier -> table):

- StepCount, DistanceWalkingRunning (km, mi, m), ActiveEnergyBurned (kcal, kJ),
  AppleExerciseTime (minutes, stored as moderate minutes) -> activity_daily. A record belongs
  to the local date of its start (a sample across midnight is not split: samples are minutes
  long, so this moves at most a few steps). The iPhone and the Watch count the same steps, so
  each day uses ONE device, never the sum (METRICS.md). Which one: without a config
  `device_priority`, the device with the most steps that day (a tie: the first by source
  name); with one (e.g. ["Watch", "iPhone"]), the device that matches its earliest entry
  (`device_rank`: part of the source name or of the device's name or model, any case),
  devices that match no entry after all that do, and among equals the most steps, then the
  name. Each measure comes from the first device in that order that has that measure that
  day: the winner wherever it has data. The other devices' records that day are set aside
  (counted in the day's `_n` and said in `stored_as`). `wear_min` is left unknown: the
  report derives wear from the heart-rate hours.
- HeartRate -> heart_rate: the mean of the samples in each local minute, with their count.
  A sample outside 25-250 bpm is quarantined by itself before averaging.
- SleepAnalysis -> sleep. A source's samples (in bed, asleep, core, deep, REM, awake) less
  than 90 minutes apart form one sleep; it belongs to the local date it ends. Per date, one
  source: the one with the most minutes asleep that date (METRICS.md), so apps that record the
  same night (Watch, AutoSleep) are never summed (a tie: `device_priority`, then the name).
  Minutes asleep: the union of its asleep intervals; minutes in bed: the union of all its
  intervals (in bed, asleep, awake).
- BodyMass (kg, lb, st, g), WaistCircumference (cm, in, m, mm), BodyFatPercentage -> body,
  one row per moment. HealthKit writes fat as a fraction (0.25 = 25%): a value up to 1 is a
  fraction, a larger one (a hand-edited export) is read as percent. Where two apps write the
  same moment (here, and in glucose and workouts), each measure comes from the app first by
  `device_priority`, then by name.
- DietaryEnergyConsumed, DietaryCarbohydrates, DietaryFiber, DietarySugar, DietaryProtein,
  DietaryFatTotal -> food_items: the records one app wrote for one moment form one entry
  (meal and food name unknown); its id is the time and the app, stable across exports. An
  entry with more fibre or sugars than carbohydrate beyond app rounding is stored with its
  carbohydrate figures unknown and its energy counted; the quarantine keeps a record of it
  (`Streamed.nulled`, check `carbs_set_unknown`), as for the food apps' own CSV files.
- BloodGlucose (mg/dL, or mmol<180.15588...>/L converted with the factor the unit carries)
  -> glucose; `kind` "sensor" for the apps of continuous monitors (Dexcom, Libre, ...),
  otherwise unknown.
- Workout -> workouts: type (workoutActivityType without its prefix), duration, distance,
  energy and average heart rate, from its attributes or from its WorkoutStatistics.

Timestamps carry the offset of where the phone was (`2025-05-18 12:30:00 +0100`): they become
wall time in the person's time zone (`ReadOptions.time_zone`).

Exact duplicates (the same type, source, start, end and value) count once. A record whose
value, unit or date does not parse is quarantined with its line.

Safety: the export's inline DTD is dropped before parsing (its lines are kept as empty lines,
so line numbers do not move): Apple's own DTD is not needed (it declares no defaults), some
iOS 16 exports carry a broken one, and an export from someone else could declare a "billion
laughs" or an external entity there; libxml2 expands entities inside attribute values even
with `resolve_entities=False`, so without a DTD an entity is an error, never expanded. The
parser also runs with `no_network` and `load_dtd=False`. Control characters that some iOS
versions write into names (a vertical tab) are read as spaces, with a warning.

A damaged file (cut off, or broken by hand at some line): the records before the damage are
read and stored; every record from there on is quarantined by its line (check
`xml_damaged`), with a warning that says where the damage is. So every record is still
accounted for, and a 4 GB export cut at the end keeps what it holds.

This module is the source's interface; the work is in `_apple_xml` (the XML loop, the DTD,
damage), `_apple_records` (the kinds read, units, the texts -> typed records) and
`_apple_tables` (the typed records -> each table).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import BinaryIO

import polars as pl

from pipeline.sources._apple_tables import build, ranked
from pipeline.sources._apple_xml import Reader, parse, plural, unique_records
from pipeline.sources._csv import LINE
from pipeline.sources._parse import ReadOptions, Streamed

NAME = "apple_health"
TABLE = "activity_daily"  # its main table; it also feeds heart_rate, sleep, body, ...
TITLE = "Apple Health (export.xml from export.zip)"
HOW_TO_EXPORT = (
    "iPhone Health app: your picture (top right) > Export All Health Data > Export; send "
    "export.zip to your computer (ingest reads the zip, or its apple_health_export/export.xml)."
)
STREAM = True  # read as a stream by pipeline/nontext.py
EXTRA_TABLES = ("heart_rate", "sleep", "body", "food_items", "glucose", "workouts")
REQUIRED: set[str] = set()

HEAD_BYTES = 1 << 16
# the device's own names in its `device` text: "<<HKDevice: 0x...>, name:Apple Watch,
# manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.0>"
DEVICE_NAMES = re.compile(r"\b(?:name|model):([^,>]*)")


def device_rank(
    source_name: str | None, device: str | None = None, priority: tuple[str, ...] = ()
) -> int:
    """A source's place in the device priority (lower wins a day; METRICS.md): the index of
    the first entry of `priority` (config `device_priority`, e.g. ("Watch", "iPhone")) found,
    in any case, in the source name or in the `name:` or `model:` of its `device` text;
    `len(priority)` when none is.

    Names are the user's own ("Anna's Apple Watch", "iPhone de Anna"), hence the parts. With
    no priority every source ranks 0, so the day goes to the device with the most steps; with
    one, devices of the same rank (matching the same entry, or none) are ordered by their
    steps that day too, then by name.
    """
    texts = [source_name or "", *DEVICE_NAMES.findall(device or "")]
    texts = [t.lower() for t in texts]
    for i, part in enumerate(priority):
        wanted = part.strip().lower()
        if wanted and any(wanted in t for t in texts):
            return i
    return len(priority)


def detect(columns: list[str]) -> bool:
    return False  # never a CSV: recognised by `sniff`


def sniff(head: bytes, name: str) -> bool:
    """An Apple Health export: its `HealthData` root (or DOCTYPE) in the first 64 KiB,
    whatever the file is called."""
    head = head[:HEAD_BYTES]
    return b"<HealthData" in head or b"<!DOCTYPE HealthData" in head


def read_stream(stream: BinaryIO, path: Path, opts: ReadOptions) -> Streamed:
    """Read an export.xml from `stream` (see the module docstring for what becomes what)."""
    reader = Reader(opts)
    parse(stream, path, reader)
    rank_of = partial(device_rank, priority=opts.device_priority)
    records, duplicate = unique_records(reader)
    rec = ranked(records, reader.devices, rank_of).with_columns(pl.col(LINE).cast(pl.Int64))
    del records
    built = build(rec, reader, rank_of, NAME)
    del rec
    failures = pl.concat([*reader.failures, built.failures], how="vertical").sort(LINE)
    return Streamed(
        rows_read=reader.rows_read,
        tables=built.tables,
        failures=failures,
        ignored=reader.ignored,
        duplicate=duplicate,
        warnings=tuple([*reader.warnings, *built.warnings]),
        stored_as=_stored_as(built.tables, built.aside),
        nulled=built.nulled,
        describe=partial(_stored_as, aside=built.aside),
    )


STORED = (
    ("activity_daily", "daily row", "daily rows"),
    ("heart_rate", "heart-rate minute", "heart-rate minutes"),
    ("sleep", "sleep", "sleeps"),
    ("body", "body measurement", "body measurements"),
    ("food_items", "food entry", "food entries"),
    ("glucose", "glucose reading", "glucose readings"),
    ("workouts", "workout", "workouts"),
)


def _stored_as(tables: dict[str, pl.DataFrame], aside: int) -> str:
    """ "12 daily rows, 3,410 heart-rate minutes, ..." (tables with rows only)."""
    stored = [plural(tables[t].height, one, many) for t, one, many in STORED if t in tables]
    text = ", ".join(s for s in stored if not s.startswith("0 "))
    if aside:
        aside_text = plural(aside, "activity record", "activity records")
        text += f" ({aside_text} of lower-priority devices on the same days set aside)"
    return text
