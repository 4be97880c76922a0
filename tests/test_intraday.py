"""Minute-level rules on tiny frames; each expected value is worked out in a comment."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.metrics import daily, intraday, trends
from pipeline.store import empty_table

D, T = dt.date, dt.datetime


def minutes(day: dt.date, steps: dict[int, int], present: range = range(1440)) -> pl.LazyFrame:
    """One person's minute steps on `day`: minute index -> steps (others 0), only `present`."""
    t0 = dt.datetime.combine(day, dt.time())
    return pl.LazyFrame(
        {
            "person": "p",
            "ts_local": [t0 + dt.timedelta(minutes=i) for i in present],
            "steps": [steps.get(i, 0) for i in present],
        }
    )


def meal(at: dt.datetime) -> pl.LazyFrame:
    return pl.LazyFrame({"person": ["p"], "date": [at.date()], "meal_start": [at]})


def test_a_walk_needs_1000_steps_within_the_hour():
    # 12:10-12:19 at 100 steps/min = 1,000 steps after a 12:00 meal: walked
    m = minutes(D(2026, 3, 2), {12 * 60 + 10 + i: 100 for i in range(10)})
    out = intraday.post_meal_walks(meal(T(2026, 3, 2, 12)), m).collect()
    assert out.select("meals_timed", "meals_walked").row(0) == (1, 1)
    # a meal at 11:10: its hour is 11:10-12:09, the walk starts at 12:10: no walk
    late = intraday.post_meal_walks(meal(T(2026, 3, 2, 11, 10)), m).collect()
    assert late.select("meals_timed", "meals_walked").row(0) == (1, 0)


def test_an_hour_with_missing_minutes_is_unknown_unless_the_walk_is_there():
    # only 12:00-12:29 exported: 1,200 steps already make a walk; 500 steps prove nothing
    walked = minutes(D(2026, 3, 2), {720 + i: 120 for i in range(10)}, range(720, 750))
    short = minutes(D(2026, 3, 2), {720 + i: 50 for i in range(10)}, range(720, 750))
    at = meal(T(2026, 3, 2, 12))
    assert intraday.post_meal_walks(at, walked).collect().row(0)[2:] == (1, 1)
    assert intraday.post_meal_walks(at, short).collect().row(0)[2:] == (0, 0)


def test_minute_and_hourly_steps_of_one_device_are_not_summed():
    day = T(2026, 3, 2)
    frame = pl.LazyFrame(
        {
            "person": ["p", "p", "p"],
            "source": ["fitbit_minute_steps", "fitbit_minute_steps", "fitbit_hourly_steps"],
            "ts_local": [day, day + dt.timedelta(minutes=1), day],
            "steps": [30, 70, 100],
            "interval_min": [1, 1, 60],
        }
    )
    out = daily.intraday_days(frame).collect()
    # minute level wins: 30 + 70 = 100, not 200
    assert out.select("source", "steps").rows() == [("fitbit_minute_steps", 100)]


def test_a_daily_file_wins_its_own_days_over_its_intraday_steps():
    schema = empty_table("activity_daily").schema
    row = {"person": "p", "source": "fitbit_daily_activity", "file_id": "f"}
    act = pl.DataFrame([row | {"date": D(2026, 3, 2), "steps": 7000}], schema=schema)
    steps = pl.LazyFrame(
        {
            "person": ["p", "p"],
            "source": ["fitbit_minute_steps"] * 2,
            "ts_local": [T(2026, 3, 2, 9), T(2026, 3, 3, 9)],
            "steps": [6800, 9500],
            "interval_min": [1, 1],
        }
    )
    out = daily.activity_days(act.lazy(), 600, 500, intraday=steps).collect().sort("date")
    # 2 March: the daily file's 7,000; 3 March: rolled up from the minutes
    assert out.select("date", "source", "steps").rows() == [
        (D(2026, 3, 2), "fitbit_daily_activity", 7000),
        (D(2026, 3, 3), "fitbit_minute_steps", 9500),
    ]


