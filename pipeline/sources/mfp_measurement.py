"""MyFitnessPal `Measurement-Summary-*.csv`: weigh-ins, in the account's unit."""

from __future__ import annotations

import polars as pl

from pipeline.sources._parse import Converted, ReadOptions, convert, has_columns, iso_date, number

NAME = "mfp_measurement"
TABLE = "body"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "MyFitnessPal weight (Measurement-Summary-*.csv)"
HOW_TO_EXPORT = (
    "MyFitnessPal (Premium): Settings > Export Data; ingest Measurement-Summary-*.csv "
    "with --weight-unit lb if your account uses pounds."
)

LB_TO_KG = 0.45359237
LIKELY_POUNDS = 130.0

# Date,Weight
# 2024-07-02,85.5
REQUIRED = {"Date", "Weight"}
SPEC = {
    "date": ("Date", iso_date),
    "weight": ("Weight", number),  # no unit in the file: kg or lb by account setting
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED) and "Meal" not in columns


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = convert(raw, SPEC)
    factor = LB_TO_KG if opts.weight_unit == "lb" else 1.0
    frame = conv.frame.select(
        "_line",
        person=pl.lit(opts.person or "me"),
        # a date without a time: noon keeps it on its day whatever the reader's zone
        ts_local=pl.col("date").cast(pl.Datetime("us")) + pl.duration(hours=12),
        weight_kg=pl.col("weight") * factor,
        fat_pct=pl.lit(None, pl.Float64),
        waist_cm=pl.lit(None, pl.Float64),
    )
    return Converted(frame, conv.failures)


def warnings(frame: pl.DataFrame, opts: ReadOptions) -> list[str]:
    """The file cannot say its unit, but a median above 130 "kg" is far more often pounds."""
    median = frame["weight_kg"].median()
    if opts.weight_unit == "kg" and median is not None and median > LIKELY_POUNDS:
        return [
            f"the weights have a median of {median:.1f} kg; if your MyFitnessPal account uses "
            "pounds, ingest the file again with --weight-unit lb (it replaces these rows)."
        ]
    return []
