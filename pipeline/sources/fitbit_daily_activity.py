"""Fitbit / Fitabase `dailyActivity_merged.csv`: one row per person and day."""

from __future__ import annotations

import polars as pl

from pipeline.sources import _fitabase
from pipeline.sources._parse import Converted, ReadOptions, has_columns, integer, number, us_date

NAME = "fitbit_daily_activity"
TABLE = "activity_daily"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Fitbit / Fitabase daily activity (dailyActivity_merged.csv)"
HOW_TO_EXPORT = (
    "Fitabase: Data export > Daily Activity (merged). Public Fitbit data sets on Kaggle/Zenodo "
    "ship the same file."
)

# Id,ActivityDate,TotalSteps,TotalDistance,...,VeryActiveMinutes,FairlyActiveMinutes,
#   LightlyActiveMinutes,SedentaryMinutes,Calories
# 1503960366,4/12/2016,13162,8.5,...,25,13,328,728,1985
REQUIRED = {"Id", "ActivityDate", "TotalSteps", "SedentaryMinutes", "VeryActiveMinutes"}
SPEC = {
    "date": ("ActivityDate", us_date),  # 4/12/2016
    "steps": ("TotalSteps", integer),  # 13162
    "distance_km": ("TotalDistance", number),  # 8.5 (Fitabase distances are km)
    "sedentary_min": ("SedentaryMinutes", integer),  # 728
    "light_min": ("LightlyActiveMinutes", integer),  # 328
    "moderate_min": ("FairlyActiveMinutes", integer),  # 13  (Fitbit "fairly active")
    "vigorous_min": ("VeryActiveMinutes", integer),  # 25  (Fitbit "very active")
    "active_kcal": (None, number),  # Calories (1985) is total, not active, energy
    "wear_min": (None, integer),  # no wear figure in this file: the steps rule applies
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    return _fitabase.read_merged(raw, opts.person, SPEC)
