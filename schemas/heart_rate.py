"""heart_rate: mean beats per minute per local minute, with the number of samples behind it.

Vendors sample every few seconds (Fitbit) or every few minutes (Apple Watch at rest); seconds
are averaged into minutes while reading, so tens of millions of samples never reach the store.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import TimedRow
from schemas.rules import BPM_MAX, BPM_MIN

KEY = ("person", "source", "ts_local")


class HeartRate(TimedRow):
    bpm: pl.Float64 = pa.Field(ge=BPM_MIN, le=BPM_MAX)
    samples: pl.Int64 = pa.Field(ge=1, le=3_600)  # at most one per second


MODEL = HeartRate
