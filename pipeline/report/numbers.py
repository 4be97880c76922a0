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


def signed(key: str, value: float | None) -> str:
    """A change: shares in percentage points, counts without false decimals, never "-0"."""
    if value is None:
        return "–"
    if key.endswith("_share"):
        v, digits, unit = 100 * value, 0, " pts"
    else:
        v, digits, unit = value, 0 if key in WHOLE else 1, ""
    v = round(v, digits)
    if v == 0:  # a change that rounds to nothing has no sign
        return f"{0:.{digits}f}{unit}"
    return f"{v:+,.{digits}f}{unit}"
