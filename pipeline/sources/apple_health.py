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
  each day uses ONE device, never the sum: the device ranked first by `device_rank` (Watch,
  then iPhone, then other apps; ties: the one with more steps that day, then by name). Each
  measure comes from the best-ranked device that has that measure that day: the same device
  wherever it has data. The other devices' records that day are set aside (counted in the
  day's `_n` and said in `stored_as`). `wear_min` is left unknown: the report derives wear
  from the heart-rate hours.
- HeartRate -> heart_rate: the mean of the samples in each local minute, with their count.
  A sample outside 25-250 bpm is quarantined by itself before averaging.
- SleepAnalysis -> sleep. A source's samples (in bed, asleep, core, deep, REM, awake) less
  than 90 minutes apart form one sleep; it belongs to the local date it ends. Per date, one
  source: the one with the most minutes asleep that date (METRICS.md), so apps that record the
  same night (Watch, AutoSleep) are never summed. Minutes asleep: the union of its asleep
  intervals; minutes in bed: the union of all its intervals (in bed, asleep, awake).
- BodyMass (kg, lb, st, g), WaistCircumference (cm, in, m, mm), BodyFatPercentage -> body,
  one row per moment. HealthKit writes fat as a fraction (0.25 = 25%): a value up to 1 is a
  fraction, a larger one (a hand-edited export) is read as percent.
- DietaryEnergyConsumed, DietaryCarbohydrates, DietaryFiber, DietarySugar, DietaryProtein,
  DietaryFatTotal -> food_items: the records one app wrote for one moment form one entry
  (meal and food name unknown); its id is the time and the app, stable across exports.
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
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl
from lxml import etree

import schemas
from pipeline.sources._csv import FAILURE_SCHEMA, LINE, ROW
from pipeline.sources._food import carbohydrate_checked
from pipeline.sources._parse import ReadOptions, Streamed, offset_datetime
from schemas.heart_rate import BPM_MAX, BPM_MIN

NAME = "apple_health"
TABLE = "activity_daily"  # its main table; it also feeds heart_rate, sleep, body, ...
TITLE = "Apple Health (export.xml from export.zip)"
HOW_TO_EXPORT = (
    "iPhone Health app: your picture (top right) > Export All Health Data > Export; send "
    "export.zip to your computer (ingest reads the zip, or its apple_health_export/export.xml)."
)
STREAM = True  # read as a stream by pipeline/nontext.py
REQUIRED: set[str] = set()

CHUNK_RECORDS = 50_000
HEAD_BYTES = 1 << 16
N = "_n"

