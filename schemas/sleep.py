"""sleep: one row per sleep record, on the local date the night ends.

Exports that give only nightly totals (Fitabase sleepDay) have one record per night, named
"day", without start or end. Exports with minute stages (Fitabase minuteSleep) have one row
per record (Fitbit's logId) with its start and end, which the sitting metric needs.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import DailyRow

KEY = ("person", "source", "date", "record")
# A store written before records existed holds one nightly row per day: its record is "day".
MIGRATE = {"record": "day"}


class Sleep(DailyRow):
    record: str
    start_local: pl.Datetime("us") = pa.Field(nullable=True)
    end_local: pl.Datetime("us") = pa.Field(nullable=True)
    asleep_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)
    in_bed_min: pl.Int64 = pa.Field(nullable=True, ge=0, le=1440)


MODEL = Sleep
