"""Cronometer `dailysummary.csv`: one row of totals per day."""

from __future__ import annotations

import polars as pl

from pipeline.sources import _food
from pipeline.sources._parse import Converted, ReadOptions, convert, has_columns, iso_date, number

NAME = "cronometer_dailysummary"
TABLE = "food_items"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Cronometer daily nutrition (dailysummary.csv)"
HOW_TO_EXPORT = "Cronometer web: More > Account > Export Data > Daily Nutrition (dailysummary.csv)."

# Date,Energy (kcal),...,Carbs (g),Fiber (g),...,Sugars (g),...,Protein (g),...,Completed
# 2023-09-17,1813.11,...
REQUIRED = {"Date", "Energy (kcal)", "Carbs (g)", "Fiber (g)"}
SPEC = {
    "date": ("Date", iso_date),
    "time": (None, lambda e: e.cast(pl.Time)),
    "meal": (None, lambda e: e),
    "food_name": (None, lambda e: e),
    "kcal": ("Energy (kcal)", number),
    "carbs_g": ("Carbs (g)", number),
    "fiber_g": ("Fiber (g)", number),
    "sugars_g": ("Sugars (g)", number),
    "added_sugars_g": ("Added Sugars (g)", number),
    "protein_g": ("Protein (g)", number),
    "fat_g": ("Fat (g)", number),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED) and "Food Name" not in columns


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    # Day totals sit in food_items as one entry per day; metrics prefer item-level
    # exports of the same day so nothing is counted twice.
    return _food.finish(convert(raw, SPEC), opts, granularity="day")
