"""How numbers read in the report: rounded to what the data supports, never "-0".

Steps to the nearest 10, minutes and grams to the nearest 1, ratios and body measures to one
decimal, shares as whole percentages (changes in shares as percentage points).
"""

from __future__ import annotations

STEPS = ("steps_mean",)
WHOLE = (
    "sedentary_min_mean",
    "mvpa_min_per_week",
    "kcal_mean",
    "sleep_min_mean",
    "carbs_g_mean",
    "fiber_g_mean",
    "sugars_g_mean",
    "added_sugars_g_mean",
    "refined_carbs_g_mean",
)


def places(key: str) -> int:
    """Decimal places for a metric (negative: round to tens)."""
    return -1 if key in STEPS else 0 if key in WHOLE else 1


def is_share(key: str) -> bool:
    return key.endswith("_share") or key == "upf_coverage"


def rounded(value: float, places: int) -> float:
    """`value` rounded, with -0.0 made 0.0 (so it never prints as "-0")."""
    return round(value, places) + 0.0


def fmt(key: str, value: float | None) -> str:
    if value is None:
        return "–"
    if is_share(key):
        return pct(value)
    n = places(key)
    return f"{rounded(value, n):,.{max(n, 0)}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{rounded(100 * value, 0):.0f}%"


def signed(key: str, value: float | None) -> str:
    """A change: shares in percentage points, counts without false decimals, never "-0"."""
    if value is None:
        return "–"
    if is_share(key):
        v, n, unit = 100 * value, 0, " pts"
    else:
        v, n, unit = value, places(key), ""
    v = rounded(v, n)
    digits = max(n, 0)
    if v == 0:  # a change that rounds to nothing has no sign
        return f"{0:.{digits}f}{unit}"
    return f"{v:+,.{digits}f}{unit}"
