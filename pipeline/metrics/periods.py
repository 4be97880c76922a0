"""Period metrics, each a ratio of sums over the period's valid (or logged) days.

Writing every metric as `scale * sum(num) / sum(den)` gives METRICS.md's rule (ratios over a
period are ratios of sums) and lets direction.py bootstrap any metric from weekly sums.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

KINDS = ("activity", "food", "sleep")


@dataclass(frozen=True)
class Measure:
    frame: str  # "activity" (valid days), "food" (logged days) or "sleep" (nights with a record)
    num: pl.Expr
    den: pl.Expr
    scale: float = 1.0
    better: int = 0  # +1: up is supportive, -1: down is supportive, 0: not a driver


def _known(col: str) -> pl.Expr:
    return pl.col(col).is_not_null().cast(pl.Float64)


def _mean(frame: str, col: str, better: int = 0) -> Measure:
    return Measure(frame, pl.col(col).cast(pl.Float64), _known(col), better=better)


def _both(a: str, b: str, col: str) -> pl.Expr:
    # a ratio uses only the days that know both of its parts
    return pl.when(pl.col(a).is_not_null() & pl.col(b).is_not_null()).then(pl.col(col))


MEASURES: dict[str, Measure] = {
    "steps_mean": _mean("activity", "steps", better=+1),
    "steps_8000_share": Measure(
        "activity", (pl.col("steps") >= 8000).cast(pl.Float64), _known("steps")
    ),
    "mvpa_min_per_week": Measure(
        "activity", pl.col("mvpa_min").cast(pl.Float64), _known("mvpa_min"), 7.0, +1
    ),
    "sedentary_min_mean": _mean("activity", "sedentary_min", better=-1),
    # per valid day with minute-level steps (hourly-only days know nothing of runs)
    "long_sitting_bouts_per_day": _mean("activity", "sitting_bouts", better=-1),
    "post_meal_walk_share": Measure(
        "activity",
        pl.col("meals_walked").cast(pl.Float64),
        pl.col("meals_timed").cast(pl.Float64),
        better=+1,
    ),
    "kcal_mean": _mean("food", "kcal"),
    "carbs_g_mean": _mean("food", "carbs_g"),
    "fiber_g_mean": _mean("food", "fiber_g"),
    "sugars_g_mean": _mean("food", "sugars_g"),
    "added_sugars_g_mean": _mean("food", "added_sugars_g"),
    "carb_fiber_ratio": Measure(
        "food",
        _both("carbs_g", "fiber_g", "carbs_g"),
        _both("carbs_g", "fiber_g", "fiber_g"),
        better=-1,
    ),
    "fiber_g_per_1000kcal": Measure(
        "food", _both("fiber_g", "kcal", "fiber_g"), _both("fiber_g", "kcal", "kcal"), 1000, +1
    ),
    "sugars_pct_kcal": Measure(
        "food",
        _both("sugars_g", "kcal", "sugars_g"),
        _both("sugars_g", "kcal", "kcal"),
        400.0,  # 100 % x 4 kcal per gram
        -1,
    ),
    "added_sugar_pct_kcal": Measure(
        "food",
        _both("added_sugars_g", "kcal", "added_sugars_g"),
        _both("added_sugars_g", "kcal", "kcal"),
        400.0,
        -1,
    ),
    "refined_carbs_g_mean": _mean("food", "refined_carbs_g", better=-1),
    "carbs_from_whole_share": Measure(
        "food", pl.col("whole_carbs_g"), pl.col("carb_rich_carbs_g"), better=+1
    ),
    "upf_kcal_share": Measure("food", pl.col("upf_kcal"), pl.col("classified_kcal"), better=-1),
    # a day with nothing classifiable still counts its energy in the denominator
    "upf_coverage": Measure(
        "food", _both("kcal", "kcal", "classified_kcal").fill_null(0.0), pl.col("kcal")
    ),
    "sleep_min_mean": _mean("sleep", "asleep_min"),
    # `short_night` is set when the nights are built, from the configured threshold
    "short_sleep_share": Measure(
        "sleep", pl.col("short_night").cast(pl.Float64), _known("asleep_min"), better=-1
    ),
}


def _uses(m: Measure) -> set[str]:
    return set(m.num.meta.root_names()) | set(m.den.meta.root_names())


def ordered_sum(expr: pl.Expr) -> pl.Expr:
    """The sum of `expr` in row order (nulls count as nothing), one addition after another.

    polars' own `sum` adds floats in an order that depends on how the rows are grouped (one
    person, or a thousand at once), so the last digit of a sum of grams could differ between
    `summary --person P` and `summary --all`. A running sum is the same sequence of
    additions whatever the grouping: every path gives the same numbers (DESIGN.md).
    """
    return expr.cast(pl.Float64).fill_null(0.0).cum_sum().last()


def ratio_expr(m: Measure) -> pl.Expr:
    """scale * sum(num) / sum(den), null when the denominator is 0 or unknown."""
    den = ordered_sum(m.den)
    return pl.when(den > 0).then(m.scale * ordered_sum(m.num) / den)


def counted_rows(frame: pl.LazyFrame, kind: str) -> pl.LazyFrame:
    """The days a metric is computed over: valid activity days, logged food days, or nights
    with a sleep record (every row of the sleep frame)."""
    if kind == "sleep":
        return frame
    return frame.filter(pl.col("valid" if kind == "activity" else "logged"))


def period_metrics(frames: dict[str, pl.LazyFrame]) -> dict[str, float | None]:
    """Every measure over one period's daily frames (already limited to the period), keyed
    by kind: {"activity": ..., "food": ..., "sleep": ...}."""
    out: dict[str, float | None] = {
        n: None for n, m in MEASURES.items() if m.frame not in frames
    }  # a kind of data the caller does not have is unknown
    for kind, frame in frames.items():
        have = set(frame.collect_schema().names())
        names = [n for n, m in MEASURES.items() if m.frame == kind and _uses(m) <= have]
        out.update({n: None for n, m in MEASURES.items() if m.frame == kind and n not in names})
        rows = counted_rows(frame, kind)
        rows = rows.sort("date") if "date" in have else rows  # the order the cohort adds in
        row = (
            rows.select([ratio_expr(MEASURES[n]).alias(n) for n in names])
            .collect()
            .row(0, named=True)
        )
        out.update(row)
    return {n: out[n] for n in MEASURES}  # the contract's order, whatever the frames


def weekly_sums(frame: pl.LazyFrame, kind: str, m: Measure) -> pl.DataFrame:
    """Per calendar week (Monday start): sum(num), sum(den) and the number of counted days
    that know the figure, over the period's counted days."""
    return weekly_sums_by(frame, kind, m, []).collect()


