"""Minute-level behaviours: long unbroken sitting, and walks after meals.

Both need minute-level steps; hourly steps cannot show a 60-minute run or a walk after a meal,
so a day with only hourly steps gets no value (null), never 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

GENERIC_GROUPS = ("", "uncategorized", "uncategorised", "all", "none", "other")


@dataclass(frozen=True)
class SittingRule:
    day_start_hour: int = 7  # waking window, local time
    day_end_hour: int = 22
    min_run_min: int = 60  # a run this long is a long sitting bout
    unworn_run_min: int = 120  # without heart rate, a longer zero run counts as not worn
    min_coverage: float = 0.8  # share of the waking window's minutes the export must hold


def minute_steps(intraday: pl.LazyFrame) -> pl.LazyFrame:
    """One steps value per person and minute (minute-level rows only).

    Two minute-level sources for one minute are not summed: the larger count is kept.
    """
    # sorted first (the store's rows mostly are already), grouped in that order: twice as
    # fast as grouping by hash and sorting the result
    return (
        intraday.filter(pl.col("interval_min") == 1)
        .sort("person", "ts_local")
        .group_by("person", "ts_local", maintain_order=True)
        .agg(pl.col("steps").max())
    )


def sleep_minutes(sleep: pl.LazyFrame) -> pl.LazyFrame:
    """Every local minute inside a sleep record that has a start and an end."""
    return (
        sleep.filter(pl.col("start_local").is_not_null() & pl.col("end_local").is_not_null())
        .select(
            "person",
            ts_local=pl.datetime_ranges(
                pl.col("start_local").dt.truncate("1m"),
                pl.col("end_local") - dt.timedelta(minutes=1),
                "1m",
            ),
        )
        .explode("ts_local")
        .drop_nulls("ts_local")
        .unique()
        .with_columns(in_sleep=pl.lit(True))
    )


def heart_rate_hours(heart_rate: pl.LazyFrame) -> pl.LazyFrame:
    """Clock hours (person, date, hour) that hold at least one heart-rate sample."""
    ts = pl.col("ts_local")
    return (
        heart_rate.select("person", date=ts.dt.date(), hour=ts.dt.hour())
        .unique()
        .with_columns(hr_hour=pl.lit(True))
    )


def sitting_bouts(
    minutes: pl.LazyFrame,
    sleep: pl.LazyFrame,
    heart_rate: pl.LazyFrame,
    rule: SittingRule = SittingRule(),
) -> pl.LazyFrame:
    """Per person and day whose minute-level steps cover the waking window: `sitting_bouts`
    (runs of >= 60 zero-step minutes in the waking window, outside sleep, in worn hours) and
    `unworn_runs` (zero runs over 120 minutes on days without heart rate: not worn).

    A minute missing from the export, inside a sleep record, or in an hour without a
    heart-rate sample on a day that has heart rate, ends a run: it is not sitting.
    """
    ts = pl.col("ts_local")
    hr_days = heart_rate_hours(heart_rate).select("person", "date").unique()
    m = (
        minutes.with_columns(date=ts.dt.date(), hour=ts.dt.hour())
        .join(sleep_minutes(sleep), on=["person", "ts_local"], how="left")
        .join(heart_rate_hours(heart_rate), on=["person", "date", "hour"], how="left")
        .join(hr_days.with_columns(hr_day=pl.lit(True)), on=["person", "date"], how="left")
        .with_columns(pl.col("in_sleep", "hr_hour", "hr_day").fill_null(False))
    )
    waking = pl.col("hour").is_between(rule.day_start_hour, rule.day_end_hour - 1)
    window = 60 * (rule.day_end_hour - rule.day_start_hour)
    # a day whose minutes cover less of the waking window than this says nothing about runs
    days = (
        m.group_by("person", "date")
        .agg(hr_day=pl.col("hr_day").first(), covered=waking.sum())
        .filter(pl.col("covered") >= rule.min_coverage * window)
        .drop("covered")
    )
    eligible = waking & ~pl.col("in_sleep") & (~pl.col("hr_day") | pl.col("hr_hour"))
    sitting = m.filter(eligible & (pl.col("steps") == 0)).sort("person", "ts_local")
    # a new run starts where the previous sitting minute is not the minute just before
    new_run = (ts.diff().over("person") != dt.timedelta(minutes=1)).fill_null(True)
    runs = (
        sitting.with_columns(run=new_run.cum_sum())
        .group_by("person", "run")
        .agg(date=pl.col("date").first(), hr_day=pl.col("hr_day").first(), length=pl.len())
        .filter(pl.col("length") >= rule.min_run_min)
    )
    unworn = ~pl.col("hr_day") & (pl.col("length") > rule.unworn_run_min)
    per_day = runs.group_by("person", "date").agg(
        sitting_bouts=(~unworn).sum().cast(pl.Int64), unworn_runs=unworn.sum().cast(pl.Int64)
    )
    return (
        days.join(per_day, on=["person", "date"], how="left")
        .with_columns(pl.col("sitting_bouts", "unworn_runs").fill_null(0))
        .drop("hr_day")
    )


def meal_starts(items: pl.LazyFrame, gap_min: int = 30, sums: tuple[str, ...] = ()) -> pl.LazyFrame:
    """One row per meal with a known time: person, date, meal_start (and the meal's total of
    each column in `sums`, e.g. carbs_g; unknown when no entry of the meal knows it).

    A meal is one meal group of one day, starting at its earliest entry. Entries without a
    real group ("Uncategorized") are grouped by time: entries less than `gap_min` apart.
    Groups that hold no energy (a vitamin alone) are not meals.
    """
    totals = [pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).alias(c) for c in sums]
    timed = items.filter(pl.col("time").is_not_null()).with_columns(
        at=pl.col("date").dt.combine(pl.col("time")),
        generic=pl.col("meal")
        .fill_null("")
        .str.strip_chars()
        .str.to_lowercase()
        .is_in(GENERIC_GROUPS),
    )
    named = (
        timed.filter(~pl.col("generic"))
        .group_by("person", "date", "source", "meal")
        .agg(*totals, meal_start=pl.col("at").min(), kcal=pl.col("kcal").sum())
    )
    loose = timed.filter(pl.col("generic")).sort("person", "date", "at")
    gap = (pl.col("at").diff().over("person", "date") >= dt.timedelta(minutes=gap_min)).fill_null(
        True
    )
    clustered = (
        loose.with_columns(cluster=gap.cum_sum().over("person", "date"))
        .group_by("person", "date", "source", "cluster")
        .agg(*totals, meal_start=pl.col("at").min(), kcal=pl.col("kcal").sum())
    )
    cols = ["person", "date", "meal_start", "kcal", *sums]
    return pl.concat([named.select(cols), clustered.select(cols)]).filter(
        pl.col("kcal").is_null() | (pl.col("kcal") > 0)
    )


def post_meal_walks(
    meals: pl.LazyFrame, minutes: pl.LazyFrame, window_min: int = 60, walk_steps: int = 1000
) -> pl.LazyFrame:
    """Per person and day: `meals_timed` (meals whose next hour is known) and `meals_walked`
    (those followed by >= `walk_steps` steps within `window_min` minutes of the start).

    An hour with missing minutes is known only if the steps present already reach the walk.
    """
    meals = meals.with_row_index("meal_id")
    series = minutes.sort("person", "ts_local").with_columns(
        cum_steps=pl.col("steps").fill_null(0).cum_sum().over("person"),
        cum_n=pl.int_range(1, pl.len() + 1).over("person"),
    )

    def at(col: str, offset: dt.timedelta) -> pl.LazyFrame:
        # cumulative steps and minute count up to and including meal_start + offset
        probe = meals.with_columns(t=pl.col("meal_start") + offset).sort("t")
        return probe.join_asof(
            series.select("person", "ts_local", "cum_steps", "cum_n"),
            left_on="t",
            right_on="ts_local",
            by="person",
            strategy="backward",
            # sorted by time within each person (polars cannot check that with `by`)
            check_sortedness=False,
        ).select(
            "meal_id",
            "person",
            "date",
            pl.col("cum_steps").fill_null(0).alias(f"steps_{col}"),
            pl.col("cum_n").fill_null(0).alias(f"n_{col}"),
        )

    before = at("before", dt.timedelta(minutes=-1))
    end = at("end", dt.timedelta(minutes=window_min - 1))
    walks = before.join(end.drop("person", "date"), on="meal_id").with_columns(
        steps=pl.col("steps_end") - pl.col("steps_before"),
        n=pl.col("n_end") - pl.col("n_before"),
    )
    walked = pl.col("steps") >= walk_steps
    known = walked | (pl.col("n") >= window_min)
    return walks.group_by("person", "date").agg(
        meals_timed=known.sum().cast(pl.Int64), meals_walked=(walked & known).sum().cast(pl.Int64)
    )
