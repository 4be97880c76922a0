"""Direction of travel: a metric against the person's own baseline, with a 95% interval
whose false-direction rate is measured by simulation (tests/stats/).

How the interval is made, in plain words:
- Each period is cut into calendar weeks (Monday to Sunday). A week counts when it has at
  least `min_days` days with the figure (4 for daily behaviours, 1 for weigh-ins and waist
  readings); shorter weeks, such as the slivers at a month's edges, are left out of the
  interval (their days still count in the period's value).
- Each counting week gives one value: the metric over that week (a ratio of sums, as the
  period's own figure).
- The spread of weekly values around each period's mean, pooled over both periods, gives
  the uncertainty of each period's mean. Weeks next to each other are alike, so the
  variance is inflated by (1 + rho) / (1 - rho), rho being the lag-1 autocorrelation of the
  person's own weeks (as if nothing changed; between 0 and 0.8), and the degrees of freedom
  shrink by the same factor.
- The interval is the change +- a Student t quantile times that uncertainty: with 4 weeks
  against 13 the t quantile is far wider than the normal 1.96, which is the point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from pipeline.metrics.weekstats import lag1, t_quantile

TOWARD, AWAY, STEADY, INSUFFICIENT = "toward", "away", "steady", "insufficient"
SMALL_NOTE = (
    "the interval excludes no change, but the change is smaller than the minimum that matters"
)


def _ratio(nums: Sequence[float], dens: Sequence[float], scale: float) -> float | None:
    den = sum(dens)
    return scale * sum(nums) / den if den else None


Week = tuple  # (week start: date, num, den, days)


def weekly_values(weeks: Sequence[Week], scale: float, min_days: int) -> list[tuple]:
    """(week, the metric over that week) for each week with at least `min_days` days."""
    return [
        (week, scale * num / den)
        for week, num, den, days in sorted(weeks)
        if days >= min_days and den
    ]


def interval(
    delta: float, current: list[tuple], baseline: list[tuple]
) -> tuple[float, float] | None:
    """95% interval of the change: delta +- t(df_eff) x SE (see the module docstring)."""
    cur, base = [v for _, v in current], [v for _, v in baseline]
    n1, n0 = len(cur), len(base)
    if n1 < 1 or n0 < 1 or n1 + n0 < 3:
        return None
    m1, m0 = sum(cur) / n1, sum(base) / n0
    # d * d, not d ** 2: the cohort's vectorised interval squares by multiplying
    pooled = (sum((v - m1) * (v - m1) for v in cur) + sum((v - m0) * (v - m0) for v in base)) / (
        n1 + n0 - 2
    )
    rho = lag1([*baseline, *current])
    inflation = (1 + rho) / (1 - rho)
    se = math.sqrt(pooled * inflation * (1 / n1 + 1 / n0))
    t = t_quantile(0.975, (n1 + n0 - 2) / inflation)
    return delta - t * se, delta + t * se


def label(
    delta: float, ci95: tuple[float, float], better: int, baseline: float, min_change: float
) -> str:
    """toward / away when the CI excludes 0 and the change matters, else steady.

    A change smaller than `min_change` x |baseline| is steady even when the interval
    excludes 0: a real but tiny change is not a direction worth reporting.
    """
    if abs(delta) < min_change * abs(baseline):
        return STEADY
    if ci95[0] > 0 or ci95[1] < 0:
        return TOWARD if delta * better > 0 else AWAY
    return STEADY


def insufficient(baseline: float | None, value: float | None, note: str) -> dict:
    """Too little data in either period to say anything about direction."""
    return {
        "baseline": baseline,
        "value": value,
        "delta": None,
        "ci95": None,
        "label": INSUFFICIENT,
        "note": note,
    }


def weeks_note(now: int, base: int, needed: int, min_days: int) -> str:
    days = f"{min_days}+ days" if min_days > 1 else "data"
    return (
        f"too little data: {now} week(s) with {days} now, {base} in the baseline; "
        f"needs {needed} in each"
    )


def direction(
    name: str,
    current: pl.DataFrame,
    baseline: pl.DataFrame,
    scale: float,
    better: int,
    min_weeks: int,
    min_change: float = 0.0,
    min_days: int = 4,
) -> dict:
    """`current`/`baseline`: weekly `week`, `num`, `den`, `days` (periods.weekly_sums).

    `name` is kept for the caller's messages; the interval is analytic, so the same data
    always gives the same answer.
    """
    cols = ["week", "num", "den", "days"]
    return direction_of_weeks(
        current.select(cols).rows(),
        baseline.select(cols).rows(),
        scale,
        better,
        min_weeks,
        min_change,
        min_days,
    )


def direction_of_weeks(
    current: Sequence[Week],
    baseline: Sequence[Week],
    scale: float,
    better: int,
    min_weeks: int,
    min_change: float = 0.0,
    min_days: int = 4,
) -> dict:
    """The direction from weekly sums as plain tuples (the simulation in tests/stats calls
    this directly, many thousand times)."""
    value = _ratio([w[1] for w in current], [w[2] for w in current], scale)
    base = _ratio([w[1] for w in baseline], [w[2] for w in baseline], scale)
    cur_w = weekly_values(current, scale, min_days)
    base_w = weekly_values(baseline, scale, min_days)
    n1, n0 = len(cur_w), len(base_w)
    enough = n1 >= min_weeks and n0 >= min_weeks and value is not None and base is not None
    ci = interval(value - base, cur_w, base_w) if enough else None
    return finished(value, base, n1, n0, ci, better, min_weeks, min_change, min_days)


def finished(
    value: float | None,
    base: float | None,
    n1: int,
    n0: int,
    ci: tuple[float, float] | None,
    better: int,
    min_weeks: int,
    min_change: float,
    min_days: int,
) -> dict:
    """The direction's object from its figures: n1/n0 counting weeks now and in the
    baseline, `ci` None when there is too little data (direction_of_weeks and the cohort's
    vectorised intervals both end here)."""
    if n1 < min_weeks or n0 < min_weeks or value is None or base is None or ci is None:
        return insufficient(base, value, weeks_note(n1, n0, min_weeks, min_days))
    delta = value - base
    word = label(delta, ci, better, base, min_change)
    small = word == STEADY and (ci[0] > 0 or ci[1] < 0)
    return {
        "baseline": base,
        "value": value,
        "delta": delta,
        "ci95": [ci[0], ci[1]],
        "label": word,
        "note": SMALL_NOTE if small else None,
    }