_HK = "HKQuantityTypeIdentifier"
# kind codes: index in KINDS
KINDS = (
    "steps",
    "distance_km",
    "active_kcal",
    "moderate_min",
    "bpm",
    "sleep",
    "weight_kg",
    "waist_cm",
    "fat_pct",
    "mg_dl",
    "kcal",
    "carbs_g",
    "fiber_g",
    "sugars_g",
    "protein_g",
    "fat_g",
)
K = {name: code for code, name in enumerate(KINDS)}
ACTIVITY = ("steps", "distance_km", "active_kcal", "moderate_min")
BODY = ("weight_kg", "waist_cm", "fat_pct")
FOOD = ("kcal", "carbs_g", "fiber_g", "sugars_g", "protein_g", "fat_g")
WANTED = {
    _HK + "StepCount": K["steps"],
    _HK + "DistanceWalkingRunning": K["distance_km"],
    _HK + "ActiveEnergyBurned": K["active_kcal"],
    _HK + "AppleExerciseTime": K["moderate_min"],
    _HK + "HeartRate": K["bpm"],
    "HKCategoryTypeIdentifierSleepAnalysis": K["sleep"],
    _HK + "BodyMass": K["weight_kg"],
    _HK + "WaistCircumference": K["waist_cm"],
    _HK + "BodyFatPercentage": K["fat_pct"],
    _HK + "BloodGlucose": K["mg_dl"],
    _HK + "DietaryEnergyConsumed": K["kcal"],
    _HK + "DietaryCarbohydrates": K["carbs_g"],
    _HK + "DietaryFiber": K["fiber_g"],
    _HK + "DietarySugar": K["sugars_g"],
    _HK + "DietaryProtein": K["protein_g"],
    _HK + "DietaryFatTotal": K["fat_g"],
}
KCAL = {"kcal": 1.0, "Cal": 1.0, "kJ": 1 / 4.184}
GRAMS = {"g": 1.0, "mg": 0.001, "kg": 1000.0}
KM = {"km": 1.0, "m": 0.001, "mi": 1.609344, "yd": 0.0009144, "ft": 0.0003048}
# kind -> unit -> factor to the canonical unit (glucose in mmol is handled by its unit text)
UNITS: dict[str, dict[str, float]] = {
    "steps": {"count": 1.0},
    "distance_km": KM,
    "active_kcal": KCAL,
    "moderate_min": {"min": 1.0, "s": 1 / 60, "hr": 60.0},
    "bpm": {"count/min": 1.0, "count/s": 60.0},
    "weight_kg": {"kg": 1.0, "lb": 0.45359237, "st": 6.35029318, "g": 0.001},
    "waist_cm": {"cm": 1.0, "in": 2.54, "m": 100.0, "mm": 0.1, "ft": 30.48},
    "fat_pct": {"%": 1.0},
    "mg_dl": {"mg/dL": 1.0},
    "kcal": KCAL,
    **{kind: GRAMS for kind in FOOD[1:]},
}
MMOL = re.compile(r"^mmol<([0-9.]+)>/L$")
# HKCategoryValueSleepAnalysis... -> 0 in bed, 1 asleep, 2 awake
_SLEEP = "HKCategoryValueSleepAnalysis"
SLEEP_VALUES = {
    _SLEEP + "InBed": 0,
    _SLEEP + "Asleep": 1,
    _SLEEP + "AsleepUnspecified": 1,
    _SLEEP + "AsleepCore": 1,
    _SLEEP + "AsleepDeep": 1,
    _SLEEP + "AsleepREM": 1,
    _SLEEP + "Awake": 2,
}
IN_BED, ASLEEP, AWAKE = 0, 1, 2
SLEEP_GAP_MIN = 90  # samples of one source less than this apart are one sleep
CGM = re.compile(r"(?i)dexcom|libre|eversense|guardian|medtronic|stelo|lingo|sibionics")
# top-level elements that are records of the file (ExportDate and Me are not)
TOP = ("Record", "Workout", "Correlation", "ActivitySummary", "ClinicalRecord", "Audiogram")
TOP += ("VisionPrescription",)
START_TAG = re.compile(rb"<(" + b"|".join(t.encode() for t in TOP) + rb")[\s/>]")
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_TO_SPACE = bytes.maketrans(
    bytes([*range(0, 9), 11, 12, *range(14, 32)]), b" " * (9 + 2 + 18)
)
WORKOUT_PREFIX = "HKWorkoutActivityType"


def device_rank(source_name: str | None, device: str | None = None) -> int:
    """The default device priority for days recorded by several devices (lower is better):
    0 an Apple Watch, 1 an iPhone, 2 any other app or device.

    A source is a Watch when its name or its `device` text (`model:Watch`) says "Watch", an
    iPhone when either says "iPhone" (names are the user's own: "Anna's Apple Watch",
    "iPhone de Anna"). Phone and watch count the same steps; the watch is worn more of the
    day and counts fewer false steps, so it comes first. A config `source_priority` can later
    replace this function's order.
    """
    text = f"{source_name or ''} {device or ''}".lower()
    if "watch" in text:
        return 0
    if "iphone" in text:
        return 1
    return 2


def detect(columns: list[str]) -> bool:
    return False  # never a CSV: recognised by `sniff`


def sniff(head: bytes, name: str) -> bool:
    """An Apple Health export: its `HealthData` root (or DOCTYPE) in the first 64 KiB,
    whatever the file is called."""
    head = head[:HEAD_BYTES]
    return b"<HealthData" in head or b"<!DOCTYPE HealthData" in head


# ---------------------------------------------------------------------------------------------
# The byte stream lxml reads: DTD dropped, control characters blanked, recent text kept


