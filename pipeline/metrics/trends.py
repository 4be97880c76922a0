"""Weight trend: exponentially smoothed weight per weigh-in (Hacker's Diet), nothing imputed."""

from __future__ import annotations

import datetime as dt

import polars as pl


def weight_trend(weigh_ins: pl.DataFrame, alpha: float) -> pl.DataFrame:
    """Add `trend_kg`: T[0] = W[0]; T[t] = T[t-1] + alpha * (W[t] - T[t-1]) per weigh-in day.

    Days without a weigh-in have no row, so they neither move the trend nor count as zero.
    """
    return weigh_ins.sort("date").with_columns(
        trend_kg=pl.col("weight_kg").ewm_mean(alpha=alpha, adjust=False)
    )


def trend_at(trend: pl.DataFrame, day: dt.date) -> float | None:
    """The trend as it stood at the end of `day` (last weigh-in on or before it)."""
    before = trend.filter(pl.col("date") <= day)
    return before["trend_kg"][-1] if before.height else None


def weight_metrics(trend: pl.DataFrame, start: dt.date, end: dt.date) -> dict[str, float | None]:
    """weight_trend_kg at `end`, and its change since the day before `start`.

    Without a weigh-in inside the period every figure is null: an old trend is not news.
    """
    inside = trend.filter(pl.col("date").is_between(start, end))
    if inside.height == 0:
        return {"weight_trend_kg": None, "weight_trend_change_kg": None, "weight_change_pct": None}
    end_kg = inside["trend_kg"][-1]
    start_kg = trend_at(trend, start - dt.timedelta(days=1))
    if start_kg is None:
        start_kg = inside["trend_kg"][0]
    change = end_kg - start_kg
    return {
        "weight_trend_kg": end_kg,
        "weight_trend_change_kg": change,
        "weight_change_pct": 100.0 * change / start_kg,
    }
