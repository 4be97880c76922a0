"""The words users see (METRICS.md "Words"): labels, directions and the disclaimer."""

from __future__ import annotations

METRIC_LABELS = {
    "days_in_period": "Days in period",
    "activity_valid_days": "Valid activity days",
    "food_logged_days": "Logged food days",
    "steps_mean": "Steps per day",
    "steps_8000_share": "Share of days with 8,000+ steps",
    "mvpa_min_per_week": "Active minutes per week (moderate+vigorous)",
    "sedentary_min_mean": "Sedentary minutes per day",
    "kcal_mean": "Energy per day (kcal)",
    "carbs_g_mean": "Carbohydrate per day (g)",
    "fiber_g_mean": "Fibre per day (g)",
    "sugars_g_mean": "Total sugars per day (g)",
    "added_sugars_g_mean": "Added sugars per day (g)",
    "carb_fiber_ratio": "Carbohydrate : fibre ratio",
    "fiber_g_per_1000kcal": "Fibre per 1,000 kcal (g)",
    "sugars_pct_kcal": "Total sugars, % of energy",
    "added_sugar_pct_kcal": "Added sugars, % of energy",
    "long_sitting_bouts_per_day": "Sitting stretches of 60+ min per day",
    "post_meal_walk_share": "Share of meals followed by a walk",
    "refined_carbs_g_mean": "Refined carbohydrate per day (g)",
    "carbs_from_whole_share": "Share of carbohydrate from fibre-rich foods (10:1)",
    "upf_kcal_share": "Ultra-processed share of energy",
    "upf_coverage": "Energy with a known processing class",
    "sleep_min_mean": "Minutes asleep per night",
    "short_sleep_share": "Share of nights under 7 h asleep",
    "waist_change_cm_per_4wk": "Waist change (cm per 4 weeks)",
    "waist_cm": "Waist (cm, mean of readings)",
    "weight_trend_kg": "Weight trend (kg)",
    "weight_trend_change_kg": "Weight trend change (kg)",
    "weight_change_pct": "Weight trend change (%)",
}

LABEL_TEXT = {
    "toward": "moving toward the supportive direction",
    "away": "moving away from the supportive direction",
    "steady": "steady",
    "insufficient": "not enough data to tell",
}

TARGET_LABELS = {
    "steps": "Days with the step target",
    "mvpa": "Days with the active-minutes target",
    "fiber_density": "Days with the fibre-density target",
    "added_sugar": "Days under the added-sugar target",
}

DISCLAIMER = (
    "This report describes behaviours and their direction. It does not measure insulin "
    "sensitivity or diagnose anything. Individual responses vary (genetics, age, hormones). "
    "Talk to a clinician about medical questions."
)
