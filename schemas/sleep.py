"""sleep: minutes asleep and in bed per person and night (the night's calendar day)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import DailyRow

KEY = ("person", "source", "date")


class Sleep(DailyRow):
    asleep_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)
    in_bed_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)


MODEL = Sleep
