"""Direction of travel: a metric against the person's own baseline, with a bootstrap CI.

Days within a week are alike (routines, weekends), so resampling days would fake certainty;
we resample whole weeks in each period and recompute the ratio of sums.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence

import polars as pl

TOWARD, AWAY, STEADY = "toward", "away", "steady"


def _ratio(nums: Sequence[float], dens: Sequence[float], scale: float) -> float:
    return scale * sum(nums) / sum(dens)


def bootstrap_delta(
    current: pl.DataFrame, baseline: pl.DataFrame, scale: float, reps: int, seed: str
) -> tuple[float, float]:
    """95% percentile interval of ratio(current) - ratio(baseline), resampling weeks.

    Seeded by the metric name, so the same data always gives the same interval.
    """
    rng = random.Random(zlib.crc32(seed.encode()))
    cur = list(zip(current["num"], current["den"], strict=True))
    base = list(zip(baseline["num"], baseline["den"], strict=True))
    deltas = []
    for _ in range(reps):
        c = rng.choices(cur, k=len(cur))
        b = rng.choices(base, k=len(base))
        deltas.append(
            _ratio([x[0] for x in c], [x[1] for x in c], scale)
            - _ratio([x[0] for x in b], [x[1] for x in b], scale)
        )
    deltas.sort()
    return deltas[int(0.025 * (reps - 1))], deltas[int(0.975 * (reps - 1))]


def label(delta: float, ci95: tuple[float, float], better: int) -> str:
    """toward / away when the CI excludes 0, else steady."""
    if ci95[0] > 0 or ci95[1] < 0:
        return TOWARD if delta * better > 0 else AWAY
    return STEADY


def too_little(baseline: float | None, value: float | None, note: str) -> dict:
    return {
        "baseline": baseline,
        "value": value,
        "delta": None,
        "ci95": None,
        "label": STEADY,
        "note": note,
    }


def direction(
    name: str,
    current: pl.DataFrame,
    baseline: pl.DataFrame,
    scale: float,
    better: int,
    reps: int,
    min_weeks: int,
) -> dict:
    """`current`/`baseline`: weekly `num`, `den` sums (periods.weekly_sums)."""
    value = _ratio(current["num"], current["den"], scale) if current.height else None
    base = _ratio(baseline["num"], baseline["den"], scale) if baseline.height else None
    if current.height < min_weeks or baseline.height < min_weeks:
        return too_little(
            base,
            value,
            f"too little data: {current.height} week(s) now, {baseline.height} in the baseline; "
            f"needs {min_weeks} in each",
        )
    delta = value - base
    ci = bootstrap_delta(current, baseline, scale, reps, seed=name)
    return {
        "baseline": base,
        "value": value,
        "delta": delta,
        "ci95": [ci[0], ci[1]],
        "label": label(delta, ci, better),
        "note": None,
    }
