"""The registry of export formats. Each module has NAME, TABLE, TITLE, HOW_TO_EXPORT,
`detect(columns) -> bool` and `read(raw, opts) -> Converted`.

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
# glucose (Dexcom Clarity, LibreView)
# daily CSVs (Google Fit, Oura, Withings aggregates, Lose It!)
# Apple Health
# Fitbit Takeout JSON

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
    # -- workouts --
    # -- glucose --
    # -- daily CSVs --
    # -- Apple Health --
    # -- Fitbit Takeout --
)

BY_NAME: dict[str, ModuleType] = {s.NAME: s for s in SOURCES}


def detect(columns: list[str]) -> ModuleType | None:
    """The first format whose header rule matches, or None."""
    return next((s for s in SOURCES if s.detect(columns)), None)
