"""body: weigh-ins and body measurements, kg and cm."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import TimedRow

KEY = ("person", "source", "ts_local")


class Body(TimedRow):
    weight_kg: pl.Float64 = pa.Field(nullable=True, ge=20, le=350)
    fat_pct: pl.Float64 = pa.Field(nullable=True, ge=2, le=75)
    waist_cm: pl.Float64 = pa.Field(nullable=True, ge=40, le=250)


MODEL = Body