def weekly_sums_by(frame: pl.LazyFrame, kind: str, m: Measure, by: list[str]) -> pl.LazyFrame:
    """weekly_sums per group of `by` (["person"]: every person of a cohort at once), rows in
    date order so that the sums are added in the same order for one person or many."""
    return (
        counted_rows(frame, kind)
        .sort([*by, "date"])
        .group_by([*by, pl.col("date").dt.truncate("1w").alias("week")])
        .agg(
            num=ordered_sum(m.num),
            den=ordered_sum(m.den),
            days=(m.den > 0).sum().cast(pl.Int64),
        )
        .filter(pl.col("den") > 0)
        .sort([*by, "week"])
    )


def period_metrics_by_person(frames: dict[str, pl.LazyFrame]) -> dict[str, dict]:
    """period_metrics for every person in the frames at once: person -> metrics. A person
    without counted rows of a kind gets None for its measures, as period_metrics does."""
    out: dict[str, dict] = {}
    for kind, frame in frames.items():
        have = set(frame.collect_schema().names())
        names = [n for n, m in MEASURES.items() if m.frame == kind and _uses(m) <= have]
        rows = (
            counted_rows(frame, kind)
            .sort("person", "date")
            .group_by("person")
            .agg([ratio_expr(MEASURES[n]).alias(n) for n in names])
            .collect()
        )
        for row in rows.iter_rows(named=True):
            out.setdefault(row.pop("person"), {}).update(row)
    empty = {n: None for n in MEASURES}
    return {who: {n: {**empty, **m}[n] for n in MEASURES} for who, m in out.items()}
