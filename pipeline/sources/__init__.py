"""The registry of export formats. Each module has NAME, TABLE, TITLE, HOW_TO_EXPORT,
`detect(columns) -> bool` and `read(raw, opts) -> Converted`. Optional parts:

- EXTRA_TABLES: other tables its lines feed (`Converted.extra`: Google Fit, Oura);
- `detect_file(columns, name)`: where the header alone cannot tell (Withings aggregates);
- `sniff(head, name)` and `to_rows(data, path)`: a JSON export (Fitbit Takeout), whose items
  become text rows before `read`;
- STREAM with `sniff` and `read_stream(stream, path, opts) -> Streamed`: a file read as a
  stream because it may be larger than memory (Apple Health), feeding several tables;
- `collapse(rows)` with STORED_AS: lines that are parts of one stored row (heart-rate seconds);
- `preamble_lines(data)`: lines before the header (LibreView).

Order matters only where one header is a superset of another: the more specific format
comes first.
"""

from __future__ import annotations

from types import ModuleType

from pipeline.sources import (
    cronometer_biometrics,
    cronometer_dailysummary,
    cronometer_servings,
    fitbit_daily_activity,
    fitbit_heart_rate,
    fitbit_hourly_steps,
    fitbit_minute_sleep,
    fitbit_minute_steps,
    fitbit_sleep,
    fitbit_weight,
    mfp_measurement,
    mfp_nutrition,
    withings_sleep,
    withings_weight,
)

# workouts (Garmin, MyFitnessPal exercise, Cronometer exercises, Withings activities)
# isort: split
from pipeline.sources import (
    cronometer_exercises,
    garmin_activities,
    mfp_exercise,
    withings_activities,
)

# glucose (Dexcom Clarity, LibreView)
# isort: split
from pipeline.sources import dexcom_clarity, libreview

# daily CSVs (Google Fit, Oura, Withings aggregates, Lose It!)
# isort: split
from pipeline.sources import (
    google_fit_daily,
    loseit_food_logs,
    oura_trends,
    withings_aggregates_steps,
)

# Apple Health
# isort: split
from pipeline.sources import apple_health

# notes on what happened (spectrum note import)
# isort: split
from pipeline.sources import notes_csv

# Fitbit Takeout JSON
# isort: split
from pipeline.sources import (
    fitbit_takeout_heart_rate,
    fitbit_takeout_minutes,
    fitbit_takeout_sleep,
    fitbit_takeout_steps,
    fitbit_takeout_weight,
)

SOURCES: tuple[ModuleType, ...] = (
    fitbit_daily_activity,
    fitbit_hourly_steps,
    fitbit_minute_steps,
    fitbit_sleep,
    fitbit_minute_sleep,
    fitbit_heart_rate,
    fitbit_weight,
    cronometer_servings,
    cronometer_dailysummary,
    cronometer_biometrics,
    mfp_nutrition,
    mfp_measurement,
    withings_weight,
    withings_sleep,
    garmin_activities,
    mfp_exercise,
    cronometer_exercises,
    withings_activities,
    # -- workouts --
    dexcom_clarity,
    libreview,
    # -- glucose --
    google_fit_daily,
    oura_trends,
    withings_aggregates_steps,
    loseit_food_logs,
    # -- daily CSVs --
    apple_health,
    # -- Apple Health --
    fitbit_takeout_steps,
    fitbit_takeout_heart_rate,
    fitbit_takeout_sleep,
    fitbit_takeout_weight,
    *fitbit_takeout_minutes.KINDS,  # four files, one kind of minutes each
    # -- Fitbit Takeout --
    notes_csv,
)

BY_NAME: dict[str, ModuleType] = {s.NAME: s for s in SOURCES}


def detect(columns: list[str], name: str = "") -> ModuleType | None:
    """The first format whose header rule matches, or None. A format whose header is shared
    with files of other figures (Withings `aggregates_*.csv`: `date,value`) has
    `detect_file(columns, name)`, which also needs the file's base name `name`."""
    return next((s for s in SOURCES if _matches(s, columns, name)), None)


def _matches(source: ModuleType, columns: list[str], name: str) -> bool:
    by_file = getattr(source, "detect_file", None)
    return by_file(columns, name) if by_file else source.detect(columns)


# Formats the user described in config.toml [mappings] (pipeline/mapping.py): tried after
# every built-in format, so a mapping never takes a file spectrum already reads.
MAPPED: list = []


def use_mappings(mapped: list) -> None:
    """Make the user's mapped formats known (detection, --format, reports' titles)."""
    for old in MAPPED:
        BY_NAME.pop(old.NAME, None)
    MAPPED[:] = mapped
    BY_NAME.update({m.NAME: m for m in mapped})


def detect_any(columns: list[str], name: str = "") -> ModuleType | None:
    """A built-in format, else one of the user's mapped formats."""
    return detect(columns, name) or next((m for m in MAPPED if m.detect(columns)), None)


# Files of known exports that hold nothing spectrum measures: listed by what they are when a
# folder or zip is ingested, so the user knows they were seen (base-name prefix -> what).
NOT_USED = {
    "aggregates_calories": "Withings calories",
    "aggregates_distance": "Withings distance",
    "aggregates_elevation": "Withings elevation",
    "raw_": "Withings raw sensor samples",
    "bp.csv": "Withings blood pressure",
    "height.csv": "Withings height",
    "signal.csv": "Withings signal",
    "export_cda.xml": "Apple Health clinical document (the same records as export.xml)",
    "daily-calorie-summary": "Lose It! daily calorie summary",
}


def not_used(name: str) -> str | None:
    """What a known export's file holds when spectrum does not use it (None: unknown)."""
    low = name.lower()
    return next((what for prefix, what in NOT_USED.items() if low.startswith(prefix)), None)
