"""Why a metric is null (or only an estimate): one plain sentence per metric key.

Missing is missing, never 0 - and a user deserves to know which export would fill the gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from pipeline.config import Config
from pipeline.metrics.food_quality import REASONS as FOOD_REASONS
from pipeline.period import Period, within

if TYPE_CHECKING:
    from pipeline.analysis import PersonDays

ACTIVITY = ("steps_mean", "steps_8000_share", "mvpa_min_per_week", "sedentary_min_mean")
INTENSITY = {
    "mvpa_min_per_week": "the activity export has no moderate/vigorous minutes",
    "sedentary_min_mean": "the activity export has no sedentary minutes",
}
FOOD = (
    "kcal_mean",
    "carbs_g_mean",
    "fiber_g_mean",
    "sugars_g_mean",
    "added_sugars_g_mean",
    "carb_fiber_ratio",
    "fiber_g_per_1000kcal",
    "sugars_pct_kcal",
    "added_sugar_pct_kcal",
)
UNKNOWN_SHARE_NOTED = 0.10  # more carbohydrate than this of unknown refinement is worth a note
QUALITY = ("refined_carbs_g_mean", "carbs_from_whole_share", "upf_kcal_share", "upf_coverage")


def _food_granularity(days: PersonDays, p: Period) -> set[str]:
    food = within(days.food, p).filter(pl.col("logged"))
    return set(food["granularity"])


def _activity_notes(m: dict, cov: dict, cfg: Config) -> dict[str, str]:
    notes = {}
    if not cov["activity_valid_days"]:
        why = (
            "no valid activity day in the period (worn "
            f"{cfg.wear_min_valid} min, or {cfg.steps_min_valid} steps where wear is unknown)"
        )
        notes.update({k: why for k in (*ACTIVITY, "long_sitting_bouts_per_day")})
        notes["post_meal_walk_share"] = why
        return notes
    notes.update({k: why for k, why in INTENSITY.items() if m[k] is None})
    if m["long_sitting_bouts_per_day"] is None:
        notes["long_sitting_bouts_per_day"] = (
            "needs minute-level steps covering the waking day (hourly or daily steps cannot "
            "show a 60-minute run)"
        )
    elif not cov["heart_rate_days"]:
        notes["long_sitting_bouts_per_day"] = (
            f"no heart rate: zero-step runs over {cfg.sitting_unworn_min} minutes are counted "
            "as not worn, not as sitting"
        )
    elif cov["heart_rate_days"] < cov["minute_level_days"]:
        notes["long_sitting_bouts_per_day"] = (
            f"heart rate on {cov['heart_rate_days']} of {cov['minute_level_days']} days: on the "
            f"others, zero-step runs over {cfg.sitting_unworn_min} minutes are counted as not "
            "worn, not as sitting"
        )
    if m["post_meal_walk_share"] is None:
        notes["post_meal_walk_share"] = (
            "needs meal times in the food log and minute-level steps on the same valid days"
        )
    return notes


def _low_wear_note(days: PersonDays, p: Period, cfg: Config) -> dict[str, str]:
    """Days with plenty of steps left out because heart rate shows little wear: most often a
    heart-rate export that covers only part of the day."""
    act = within(days.activity, p)
    left_out = act.filter(
        pl.col("hr_day") & ~pl.col("valid") & (pl.col("steps") >= cfg.steps_min_valid)
    ).height
    if not left_out:
        return {}
    return {
        "activity_valid_days": (
            f"{left_out} day(s) with {cfg.steps_min_valid}+ steps were left out because their "
            f"heart rate shows under {cfg.wear_min_valid} minutes of wear (a heart-rate export "
            "that covers only part of the day does this)"
        )
    }


def _unknown_refined_note(days: PersonDays, p: Period) -> dict[str, str]:
    food = within(days.food, p).filter(pl.col("logged"))
    if "unknown_refined_carbs_g" not in food.columns:
        return {}
    unknown, carbs = food["unknown_refined_carbs_g"].sum(), food["carbs_g"].sum()
    if not carbs or unknown / carbs <= UNKNOWN_SHARE_NOTED:
        return {}
    return {
        "refined_carbs_g_mean": (
            f"{100 * unknown / carbs:.0f}% of the carbohydrate is in foods whose refinement is "
            "unknown (a name no rule knows and no fibre figure); they are counted as not "
            "refined, so this is a lower bound. A [food_rules] entry in config.toml fixes a name"
        )
    }


def _food_notes(m: dict, cov: dict, grains: set[str]) -> dict[str, str]:
    if not cov["food_logged_days"]:
        why = "no logged food day in the period (a day counts from its kcal threshold)"
        return {k: why for k in (*FOOD, *QUALITY)}
    notes = {k: "the food export has no figure for this" for k in FOOD if m[k] is None}
    if m["added_sugar_pct_kcal"] is None:
        notes["added_sugar_pct_kcal"] = (
            "the food export has no added-sugar figures; total sugars are shown instead"
        )
    if grains == {"day"}:
        notes.update({k: FOOD_REASONS["day"] for k in QUALITY})
        notes["upf_coverage"] = FOOD_REASONS["day"]
    elif "meal" in grains:
        for k in ("refined_carbs_g_mean", "carbs_from_whole_share"):
            notes[k] = FOOD_REASONS["meal"]
        if m["upf_kcal_share"] is None:
            notes["upf_kcal_share"] = (
                "the food export has no food names (meals only): processing cannot be told"
            )
    if m["upf_kcal_share"] is None and "upf_kcal_share" not in notes:
        notes["upf_kcal_share"] = (
            "no logged food could be classified as ultra-processed or not (no food names, or "
            "names no rule knows); the coverage shows how much energy could be"
        )
    return notes


def metric_notes(m: dict, cov: dict, days: PersonDays, p: Period, cfg: Config) -> dict[str, str]:
    """metric key -> reason, for null metrics and for estimates."""
    notes = {
        **_low_wear_note(days, p, cfg),
        **_activity_notes(m, cov, cfg),
        **_unknown_refined_note(days, p),
        **_food_notes(m, cov, _food_granularity(days, p)),
    }
    if not cov["sleep_nights"]:
        why = "no sleep record in the period (ingest a sleep export: see spectrum formats)"
        notes.update(sleep_min_mean=why, short_sleep_share=why)
    if m["weight_trend_kg"] is None:
        why = "no weigh-in in the period"
        notes.update(weight_trend_kg=why, weight_trend_change_kg=why, weight_change_pct=why)
    if m["waist_change_cm_per_4wk"] is None:
        notes["waist_change_cm_per_4wk"] = (
            f"needs {cfg.waist_min_readings} waist readings spanning {cfg.waist_min_span_days} "
            f"days in the period ({cov['waist_readings']} reading(s) found)"
        )
    return notes | _consistency_notes(m, cov)


def _consistency_notes(m: dict, cov: dict) -> dict[str, str]:
    notes = {}
    for target, value in m["consistency"].items():
        if value is None:
            notes[f"consistency.{target}"] = (
                "no added-sugar figures in the food export"
                if target == "added_sugar" and cov["food_logged_days"]
                else "no counted day knows this figure"
            )
    return notes
