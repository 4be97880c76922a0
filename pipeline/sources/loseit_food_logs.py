"""Lose It! `food-logs.csv` (from the export zip): one row per logged food.

Date,Name,Icon,Meal,Quantity,Units,Calories,Deleted,Fat (g),Protein (g),Carbohydrates (g),
  Saturated Fat (g),Sugars (g),Fiber (g),Cholesterol (mg),Sodium (mg)
07/15/2026,"Rice, White, Cooked",Rice,Lunch,350.0,Grams,455,0,...

No real export was seen. The header is the one several independent public parsers give as
"confirmed from the real export" (Python, Go and TypeScript clients of the Lose It! export;
one test fixture has only the first eight columns). Their fixtures write dates as
`MM/DD/YYYY` or `YYYY-MM-DD`, `Deleted` as `0/1` or `false/true`, quote food names that hold
commas, and one notes that nutrient cells may read `n/a` (unknown here, not a failure).

Entries deleted in the app stay in the file with `Deleted` 1/true: they are not stored and
are counted as ignored. Carbohydrates are total carbohydrate with fibre (a US app); Sugars
are total sugars (no added sugars column); there is no time of day. Icon, Quantity, Units,
Saturated Fat, Cholesterol and Sodium are not used.
"""

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
    us_date,
)

NAME = "loseit_food_logs"
TABLE = "food_items"
TITLE = "Lose It! food log (food-logs.csv)"
HOW_TO_EXPORT = (
    "loseit.com (web): Settings > Export Data; unzip the download and ingest food-logs.csv."
)

REQUIRED = {"Date", "Name", "Icon", "Meal", "Calories", "Deleted"}
NUMBERS = ("Calories", "Carbohydrates (g)", "Fiber (g)", "Sugars (g)", "Protein (g)", "Fat (g)")
DELETED = ("1", "true")
KEPT = ("0", "false")


def date(e: pl.Expr) -> pl.Expr:
    # "07/15/2026" or "2026-06-16"
    return pl.coalesce(us_date(e), iso_date(e))


def flag(e: pl.Expr) -> pl.Expr:
    # "0"/"1" or "false"/"true"
    e = e.str.strip_chars().str.to_lowercase()
    return pl.when(e.is_in(DELETED)).then(True).when(e.is_in(KEPT)).then(False)


SPEC = {
    "date": ("Date", date),
    "deleted": ("Deleted", flag),  # 0
    "time": (None, clock_time),  # Lose It! logs no time of day
    "meal": ("Meal", text),  # Breakfast, Lunch, Dinner, Snacks
    "food_name": ("Name", text),  # "Rice, White, Cooked"
    "kcal": ("Calories", number),  # 455
    "carbs_g": ("Carbohydrates (g)", number),  # total carbohydrate, fibre included
    "fiber_g": ("Fiber (g)", number),
    "sugars_g": ("Sugars (g)", number),  # total sugars
    "added_sugars_g": (None, number),
    "protein_g": ("Protein (g)", number),
    "fat_g": ("Fat (g)", number),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    # "n/a" in a nutrient cell is unknown, not a cell that does not parse
    unknown = [
        pl.when(pl.col(c).str.strip_chars().str.to_lowercase() != "n/a").then(pl.col(c)).alias(c)
        for c in NUMBERS
        if c in raw.columns
    ]
    deleted = flag(pl.col("Deleted")).fill_null(False)
    gone = raw.filter(deleted)
    conv = convert(raw.filter(~deleted).with_columns(unknown), SPEC)
    kept = Converted(conv.frame.drop("deleted"), conv.failures, ignored=gone.height)
    return _food.finish(kept, opts, granularity="item")
