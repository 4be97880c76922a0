"""sleep: minutes asleep and in bed per person and night (the night's calendar day)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import Provenance, not_in_future

KEY = ("person", "source", "date")


class Sleep(Provenance):
    date: pl.Date
    asleep_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)
    in_bed_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)

    @pa.check("date", name="not_in_future")
    def _date_not_in_future(cls, data):
        return not_in_future(data)

    class Config:
        strict = "filter"


MODEL = Sleep
