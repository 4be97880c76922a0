"""Fitbit / Fitabase `minuteSleep_merged.csv`: one line per minute of each sleep record.

Each line is checked on its own, then the lines of one record (Fitbit's logId) become one
sleep row: its start and end (which the sitting metric needs to leave sleep out), minutes
asleep (value 1) and minutes in bed (all lines), on the date the record ends.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.sources import _fitabase
from pipeline.sources._parse import Converted, ReadOptions, has_columns, text, us_datetime

NAME = "fitbit_minute_sleep"
TABLE = "sleep"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Fitbit / Fitabase sleep minutes (minuteSleep_merged.csv)"
HOW_TO_EXPORT = "Fitabase: Data export > Minute Sleep (merged)."
STORED_AS = ("sleep record", "sleep records")
STREAMED = True  # read in slices; collapse combines a record cut between two slices
ASLEEP = 1  # Fitbit's classic stages: 1 asleep, 2 restless, 3 awake


def sleep_stage(e: pl.Expr) -> pl.Expr:
    # "1", "2" or "3"; anything else does not parse (and is quarantined)
    return e.str.strip_chars().replace_strict(
        {"1": 1, "2": 2, "3": 3}, default=None, return_dtype=pl.Int64
    )


# Id,date,value,logId
# 1503960366,4/12/2016 2:47:30 AM,3,11380564589
REQUIRED = {"Id", "date", "value", "logId"}
SPEC = {
    "ts": ("date", us_datetime),  # stamped at :30 seconds: the middle of the minute
    "stage": ("value", sleep_stage),
    "record": ("logId", text),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = _fitabase.read_merged(raw, opts.person, SPEC)
    start = pl.col("ts").dt.truncate("1m")
    frame = conv.frame.select(
        "_line",
        "person",
        "record",
        date=pl.col("ts").dt.date(),
        start_local=start,
        end_local=start + dt.timedelta(minutes=1),
        asleep_min=(pl.col("stage") == ASLEEP).cast(pl.Int64),
        in_bed_min=pl.lit(1, pl.Int64),
    )
    return Converted(frame, conv.failures)


def collapse(minutes: pl.DataFrame) -> pl.DataFrame:
    """Valid minute lines -> one row per sleep record, on the local date it ends.

    A minute written twice (real Fitabase files repeat lines) counts once. Re-appliable: the
    records of two slices of one file combine the same way.
    """
    return (
        minutes.lazy()
        .unique(subset=["person", "record", "start_local"], keep="first", maintain_order=True)
        .group_by("person", "source", "file_id", "record")
        .agg(
            pl.col("start_local").min(),
            pl.col("end_local").max(),
            pl.col("asleep_min").sum(),
            pl.col("in_bed_min").sum(),
        )
        .with_columns(date=(pl.col("end_local") - dt.timedelta(microseconds=1)).dt.date())
        .sort("person", "date", "start_local")
        .collect()
    )
