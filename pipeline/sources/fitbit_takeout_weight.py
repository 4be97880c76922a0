"""Fitbit Takeout `Global Export Data/weight-YYYY-MM-DD.json`: weigh-ins, in the account's unit.

One file per month: `[{"logId" : 1757668406000, "weight" : 198.1, "bmi" : 30.04, "fat" :
28.74, "date" : "09/12/25", "time" : "09:13:26", "source" : "Aria"}, ...]` (nicolasestrem/
Fitbit2Garmin `docs/FITBIT_GOOGLE_TAKEOUT_TO_GARMIN.md`; `fat` is left out when unknown).

Unit: the file does not say it. It follows the Fitbit account's setting: pounds for US
accounts (kuvychko/fitbit-warehouse `docs/takeout-format.md`: "pounds + naive local
date/time"; blakster/air-health `docs/takeout-format.md`: `weight (lb)`), kilograms
elsewhere (Fitbit2Garmin has to guess it from the values). So the user says it, as for
MyFitnessPal: `ReadOptions.weight_unit` (`--weight-unit lb`, default kg). Each weigh-in also
carries Fitbit's BMI, computed from the profile's height: weight (kg) / BMI is height², so a
wrong unit shows as a height no one has (a 80 kg person at 1.75 m read as 176 "kg" would be
2.6 m tall). `read` warns when the other unit gives the likelier height (or, without BMI,
when the median is above 130 "kg", as mfp_measurement does).

Time zone: `date` ("MM/DD/YY") and `time` are local wall time (kuvychko/fitbit-warehouse
`docs/takeout-format.md`), stored as they are. A `fat` of 0 is unknown, not 0 %.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl

from pipeline.sources import _fitbit_takeout as ft
from pipeline.sources._csv import Rows
from pipeline.sources._parse import Converted, ReadOptions, clock_time, convert, number

NAME = "fitbit_takeout_weight"
TABLE = "body"
TITLE = "Fitbit Takeout weight log (Global Export Data/weight-*.json)"
HOW_TO_EXPORT = (
    "Google Takeout > Fitbit; ingest the folder Takeout/Fitbit/Global Export Data, with "
    "--weight-unit lb if your Fitbit account uses pounds."
)
PREFIX = "weight-"
LB_TO_KG = 0.45359237
LIKELY_POUNDS = 130.0  # without BMI: a median above 130 "kg" is far more often pounds
TYPICAL_HEIGHT_M = 1.70

FIELDS = {
    "logId": ("logId",),
    "date": ("date",),
    "time": ("time",),
    "weight": ("weight",),
    "fat": ("fat",),
    "bmi": ("bmi",),
    "source": ("source",),
}
SPEC = {
    "date": ("date", ft.us_short_date),  # "01/01/20", local
    "clock": ("time", clock_time),  # "07:30:00", local
    "weight": ("weight", number),  # 198.1, in the account's unit
    "fat": ("fat", number),  # 28.74 (%), often absent
    "bmi": ("bmi", number),  # 30.04
}


def detect(columns: list[str]) -> bool:
    return False  # never a CSV


def sniff(head: bytes, name: str) -> bool:
    if not ft.is_list(head):
        return False
    if ft.named(name, PREFIX) and ft.is_empty_list(head):
        return True
    return ft.has_keys(head, "logId", "weight", "date", "time")


def to_rows(data: bytes, path: Path) -> Rows:
    return ft.to_rows(data, path, FIELDS, required=("date", "time", "weight"))


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = convert(raw, SPEC)
    factor = LB_TO_KG if opts.weight_unit == "lb" else 1.0
    frame = conv.frame.select(
        "_line",
        ft.person(opts.person),
        ts_local=pl.col("date").dt.combine(pl.col("clock")),
        weight_kg=pl.col("weight") * factor,
        fat_pct=pl.when(pl.col("fat") > 0).then(pl.col("fat")),
        waist_cm=pl.lit(None, pl.Float64),
    )
    return Converted(frame, conv.failures, warnings=tuple(unit_warnings(conv.frame, opts)))


def unit_warnings(parsed: pl.DataFrame, opts: ReadOptions) -> list[str]:
    """The file cannot say its unit; BMI (or failing that, the median) can hint at it."""
    lb = opts.weight_unit == "lb"
    fix = (
        "if your Fitbit account uses kilograms, ingest the file again without --weight-unit lb"
        if lb
        else "if your Fitbit account uses pounds, ingest the file again with --weight-unit lb"
    ) + " (it replaces these rows)."
    given = parsed.filter(pl.col("bmi") > 0, pl.col("weight") > 0)
    if given.height:
        # height if the numbers are kg; if they are lb it is sqrt(0.4536) = 0.67 times that
        as_kg = float((given["weight"] / given["bmi"]).sqrt().median())
        as_lb = as_kg * math.sqrt(LB_TO_KG)
        chosen, other = (as_lb, as_kg) if lb else (as_kg, as_lb)
        if abs(math.log(other / TYPICAL_HEIGHT_M)) < abs(math.log(chosen / TYPICAL_HEIGHT_M)):
            return [
                f"the weights and Fitbit's BMI fit a height of {chosen:.2f} m in "
                f"{opts.weight_unit}, {other:.2f} m in {'kg' if lb else 'lb'}; {fix}"
            ]
        return []
    median = parsed["weight"].median()
    if not lb and median is not None and median > LIKELY_POUNDS:
        return [f"the weights have a median of {median:.1f} kg; {fix}"]
    return []