class _Cleaned:
    """The export's bytes as lxml reads them: the DOCTYPE (and its inline DTD) replaced by as
    many newlines as it spanned, control characters replaced by spaces. Keeps the last few
    chunks it handed out, so the text after a parse error can be scanned (`rest`)."""

    KEEP = 128  # chunks kept: lxml reads 32 KiB at a time, so about 4 MiB

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.started = False
        self.control = 0  # control characters replaced
        self.lines = 1  # the line the next handed-out byte is on
        self.recent: deque[tuple[int, bytes]] = deque(maxlen=self.KEEP)

    def _head(self, size: int) -> bytes:
        head = b""
        while len(head) < (4 << 20):
            more = self.raw.read(1 << 16)
            if not more:
                break
            head += more
            if b"<HealthData" in head:
                break
        start = head.find(b"<!DOCTYPE")
        if start == -1:
            return head
        bracket, close = head.find(b"[", start), head.find(b">", start)
        if bracket != -1 and (close == -1 or bracket < close):
            end = head.find(b"]>", bracket)
            end = -1 if end == -1 else end + 2
        else:
            end = -1 if close == -1 else close + 1
        if end == -1:
            return head  # no end in sight: left as it is (lxml's options still apply)
        return head[:start] + b"\n" * head.count(b"\n", start, end) + head[end:]

    def read(self, size: int = -1) -> bytes:
        if not self.started:
            self.started = True
            data = self._head(size)
        else:
            data = self.raw.read(size if size and size > 0 else 1 << 16)
        if CONTROL.search(data):
            self.control += len(CONTROL.findall(data))
            data = data.translate(CONTROL_TO_SPACE)
        self.recent.append((self.lines, data))
        self.lines += data.count(b"\n")
        return data

    def rest(self, from_line: int):
        """(line number, line) of the text from `from_line` to the end of the file."""
        kept = list(self.recent)
        # the last chunk starting before `from_line` holds the newline that starts it
        first = next((i for i, (line, _) in enumerate(kept) if line >= from_line), len(kept))
        first = max(first - 1, 0)
        line = kept[first][0] if kept else self.lines
        text = b"".join(chunk for _, chunk in kept[first:])
        while True:
            *whole, text = text.split(b"\n")
            for piece in whole:
                if line >= from_line:
                    yield line, piece
                line += 1
            more = self.raw.read(1 << 20)
            if not more:
                break
            text += more.translate(CONTROL_TO_SPACE)
        if text and line >= from_line:
            yield line, text


# ---------------------------------------------------------------------------------------------
# Reading: the XML loop, and the chunks of typed records it makes


@dataclass
class _Reader:
    opts: ReadOptions
    rows_read: int = 0
    ignored: int = 0
    ignored_kinds: Counter = field(default_factory=Counter)
    devices: dict[str, str | None] = field(default_factory=dict)
    chunks: list[pl.DataFrame] = field(default_factory=list)
    failures: list[pl.DataFrame] = field(default_factory=list)
    workouts: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._new_lists()

    def _new_lists(self) -> None:
        self.codes: list[int] = []
        self.srcs: list[str | None] = []
        self.units: list[str | None] = []
        self.values: list[str | None] = []
        self.starts: list[str | None] = []
        self.ends: list[str | None] = []
        self.lines: list[int] = []

    def flush(self) -> None:
        if self.codes:
            self.chunks.append(self._typed())
        self._new_lists()

    def _typed(self) -> pl.DataFrame:
        """One chunk's attribute texts -> typed records; those that do not parse -> failures."""
        raw = pl.DataFrame(
            {
                "code": self.codes,
                "source": self.srcs,
                "unit": self.units,
                "value": self.values,
                "startDate": self.starts,
                "endDate": self.ends,
                LINE: self.lines,
            },
            schema={
                "code": pl.UInt8,
                "source": pl.String,
                "unit": pl.String,
                "value": pl.String,
                "startDate": pl.String,
                "endDate": pl.String,
                LINE: pl.Int64,
            },
        )
        return self._checked(raw)

    def _checked(self, raw: pl.DataFrame) -> pl.DataFrame:
        tz = self.opts.time_zone
        code, unit, text = pl.col("code"), pl.col("unit"), pl.col("value")
        factors = pl.DataFrame(
            [(K[kind], u, f) for kind, units in UNITS.items() for u, f in units.items()],
            schema={"code": pl.UInt8, "unit": pl.String, "factor": pl.Float64},
            orient="row",
        )
        mmol = unit.str.extract(MMOL.pattern, 1).cast(pl.Float64, strict=False) / 10
        sleep_value = text.replace_strict(SLEEP_VALUES, default=None, return_dtype=pl.Float64)
        number = text.str.strip_chars().cast(pl.Float64, strict=False)
        number = pl.when(number.is_finite()).then(number)
        is_sleep = code == K["sleep"]
        frame = (
            raw.join(factors, on=["code", "unit"], how="left")
            .with_columns(
                factor=pl.when(is_sleep)
                .then(1.0)
                .when(code == K["mg_dl"])
                .then(pl.coalesce("factor", mmol))
                .otherwise("factor"),
                number=pl.when(is_sleep).then(sleep_value).otherwise(number),
                start=offset_datetime(pl.col("startDate"), tz),
                end=offset_datetime(pl.col("endDate"), tz),
            )
            .with_columns(
                canonical=pl.when(code == K["fat_pct"])
                .then(pl.when(pl.col("number") <= 1).then(100.0).otherwise(1.0))
                .otherwise(pl.col("factor"))
                * pl.col("number")
            )
        )
        is_hr = code == K["bpm"]
        checks = [
            ("value", "is_known_sleep_value", is_sleep & text.is_not_null()),
            ("value", "parses_as_number", ~is_sleep & text.is_not_null()),
            ("unit", "is_known_unit", pl.lit(True)),
            ("startDate", "parses_as_offset_datetime", pl.lit(True)),
            ("endDate", "parses_as_offset_datetime", pl.lit(True)),
        ]
        bad = [
            (col, check, when & pl.col(target).is_null())
            for (col, check, when), target in zip(
                checks, ("number", "number", "factor", "start", "end"), strict=True
            )
        ]
        # missing value: quantity records need one
        bad.append(("value", "is_present", text.is_null()))
        bad.append(("value", "greater_than_or_equal_to(0)", ~is_sleep & (pl.col("number") < 0)))
        # heart rate: a glitch is quarantined before it is averaged into a minute
        bad.append(
            (
                "value",
                f"greater_than_or_equal_to({BPM_MIN})",
                is_hr & (pl.col("canonical") < BPM_MIN),
            )
        )
        bad.append(
            ("value", f"less_than_or_equal_to({BPM_MAX})", is_hr & (pl.col("canonical") > BPM_MAX))
        )
        flags = frame.select(
            LINE, *[m.fill_null(False).alias(f"_bad{i}") for i, (_, _, m) in enumerate(bad)]
        )
        for i, (col, check, _) in enumerate(bad):
            hit = flags[f"_bad{i}"]
            if hit.any():
                self.failures.append(
                    frame.filter(hit).select(
                        pl.col(LINE),
                        column=pl.lit(col),
                        check=pl.lit(check),
                        value=pl.col(col).fill_null(""),
                    )
                )
        any_bad = pl.any_horizontal(pl.col(f"_bad{i}") for i in range(len(bad)))
        ok = flags.select(~any_bad)[:, 0]
        return frame.filter(ok).select(
            "code",
            pl.col("source").cast(pl.Categorical),
            "start",
            "end",
            value=pl.col("canonical"),
            _line=pl.col(LINE).cast(pl.Int32),
        )

    def workout(self, elem, line: int) -> None:
        get = elem.get
        row = {
            LINE: line,
            "source": get("sourceName"),
            "type": get("workoutActivityType"),
            "duration": get("duration"),
            "durationUnit": get("durationUnit"),
            "distance": get("totalDistance"),
            "distanceUnit": get("totalDistanceUnit"),
            "energy": get("totalEnergyBurned"),
            "energyUnit": get("totalEnergyBurnedUnit"),
            "avg_hr": None,
            "startDate": get("startDate"),
            "endDate": get("endDate"),
        }
        # iOS 16+ writes the totals as WorkoutStatistics children instead of attributes
        for stat in elem.iterchildren("WorkoutStatistics"):
            kind = stat.get("type") or ""
            if kind.endswith("HeartRate"):
                row["avg_hr"] = stat.get("average")
            elif kind.endswith("ActiveEnergyBurned") and row["energy"] is None:
                row["energy"], row["energyUnit"] = stat.get("sum"), stat.get("unit")
            elif kind.startswith(_HK + "Distance") and row["distance"] is None:
                row["distance"], row["distanceUnit"] = stat.get("sum"), stat.get("unit")
        self.workouts.append(row)


