"""How numbers read in the report: no false precision, shares as whole percentages."""

from __future__ import annotations

WHOLE = ("steps_mean", "sedentary_min_mean", "mvpa_min_per_week", "kcal_mean", "sleep_min_mean")


def fmt(key: str, value: float | None) -> str:
    if value is None:
        return "–"
    if key in WHOLE:
        return f"{value:,.0f}"
    if key.endswith("_share") or key == "upf_coverage":
        return pct(value)
    return f"{value:,.1f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"
