"""Fitbit / Fitabase `hourlySteps_merged.csv`: steps per person and hour."""

from __future__ import annotations

import polars as pl

from pipeline.sources import _fitabase
from pipeline.sources._parse import Converted, ReadOptions, has_columns, integer, us_datetime

NAME = "fitbit_hourly_steps"
TABLE = "activity_intraday"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Fitbit / Fitabase hourly steps (hourlySteps_merged.csv)"
HOW_TO_EXPORT = "Fitabase: Data export > Hourly Steps (merged)."

# Id,ActivityHour,StepTotal
# 1503960366,4/12/2016 1:00:00 AM,160
REQUIRED = {"Id", "ActivityHour", "StepTotal"}
SPEC = {
    "ts_local": ("ActivityHour", us_datetime),
    "steps": ("StepTotal", integer),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    return _fitabase.read_merged(raw, opts.person, SPEC, interval_min=pl.lit(60, pl.Int32))
