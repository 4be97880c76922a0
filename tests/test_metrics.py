"""Metric functions on small frames; every expected value is worked out by hand in a comment."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.metrics import daily, direction, periods, trends
from pipeline.sources._parse import ReadOptions
from pipeline.store import empty_table
from tests import fixtures as fx
from tests.conftest import write

D = dt.date


def no_activity() -> pl.LazyFrame:
    return daily.activity_days(empty_table("activity_daily").lazy(), 600, 500)


def no_food() -> pl.LazyFrame:
    return daily.food_days(empty_table("food_items").lazy(), 800, ())


def _accepted(tmp_path, name: str, text: str) -> pl.DataFrame:
    from pipeline.ingest import prepare

    return prepare(write(tmp_path / name, text), None, ReadOptions()).accepted


@pytest.fixture
def act(tmp_path) -> pl.DataFrame:
    frame = _accepted(tmp_path, "d.csv", fx.FITBIT_DAILY)
    return daily.activity_days(frame.lazy(), wear_min_valid=600, steps_min_valid=500).collect()


@pytest.fixture
def food(tmp_path) -> pl.DataFrame:
    items = pl.concat(
        [
            _accepted(tmp_path, "s.csv", fx.CRONOMETER_SERVINGS),
            _accepted(tmp_path, "d.csv", fx.CRONOMETER_DAILY),
        ]
    )
    priority = ("cronometer_servings", "cronometer_dailysummary")
    return daily.food_days(items.lazy(), kcal_logged=800, source_priority=priority).collect()


def test_activity_validity_uses_steps_when_wear_is_unknown(act):
    # 3 March: 0 steps, 1440 sedentary minutes = not worn -> invalid, kept for coverage
    assert act.select("date", "valid").rows() == [
        (D(2026, 3, 1), True),
        (D(2026, 3, 2), True),
        (D(2026, 3, 3), False),
        (D(2026, 3, 4), True),
    ]


def test_activity_period_metrics(act):
    m = periods.period_metrics({"activity": act.lazy(), "food": no_food()})
    # valid days: 10000, 6000, 8000 steps
    assert m["steps_mean"] == 8000.0  # 24000 / 3
    assert m["steps_8000_share"] == pytest.approx(2 / 3)  # 10000 and 8000
    # moderate+vigorous: (10+20) + (10+0) + (5+5) = 50 over 3 valid days -> 7 * 50 / 3
    assert m["mvpa_min_per_week"] == pytest.approx(116.6666667)
    assert m["sedentary_min_mean"] == pytest.approx((700 + 800 + 760) / 3)


def test_two_devices_on_one_day_are_not_summed():
    rows = {
        "person": ["me", "me"],
        "date": [D(2026, 3, 1)] * 2,
        "source": ["phone", "watch"],
        "steps": [10000, 9000],
        "wear_min": [None, 700],
        "moderate_min": [10, 20],
        "vigorous_min": [0, 5],
    }
    days = daily.activity_days(pl.LazyFrame(rows), 600, 500).collect()
    # the watch knows its wear time (700 min) and wins; the phone's steps are not added
    assert days.select("source", "steps", "valid", "mvpa_min").rows() == [("watch", 9000, True, 25)]


def test_source_priority_from_config_picks_the_device():
    rows = {
        "person": ["me", "me", "me"],
        "date": [D(2026, 3, 1)] * 2 + [D(2026, 3, 2)],  # the phone alone on 2 March
        "source": ["phone", "watch", "phone"],
        "steps": [10000, 9000, 4000],
        "wear_min": [None, 700, None],
        "moderate_min": [None, None, None],
        "vigorous_min": [None, None, None],
    }
    days = daily.activity_days(pl.LazyFrame(rows), 600, 500, source_priority=["phone"])
    # listed first, the phone wins 1 March despite the watch's wear; never the sum
    assert days.collect().sort("date").select("date", "source", "steps").rows() == [
        (D(2026, 3, 1), "phone", 10000),
        (D(2026, 3, 2), "phone", 4000),
    ]


def test_workouts_count_only_on_days_without_activity_levels():
    days = pl.LazyFrame(
        {
            "person": ["me"] * 4,
            "date": [D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4)],
            "source": ["fitbit_daily_activity"] + ["google_fit_daily"] * 3,
            "steps": [9000, 7000, 6000, 5000],
            "wear_min": [800, None, None, None],
            "moderate_min": [20, None, None, None],  # from 2 March: a phone, no levels
            "vigorous_min": [10, None, None, None],
        }
    )
    workouts = pl.LazyFrame(
        {
            "person": ["me", "me"],
            "source": ["garmin_activities"] * 2,
            "start_local": [dt.datetime(2026, 3, 1, 7), dt.datetime(2026, 3, 3, 18)],
            "duration_min": [40.0, 44.6],
        }
    )
    out = daily.with_workouts(daily.activity_days(days, 600, 500), workouts).collect()
    # 1 March: the Fitbit's own levels (20 + 10) already hold the run; 2 March: no workout
    # between the first and last recorded ones, so none that day; 3 March: 44.6 -> 45;
    # 4 March: after the last recorded workout, unknown
    assert out.sort("date").select("date", "mvpa_min", "mvpa_from_workouts").rows() == [
        (D(2026, 3, 1), 30, False),
        (D(2026, 3, 2), 0, True),
        (D(2026, 3, 3), 45, True),
        (D(2026, 3, 4), None, False),
    ]


def test_one_known_level_is_the_days_active_minutes():
    rows = {
        "person": ["me"],
        "date": [D(2026, 3, 1)],
        "source": ["apple_health"],
        "steps": [9000],
        "wear_min": [None],
        "moderate_min": [25],  # Apple's exercise minutes: no vigorous count
        "vigorous_min": [None],
    }
    days = daily.activity_days(pl.LazyFrame(rows), 600, 500).collect()
    assert days["mvpa_min"].to_list() == [25]


def test_item_level_export_wins_over_day_totals_of_the_same_day(food):
    # 1 March is in servings.csv (1200 kcal over 3 items) and dailysummary.csv (1200):
    # counted once, from the items. 2 March: 100 kcal -> partial. 3 March: day totals only.
    assert food.select("date", "source", "kcal", "logged").rows() == [
        (D(2026, 3, 1), "cronometer_servings", 1200.0, True),
        (D(2026, 3, 2), "cronometer_servings", 100.0, False),
        (D(2026, 3, 3), "cronometer_dailysummary", 1500.0, True),
    ]
    # the soup's carbs are unknown: the day's carbs are the known 54 + 90, not null or 0
    assert food["carbs_g"][0] == 144.0


def test_food_period_metrics_are_ratios_of_sums(food):
    m = periods.period_metrics({"activity": no_activity(), "food": food.lazy()})
    # logged days: 1 March (1200 kcal, 144 carbs, 11 fibre, 11 sugars, 6 added)
    #              3 March (1500 kcal, 150 carbs, 15 fibre, 30 sugars, added unknown)
    assert m["kcal_mean"] == 1350.0  # 2700 / 2
    assert m["carbs_g_mean"] == 147.0  # 294 / 2
    assert m["fiber_g_mean"] == 13.0  # 26 / 2
    assert m["sugars_g_mean"] == 20.5  # 41 / 2
    assert m["carb_fiber_ratio"] == pytest.approx(294 / 26)  # 11.3077, not mean of 13.1, 10
    assert m["fiber_g_per_1000kcal"] == pytest.approx(1000 * 26 / 2700)  # 9.63
    assert m["sugars_pct_kcal"] == pytest.approx(400 * 41 / 2700)  # 6.07 %
    # added sugars are known on 1 March only: 6 g of 1200 kcal -> 2.0 %
    assert m["added_sugars_g_mean"] == 6.0
    assert m["added_sugar_pct_kcal"] == pytest.approx(2.0)


def test_metrics_without_data_are_missing_not_zero():
    m = periods.period_metrics({"activity": no_activity(), "food": no_food()})
    assert set(m.values()) == {None}


def test_weight_trend_is_smoothed_per_weigh_in_without_imputation():
    weigh = pl.DataFrame(
        {"date": [D(2026, 3, 1), D(2026, 3, 3), D(2026, 3, 10)], "weight_kg": [80.0, 79.0, 78.0]}
    )
    t = trends.weight_trend(weigh, alpha=0.1)
    # T0 = 80; T1 = 80 + 0.1 (79 - 80) = 79.9; T2 = 79.9 + 0.1 (78 - 79.9) = 79.71
    assert t["trend_kg"].to_list() == pytest.approx([80.0, 79.9, 79.71])
    march = trends.weight_metrics(t, D(2026, 3, 1), D(2026, 3, 31))
    assert march["weight_trend_kg"] == pytest.approx(79.71)
    assert march["weight_trend_change_kg"] == pytest.approx(-0.29)  # from the first, 80
    assert march["weight_change_pct"] == pytest.approx(-0.3625)
    later = trends.weight_metrics(t, D(2026, 3, 5), D(2026, 3, 31))
    # starts from the trend as it stood on 4 March (79.9): -0.19 kg, -0.2378 %
    assert later["weight_trend_change_kg"] == pytest.approx(-0.19)
    assert later["weight_change_pct"] == pytest.approx(-0.19 / 79.9 * 100)
    none = trends.weight_metrics(t, D(2026, 4, 1), D(2026, 4, 30))
    assert none == {
        "weight_trend_kg": None,
        "weight_trend_change_kg": None,
        "weight_change_pct": None,
    }


def test_weekly_sums_group_calendar_weeks(act):
    m = periods.MEASURES["steps_mean"]
    weeks = periods.weekly_sums(act.lazy(), "activity", m)
    # 1 March 2026 is a Sunday (week of 23 Feb); 2-4 March fall in the week of 2 March,
    # where 3 March is invalid: 6000 + 8000 over 2 days
    assert weeks.rows() == [(D(2026, 2, 23), 10000.0, 1.0, 1), (D(2026, 3, 2), 14000.0, 2.0, 2)]


JAN_5 = D(2026, 1, 5)


def weeks(values: list[float], first: dt.date = JAN_5) -> pl.DataFrame:
    """Consecutive full weeks (7 days each) with these weekly means."""
    return pl.DataFrame(
        {
            "week": [first + dt.timedelta(days=7 * i) for i in range(len(values))],
            "num": [v * 7 for v in values],
            "den": [7.0] * len(values),
            "days": [7] * len(values),
        }
    )


def test_direction_labels_follow_the_supportive_direction():
    assert direction.label(5.0, (1.0, 9.0), +1, 100.0, 0.05) == "toward"
    assert direction.label(5.0, (1.0, 9.0), -1, 100.0, 0.05) == "away"
    assert direction.label(-5.0, (-9.0, -1.0), -1, 100.0, 0.05) == "toward"
    assert direction.label(5.0, (-1.0, 9.0), +1, 100.0, 0.05) == "steady"
    # the interval excludes 0, but 5 is under 5% of a baseline of 200: too small to matter
    assert direction.label(5.0, (1.0, 9.0), +1, 200.0, 0.05) == "steady"


def test_interval_by_hand():
    # baseline weeks 10, 11, 9, 10, 10, 11, 9, 10 (mean 10); the month 12, 13, 11, 12 (mean 12)
    # pooled variance (4 + 2) / (12 - 2) = 0.6; lag-1 autocorrelation of the 12 weeks around
    # their one mean 10.667: 4.556 / 16.667 = 0.2733; inflation 1.2733 / 0.7267 = 1.7523;
    # SE = sqrt(0.6 x 1.7523 x (1/4 + 1/8)) = 0.62791; df = 10 / 1.7523 = 5.707;
    # t(0.975, 5.707) = 2.483 by the t table (2.571 at 5, 2.447 at 6) -> 2 +- 1.559
    base = weeks([10, 11, 9, 10, 10, 11, 9, 10])
    now = weeks([12, 13, 11, 12], first=D(2026, 3, 2))
    d = direction.direction("x", now, base, 1.0, +1, 2)
    assert (d["baseline"], d["value"], d["delta"]) == (10.0, 12.0, 2.0)
    assert d["ci95"] == pytest.approx([2 - 1.559, 2 + 1.559], abs=0.01)
    assert d["label"] == "toward"


def test_t_quantiles_match_the_table():
    from pipeline.metrics.weekstats import t_quantile

    table = {1: 12.706, 2: 4.303, 3: 3.182, 5: 2.571, 10: 2.228, 30: 2.042}
    for df, t in table.items():
        assert t_quantile(0.975, df) == pytest.approx(t, rel=0.002), df


def test_direction_with_a_clear_shift_and_with_no_shift():
    up = direction.direction(
        "steps_mean", weeks([9000] * 4, D(2026, 4, 6)), weeks([7000] * 12), 1, +1, 2
    )
    assert (up["baseline"], up["value"], up["delta"]) == (7000.0, 9000.0, 2000.0)
    assert up["ci95"] == [2000.0, 2000.0] and up["label"] == "toward"
    noisy = direction.direction(
        "steps_mean", weeks([9000, 5000, 9000, 5000], D(2026, 4, 6)), weeks([7000, 7000]), 1, +1, 2
    )
    assert noisy["delta"] == 0.0 and noisy["label"] == "steady"


def test_direction_says_when_there_is_too_little_data():
    d = direction.direction("steps_mean", weeks([9000], D(2026, 4, 6)), weeks([7000] * 5), 1, +1, 2)
    assert d["label"] == "insufficient"
    assert d["note"] == (
        "too little data: 1 week(s) with 4+ days now, 5 in the baseline; needs 2 in each"
    )
    # a week with 3 days of data does not count towards the interval
    short = weeks([9000] * 3, D(2026, 4, 6)).with_columns(days=pl.lit(3))
    assert direction.direction("steps_mean", short, weeks([7000] * 5), 1, +1, 2)["label"] == (
        "insufficient"
    )


def test_a_small_change_is_steady_and_says_so():
    d = direction.direction(
        "steps_mean", weeks([7100] * 4, D(2026, 4, 6)), weeks([7000] * 12), 1, +1, 2, 0.05
    )
    assert d["label"] == "steady"
    assert d["note"] == (
        "the interval excludes no change, but the change is smaller than the minimum that matters"
    )


def test_baseline_is_the_three_calendar_months_before():
    from pipeline.summary import Period, baseline_of, month_period

    assert baseline_of(month_period("2026-03"), 3) == Period(D(2025, 12, 1), D(2026, 2, 28))
    # a --from/--to period starting mid-month: the three months just before it
    assert baseline_of(Period(D(2026, 3, 15), D(2026, 4, 14)), 3) == Period(
        D(2025, 12, 15), D(2026, 3, 14)
    )
    # 31 May minus three months is the last day of February
    assert baseline_of(Period(D(2026, 5, 31), D(2026, 6, 5)), 3).start == D(2026, 2, 28)


def test_week_streaks_count_only_weeks_with_enough_days():
    from pipeline.config import Config
    from pipeline.metrics.consistency import week_streaks

    # Mon 2 - Sun 8 March: 5 valid days, 4 with 8,000+ steps -> a week that counts;
    # Mon 9 - Wed 11 March: 3 valid days, all 10,000 -> too few days to be one of the weeks;
    # Mon 16 - Thu 19 March: 4 valid days, 2 with 8,000+ -> a week that does not count
    days = [D(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 16, 17, 18, 19)]
    steps = [9000, 9000, 9000, 9000, 100, 10000, 10000, 10000, 9000, 9000, 600, 600]
    act = pl.DataFrame(
        {"date": days, "steps": steps, "valid": [True] * 12, "mvpa_min": [None] * 12}
    )
    food = pl.DataFrame(
        schema={"date": pl.Date, "logged": pl.Boolean, "kcal": pl.Float64, "fiber_g": pl.Float64,
                "added_sugars_g": pl.Float64}
    )  # fmt: skip
    out = week_streaks({"activity": act, "food": food}, Config())
    assert out["steps"] == {"weeks": 2, "weeks_met": 1, "longest_streak": 1}
    assert out["mvpa"] == {"weeks": 0, "weeks_met": 0, "longest_streak": 0}
