"""Apple Health: the record kinds spectrum reads, and their attribute texts -> typed values.

A `<Record>`'s texts (type, source, unit, value, start, end) become one typed row: a kind
code (an index in `KINDS`), the source, local start and end, and the value in the canonical
unit. A workout's texts become its duration, distance, energy and average heart rate. A text
that does not parse quarantines its record, by line (see `apple_health` for the whole story).
"""

from __future__ import annotations

import re

import polars as pl

from pipeline.sources._csv import FAILURE_SCHEMA, LINE
from pipeline.sources._parse import number, offset_datetime
from schemas.rules import BPM_MAX, BPM_MIN

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
FACTORS = pl.DataFrame(
    [(K[kind], u, f) for kind, units in UNITS.items() for u, f in units.items()],
    schema={"code": pl.UInt8, "unit": pl.String, "factor": pl.Float64},
    orient="row",
)
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
TEXTS = ("code", "source", "unit", "value", "startDate", "endDate", LINE)
TEXT_SCHEMA = {c: pl.String for c in TEXTS} | {"code": pl.UInt8, LINE: pl.Int64}
WORKOUT_PREFIX = "HKWorkoutActivityType"
WORKOUT_UNITS = {
    "duration": {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0},
    "distance": KM,
    "energy": KCAL,
}
WORKOUT_NUMBERS = ("duration", "distance", "energy", "avg_hr")
WORKOUT_TEXTS = ("source", "type", *WORKOUT_NUMBERS, "startDate", "endDate")
WORKOUT_TEXTS += tuple(f"{c}Unit" for c in WORKOUT_UNITS)
WORKOUT_SCHEMA = {LINE: pl.Int64, **{c: pl.String for c in WORKOUT_TEXTS}}


