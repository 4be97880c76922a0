"""Daily frames: one row per person and day, one source per day, with its validity.

Two sources for the same day are never summed: a documented rule picks one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

FOOD_NUMBERS = ("kcal", "carbs_g", "fiber_g", "sugars_g", "added_sugars_g", "protein_g", "fat_g")
# Per-day food-quality sums (food_quality.item_quality adds the per-item parts).
QUALITY_NUMBERS = (
    "refined_carbs_g",
    "whole_carbs_g",
    "carb_rich_carbs_g",
    "upf_kcal",
    "classified_kcal",
    "unknown_refined_carbs_g",
)
ACTIVITY_COLUMNS = (
    "steps",
    "distance_km",
    "sedentary_min",
    "light_min",
    "moderate_min",
    "vigorous_min",
    "active_kcal",
    "wear_min",
)


def device(source: str = "source") -> pl.Expr:
    """The vendor a source belongs to ("fitbit_minute_steps" -> "fitbit")."""
    return pl.col(source).str.split("_").list.first()


def intraday_days(intraday: pl.LazyFrame) -> pl.LazyFrame:
    """Daily steps rolled up from minute or hourly steps, the finest interval per device and day.

    Minute and hourly files of one device describe the same steps: never summed.
    """
    return (
        intraday.group_by("person", "source", date=pl.col("ts_local").dt.date())
        .agg(
            steps=pl.when(pl.col("steps").is_not_null().any()).then(pl.col("steps").sum()),
            interval_min=pl.col("interval_min").min(),
        )
        .sort("person", "date", "interval_min")
        .unique(subset=["person", "date", device()], keep="first", maintain_order=True)
        .drop("interval_min")
    )


def heart_rate_wear(heart_rate: pl.LazyFrame) -> pl.LazyFrame:
    """wear_min per person and day: 60 x the clock hours holding at least one heart-rate sample.

    Hours, not minutes: an Apple Watch at rest samples only every few minutes (METRICS.md).
    """
    ts = pl.col("ts_local")
    return heart_rate.group_by("person", date=ts.dt.date()).agg(
        hr_wear_min=(ts.dt.hour().n_unique() * 60).cast(pl.Int64)
    )


# Exports that split one device's day over several files, one measure each (Fitbit Takeout:
# steps per minute, and sedentary/light/moderate/vigorous minutes in four files): their rows
# of a day are parts of one row, joined column by column, never competing sources.
SPLIT_DAY_PREFIX = "fitbit_takeout_"
SPLIT_DAY_SOURCE = "fitbit_takeout"


def join_split_days(days: pl.LazyFrame) -> pl.LazyFrame:
    """One row per person and day for the parts of a split export (see SPLIT_DAY_PREFIX)."""
    split = pl.col("source").str.starts_with(SPLIT_DAY_PREFIX)
    measures = [c for c in days.collect_schema().names() if c in ACTIVITY_COLUMNS]
    joined = (
        days.filter(split)
        .group_by("person", "date")
        .agg([pl.col(c).drop_nulls().first() for c in measures])
        .with_columns(source=pl.lit(SPLIT_DAY_SOURCE))
    )
    columns = ["person", "source", "date", *measures]
    return pl.concat([days.filter(~split).select(columns), joined.select(columns)])


def _with_rollup(activity_daily: pl.LazyFrame, intraday: pl.LazyFrame) -> pl.LazyFrame:
    """Daily rows, plus days rolled up from intraday steps where the same device has no
    daily row (a daily file wins its own days)."""
    whole = activity_daily.filter(~pl.col("source").str.starts_with(SPLIT_DAY_PREFIX))
    rolled = intraday_days(intraday).join(
        whole.select("person", "date", dev=device()).unique(),
        left_on=["person", "date", device()],
        right_on=["person", "date", "dev"],
        how="anti",
    )
    cols = activity_daily.collect_schema()
    filler = [pl.lit(None, cols[c]).alias(c) for c in ACTIVITY_COLUMNS if c != "steps"]
    rolled = rolled.with_columns(filler).select("person", "source", "date", *ACTIVITY_COLUMNS)
    return pl.concat(
        [activity_daily.select("person", "source", "date", *ACTIVITY_COLUMNS), rolled],
        how="vertical_relaxed",
    )


def priority_rank(source_priority: Sequence[str]) -> pl.Expr:
    """A source's place in the user's `source_priority` (unlisted sources after all listed)."""
    rank = {name: i for i, name in enumerate(source_priority)}
    return pl.col("source").replace_strict(rank, default=len(rank), return_dtype=pl.Int64)


def activity_days(
    activity_daily: pl.LazyFrame,
    wear_min_valid: int,
    steps_min_valid: int,
    intraday: pl.LazyFrame | None = None,
    heart_rate: pl.LazyFrame | None = None,
    source_priority: Sequence[str] = (),
) -> pl.LazyFrame:
    """One source wins a day (phone vs watch, never the sum): the first in `source_priority`
    (config), then the one with the most wear, then the most steps.

    Intraday steps fill days without a daily row from their device. Wear is the vendor's
    figure where it has one, else from heart rate where that exists. A day is valid with
    `wear_min >= wear_min_valid` where wear is known, else with `steps >= steps_min_valid`;
    invalid days stay in the frame (for coverage) with valid=False.
    """
    days = activity_daily if intraday is None else _with_rollup(activity_daily, intraday)
    days = join_split_days(days)
    if heart_rate is not None:
        days = days.join(heart_rate_wear(heart_rate), on=["person", "date"], how="left")
        days = days.with_columns(
            wear_min=pl.coalesce("wear_min", "hr_wear_min"),
            hr_day=pl.col("hr_wear_min").is_not_null(),
        ).drop("hr_wear_min")
    else:
        days = days.with_columns(hr_day=pl.lit(False))
    wear_known = pl.col("wear_min").is_not_null()
    return (
        days.sort(
            [
                "person",
                "date",
                priority_rank(source_priority),
                pl.col("wear_min").fill_null(-1),
                pl.col("steps").fill_null(-1),
            ],
            descending=[False, False, False, True, True],
        )
        .unique(subset=["person", "date"], keep="first", maintain_order=True)
        .with_columns(
            valid=pl.when(wear_known)
            .then(pl.col("wear_min") >= wear_min_valid)
            .otherwise(pl.col("steps").fill_null(0) >= steps_min_valid),
            mvpa_min=_active_minutes(),
        )
    )


def _active_minutes() -> pl.Expr:
    # A device that counts only one level (Apple's exercise minutes, Google's heart minutes)
    # still knows the day's active minutes; with neither level known they are unknown.
    moderate, vigorous = pl.col("moderate_min"), pl.col("vigorous_min")
    both_unknown = moderate.is_null() & vigorous.is_null()
    return pl.when(~both_unknown).then(moderate.fill_null(0) + vigorous.fill_null(0))


def with_workouts(days: pl.LazyFrame, workouts: pl.LazyFrame) -> pl.LazyFrame:
    """Workout minutes count as active minutes only on days whose device gives no activity
    levels (a Garmin run on a day a phone counted steps); a device's own minute levels already
    hold its workouts, so the two are never added (METRICS.md)."""
    from pipeline.metrics.workouts import workout_minutes

    minutes = workout_minutes(workouts).select("person", "date", "workout_min")
    # Within the span a person records workouts, a day without one had none (0 minutes);
    # outside it, nothing is known of that day's workouts.
    span = workouts.group_by("person").agg(
        first=pl.col("start_local").min().dt.date(), last=pl.col("start_local").max().dt.date()
    )
    recorded = pl.col("date").is_between(pl.col("first"), pl.col("last"))
    worked = pl.when(recorded).then(pl.col("workout_min").fill_null(0.0))
    return (
        days.join(minutes, on=["person", "date"], how="left")
        .join(span, on="person", how="left")
        .with_columns(worked=worked.otherwise(pl.col("workout_min")))
        .with_columns(
            mvpa_from_workouts=pl.col("mvpa_min").is_null() & pl.col("worked").is_not_null(),
            mvpa_min=pl.coalesce(pl.col("mvpa_min"), pl.col("worked").round(0).cast(pl.Int64)),
        )
        .drop("workout_min", "worked", "first", "last")
    )


def _sum_or_null(col: str) -> pl.Expr:
    # A field no entry of the day knows is unknown for the day, not 0. Added in entry order
    # (a running sum): polars' own float sum adds in an order that depends on how many
    # people are in the frame, and one person's day must sum alike alone or in a cohort.
    known = pl.col(col).is_not_null().any()
    return pl.when(known).then(pl.col(col).fill_null(0.0).cum_sum().last()).alias(col)


def food_days(
    food_items: pl.LazyFrame, kcal_logged: float, source_priority: Sequence[str]
) -> pl.LazyFrame:
    """Daily totals from one export per day.

    Item- or meal-level rows win over day totals (so servings.csv and dailysummary.csv of
    the same app count once), then `source_priority`, then the export with more kcal.
    A day is logged when its kcal reach `kcal_logged`; lighter days are partial.
    Food-quality columns (food_quality.item_quality) are summed when present.
    """
    priority = {name: i for i, name in enumerate(source_priority)}
    have = food_items.collect_schema().names()
    numbers = [*FOOD_NUMBERS, *(c for c in QUALITY_NUMBERS if c in have)]
    keys = [c for c in ("person", "date", "source", "entry_id") if c in have]
    per_source = (
        food_items.sort(keys)
        .group_by("person", "date", "source", "granularity")
        .agg(*[_sum_or_null(c) for c in numbers], entries=pl.len())
    )
    return (
        per_source.with_columns(
            _level=(pl.col("granularity") == "day").cast(pl.Int8),
            _rank=pl.col("source").replace_strict(priority, default=len(priority)),
        )
        .sort(["person", "date", "_level", "_rank", "kcal"], descending=[False] * 4 + [True])
        .unique(subset=["person", "date"], keep="first", maintain_order=True)
        .drop("_level", "_rank")
        .with_columns(logged=pl.col("kcal").fill_null(0) >= kcal_logged)
    )


def weigh_in_days(body: pl.LazyFrame) -> pl.LazyFrame:
    """Mean weight per person and day, only days with a weigh-in (nothing imputed)."""
    return _body_days(body, "weight_kg")


def waist_days(body: pl.LazyFrame) -> pl.LazyFrame:
    """Mean waist per person and day, only days with a reading."""
    return _body_days(body, "waist_cm")


def _body_days(body: pl.LazyFrame, col: str) -> pl.LazyFrame:
    return (
        body.filter(pl.col(col).is_not_null())
        .group_by("person", date=pl.col("ts_local").dt.date())
        .agg(pl.col(col).mean())
        .sort("person", "date")
    )


SLEEP_COLUMNS = ("person", "source", "date", "record", "asleep_min", "in_bed_min")


def joined_records(sleep: pl.LazyFrame) -> pl.LazyFrame:
    """Sleep records with a start and end, made whole and counted once.

    Records of one source that overlap describe the same sleep (a file ingested twice
    under another name, an app that writes stages and a summary): the one with most minutes
    asleep is kept. The parts of one record cut by two exports are joined, and the record is
    dated by the day the joined record ends.
    """
    by = ["person", "source"]
    end_so_far = pl.col("end_local").cum_max().shift(1).over(by)
    new_stretch = end_so_far.is_null() | (pl.col("start_local") >= end_so_far)
    return (
        sleep.filter(pl.col("start_local").is_not_null() & pl.col("end_local").is_not_null())
        .sort([*by, "start_local"])
        .with_columns(stretch=new_stretch.cum_sum().over(by))
        .sort([*by, "stretch", "asleep_min"], descending=[False, False, False, True])
        .unique(subset=[*by, "stretch"], keep="first", maintain_order=True)
        .group_by([*by, "record"])
        .agg(
            pl.col("end_local").max(),
            pl.col("asleep_min").sum(),
            pl.col("in_bed_min").sum(),
        )
        .with_columns(date=(pl.col("end_local") - dt.timedelta(microseconds=1)).dt.date())
    )


NAP_FROM_HOUR, NAP_UNTIL_HOUR = 10, 20


def is_nap(start: str = "start_local", end: str = "end_local") -> pl.Expr:
    """A daytime sleep: it starts at 10:00 or later and ends by 20:00 the same day. It is not
    the night (METRICS.md: minutes asleep per night), so it is left out of the night's sum."""
    s, e = pl.col(start), pl.col(end)
    same_day = s.dt.date() == e.dt.date()
    until = s.dt.date().dt.combine(dt.time(NAP_UNTIL_HOUR))
    return (same_day & (s.dt.hour() >= NAP_FROM_HOUR) & (e <= until)).fill_null(False)


