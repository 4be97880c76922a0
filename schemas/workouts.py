"""workouts: one row per recorded workout (Garmin activities, MyFitnessPal and Cronometer
exercise logs, Withings activities, Apple Health workouts), started at local wall time.

Workouts add to moderate/vigorous minutes only on days without activity-level minutes from a
wearable (METRICS.md); they are never a second count of the same minutes.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import StartedRow

KEY = ("person", "source", "start_local")


class Workouts(StartedRow):
    # the export's own activity name ("Running", "Løb", "Walking, 3.5 mph, brisk pace")
    type: pl.String = pa.Field(nullable=True)
    duration_min: pl.Float64 = pa.Field(nullable=True, ge=0, le=1440)
    distance_km: pl.Float64 = pa.Field(nullable=True, ge=0, le=1000)
    avg_hr: pl.Float64 = pa.Field(nullable=True, ge=25, le=250)
    kcal: pl.Float64 = pa.Field(nullable=True, ge=0, le=20_000)


MODEL = Workouts
