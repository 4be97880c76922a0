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
    "weight_trend_kg": "Weight trend (kg)",
    "weight_trend_change_kg": "Weight trend change (kg)",
    "weight_change_pct": "Weight trend change (%)",
}

LABEL_TEXT = {
    "toward": "moving toward the supportive direction",
    "away": "moving away from the supportive direction",
    "steady": "steady",
}

DISCLAIMER = (
    "This report describes behaviours and their direction. It does not measure insulin "
    "sensitivity or diagnose anything. Individual responses vary (genetics, age, hormones). "
    "Talk to a clinician about medical questions."
)
