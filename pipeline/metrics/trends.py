"""Body trends: smoothed weight per weigh-in (Hacker's Diet) and the waist slope (Theil-Sen).

Nothing is imputed, and no trend carries across a long gap: after more than `max_gap_days`
without a weigh-in the smoothing starts again, and changes are measured only within one
such window (a 2019 file and a 2024 file are two stories, not one).
"""

from __future__ import annotations

import datetime as dt
import statistics

import polars as pl


def weight_trend(weigh_ins: pl.DataFrame, alpha: float, max_gap_days: int = 30) -> pl.DataFrame:
    """Add `segment` and `trend_kg`: T[0] = W[0]; T[t] = T[t-1] + alpha * (W[t] - T[t-1])
    per weigh-in day, restarting at each gap of more than `max_gap_days` days.

    Days without a weigh-in have no row, so they neither move the trend nor count as zero.
    """
    # per person when the frame holds several (a cohort): one person's trend never runs on
    # into the next person's weigh-ins
    by = ["person"] if "person" in weigh_ins.columns else []
    gap = pl.col("date").diff() if not by else pl.col("date").diff().over(by)
    gap = gap.dt.total_days() > max_gap_days
    segment = gap.fill_null(False).cum_sum()
    return (
        weigh_ins.sort([*by, "date"])
        .with_columns(segment=(segment.over(by) if by else segment).cast(pl.Int64))
        .with_columns(
            trend_kg=pl.col("weight_kg").ewm_mean(alpha=alpha, adjust=False).over([*by, "segment"])
        )
    )


def _last_on_or_before(trend: pl.DataFrame, day: dt.date) -> dict | None:
    before = trend.filter(pl.col("date") <= day)
    return before.row(-1, named=True) if before.height else None


def weight_metrics(trend: pl.DataFrame, start: dt.date, end: dt.date) -> dict[str, float | None]:
    """weight_trend_kg at `end`, and its change since the day before `start`, within the
    window (segment) that holds the period's last weigh-in.

    Without a weigh-in inside the period every figure is null: an old trend is not news.
    """
    inside = trend.filter(pl.col("date").is_between(start, end))
    if inside.height == 0:
        return {"weight_trend_kg": None, "weight_trend_change_kg": None, "weight_change_pct": None}
    last = inside.row(-1, named=True)
    before = _last_on_or_before(trend, start - dt.timedelta(days=1))
    if before is None or before["segment"] != last["segment"]:
        # the window began inside the period: measure from its first weigh-in
        before = inside.filter(pl.col("segment") == last["segment"]).row(0, named=True)
    change = last["trend_kg"] - before["trend_kg"]
    return {
        "weight_trend_kg": last["trend_kg"],
        "weight_trend_change_kg": change,
        "weight_change_pct": 100.0 * change / before["trend_kg"],
    }


def trend_end(trend: pl.DataFrame, start: dt.date, end: dt.date) -> dict | None:
    """The last weigh-in row (date, trend_kg, segment) inside [start, end], or None."""
    inside = trend.filter(pl.col("date").is_between(start, end))
    return inside.row(-1, named=True) if inside.height else None


def theil_sen_per_day(days: list[dt.date], values: list[float]) -> float | None:
    """Median of the slopes between every pair of readings on different days (per day)."""
    slopes = [
        (values[j] - values[i]) / (days[j] - days[i]).days
        for i in range(len(days))
        for j in range(i + 1, len(days))
        if days[j] != days[i]
    ]
    return statistics.median(slopes) if slopes else None


def waist_change_per_4wk(
    waist: pl.DataFrame,
    start: dt.date,
    end: dt.date,
    min_readings: int = 3,
    min_span_days: int = 28,
) -> float | None:
    """Theil-Sen slope of the period's waist readings, in cm per 4 weeks.

    Needs at least `min_readings` readings spanning at least `min_span_days` days: a slope
    from two close readings is noise.
    """
    inside = waist.filter(pl.col("date").is_between(start, end)).sort("date")
    if inside.height < min_readings:
        return None
    days, values = inside["date"].to_list(), inside["waist_cm"].to_list()
    if (days[-1] - days[0]).days < min_span_days:
        return None
    slope = theil_sen_per_day(days, values)
    return None if slope is None else 28.0 * slope
