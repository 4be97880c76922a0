"""Per-item food quality: refined carbohydrate, whole-food carbohydrate, ultra-processed energy.

Item-level exports (Cronometer) are classified by name and nutrients (food_class). Per-meal
exports without food names (MyFitnessPal) fall back to the meal's own carbs:fibre ratio for
refined carbohydrate, marked as an estimate; their processing is unknown. Day totals carry
no item at all: every quality figure is null for them.
"""

from __future__ import annotations

import polars as pl

from pipeline.metrics.food_class import CARB_RICH_G, WHOLE_RATIO, Rules
from pipeline.metrics.food_frames import classify_items

REASONS = {
    "day": "the food export has day totals only, no foods or meals to classify",
    "meal": "estimated from each meal's own carbs:fibre ratio: the food export has meals, "
    "not foods",
}


def _ratio_refined() -> pl.Expr:
    carbs, fiber = pl.col("carbs_g"), pl.col("fiber_g")
    return (
        pl.when(carbs.is_null())
        .then(None)
        .when(carbs < CARB_RICH_G)
        .then(False)
        .when(fiber.is_null())
        .then(None)
        .otherwise((fiber == 0) | (carbs / fiber > WHOLE_RATIO))
    )


def item_quality(items: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """`items` (food_items rows) with refined, ultra_processed, food_rule and the per-item
    parts of the daily quality sums (daily.QUALITY_NUMBERS)."""
    classified = classify_items(items, rules)
    level = pl.col("granularity")
    carbs, fiber, kcal = pl.col("carbs_g"), pl.col("fiber_g"), pl.col("kcal")
    refined = (
        pl.when(level == "item")
        .then(pl.col("refined"))
        .when(level == "meal")
        .then(_ratio_refined())
        .otherwise(None)
    )
    upf = pl.when(level == "item").then(pl.col("ultra_processed"))
    carb_rich = (carbs >= CARB_RICH_G) & fiber.is_not_null() & (level != "day")
    whole = carb_rich & (fiber > 0) & (carbs / fiber <= WHOLE_RATIO)
    return classified.with_columns(refined=refined, ultra_processed=upf).with_columns(
        refined_carbs_g=pl.when(level != "day").then(
            pl.when(pl.col("refined")).then(carbs).otherwise(0.0)
        ),
        whole_carbs_g=pl.when(level != "day").then(pl.when(whole).then(carbs).otherwise(0.0)),
        carb_rich_carbs_g=pl.when(level != "day").then(
            pl.when(carb_rich).then(carbs).otherwise(0.0)
        ),
        upf_kcal=pl.when(level == "item").then(
            pl.when(pl.col("ultra_processed")).then(kcal).otherwise(0.0)
        ),
        # carbohydrate-rich items whose refinement nobody could tell (counted as not refined)
        unknown_refined_carbs_g=pl.when(level != "day").then(
            pl.when(pl.col("refined").is_null() & (carbs >= CARB_RICH_G)).then(carbs).otherwise(0.0)
        ),
        classified_kcal=pl.when(level == "item").then(
            pl.when(pl.col("ultra_processed").is_not_null()).then(kcal).otherwise(0.0)
        ),
    )


def _top(items: pl.DataFrame, flag: str, amount: str, n: int) -> list[dict]:
    return (
        items.filter(pl.col(flag).fill_null(False) & pl.col("food_name").is_not_null())
        .group_by("food_name")
        .agg(amount=pl.col(amount).sum(), entries=pl.len(), rule=pl.col("food_rule").first())
        .sort(["amount", "food_name"], descending=[True, False])
        .head(n)
        .to_dicts()
    )


def top_refined_foods(items: pl.DataFrame, n: int = 5) -> list[dict]:
    """The `n` foods that gave the most refined carbohydrate (grams in `amount`)."""
    return _top(items, "refined", "carbs_g", n)


def top_upf_foods(items: pl.DataFrame, n: int = 5) -> list[dict]:
    """The `n` foods that gave the most ultra-processed energy (kcal in `amount`), so a
    reader can see what drives the share (and correct a misclassified recipe)."""
    return _top(items, "ultra_processed", "kcal", n)
