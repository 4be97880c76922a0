"""workout_minutes: minutes of workouts per person and local day, each minute counted once
(pipeline/metrics/workouts.py). Every expected figure is worked out by hand in a comment."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.metrics.workouts import workout_minutes

D = dt.datetime
GARMIN, WITHINGS, MFP, CRONO = (
    "garmin_activities",
    "withings_activities",
    "mfp_exercise",
    "cronometer_exercises",
)


def frame(*rows: tuple) -> pl.LazyFrame:
    """(person, source, start_local, duration_min) rows."""
    return pl.LazyFrame(
        rows,
        schema={
            "person": pl.String,
            "source": pl.String,
            "start_local": pl.Datetime("us"),
            "duration_min": pl.Float64,
        },
        orient="row",
    )


def minutes(*rows: tuple) -> list[tuple]:
    return workout_minutes(frame(*rows)).collect().rows()


def test_the_same_walk_in_two_recorded_sources_counts_once_as_the_longer():
    # Garmin 07:45 + 43 min, Withings 07:46 + 44 min overlap: one walk, 44 min;
    # a Garmin run 18:00 + 30 min is another workout: 44 + 30 = 74
    assert minutes(
        ("me", GARMIN, D(2024, 5, 1, 7, 45), 43.0),
        ("me", WITHINGS, D(2024, 5, 1, 7, 46), 44.0),
        ("me", GARMIN, D(2024, 5, 1, 18, 0), 30.0),
    ) == [("me", dt.date(2024, 5, 1), 74.0)]


def test_workouts_that_only_touch_are_two():
    # 07:00 + 30 min ends at 07:30, when the next starts: 30 + 20 = 50
    assert minutes(
        ("me", GARMIN, D(2024, 5, 1, 7, 0), 30.0),
        ("me", GARMIN, D(2024, 5, 1, 7, 30), 20.0),
    ) == [("me", dt.date(2024, 5, 1), 50.0)]


def test_a_chain_of_overlaps_counts_its_longest_workout():
    # 07:00-08:00 overlaps 07:30-09:00, which overlaps 08:30-08:45: one run, longest 90;
    # 09:00 + 10 starts as the run ends: another 10. 90 + 10 = 100
    assert minutes(
        ("me", GARMIN, D(2024, 5, 1, 7, 0), 60.0),
        ("me", WITHINGS, D(2024, 5, 1, 7, 30), 90.0),
        ("me", GARMIN, D(2024, 5, 1, 8, 30), 15.0),
        ("me", GARMIN, D(2024, 5, 1, 9, 0), 10.0),
    ) == [("me", dt.date(2024, 5, 1), 100.0)]


def test_a_workout_counts_on_the_day_it_starts():
    # 23:50 + 20 min runs past midnight: all 20 on 1 May; Withings 00:05 + 10 overlaps it
    # (the same walk): the run is 1 May's, 20 min. 2 May 08:00 + 15: 15 on 2 May
    assert minutes(
        ("me", GARMIN, D(2024, 5, 1, 23, 50), 20.0),
        ("me", WITHINGS, D(2024, 5, 2, 0, 5), 10.0),
        ("me", GARMIN, D(2024, 5, 2, 8, 0), 15.0),
    ) == [("me", dt.date(2024, 5, 1), 20.0), ("me", dt.date(2024, 5, 2), 15.0)]


def test_food_app_logs_are_summed_per_app_and_the_largest_account_wins():
    # MyFitnessPal's entries 00:00:00 and 00:00:01 are entry numbers, not times: 70 + 11 = 81
    # (never merged as overlapping). Garmin recorded 45; Cronometer logged 60.
    # The day's largest single account: max(45, 81, 60) = 81
    assert minutes(
        ("me", MFP, D(2024, 5, 1, 0, 0, 0), 70.0),
        ("me", MFP, D(2024, 5, 1, 0, 0, 1), 11.0),
        ("me", GARMIN, D(2024, 5, 1, 7, 0), 45.0),
        ("me", CRONO, D(2024, 5, 1, 0, 0, 0), 60.0),
    ) == [("me", dt.date(2024, 5, 1), 81.0)]
    # Garmin's two workouts (45 + 50 = 95) outweigh the app's 81
    assert minutes(
        ("me", MFP, D(2024, 5, 1, 0, 0, 0), 70.0),
        ("me", MFP, D(2024, 5, 1, 0, 0, 1), 11.0),
        ("me", GARMIN, D(2024, 5, 1, 7, 0), 45.0),
        ("me", GARMIN, D(2024, 5, 1, 17, 0), 50.0),
    ) == [("me", dt.date(2024, 5, 1), 95.0)]


def test_unknown_durations_add_nothing_and_people_are_apart():
    # 1 May: 30 known + one unknown = 30. 2 May: only an unknown duration: no row (unknown,
    # not 0). "kim" walks at the same time as "me": her 25 is hers.
    assert minutes(
        ("me", GARMIN, D(2024, 5, 1, 7, 0), 30.0),
        ("me", GARMIN, D(2024, 5, 1, 7, 10), None),
        ("me", GARMIN, D(2024, 5, 2, 7, 0), None),
        ("kim", WITHINGS, D(2024, 5, 1, 7, 0), 25.0),
    ) == [("kim", dt.date(2024, 5, 1), 25.0), ("me", dt.date(2024, 5, 1), 30.0)]


def test_no_workouts_give_no_days():
    assert minutes() == []
