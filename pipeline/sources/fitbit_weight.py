"""Fitbit / Fitabase `weightLogInfo_merged.csv`: weigh-ins in kg."""

from __future__ import annotations

import polars as pl

from pipeline.sources import _fitabase
from pipeline.sources._parse import Converted, ReadOptions, has_columns, number, us_datetime

NAME = "fitbit_weight"
TABLE = "body"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Fitbit / Fitabase weight log (weightLogInfo_merged.csv)"
HOW_TO_EXPORT = "Fitabase: Data export > Weight Log Info (merged)."

# Id,Date,WeightKg,WeightPounds,Fat,BMI,IsManualReport,LogId
# 1503960366,5/2/2016 11:59:59 PM,52.5999984741211,115.963146545323,22,22.64,True,1462233599000
REQUIRED = {"Id", "Date", "WeightKg"}
SPEC = {
    "ts_local": ("Date", us_datetime),
    "weight_kg": ("WeightKg", number),
    "fat_pct": ("Fat", number),  # mostly empty: unknown, not 0
    "waist_cm": (None, number),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    return _fitabase.read_merged(raw, opts.person, SPEC)
