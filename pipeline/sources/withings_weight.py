"""Withings `weight.csv` (from "Download my data"): weigh-ins with fat mass, in the account's
language, newest first.

Date,"Gewicht (kg)","Fettmasse (kg)","Knochenmasse (kg)",...,Kommentare
"2019-12-28 13:32:55",83.00,,,...,

Headers are matched through an alias table (English, German, French, Spanish, Italian,
Dutch, Danish), never by position. The timestamp is the local wall time of the weigh-in.
Fat mass becomes a fat percentage of that weigh-in's weight.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._parse import Converted, ReadOptions, convert, number

NAME = "withings_weight"
TABLE = "body"
TITLE = "Withings weight (weight.csv)"
HOW_TO_EXPORT = (
    "Withings (Health Mate) web: Profile > Settings > Download my data; the zip holds weight.csv."
)
LB = 0.45359237

ALIASES = {
    "date": ("Date", "Datum", "Fecha", "Data"),
    "weight_kg": ("Weight (kg)", "Gewicht (kg)", "Poids (kg)", "Peso (kg)", "Vægt (kg)"),
    "weight_lb": ("Weight (lb)", "Gewicht (lb)", "Poids (lb)", "Peso (lb)", "Vægt (lb)"),
    "fat_kg": (
        "Fat mass (kg)",
        "Fettmasse (kg)",
        "Masse grasse (kg)",
        "Masa grasa (kg)",
        "Massa grassa (kg)",
        "Vetmassa (kg)",
        "Fedtmasse (kg)",
    ),
    "fat_lb": ("Fat mass (lb)", "Fettmasse (lb)", "Masse grasse (lb)", "Masa grasa (lb)"),
}


def _find(columns: list[str], role: str) -> str | None:
    return next((c for c in columns if c in ALIASES[role]), None)


def detect(columns: list[str]) -> bool:
    has_weight = _find(columns, "weight_kg") or _find(columns, "weight_lb")
    return bool(_find(columns, "date") and has_weight and "Id" not in columns)


def local_datetime(e: pl.Expr) -> pl.Expr:
    # "2019-12-28 13:32:55": the weigh-in's local wall time
    return e.str.strip_chars().str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    cols = raw.columns
    in_lb = _find(cols, "weight_kg") is None
    weight = _find(cols, "weight_lb" if in_lb else "weight_kg")
    fat = _find(cols, "fat_lb" if in_lb else "fat_kg")
    conv = convert(
        raw,
        {
            "ts_local": (_find(cols, "date"), local_datetime),
            "weight_raw": (weight, number),
            "fat_raw": (fat, number),
        },
    )
    scale = LB if in_lb else 1.0
    frame = conv.frame.with_columns(
        person=pl.lit(opts.person or "me"),
        weight_kg=pl.col("weight_raw") * scale,
        # fat mass as a share of the same weigh-in (unknown when either is)
        fat_pct=100 * pl.col("fat_raw") / pl.col("weight_raw"),
        waist_cm=pl.lit(None, pl.Float64),
    ).drop("weight_raw", "fat_raw")
    return Converted(frame, conv.failures, conv.ignored, conv.warnings)