def sleep_nights(sleep: pl.LazyFrame, source_priority: Sequence[str] = ()) -> pl.LazyFrame:
    """Minutes asleep per person and night, from one source per night.

    A source's records of one night no longer overlap once joined_records has run, so their
    sum is their union; two sources (a watch and a phone app) are never added: the first in
    `source_priority` wins, then the one with most minutes asleep. Daytime naps (`is_nap`)
    are not part of a night.
    """
    untimed = sleep.filter(pl.col("start_local").is_null() | pl.col("end_local").is_null())
    timed = sleep.filter(~is_nap())
    records = pl.concat(
        [untimed.select(SLEEP_COLUMNS), joined_records(timed).select(SLEEP_COLUMNS)],
        how="vertical_relaxed",
    )
    return (
        records.group_by("person", "date", "source")
        .agg(
            asleep_min=pl.col("asleep_min").sum(),
            in_bed_min=pl.when(pl.col("in_bed_min").is_not_null().any()).then(
                pl.col("in_bed_min").sum()
            ),
            known=pl.col("asleep_min").is_not_null().any(),
        )
        .filter(pl.col("known"))
        .drop("known")
        .sort(
            ["person", "date", priority_rank(source_priority), "asleep_min"],
            descending=[False, False, False, True],
        )
        .unique(subset=["person", "date"], keep="first", maintain_order=True)
    )
