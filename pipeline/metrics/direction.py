"""Direction of travel: a metric against the person's own baseline, with a bootstrap CI.

Days within a week are alike (routines, weekends), so resampling days would fake certainty;
we resample whole weeks in each period and recompute the ratio of sums.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence

import polars as pl

TOWARD, AWAY, STEADY, INSUFFICIENT = "toward", "away", "steady", "insufficient"


def _ratio(nums: Sequence[float], dens: Sequence[float], scale: float) -> float | None:
    den = sum(dens)
    return scale * sum(nums) / den if den else None


def bootstrap_delta(
    current: pl.DataFrame, baseline: pl.DataFrame, scale: float, reps: int, seed: str
) -> tuple[float, float]:
    """95% percentile interval of ratio(current) - ratio(baseline), resampling weeks.

    Seeded by the metric name, so the same data always gives the same interval. A resample
    whose denominator is 0 (only weeks without meals, say) has no ratio and is skipped.
    """
    rng = random.Random(zlib.crc32(seed.encode()))
    cur = list(zip(current["num"], current["den"], strict=True))
    base = list(zip(baseline["num"], baseline["den"], strict=True))
    deltas = []
    for _ in range(reps):
        c = rng.choices(cur, k=len(cur))
        b = rng.choices(base, k=len(base))
        now = _ratio([x[0] for x in c], [x[1] for x in c], scale)
        then = _ratio([x[0] for x in b], [x[1] for x in b], scale)
        if now is not None and then is not None:
            deltas.append(now - then)
    deltas.sort()
    n = len(deltas)
    return deltas[int(0.025 * (n - 1))], deltas[int(0.975 * (n - 1))]


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


def weeks_note(now: int, base: int, needed: int, what: str = "week(s) with data") -> str:
    return f"too little data: {now} {what} now, {base} in the baseline; needs {needed} in each"


def direction(
    name: str,
    current: pl.DataFrame,
    baseline: pl.DataFrame,
    scale: float,
    better: int,
    reps: int,
    min_weeks: int,
    min_change: float = 0.0,
) -> dict:
    """`current`/`baseline`: weekly `num`, `den` sums (periods.weekly_sums)."""
    value = _ratio(current["num"], current["den"], scale) if current.height else None
    base = _ratio(baseline["num"], baseline["den"], scale) if baseline.height else None
    if current.height < min_weeks or baseline.height < min_weeks:
        return insufficient(base, value, weeks_note(current.height, baseline.height, min_weeks))
    delta = value - base
    ci = bootstrap_delta(current, baseline, scale, reps, seed=name)
    return {
        "baseline": base,
        "value": value,
        "delta": delta,
        "ci95": [ci[0], ci[1]],
        "label": label(delta, ci, better, base, min_change),
        "note": None,
    }