def _last_line(elem) -> int:
    return max((e.sourceline or 0) for e in elem.iter())


def _parse(stream: BinaryIO, path: Path, reader: _Reader) -> None:
    """The XML loop: attribute reads and list appends only."""
    cleaned = _Cleaned(stream)
    etree.clear_error_log()  # the log is per thread: a damage report names this file's error
    context = etree.iterparse(
        cleaned,
        events=("end",),
        tag=TOP,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )
    root = None
    resume = 1  # the line after the last record read whole
    codes, srcs, units, values = reader.codes, reader.srcs, reader.units, reader.values
    starts, ends, lines = reader.starts, reader.ends, reader.lines
    devices, wanted = reader.devices, WANTED
    try:
        for _, elem in context:
            parent = elem.getparent()
            if parent is not root:
                if root is not None or parent is None or parent.getparent() is not None:
                    continue  # a record inside a Correlation: it is also at the top level
                root = parent
            line = elem.sourceline
            reader.rows_read += 1
            if elem.tag == "Record":
                kind = elem.get("type")
                code = wanted.get(kind)
                if code is None:
                    reader.ignored += 1
                    reader.ignored_kinds[kind] += 1
                else:
                    src = elem.get("sourceName")
                    codes.append(code)
                    srcs.append(src)
                    units.append(elem.get("unit"))
                    values.append(elem.get("value"))
                    starts.append(elem.get("startDate"))
                    ends.append(elem.get("endDate"))
                    lines.append(line)
                    if src not in devices:
                        devices[src] = elem.get("device")
                    if len(codes) >= CHUNK_RECORDS:
                        reader.flush()
                        codes, srcs, units, values = (
                            reader.codes,
                            reader.srcs,
                            reader.units,
                            reader.values,
                        )
                        starts, ends, lines = reader.starts, reader.ends, reader.lines
                resume = line + 1
            else:
                if elem.tag == "Workout":
                    reader.workout(elem, line)
                else:
                    reader.ignored += 1
                    reader.ignored_kinds[elem.tag] += 1
                resume = _last_line(elem) + 1
            elem.clear(keep_tail=False)
            while elem.getprevious() is not None:
                del root[0]
    except etree.XMLSyntaxError as exc:
        _damaged(cleaned, path, reader, exc, resume)
    reader.flush()
    if cleaned.control:
        reader.warnings.append(
            f"{cleaned.control:,} control character(s) (written by some iOS versions into "
            "names) were read as spaces"
        )


