"""The direction interval of direction.py for many people and metrics at once.

`summary --all` needs one interval per person and driver metric: a thousand people make
fifteen thousand intervals. Here they are one polars computation over a long frame of weekly
sums (one row per person, metric, period side and week), with no Python loop over people.

It must give the very numbers of `direction.direction_of_weeks` (a person's summary is the
same whether asked alone or with a cohort; tests/test_cohort.py checks it to the last bit).
So every figure is made with the same floating-point operations in the same order:
- sums are running sums in week order (`periods.ordered_sum`), the order Python's `sum`
  adds a list in; polars' `sum` adds in an order of its own;
- squares are d * d, as in direction.py (x ** 2 goes through pow());
- the t quantile is weekstats' own Cornish-Fisher expression, applied to a column.
The interval is analytic (no resampling), so there is no random seed to share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from pipeline.metrics.periods import ordered_sum
from pipeline.metrics.weekstats import MAX_RHO, cornish_fisher, t_small

NOW, BASE = "now", "base"
WEEK_COLUMNS = ("side", "week", "num", "den", "days", "scale", "min_days")


def t_quantile_expr(p: float, df: pl.Expr) -> pl.Expr:
    """weekstats.t_quantile for a column of degrees of freedom."""
    df = df.clip(lower_bound=1.0)
    t1, t2 = t_small(p)
    return (
        pl.when(df >= 3)
        .then(cornish_fisher(p, df))
        .when(df <= 2)
        .then(t1 + (t2 - t1) * (df - 1))
        .otherwise(t2 + (cornish_fisher(p, 3.0) - t2) * (df - 2))
    )


def _side_figures(weeks: pl.LazyFrame, by: list[str]) -> pl.LazyFrame:
    """Per group and side: the period's value (ratio of all weeks' sums), and over the
    counting weeks their number, mean and sum of squared deviations."""
    value = (
        weeks.sort([*by, "side", "week"])
        .group_by([*by, "side"])
        .agg(
            value=pl.col("scale").first() * ordered_sum(pl.col("num")) / ordered_sum(pl.col("den"))
        )
    )
    v = pl.col("v")
    mean = ordered_sum(v) / pl.len()
    spread = (
        _counting(weeks)
        .sort([*by, "side", "week"])
        .group_by([*by, "side"])
        .agg(n=pl.len().cast(pl.Int64), mean=mean, ss=ordered_sum((v - mean) * (v - mean)))
    )
    return value.join(spread, on=[*by, "side"], how="left").with_columns(pl.col("n").fill_null(0))


def _counting(weeks: pl.LazyFrame) -> pl.LazyFrame:
    """The weeks with at least `min_days` days, each with its value (direction.weekly_values)."""
    counts = (pl.col("days") >= pl.col("min_days")) & (pl.col("den") != 0)
    return weeks.filter(counts).with_columns(v=pl.col("scale") * pl.col("num") / pl.col("den"))


def _rho(weeks: pl.LazyFrame, by: list[str]) -> pl.LazyFrame:
    """weekstats.lag1 per group, over both sides' counting weeks ordered as it orders them."""
    v, week = pl.col("v"), pl.col("week")
    mean = ordered_sum(v) / pl.len()
    next_week = (week.shift(-1) - week) == dt.timedelta(days=7)
    pairs = pl.when(next_week).then((v - mean) * (v.shift(-1) - mean)).otherwise(0.0)
    den = ordered_sum((v - mean) * (v - mean))
    rho = (
        pl.when((pl.len() < 4) | (den == 0))
        .then(0.0)
        .otherwise((ordered_sum(pairs) / den).clip(0.0, MAX_RHO))
    )
    return _counting(weeks).sort([*by, "week", "v"]).group_by(by).agg(rho=rho)


def interval_figures(weeks: pl.LazyFrame | pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """One row per group of `by` (person, metric): `value`, `baseline`, `n_now`, `n_base`
    (counting weeks) and `low`, `high` (the 95% interval, null where direction.interval
    gives none).

    `weeks` holds [*by, side ("now"/"base"), week, num, den, days, scale, min_days]: the rows
    of periods.weekly_sums for each group and side, with the metric's scale and the days a
    week needs.
    """
    by = list(by)
    weeks = weeks.lazy().select(*by, *WEEK_COLUMNS)
    sides = _side_figures(weeks, by).collect()
    now = sides.filter(pl.col("side") == NOW).drop("side")
    base = sides.filter(pl.col("side") == BASE).drop("side")
    groups = sides.select(by).unique(maintain_order=True)
    n1, n0 = pl.col("n_now").cast(pl.Float64), pl.col("n_base").cast(pl.Float64)
    pooled = (pl.col("ss_now") + pl.col("ss_base")) / (n1 + n0 - 2)
    inflation = (1 + pl.col("rho")) / (1 - pl.col("rho"))
    se = (pooled * inflation * (1 / n1 + 1 / n0)).sqrt()
    t = t_quantile_expr(0.975, (n1 + n0 - 2) / inflation)
    delta = pl.col("value") - pl.col("baseline")
    possible = (pl.col("n_now") >= 1) & (pl.col("n_base") >= 1) & (n1 + n0 >= 3)
    possible = possible & delta.is_not_null()
    return (
        groups.join(now.rename(_suffixed(now, by, "now")), on=by, how="left")
        .join(base.rename(_suffixed(base, by, "base")), on=by, how="left")
        .join(_rho(weeks, by).collect(), on=by, how="left")
        .rename({"value_now": "value", "value_base": "baseline"})
        .with_columns(pl.col("n_now", "n_base").fill_null(0), pl.col("rho").fill_null(0.0))
        .with_columns(
            low=pl.when(possible).then(delta - t * se),
            high=pl.when(possible).then(delta + t * se),
        )
        .select(*by, "value", "baseline", "n_now", "n_base", "low", "high")
    )


def _suffixed(frame: pl.DataFrame, by: list[str], side: str) -> dict[str, str]:
    return {c: f"{c}_{side}" for c in frame.columns if c not in by}
