"""Workout minutes per person and local day, each minute counted once.

A workout counts on the local day it starts. Two kinds of source write workouts:

- Recorded workouts (Garmin, Withings, Apple Health) have a clock start and a duration.
  Workouts of one person whose times overlap, from any sources, are one workout seen twice
  (the same walk in Garmin and Withings): a run of overlapping workouts counts its longest
  one, on the day the run starts. Workouts that only touch (one ends as the next starts) are
  two.
- Exercise logs of food apps (MyFitnessPal, Cronometer) have a day but no clock time (their
  start is the day + an entry number in seconds: pipeline/sources/_exercise_log.py). Their
  entries of a day are summed per app. They cannot be matched to recorded workouts by time,
  and these apps copy recorded workouts in (Garmin -> MyFitnessPal), so a day's minutes are
  the largest single account of it - the recorded workouts, or one app's log - never their
  sum.

A workout with unknown duration adds nothing; a day whose workouts all have unknown
durations has no row (unknown, not 0).
"""

from __future__ import annotations

import polars as pl

# sources whose start is a day and an entry number, not a clock time
UNTIMED_SOURCES = ("mfp_exercise", "cronometer_exercises")


def recorded_workout_minutes(workouts: pl.LazyFrame) -> pl.LazyFrame:
    """person, date, minutes: recorded workouts, each run of overlapping ones counted once
    (by its longest workout) on the day the run starts."""
    start = pl.col("start_local")
    end = start + pl.duration(milliseconds=(pl.col("duration_min") * 60_000).round(0))
    end_so_far = pl.col("end").cum_max().shift(1).over("person")
    return (
        workouts.filter(~pl.col("source").is_in(UNTIMED_SOURCES))
        .with_columns(end=end)
        .sort("person", "start_local")
        .with_columns(run=(end_so_far.is_null() | (start >= end_so_far)).cum_sum().over("person"))
        .group_by("person", "run")
        .agg(date=start.min().dt.date(), minutes=pl.col("duration_min").max())
        .group_by("person", "date")
        .agg(pl.col("minutes").sum())
    )


def logged_exercise_minutes(workouts: pl.LazyFrame) -> pl.LazyFrame:
    """person, date, source, minutes: each food app's exercise log summed per day."""
    return (
        workouts.filter(pl.col("source").is_in(UNTIMED_SOURCES))
        .group_by("person", "source", date=pl.col("start_local").dt.date())
        .agg(pl.col("duration_min").sum().alias("minutes"))
    )


def workout_minutes(workouts: pl.LazyFrame) -> pl.LazyFrame:
    """person, date, workout_min: minutes of workouts per local day (see the module doc)."""
    known = workouts.filter(
        pl.col("duration_min").is_not_null() & pl.col("start_local").is_not_null()
    )
    accounts = pl.concat(
        [
            recorded_workout_minutes(known).select("person", "date", "minutes"),
            logged_exercise_minutes(known).select("person", "date", "minutes"),
        ]
    )
    return (
        accounts.group_by("person", "date")
        .agg(workout_min=pl.col("minutes").max())
        .sort("person", "date")
    )
