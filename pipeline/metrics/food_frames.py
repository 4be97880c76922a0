"""classify() for a whole table of food entries at once: each distinct name is judged once in
Python, the nutrient part runs as polars expressions, and the result equals classify() row by
row (tests/test_food_class.py checks it on every labelled name)."""

from __future__ import annotations

import polars as pl

from pipeline.metrics.food_class import (
    CARB_RICH_G,
    NO_NAME,
    NO_RULE,
    RATIO_SHOWN_MAX,
    WHOLE_RATIO,
    Rules,
    _name_outcome,
)


def _name_table(names: pl.Series, rules: Rules) -> pl.DataFrame:
    outcomes = [_name_outcome(n, rules) for n in names.to_list()]
    return pl.DataFrame(
        {
            "food_name": names,
            "_has_name": [o.has_name for o in outcomes],
            "_effect": [o.refined for o in outcomes],
            "_rtext": [o.refined_text for o in outcomes],
            "_up": [o.ultra_processed for o in outcomes],
            "_utext": [o.up_text for o in outcomes],
        },
        schema={
            "food_name": pl.String,
            "_has_name": pl.Boolean,
            "_effect": pl.String,
            "_rtext": pl.String,
            "_up": pl.Boolean,
            "_utext": pl.String,
        },
    )


def _known_expr(name: str) -> pl.Expr:
    x = pl.col(name).cast(pl.Float64)
    return pl.when(x.is_finite()).then(x)


def _tenths_expr(x: pl.Expr) -> pl.Expr:
    x = x.clip(-RATIO_SHOWN_MAX, RATIO_SHOWN_MAX)
    t = (x * 10 + 0.5).floor().cast(pl.Int64)
    sign = pl.when(t < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    a = t.abs()
    return pl.concat_str([sign, (a // 10).cast(pl.String), pl.lit("."), (a % 10).cast(pl.String)])


def _refined_exprs() -> tuple[pl.Expr, pl.Expr]:
    """The polars twin of _refined_part: (refined, text)."""
    carbs, fiber = _known_expr("carbs_g"), _known_expr("fiber_g")
    effect, rtext = pl.col("_effect"), pl.col("_rtext")
    by_ratio = effect == "by_ratio"
    prefix = pl.when(by_ratio).then(rtext + ", ").otherwise(pl.lit(""))
    both = carbs.is_not_null() & fiber.is_not_null()
    ratio = carbs / fiber
    under = carbs.is_not_null() & (carbs < CARB_RICH_G)
    effect_is = effect.fill_null("")
    refined = (
        pl.when(under)
        .then(False)
        .when(effect_is == "exempt")
        .then(False)
        .when(effect_is == "refined")
        .then(True)
        .when(both)
        .then((fiber == 0) | (ratio > WHOLE_RATIO))
        .when(effect_is.is_in(["low_carb", "by_ratio"]))
        .then(False)
        .otherwise(None)
    )
    text = (
        pl.when(under)
        .then(pl.lit("under 5 g carbohydrate"))
        .when(effect_is.is_in(["exempt", "refined"]))
        .then(rtext)
        .when(both & (fiber == 0))
        .then(prefix + "no fibre (carbs:fibre > 10)")
        .when(both & (ratio > WHOLE_RATIO))
        .then(prefix + "carbs:fibre " + _tenths_expr(ratio) + " > 10")
        .when(both)
        .then(prefix + "carbs:fibre " + _tenths_expr(ratio) + " <= 10")
        .when(effect_is == "low_carb")
        .then(rtext)
        .when(by_ratio)
        .then(rtext + ", no carbs/fibre given")
        .otherwise(pl.lit(NO_RULE))
    )
    return refined, text


def classify_items(items: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """`items` plus refined, ultra_processed and food_rule; equal to classify() row by row.

    Names repeat a lot (the same oats every morning), so the name part runs once per distinct
    name in Python and the nutrient part runs as polars expressions over all rows.
    """
    names = items.get_column("food_name").cast(pl.String).unique()
    table = _name_table(names, rules)
    joined = items.with_columns(pl.col("food_name").cast(pl.String).alias("_key")).join(
        table.rename({"food_name": "_key"}),
        on="_key",
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    refined, rtext = _refined_exprs()
    has_name = pl.col("_has_name")
    return joined.with_columns(
        refined=pl.when(has_name).then(refined).otherwise(None),
        ultra_processed=pl.when(has_name).then(pl.col("_up")).otherwise(None),
        food_rule=pl.when(has_name)
        .then(pl.concat_str([pl.lit("refined: "), rtext, pl.lit("; ultra_processed: "), "_utext"]))
        .otherwise(pl.lit(NO_NAME)),
    ).drop("_key", "_has_name", "_effect", "_rtext", "_up", "_utext")
