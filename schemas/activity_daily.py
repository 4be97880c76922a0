"""activity_daily: one row per person, local day and source."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import DailyRow

KEY = ("person", "source", "date")
MINUTES = ("sedentary_min", "light_min", "moderate_min", "vigorous_min")


class ActivityDaily(DailyRow):
    steps: pl.Int64 = pa.Field(nullable=True, ge=0, le=100_000)
    distance_km: pl.Float64 = pa.Field(nullable=True, ge=0, le=300)
    sedentary_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)
    light_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)
    moderate_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)
    vigorous_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)
    active_kcal: pl.Float64 = pa.Field(nullable=True, ge=0, le=10_000)
    wear_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)

    @pa.dataframe_check(name="minutes_sum_at_most_1440")
    def _minutes_fit_in_a_day(cls, data):
        total = pl.sum_horizontal(*[pl.col(c).fill_null(0) for c in MINUTES])
        return data.lazyframe.select(total <= 1440)


MODEL = ActivityDaily
