"""Fitbit / Fitabase `minuteStepsNarrow_merged.csv`: steps per person and minute."""

from __future__ import annotations

import polars as pl

from pipeline.sources import _fitabase
from pipeline.sources._parse import Converted, ReadOptions, has_columns, integer, us_datetime

NAME = "fitbit_minute_steps"
TABLE = "activity_intraday"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Fitbit / Fitabase minute steps (minuteStepsNarrow_merged.csv)"
HOW_TO_EXPORT = "Fitabase: Data export > Minute Steps, narrow layout (merged)."

# Id,ActivityMinute,Steps
# 1503960366,4/12/2016 12:01:00 AM,0
REQUIRED = {"Id", "ActivityMinute", "Steps"}
SPEC = {
    "ts_local": ("ActivityMinute", us_datetime),
    "steps": ("Steps", integer),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    return _fitabase.read_merged(raw, opts.person, SPEC, interval_min=pl.lit(1, pl.Int32))