def _damaged(cleaned: _Cleaned, path: Path, reader: _Reader, exc, resume: int) -> None:
    """Quarantine every record from the damage on, one per line that starts one."""
    fatal = exc.error_log.filter_from_fatals()
    at, message = (fatal[-1].line, fatal[-1].message) if fatal else (exc.lineno, str(exc))
    found, depth = [], 0
    for line, text in cleaned.rest(resume):
        opened = False
        for m in START_TAG.finditer(text):
            if m.group(1) == b"Correlation":
                if depth == 0:
                    opened = True
                depth += 0 if text.rstrip().endswith(b"/>") else 1
            elif depth == 0:
                opened = True
        if b"</Correlation>" in text:
            depth = max(depth - 1, 0)
        if opened:
            found.append((line, text.strip()[:200].decode("utf-8", "replace")))
    reader.rows_read += len(found)
    if found:
        lines, texts = zip(*found, strict=True)
        reader.failures.append(
            pl.DataFrame(
                {LINE: list(lines), "column": ROW, "check": "xml_damaged", "value": list(texts)},
                schema=FAILURE_SCHEMA,
            )
        )
    reader.warnings.append(
        f"the file is damaged: its XML breaks at line {at:,} ({message}); the records before "
        f"line {resume:,} were read, the {_plural(len(found), 'record', 'records')} from there "
        "on were not and are quarantined; export it again from the Health app to read them"
    )


# ---------------------------------------------------------------------------------------------
# From typed records to the canonical tables (all vectorised)


def _ranks(records: pl.DataFrame, devices: dict[str, str | None]) -> pl.DataFrame:
    names = records["source"].cast(pl.String).unique().drop_nulls().to_list()
    return pl.DataFrame(
        {"source": names, "rank": [device_rank(n, devices.get(n)) for n in names]},
        schema={"source": pl.String, "rank": pl.Int32},
    ).with_columns(pl.col("source").cast(pl.Categorical))


def _empty(table: str) -> pl.DataFrame:
    model = schemas.model(table).to_schema()
    schema = {c: col.dtype.type for c, col in model.columns.items() if c != "file_id"}
    return pl.DataFrame(schema={**schema, LINE: pl.Int64, N: pl.Int64})


def _finish(table: str, frame: pl.DataFrame, person: str) -> pl.DataFrame:
    """The table's canonical columns (file_id is ingest's), `_line` and `_n`, typed."""
    empty = _empty(table)
    frame = frame.with_columns(person=pl.lit(person), source=pl.lit(NAME))
    cols = [
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
        for c, t in empty.schema.items()
    ]
    return frame.select(cols)