def split_bad(
    frame: pl.DataFrame, bad: list[tuple[str, str, pl.Expr]]
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """(the rows no check in `bad` flags, the failures: a FAILURE_SCHEMA frame per check
    that flags some). Each check is (column, check name, mask of the rows that fail)."""
    flags = frame.select(*[m.fill_null(False).alias(f"_bad{i}") for i, (_, _, m) in enumerate(bad)])
    failures = [
        frame.filter(flags[f"_bad{i}"]).select(
            pl.col(LINE), column=pl.lit(col), check=pl.lit(check), value=pl.col(col).fill_null("")
        )
        for i, (col, check, _) in enumerate(bad)
        if flags[f"_bad{i}"].any()
    ]
    ok = ~flags.select(pl.any_horizontal(pl.all()))[:, 0]
    return frame.filter(ok), failures


def typed(texts: dict[str, list], tz: str, failures: list[pl.DataFrame]) -> pl.DataFrame:
    """One chunk of records' attribute texts (`TEXTS` -> lists) -> typed records; those that
    do not parse go to `failures`."""
    raw = pl.DataFrame(texts, schema=TEXT_SCHEMA)
    good, bad = split_bad(_values(raw, tz), _record_checks())
    failures.extend(bad)
    return good.select(
        "code",
        pl.col("source").cast(pl.Categorical),
        "start",
        "end",
        value=pl.col("canonical"),
        _line=pl.col(LINE).cast(pl.Int32),
    )


def _values(raw: pl.DataFrame, tz: str) -> pl.DataFrame:
    """`raw` with its unit factor, number, local start and end, and canonical value."""
    code, unit, text = pl.col("code"), pl.col("unit"), pl.col("value")
    mmol = unit.str.extract(MMOL.pattern, 1).cast(pl.Float64, strict=False) / 10
    sleep_value = text.replace_strict(SLEEP_VALUES, default=None, return_dtype=pl.Float64)
    is_sleep = code == K["sleep"]
    fraction = pl.when(pl.col("number") <= 1).then(100.0).otherwise(1.0)
    return (
        raw.join(FACTORS, on=["code", "unit"], how="left")
        .with_columns(
            factor=pl.when(is_sleep)
            .then(1.0)
            .when(code == K["mg_dl"])
            .then(pl.coalesce("factor", mmol))
            .otherwise("factor"),
            number=pl.when(is_sleep).then(sleep_value).otherwise(number(text)),
            start=offset_datetime(pl.col("startDate"), tz),
            end=offset_datetime(pl.col("endDate"), tz),
        )
        .with_columns(
            canonical=pl.when(code == K["fat_pct"]).then(fraction).otherwise(pl.col("factor"))
            * pl.col("number")
        )
    )


def _record_checks() -> list[tuple[str, str, pl.Expr]]:
    """(column, check, mask of failing rows) for a frame made by `_values`."""
    is_sleep, text = pl.col("code") == K["sleep"], pl.col("value")
    is_hr, bpm = pl.col("code") == K["bpm"], pl.col("canonical")
    unparsed = pl.col("number").is_null()
    return [
        ("value", "is_known_sleep_value", is_sleep & text.is_not_null() & unparsed),
        ("value", "parses_as_number", ~is_sleep & text.is_not_null() & unparsed),
        ("unit", "is_known_unit", pl.col("factor").is_null()),
        ("startDate", "parses_as_offset_datetime", pl.col("start").is_null()),
        ("endDate", "parses_as_offset_datetime", pl.col("end").is_null()),
        ("value", "is_present", text.is_null()),  # quantity records need one
        ("value", "greater_than_or_equal_to(0)", ~is_sleep & (pl.col("number") < 0)),
        # heart rate: a glitch is quarantined before it is averaged into a minute
        ("value", f"greater_than_or_equal_to({BPM_MIN})", is_hr & (bpm < BPM_MIN)),
        ("value", f"less_than_or_equal_to({BPM_MAX})", is_hr & (bpm > BPM_MAX)),
    ]


def workout_row(elem, line: int) -> dict:
    """A `<Workout>`'s texts (`WORKOUT_SCHEMA`), from its attributes or, iOS 16+, from its
    WorkoutStatistics children."""
    get = elem.get
    row = {LINE: line, "source": get("sourceName"), "type": get("workoutActivityType")}
    row |= {"duration": get("duration"), "durationUnit": get("durationUnit")}
    row |= {"distance": get("totalDistance"), "distanceUnit": get("totalDistanceUnit")}
    row |= {"energy": get("totalEnergyBurned"), "energyUnit": get("totalEnergyBurnedUnit")}
    row |= {"avg_hr": None, "startDate": get("startDate"), "endDate": get("endDate")}
    for stat in elem.iterchildren("WorkoutStatistics"):
        kind = stat.get("type") or ""
        if kind.endswith("HeartRate"):
            row["avg_hr"] = stat.get("average")
        elif kind.endswith("ActiveEnergyBurned") and row["energy"] is None:
            row["energy"], row["energyUnit"] = stat.get("sum"), stat.get("unit")
        elif kind.startswith(_HK + "Distance") and row["distance"] is None:
            row["distance"], row["distanceUnit"] = stat.get("sum"), stat.get("unit")
    return row


def _workout_checks() -> list[tuple[str, str, pl.Expr]]:
    """(column, check, mask of failing rows) for a frame made in `typed_workouts`: a number
    given must parse, and so must the unit of a figure given."""
    bad = [("startDate", "parses_as_offset_datetime", pl.col("start_local").is_null())]
    for col in WORKOUT_NUMBERS:
        given = pl.col(col).is_not_null()
        bad.append((col, "parses_as_number", given & pl.col(f"_{col}").is_null()))
    for col in WORKOUT_UNITS:
        given = pl.col(f"_{col}").is_not_null()
        bad.append((f"{col}Unit", "is_known_unit", given & pl.col(f"_{col}_f").is_null()))
    return bad


def typed_workouts(rows: list[dict], tz: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(workouts that parse: source, start_local, type and figures in canonical units,
    failures)."""
    raw = pl.DataFrame(rows, schema=WORKOUT_SCHEMA)
    factor = {
        col: pl.col(f"{col}Unit")
        .fill_null("min" if col == "duration" else "")
        .replace_strict(units, default=None, return_dtype=pl.Float64)
        for col, units in WORKOUT_UNITS.items()
    }
    frame = raw.with_columns(
        start_local=offset_datetime(pl.col("startDate"), tz),
        **{f"_{c}": number(pl.col(c)) for c in WORKOUT_NUMBERS},
        **{f"_{c}_f": e for c, e in factor.items()},
    )
    good, failures = split_bad(frame, _workout_checks())
    fails = pl.concat(failures) if failures else pl.DataFrame(schema=FAILURE_SCHEMA)
    return good.select(
        pl.col("source").cast(pl.Categorical),
        "start_local",
        LINE,
        type=pl.col("type").str.strip_chars().str.strip_prefix(WORKOUT_PREFIX),
        duration_min=pl.col("_duration") * pl.col("_duration_f"),
        distance_km=pl.col("_distance") * pl.col("_distance_f"),
        kcal=pl.col("_energy") * pl.col("_energy_f"),
        avg_hr=pl.col("_avg_hr"),
    ), fails
