"""Cronometer `biometrics.csv`: one line per measurement (weight, body fat, waist, ...).

The lines of one day become one body row. Measurements spectrum does not use (blood
pressure, heart rate, ...) are counted as ignored, never silently dropped.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._parse import (
    FAILURE_SCHEMA,
    Converted,
    ReadOptions,
    convert,
    has_columns,
    iso_date,
    number,
    text,
)

NAME = "cronometer_biometrics"
TABLE = "body"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Cronometer biometrics (biometrics.csv): weight, body fat, waist"
HOW_TO_EXPORT = "Cronometer web: More > Account > Export Data > Biometrics (biometrics.csv)."
STORED_AS = ("day of body measurements", "days of body measurements")

LB_TO_KG = 0.45359237
IN_TO_CM = 2.54
# metric (lower case) -> (canonical column, {unit (lower case): factor to kg / % / cm})
METRICS = {
    "weight": ("weight_kg", {"kg": 1.0, "kgs": 1.0, "lb": LB_TO_KG, "lbs": LB_TO_KG}),
    "body fat": ("fat_pct", {"%": 1.0}),
    "waist": ("waist_cm", {"cm": 1.0, "in": IN_TO_CM, "inch": IN_TO_CM, "inches": IN_TO_CM}),
    "waist size": ("waist_cm", {"cm": 1.0, "in": IN_TO_CM, "inch": IN_TO_CM, "inches": IN_TO_CM}),
}

# Day,Group,Metric,Unit,Amount
# 2024-08-04,Uncategorized,"Weight",lbs,158.5
REQUIRED = {"Day", "Metric", "Unit", "Amount"}
SPEC = {
    "date": ("Day", iso_date),
    "metric": ("Metric", text),
    "unit": ("Unit", text),
    "amount": ("Amount", number),
}


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def _factor(column: str) -> pl.Expr:
    """The factor that turns this line's amount into `column`'s unit; null if not this column."""
    metric, unit = pl.col("metric").str.to_lowercase(), pl.col("unit").str.to_lowercase()
    expr = pl.lit(None, pl.Float64)
    for name, (col, units) in METRICS.items():
        if col == column:
            for u, f in units.items():
                expr = pl.when((metric == name) & (unit == u)).then(pl.lit(f)).otherwise(expr)
    return expr


def _failing(rows: pl.DataFrame, column: str, check: str, value: str) -> pl.DataFrame:
    return rows.select(
        pl.col("_line"),
        column=pl.lit(column),
        check=pl.lit(check),
        value=pl.col(value).cast(pl.String).fill_null(""),
    ).cast(FAILURE_SCHEMA)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = convert(raw, SPEC)
    frame = conv.frame.with_columns(
        # a line without a metric name is a measurement spectrum cannot use: ignored, counted
        used=pl.col("metric").str.to_lowercase().is_in(list(METRICS)).fill_null(False),
        **{col: _factor(col) for col in ("weight_kg", "fat_pct", "waist_cm")},
    )
    known_unit = pl.any_horizontal(pl.col("weight_kg", "fat_pct", "waist_cm").is_not_null())
    has_amount = pl.col("amount").is_not_null()
    failures = pl.concat(
        [
            conv.failures,
            _failing(frame.filter(pl.col("used") & ~known_unit), "Unit", "unit_is_known", "unit"),
            # a measurement without its number says nothing: quarantined, not stored as nulls
            _failing(
                frame.filter(pl.col("used") & known_unit & ~has_amount),
                "Amount",
                "amount_is_given",
                "amount",
            ),
        ]
    )
    kept = frame.filter(pl.col("used") & known_unit & has_amount).select(
        "_line",
        person=pl.lit(opts.person or "me"),
        # a date without a time: noon keeps it on its day whatever the reader's zone
        ts_local=pl.col("date").cast(pl.Datetime("us")) + pl.duration(hours=12),
        **{c: pl.col(c) * pl.col("amount") for c in ("weight_kg", "fat_pct", "waist_cm")},
    )
    return Converted(kept, failures, ignored=int((~frame["used"]).sum()))


def collapse(lines: pl.DataFrame) -> pl.DataFrame:
    """One row per day: the mean of each measurement taken that day."""
    return (
        lines.group_by("person", "source", "file_id", "ts_local")
        .agg(pl.col("weight_kg", "fat_pct", "waist_cm").mean())
        .sort("person", "ts_local")
    )