def _activity(rec: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """One row per local day from the day's best-ranked device (see the module docstring);
    (rows, records of other devices set aside)."""
    kinds = [K[k] for k in ACTIVITY]
    acts = rec.filter(pl.col("code").is_in(kinds)).with_columns(date=pl.col("start").dt.date())
    if acts.is_empty():
        return acts, 0
    per = acts.group_by("date", "source", "code").agg(
        total=pl.col("value").sum(), n=pl.len(), rank=pl.col("rank").first()
    )
    steps = (
        per.filter(pl.col("code") == K["steps"])
        .select("date", "source", day_steps="total")
        .unique(["date", "source"])
    )
    order = (
        per.select("date", "source", "rank")
        .unique()
        .join(steps, on=["date", "source"], how="left")
        .with_columns(day_steps=pl.col("day_steps").fill_null(0))
        .sort(
            "date",
            "rank",
            pl.col("day_steps"),
            pl.col("source").cast(pl.String),
            descending=[False, False, True, False],
        )
        .with_columns(order=pl.int_range(pl.len()).over("date"))
        .select("date", "source", "order")
    )
    chosen = (
        per.join(order, on=["date", "source"])
        .sort("order")
        .group_by("date", "code", maintain_order=True)
        .first()
    )
    days = acts.group_by("date").agg(pl.col(LINE).min(), pl.len().alias(N))
    wide = chosen.pivot("code", index="date", values="total")
    names = {str(K[k]): k for k in ACTIVITY}
    wide = wide.rename({c: names[c] for c in wide.columns if c in names})
    out = days.join(wide, on="date", how="left").with_columns(
        [pl.col(k).round(0).cast(pl.Int64) for k in ("steps", "moderate_min") if k in wide.columns]
    )
    aside = acts.height - int(chosen["n"].sum() or 0)
    return out.sort("date"), aside


def _heart_rate(rec: pl.DataFrame) -> pl.DataFrame:
    hr = rec.filter(pl.col("code") == K["bpm"])
    return (
        hr.group_by(ts_local=pl.col("start").dt.truncate("1m"))
        .agg(
            bpm=pl.col("value").mean(),
            samples=pl.len(),
            _line=pl.col(LINE).min(),
            _n=pl.len(),
        )
        .sort("ts_local")
    )


def _union(frame: pl.DataFrame, keys: list[str], gap_min: int = 0) -> pl.DataFrame:
    """Intervals (start, end) per `keys` -> merged pieces: (keys, piece, start, end).
    Intervals less than `gap_min` minutes apart join into one piece."""
    gap = pl.duration(minutes=gap_min)
    return (
        frame.sort([*keys, "start"])
        .with_columns(reach=pl.col("end").cum_max().shift(1).over(keys))
        .with_columns(
            piece=(pl.col("reach").is_null() | (pl.col("start") > pl.col("reach") + gap))
            .cum_sum()
            .over(keys)
        )
    )


def _minutes(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    pieces = (
        _union(frame, keys).group_by(*keys, "piece").agg(pl.col("start").min(), pl.col("end").max())
    )
    return pieces.group_by(keys).agg(
        ((pl.col("end") - pl.col("start")).dt.total_seconds().sum() / 60).alias("minutes")
    )


def _sleep(rec: pl.DataFrame) -> pl.DataFrame:
    """One row per sleep of the chosen source of each date (see the module docstring)."""
    s = rec.filter(pl.col("code") == K["sleep"]).with_columns(end=pl.max_horizontal("start", "end"))
    if s.is_empty():
        return s
    s = _union(s, ["source"], SLEEP_GAP_MIN).rename({"piece": "sleep"}).drop("reach")
    keys = ["source", "sleep"]
    spans = (
        s.group_by(keys)
        .agg(
            start_local=pl.col("start").min(),
            end_local=pl.col("end").max(),
            _line=pl.col(LINE).min(),
            _n=pl.len(),
            rank=pl.col("rank").first(),
        )
        .with_columns(date=pl.col("end_local").dt.date())
    )
    asleep = _minutes(s.filter(pl.col("value") == ASLEEP), keys).rename({"minutes": "asleep"})
    in_bed = _minutes(s, keys).rename({"minutes": "in_bed"})
    spans = spans.join(asleep, on=keys, how="left").join(in_bed, on=keys, how="left")
    best = (
        spans.group_by("date", "source")
        .agg(total=pl.col("asleep").fill_null(0).sum(), rank=pl.col("rank").first())
        .sort(
            "date",
            "total",
            "rank",
            pl.col("source").cast(pl.String),
            descending=[False, True, False, False],
        )
        .group_by("date", maintain_order=True)
        .first()
        .select("date", "source")
    )
    kept = spans.join(best, on=["date", "source"], how="semi")
    # the other sources' records of that date count in the date's first kept sleep
    aside = (
        spans.join(best, on=["date", "source"], how="anti")
        .group_by("date")
        .agg(extra=pl.col(N).sum())
    )
    kept = (
        kept.sort("start_local")
        .join(aside, on="date", how="left")
        .with_columns(
            _n=pl.col(N)
            + pl.when(pl.int_range(pl.len()).over("date") == 0)
            .then(pl.col("extra").fill_null(0))
            .otherwise(0)
        )
    )
    return kept.select(
        "date",
        record=pl.col("start_local").dt.strftime("%Y-%m-%dT%H:%M"),
        start_local="start_local",
        end_local="end_local",
        asleep_min=pl.col("asleep").fill_null(0).round(0).cast(pl.Int64),
        in_bed_min=pl.col("in_bed").round(0).cast(pl.Int64),
        _line=LINE,
        _n=N,
    ).sort("date", "start_local")


def _by_moment(rec: pl.DataFrame, kinds: tuple[str, ...]) -> pl.DataFrame:
    """One row per moment (start): each measure from the best-ranked source that has it."""
    codes = [K[k] for k in kinds]
    part = rec.filter(pl.col("code").is_in(codes))
    if part.is_empty():
        return part
    rows = part.group_by(ts_local="start").agg(pl.col(LINE).min(), pl.len().alias(N))
    chosen = (
        part.sort("rank", pl.col("source").cast(pl.String), LINE)
        .group_by("start", "code", maintain_order=True)
        .first()
        .pivot("code", index="start", values="value")
    )
    names = {str(K[k]): k for k in kinds}
    chosen = chosen.rename({c: names[c] for c in chosen.columns if c in names})
    return rows.join(chosen.rename({"start": "ts_local"}), on="ts_local", how="left").sort(
        "ts_local"
    )


def _glucose(rec: pl.DataFrame) -> pl.DataFrame:
    g = rec.filter(pl.col("code") == K["mg_dl"])
    if g.is_empty():
        return g
    rows = g.group_by(ts_local="start").agg(pl.col(LINE).min(), pl.len().alias(N))
    best = (
        g.sort("rank", pl.col("source").cast(pl.String), LINE)
        .group_by("start", maintain_order=True)
        .first()
        .select(
            ts_local="start",
            mg_dl=pl.col("value").round(1),
            kind=pl.when(pl.col("source").cast(pl.String).str.contains(CGM.pattern)).then(
                pl.lit("sensor")
            ),
        )
    )
    return rows.join(best, on="ts_local").sort("ts_local")


def _food(rec: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    codes = [K[k] for k in FOOD]
    f = rec.filter(pl.col("code").is_in(codes)).with_columns(pl.col("source").cast(pl.String))
    if f.is_empty():
        return f, []
    keys = ["source", "start"]
    rows = f.group_by(keys).agg(pl.col(LINE).min(), pl.len().alias(N))
    sums = (
        f.group_by(*keys, "code")
        .agg(pl.col("value").sum())
        .pivot("code", index=keys, values="value")
    )
    names = {str(K[k]): k for k in FOOD}
    sums = sums.rename({c: names[c] for c in sums.columns if c in names})
    entries = (
        rows.join(sums, on=keys)
        .with_columns(
            date=pl.col("start").dt.date(),
            time=pl.col("start").dt.time(),
            entry_id=pl.format("{} {}", pl.col("start").dt.strftime("%H:%M:%S"), "source"),
            granularity=pl.lit("item"),
        )
        .sort("start", "source")
    )
    for kind in FOOD:
        if kind not in entries.columns:
            entries = entries.with_columns(pl.lit(None, pl.Float64).alias(kind))
    cleared, warnings, _ = carbohydrate_checked(entries)
    return cleared, warnings


UNIT_FACTORS = {
    "duration": {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0},
    "distance": KM,
    "energy": KCAL,
}


def _workouts(reader: _Reader, tz: str, ranks_of) -> tuple[pl.DataFrame, pl.DataFrame]:
    text = {c: pl.String for c in ("source", "type", "duration", "durationUnit", "distance")}
    text |= {c: pl.String for c in ("distanceUnit", "energy", "energyUnit", "avg_hr")}
    text |= {"startDate": pl.String, "endDate": pl.String}
    raw = pl.DataFrame(reader.workouts, schema={LINE: pl.Int64, **text})
    num = {}
    for col in ("duration", "distance", "energy", "avg_hr"):
        x = pl.col(col).str.strip_chars().cast(pl.Float64, strict=False)
        num[col] = pl.when(x.is_finite()).then(x)
    factor = {
        col: pl.col(f"{col}Unit")
        .fill_null("min" if col == "duration" else "")
        .replace_strict(UNIT_FACTORS[col], default=None, return_dtype=pl.Float64)
        for col in UNIT_FACTORS
    }
    frame = raw.with_columns(
        start_local=offset_datetime(pl.col("startDate"), tz),
        end_local=offset_datetime(pl.col("endDate"), tz),
        **{f"_{c}": e for c, e in num.items()},
        **{f"_{c}_f": e for c, e in factor.items()},
    )
    bad = [
        ("startDate", "parses_as_offset_datetime", pl.col("start_local").is_null()),
    ]
    for col in ("duration", "distance", "energy", "avg_hr"):
        bad.append(
            (col, "parses_as_number", pl.col(col).is_not_null() & pl.col(f"_{col}").is_null())
        )
    for col in UNIT_FACTORS:
        bad.append(
            (
                f"{col}Unit",
                "is_known_unit",
                pl.col(f"_{col}").is_not_null() & pl.col(f"_{col}_f").is_null(),
            )
        )
    masks = frame.select([m.fill_null(False).alias(f"_b{i}") for i, (_, _, m) in enumerate(bad)])
    failures = [
        frame.filter(masks[f"_b{i}"]).select(
            pl.col(LINE), column=pl.lit(col), check=pl.lit(check), value=pl.col(col).fill_null("")
        )
        for i, (col, check, _) in enumerate(bad)
        if masks[f"_b{i}"].any()
    ]
    ok = ~masks.select(pl.any_horizontal(pl.all()))[:, 0]
    good = (
        frame.filter(ok)
        .with_columns(pl.col("source").cast(pl.Categorical))
        .join(ranks_of, on="source", how="left")
    )
    rows = good.group_by("start_local").agg(pl.col(LINE).min(), pl.len().alias(N))
    best = (
        good.sort(pl.col("rank").fill_null(2), pl.col("source").cast(pl.String), LINE)
        .group_by("start_local", maintain_order=True)
        .first()
        .select(
            "start_local",
            type=pl.col("type").str.strip_chars().str.strip_prefix(WORKOUT_PREFIX),
            duration_min=pl.col("_duration") * pl.col("_duration_f"),
            distance_km=pl.col("_distance") * pl.col("_distance_f"),
            kcal=pl.col("_energy") * pl.col("_energy_f"),
            avg_hr=pl.col("_avg_hr"),
        )
    )
    out = rows.join(best, on="start_local").sort("start_local")
    fails = pl.concat(failures) if failures else pl.DataFrame(schema=FAILURE_SCHEMA)
    return out, fails


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def read_stream(stream: BinaryIO, path: Path, opts: ReadOptions) -> Streamed:
    """Read an export.xml from `stream` (see the module docstring for what becomes what)."""
    reader = _Reader(opts)
    _parse(stream, path, reader)
    person = opts.person or "me"
    schema = {
        "code": pl.UInt8,
        "source": pl.Categorical,
        "start": pl.Datetime("us"),
        "end": pl.Datetime("us"),
        "value": pl.Float64,
        LINE: pl.Int32,
    }
    records = pl.concat(reader.chunks) if reader.chunks else pl.DataFrame(schema=schema)
    reader.chunks.clear()
    # sorted, an exact duplicate sits next to its first copy (the earliest line is kept); a
    # hash-based `unique` would take 150 bytes a record, this takes nearly nothing more
    keys = ["code", "source", "start", "end", "value"]
    records = records.sort(*keys, LINE)
    repeated = pl.all_horizontal(pl.col(k) == pl.col(k).shift(1) for k in keys).fill_null(False)
    unique = records.filter(~repeated)
    duplicate = records.height - unique.height
    del records
    ranks = _ranks(unique, reader.devices)
    rec = unique.join(ranks, on="source", how="left").with_columns(pl.col(LINE).cast(pl.Int64))
    del unique

    activity, aside = _activity(rec)
    sleep = _sleep(rec)
    food, food_warnings = _food(rec)
    workouts, workout_failures = (
        _workouts(reader, opts.time_zone, ranks)
        if reader.workouts
        else (pl.DataFrame(), pl.DataFrame(schema=FAILURE_SCHEMA))
    )
    tables = {
        "activity_daily": _finish("activity_daily", activity, person),
        "heart_rate": _finish("heart_rate", _heart_rate(rec), person),
        "sleep": _finish("sleep", sleep, person),
        "body": _finish("body", _by_moment(rec, BODY), person),
        "food_items": _finish("food_items", food, person),
        "glucose": _finish("glucose", _glucose(rec), person),
        "workouts": _finish("workouts", workouts, person),
    }
    failures = pl.concat([*reader.failures, workout_failures], how="vertical").sort(LINE)
    stored = [
        _plural(tables["activity_daily"].height, "daily row", "daily rows"),
        _plural(tables["heart_rate"].height, "heart-rate minute", "heart-rate minutes"),
        _plural(tables["sleep"].height, "sleep", "sleeps"),
        _plural(tables["body"].height, "body measurement", "body measurements"),
        _plural(tables["food_items"].height, "food entry", "food entries"),
        _plural(tables["glucose"].height, "glucose reading", "glucose readings"),
        _plural(tables["workouts"].height, "workout", "workouts"),
    ]
    stored_as = ", ".join(s for s in stored if not s.startswith("0 "))
    if aside:
        stored_as += (
            f" ({_plural(aside, 'activity record', 'activity records')} of lower-priority "
            "devices on the same days set aside)"
        )
    return Streamed(
        rows_read=reader.rows_read,
        tables=tables,
        failures=failures,
        ignored=reader.ignored,
        duplicate=duplicate,
        warnings=tuple([*reader.warnings, *food_warnings]),
        stored_as=stored_as,
    )
