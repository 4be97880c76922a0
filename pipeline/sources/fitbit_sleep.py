"""Fitbit / Fitabase `sleepDay_merged.csv`: minutes asleep and in bed per night."""

from __future__ import annotations

import polars as pl

from pipeline.sources import _fitabase
from pipeline.sources._parse import Converted, ReadOptions, has_columns, integer, us_datetime_day

NAME = "fitbit_sleep"
TABLE = "sleep"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Fitbit / Fitabase sleep (sleepDay_merged.csv)"
HOW_TO_EXPORT = "Fitabase: Data export > Sleep Day (merged)."

# Id,SleepDay,TotalSleepRecords,TotalMinutesAsleep,TotalTimeInBed
# 1503960366,4/12/2016 12:00:00 AM,1,327,346
REQUIRED = {"Id", "SleepDay", "TotalMinutesAsleep", "TotalTimeInBed"}
SPEC = {
    "date": ("SleepDay", us_datetime_day),  # always midnight: the night's calendar day
    "asleep_min": ("TotalMinutesAsleep", integer),
    "in_bed_min": ("TotalTimeInBed", integer),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    # one record per night, without its start and end (minuteSleep has those)
    return _fitabase.read_merged(
        raw,
        opts.person,
        SPEC,
        record=pl.lit("day"),
        start_local=pl.lit(None, pl.Datetime("us")),
        end_local=pl.lit(None, pl.Datetime("us")),
    )
