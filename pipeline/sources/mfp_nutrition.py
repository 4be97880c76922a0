"""MyFitnessPal `Nutrition-Summary-*.csv`: one row per meal (or per logged time), no food names."""

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

NAME = "mfp_nutrition"
TABLE = "food_items"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "MyFitnessPal nutrition (Nutrition-Summary-*.csv)"
HOW_TO_EXPORT = (
    "MyFitnessPal (Premium): Settings > Export Data; unzip and ingest Nutrition-Summary-*.csv."
)

# Date,Meal,[Time,]Calories,Fat (g),...,Carbohydrates (g),Fiber,Sugar,Protein (g),...[,Note]
# 2024-07-02,Breakfast,518.0,29.0,...,36.7,2.1,14.1,27.6,...
REQUIRED = {"Date", "Meal", "Calories", "Carbohydrates (g)"}
FREE_TEXT_LAST = True  # Note: raw commas and line breaks (pipeline/sources/_csv.py)
SPEC = {
    "date": ("Date", iso_date),
    "time": ("Time", clock_time),  # "10:00 AM", often blank, absent in newer exports
    "meal": ("Meal", text),  # user-editable names: no enum
    "food_name": (None, lambda e: e),  # MyFitnessPal exports no food names
    "kcal": ("Calories", number),
    "carbs_g": ("Carbohydrates (g)", number),  # total carbohydrate, US label convention
    "fiber_g": ("Fiber", number),
    "sugars_g": ("Sugar", number),  # total sugars; no added-sugar column exists
    "added_sugars_g": (None, number),
    "protein_g": ("Protein (g)", number),
    "fat_g": ("Fat (g)", number),
}


def detect(columns: list[str]) -> bool:
    # Lose It!'s food-logs.csv has these columns too, and a Deleted flag MyFitnessPal lacks
    return has_columns(columns, REQUIRED) and "Deleted" not in columns


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    return _food.finish(convert(raw, SPEC), opts, granularity="meal")
