"""Cronometer `servings.csv`: one row per logged food, with or without a `Time` column."""

from __future__ import annotations

import polars as pl

from pipeline.sources import _food
from pipeline.sources._parse import (
    Converted,
    ReadOptions,
    clock_time,
    convert,
    has_columns,
    iso_date,
    number,
    text,
)

NAME = "cronometer_servings"
TABLE = "food_items"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Cronometer servings (servings.csv)"
HOW_TO_EXPORT = (
    "Cronometer web: More > Account > Export Data > Food & Recipe Entries (servings.csv)."
)

# Day,Time,Group,Food Name,Amount,Energy (kcal),...,Carbs (g),Fiber (g),...,Sugars (g),...
# 2023-09-17,9:00 AM,"Staples","Black Pepper, Ground","1.00 tsp",5.77,...,1.47,0.58,...,0.01,...
REQUIRED = {"Day", "Group", "Food Name", "Energy (kcal)", "Carbs (g)"}
SPEC = {
    "date": ("Day", iso_date),
    "time": ("Time", clock_time),  # only when timestamps are enabled in Cronometer
    "meal": ("Group", text),  # "Breakfast", "Uncategorized", or user-named like "Staples"
    "food_name": ("Food Name", text),
    "kcal": ("Energy (kcal)", number),
    "carbs_g": ("Carbs (g)", number),  # total carbohydrate, fibre included (Net Carbs separate)
    "fiber_g": ("Fiber (g)", number),
    "sugars_g": ("Sugars (g)", number),
    "added_sugars_g": ("Added Sugars (g)", number),  # only some accounts track it
    "protein_g": ("Protein (g)", number),
    "fat_g": ("Fat (g)", number),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    return _food.finish(convert(raw, SPEC), opts, granularity="item")
