"""Small statistics for the direction interval: Student t quantiles and the lag-1
autocorrelation of weekly values. Plain Python: a month has 4-5 weeks, a baseline 13."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from statistics import NormalDist

MAX_RHO = 0.8  # beyond this the inflation (1 + rho) / (1 - rho) = 9 would swamp any change


def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with `df` degrees of freedom (df >= 1, may be fractional).

    Exact for 1 and 2 degrees of freedom; a Cornish-Fisher expansion from 3 on (within 0.1%
    of tables at p = 0.975); linear in df in between.
    """
    df = max(df, 1.0)
    if df >= 3:
        return cornish_fisher(p, df)
    t1, t2 = t_small(p)
    if df <= 2:
        return t1 + (t2 - t1) * (df - 1)
    return t2 + (cornish_fisher(p, 3.0) - t2) * (df - 2)


def t_small(p: float) -> tuple[float, float]:
    """The exact p-quantiles for 1 and 2 degrees of freedom."""
    return math.tan(math.pi * (p - 0.5)), (2 * p - 1) / math.sqrt(2 * p * (1 - p))


def cornish_fisher(p: float, v):
    """The expansion for `v` degrees of freedom: a float, or a polars expression (the cohort
    computes every person's quantile at once). Written with + - * / only, in one order, so
    the two give the very same numbers (x ** 2 goes through pow(), which is not always x * x).
    """
    z = NormalDist().inv_cdf(p)
    v2 = v * v
    v3 = v2 * v
    v4 = v3 * v
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v4)
    )


def lag1(weeks: Sequence[tuple[dt.date, float]]) -> float:
    """Lag-1 autocorrelation of weekly values (week start, value), bounded to [0, MAX_RHO].

    Weeks next to each other are alike (a busy month, a holiday, a slow drift), so n weeks
    carry less information than n independent values. Estimated as if nothing changed between
    the periods (one mean over the baseline's and the month's weeks together, pairs of weeks
    7 days apart): centring each short period on its own mean hides a drift and made the
    interval too narrow in the simulation (tests/stats). A negative estimate counts as 0: it
    would narrow the interval, the error this guards against.
    """
    ordered = sorted(weeks)
    n = len(ordered)
    if n < 4:
        return 0.0
    mean = sum(v for _, v in ordered) / n
    den = sum((v - mean) * (v - mean) for _, v in ordered)
    if den == 0:
        return 0.0
    num = sum(
        (a - mean) * (b - mean)
        for (wa, a), (wb, b) in zip(ordered, ordered[1:], strict=False)
        if (wb - wa).days == 7
    )
    return min(max(num / den, 0.0), MAX_RHO)
