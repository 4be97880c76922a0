"""Daily frames: one row per person and day, one source per day, with its validity.

Two sources for the same day are never summed: a documented rule picks one.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

FOOD_NUMBERS = ("kcal", "carbs_g", "fiber_g", "sugars_g", "added_sugars_g", "protein_g", "fat_g")


def activity_days(
    activity_daily: pl.LazyFrame, wear_min_valid: int, steps_min_valid: int
) -> pl.LazyFrame:
    """The source with the most wear, then the most steps, wins a day (phone vs watch).

    A day is valid with `wear_min >= wear_min_valid` where wear is known, else with
    `steps >= steps_min_valid`; invalid days stay in the frame (for coverage) with valid=False.
    """
    wear_known = pl.col("wear_min").is_not_null()
    return (
        activity_daily.sort(
            ["person", "date", pl.col("wear_min").fill_null(-1), pl.col("steps").fill_null(-1)],
            descending=[False, False, True, True],
        )
        .unique(subset=["person", "date"], keep="first", maintain_order=True)
        .with_columns(
            valid=pl.when(wear_known)
            .then(pl.col("wear_min") >= wear_min_valid)
            .otherwise(pl.col("steps").fill_null(0) >= steps_min_valid),
            mvpa_min=pl.col("moderate_min") + pl.col("vigorous_min"),
        )
    )


def _sum_or_null(col: str) -> pl.Expr:
    # A field no entry of the day knows is unknown for the day, not 0.
    return pl.when(pl.col(col).is_not_null().any()).then(pl.col(col).sum()).alias(col)


def food_days(
    food_items: pl.LazyFrame, kcal_logged: float, source_priority: Sequence[str]
) -> pl.LazyFrame:
    """Daily totals from one export per day.

    Item- or meal-level rows win over day totals (so servings.csv and dailysummary.csv of
    the same app count once), then `source_priority`, then the export with more kcal.
    A day is logged when its kcal reach `kcal_logged`; lighter days are partial.
    """
    priority = {name: i for i, name in enumerate(source_priority)}
    per_source = food_items.group_by("person", "date", "source", "granularity").agg(
        *[_sum_or_null(c) for c in FOOD_NUMBERS], entries=pl.len()
    )
    return (
        per_source.with_columns(
            _level=(pl.col("granularity") == "day").cast(pl.Int8),
            _rank=pl.col("source").replace_strict(priority, default=len(priority)),
        )
        .sort(["person", "date", "_level", "_rank", "kcal"], descending=[False] * 4 + [True])
        .unique(subset=["person", "date"], keep="first", maintain_order=True)
        .drop("_level", "_rank")
        .with_columns(logged=pl.col("kcal").fill_null(0) >= kcal_logged)
    )


def weigh_in_days(body: pl.LazyFrame) -> pl.LazyFrame:
    """Mean weight per person and day, only days with a weigh-in (nothing imputed)."""
    return (
        body.filter(pl.col("weight_kg").is_not_null())
        .group_by("person", date=pl.col("ts_local").dt.date())
        .agg(pl.col("weight_kg").mean())
        .sort("person", "date")
    )
