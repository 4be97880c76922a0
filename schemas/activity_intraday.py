"""activity_intraday: steps per interval (`interval_min` minutes from `ts_local`)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import TimedRow

KEY = ("person", "source", "ts_local")
MAX_STEPS_PER_MIN = 300  # faster than any sprint cadence: a device glitch


class ActivityIntraday(TimedRow):
    steps: pl.Int64 = pa.Field(nullable=True, ge=0, le=60 * MAX_STEPS_PER_MIN)
    interval_min: pl.Int32 = pa.Field(isin=[1, 5, 15, 60])

    @pa.dataframe_check(name="steps_at_most_300_per_minute")
    def _steps_plausible(cls, data):
        limit = pl.col("interval_min").cast(pl.Int64) * MAX_STEPS_PER_MIN
        return data.lazyframe.select(pl.col("steps").is_null() | (pl.col("steps") <= limit))


MODEL = ActivityIntraday
