"""Fitbit / Fitabase `heartrate_seconds_merged.csv`: a heart-rate sample every few seconds.

Samples are checked one by one (a bad line is quarantined with its line number), then averaged
into minutes before anything is stored: a study's file holds tens of millions of seconds.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources import _fitabase
from pipeline.sources._parse import Converted, ReadOptions, has_columns, number, us_datetime

NAME = "fitbit_heart_rate"
TABLE = "heart_rate"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Fitbit / Fitabase heart rate (heartrate_seconds_merged.csv)"
HOW_TO_EXPORT = "Fitabase: Data export > Heart Rate, seconds (merged)."
STORED_AS = ("heart-rate minute", "heart-rate minutes")
STREAMED = True  # read in slices: a study's file holds tens of millions of seconds

# Id,Time,Value
# 2022484408,4/12/2016 7:21:00 AM,97
REQUIRED = {"Id", "Time", "Value"}
SPEC = {
    "ts_local": ("Time", us_datetime),
    "bpm": ("Value", number),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    return _fitabase.read_merged(raw, opts.person, SPEC, samples=pl.lit(1, pl.Int64))


def collapse(samples: pl.DataFrame) -> pl.DataFrame:
    """Valid samples -> one row per person and local minute: mean bpm and the sample count.

    Weighted by `samples`, so it also combines minutes already combined (a file read in
    slices may cut a minute in two).
    """
    n = pl.col("samples")
    return (
        samples.lazy()
        .group_by("person", "source", "file_id", ts_local=pl.col("ts_local").dt.truncate("1m"))
        .agg(bpm=(pl.col("bpm") * n).sum() / n.sum(), samples=n.sum())
        .sort("person", "ts_local")
        .collect()
    )