def test_wear_comes_from_heart_rate_hours():
    # samples at 07:00, 07:59 and 12:30: two clock hours -> 120 minutes of wear
    hr = pl.LazyFrame(
        {
            "person": ["p"] * 3,
            "ts_local": [T(2026, 3, 2, 7), T(2026, 3, 2, 7, 59), T(2026, 3, 2, 12, 30)],
        }
    )
    assert daily.heart_rate_wear(hr).collect().row(0) == ("p", D(2026, 3, 2), 120)


def test_a_sitting_run_over_120_minutes_is_not_worn_without_heart_rate():
    # zeros from 07:00 to 09:59 except a walk 08:00-08:04: runs of 60 and 115 -> 2 bouts;
    # a zero run 12:00-14:29 (150 minutes) is "not worn"
    steps = {i: 20 for i in range(480, 485)} | {i: 20 for i in range(600, 720)}
    steps |= {i: 20 for i in range(870, 1320)}
    no_sleep = empty_table("sleep").lazy()
    no_hr = empty_table("heart_rate").lazy()
    out = intraday.sitting_bouts(minutes(D(2026, 3, 2), steps), no_sleep, no_hr).collect()
    assert out.select("sitting_bouts", "unworn_runs").row(0) == (2, 1)


def test_a_day_with_a_few_minutes_says_nothing_about_sitting():
    # 49 minutes exported (as in a truncated real file): the day gets no sitting value
    few = minutes(D(2026, 3, 2), {}, range(0, 49))
    out = intraday.sitting_bouts(few, empty_table("sleep").lazy(), empty_table("heart_rate").lazy())
    assert out.collect().height == 0


def test_weight_smoothing_restarts_after_a_long_gap():
    # 2019: 90 then 91; 2024: 80 then 79. Without the restart the 2024 trend would start at
    # 90.1 and fall slowly; restarted, T = 80, then 80 + 0.1 (79 - 80) = 79.9
    weigh = pl.DataFrame(
        {
            "date": [D(2019, 6, 1), D(2019, 6, 8), D(2024, 7, 1), D(2024, 7, 8)],
            "weight_kg": [90.0, 91.0, 80.0, 79.0],
        }
    )
    t = trends.weight_trend(weigh, alpha=0.1, max_gap_days=30)
    assert t["trend_kg"].to_list() == [90.0, 90.1, 80.0, 79.9]
    july = trends.weight_metrics(t, D(2024, 7, 1), D(2024, 7, 31))
    assert july["weight_trend_kg"] == 79.9
    assert round(july["weight_trend_change_kg"], 6) == -0.1  # within 2024's own window


def test_fitbit_takeout_parts_of_a_day_are_one_row():
    """Takeout writes one file per measure: steps per minute and each level's minutes."""
    rows = pl.DataFrame(
        {
            "person": ["p"] * 3,
            "source": [
                "fitbit_takeout_sedentary_minutes",
                "fitbit_takeout_moderately_active_minutes",
                "fitbit_takeout_very_active_minutes",
            ],
            "date": [D(2026, 3, 2)] * 3,
            "sedentary_min": [700, None, None],
            "moderate_min": [None, 25, None],
            "vigorous_min": [None, None, 10],
        }
    )
    act = pl.concat([empty_table("activity_daily"), rows], how="diagonal_relaxed")
    steps = pl.LazyFrame(
        {
            "person": ["p", "p"],
            "source": ["fitbit_takeout_steps"] * 2,
            "ts_local": [T(2026, 3, 2, 9), T(2026, 3, 2, 9, 1)],
            "steps": [100, 50],
            "interval_min": [1, 1],
        }
    )
    out = daily.activity_days(act.lazy(), 600, 500, intraday=steps).collect()
    # one row: the minutes' 150 steps, 700 sedentary, 25 + 10 = 35 active minutes
    assert out.select("source", "steps", "sedentary_min", "mvpa_min").rows() == [
        ("fitbit_takeout", 150, 700, 35)
    ]
