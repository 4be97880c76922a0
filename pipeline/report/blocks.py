"""The report's sections: for each, its charts and the sentence under each chart.

Every sentence reads finished figures from the summary (or the period's daily frames); no
metric is computed here. A section without data gets no charts: the template says what to add.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import polars as pl

from pipeline.analysis import PersonDays
from pipeline.config import Config
from pipeline.period import period_name
from pipeline.report import charts, events, weekly
from pipeline.report.charts import OKABE_ITO, Plot
from pipeline.report.figure import Figure
from pipeline.report.glucose import glucose_charts
from pipeline.report.numbers import fmt, pct, signed
from pipeline.summary import Period, baseline_of, within

SECTIONS = ("activity", "food", "sleep", "body")


def _m(s: dict, key: str) -> str:
    """A period metric as the report shows it."""
    return fmt(key, s["metrics"][key])


# A section's charts are made one at a time (generators), so that the report can start
# drawing the first while the next is made (pipeline/report/drawer.py).
Chart = tuple[str, Plot, str]  # id, plot, caption


def _chart(chart_id: str, plot: Plot, caption: str) -> Chart:
    return chart_id, plot, caption


def _activity(days: PersonDays, s: dict, p: Period, cfg: Config, window) -> Iterator[Chart]:
    m, cov = s["metrics"], s["coverage"]
    start, end, m0 = window
    act = days.activity.filter(pl.col("date").is_between(start, end))
    yield _chart(
        "steps",
        charts.steps_chart(act, start, end, m0),
        f"Steps averaged {_m(s, 'steps_mean')} per valid day this "
        f"month over {cov['activity_valid_days']} valid days.",
    )
    yield _chart(
        "active",
        charts.weekly_active_chart(act, start, end, m0, cfg.mvpa_reference_min_per_week),
        f"Moderate-to-vigorous activity came to "
        f"{_m(s, 'mvpa_min_per_week')} minutes per week this "
        f"month; the WHO 2020 reference point is {cfg.mvpa_reference_min_per_week}.",
    )
    if m["long_sitting_bouts_per_day"] is not None:
        no_hr = (
            " " + s["notes"]["long_sitting_bouts_per_day"].capitalize() + "."
            if ("long_sitting_bouts_per_day" in s["notes"])
            else ""
        )
        yield _chart(
            "sitting",
            weekly.weekly_bars(
                weekly.weekly_values(act, "long_sitting_bouts_per_day"),
                window,
                "Sitting stretches of an hour or more per day, by week",
                "Stretches per day",
                ".1f",
                OKABE_ITO["purple"],
            ),
            f"On {cov['minute_level_days']} valid days with minute-level steps there were "
            f"{_m(s, 'long_sitting_bouts_per_day')} unbroken sitting stretches of "
            f"{cfg.sitting_run_min}+ minutes per day between {cfg.waking_start_hour:02d}:00 "
            f"and {cfg.waking_end_hour:02d}:00. Short walking breaks are associated with a "
            f"smaller rise in blood sugar after meals.{no_hr}",
        )
    if m["post_meal_walk_share"] is not None:
        valid = within(days.activity, p).filter(pl.col("valid"))
        meals, walked = int(valid["meals_timed"].sum()), int(valid["meals_walked"].sum())
        yield _chart(
            "walks",
            weekly.weekly_bars(
                weekly.weekly_values(act, "post_meal_walk_share"),
                window,
                "Meals followed by a walk, by week",
                "Share of meals",
                ".0%",
                OKABE_ITO["green"],
            ),
            f"{walked} of {meals} timed meals ({pct(m['post_meal_walk_share'])}) were followed "
            f"by {cfg.walk_steps:,}+ steps within {cfg.walk_window_min} minutes of the "
            "meal's start.",
        )


def _food(days: PersonDays, s: dict, cfg: Config, window) -> Iterator[Chart]:
    m = s["metrics"]
    start, end, m0 = window
    food = days.food.filter(pl.col("date").is_between(start, end))
    yield _chart(
        "carbs",
        charts.carbs_chart(food, start, end, m0),
        f"Per logged day: {_m(s, 'carbs_g_mean')} g carbohydrate, "
        f"{_m(s, 'fiber_g_mean')} g fibre, {_m(s, 'sugars_g_mean')} g sugars.",
    )
    yield _chart(
        "carbfiber",
        charts.carb_fiber_chart(food, start, end, m0),
        f"Carbohydrate to fibre over the month: {_m(s, 'carb_fiber_ratio')} : 1.",
    )
    yield _chart(
        "fiberdensity",
        charts.fiber_density_chart(food, start, end, m0, cfg.fiber_reference_g_per_1000kcal),
        f"Fibre density: {_m(s, 'fiber_g_per_1000kcal')} g per 1,000 kcal "
        f"(reference point {cfg.fiber_reference_g_per_1000kcal:g}).",
    )
    if m["refined_carbs_g_mean"] is not None:
        estimate = (
            " (estimated from each meal's own carbs:fibre ratio)"
            if ("refined_carbs_g_mean" in s["notes"])
            else ""
        )
        whole = (
            f" {pct(m['carbs_from_whole_share'])} of the carbohydrate in carbohydrate-rich foods "
            "came from foods with at least 1 g of fibre per 10 g."
            if m["carbs_from_whole_share"] is not None
            else ""
        )
        yield _chart(
            "refined",
            weekly.weekly_bars(
                weekly.weekly_values(food, "refined_carbs_g_mean"),
                window,
                "Refined carbohydrate per logged day, by week",
                "Grams per day",
                ".0f",
                OKABE_ITO["vermillion"],
            ),
            f"Refined carbohydrate averaged {_m(s, 'refined_carbs_g_mean')} g per "
            f"logged day{estimate}.{whole}",
        )
    if m["upf_kcal_share"] is not None:
        yield _chart(
            "upf",
            weekly.upf_chart(food, window),
            f"About {pct(m['upf_kcal_share'])} of the energy whose foods could be classified "
            "came from foods classified (automatically, may be imperfect) as ultra-processed; "
            f"{pct(m['upf_coverage'])} of logged energy could be classified.",
        )


def _sleep(days: PersonDays, s: dict, p: Period, cfg: Config, window) -> Iterator[Chart]:
    m = s["metrics"]
    start, end, _ = window
    nights = within(days.sleep, p)
    short = int(nights["short_night"].sum())
    hours = m["sleep_min_mean"] / 60  # shown to 0.1 h (6 minutes)
    yield _chart(
        "sleep",
        weekly.sleep_chart(
            days.sleep.filter(pl.col("date").is_between(start, end)),
            window,
            cfg.short_sleep_min,
        ),
        f"{hours:.1f} hours asleep on average over {nights.height} nights with a record; "
        f"{short} of them were under {cfg.short_sleep_min / 60:g} hours.",
    )


def _body(days: PersonDays, s: dict, p: Period, window) -> Iterator[Chart]:
    m, cov = s["metrics"], s["coverage"]
    start, end, m0 = window
    if cov["weigh_ins"]:
        weight = days.weight.filter(pl.col("date").is_between(start, end))
        yield _chart(
            "weight",
            charts.weight_chart(weight, start, end, m0),
            f"Smoothed weight at month end: {_m(s, 'weight_trend_kg')} kg, "
            f"a change of {signed('weight_trend_kg', m['weight_trend_change_kg'])} kg "
            "over the month.",
        )
    if cov["waist_readings"]:
        slope = m["waist_change_cm_per_4wk"]
        text = (
            f"Waist changed by {signed('waist_cm', slope)} cm per 4 weeks this month "
            f"(Theil–Sen slope of {cov['waist_readings']} readings)."
            if slope is not None
            else f"{cov['waist_readings']} waist reading(s) this month: "
            + s["notes"]["waist_change_cm_per_4wk"]
            + "."
        )
        waist = days.waist.filter(pl.col("date").is_between(start, end))
        yield _chart("waist", weekly.waist_chart(waist, window), text)


def chart_blocks(
    days: PersonDays,
    summary: dict,
    period: Period,
    cfg: Config,
    notes: bool = True,
    made_one: Callable[[Figure], None] | None = None,
) -> dict[str, list[Figure]]:
    """Charts per section, each spanning the baseline and the month (the month shaded);
    the person's notes drawn on them unless `notes` is False (a share bundle's default).
    `made_one(figure)` is called as each is made (the report starts drawing it at once)."""
    shown_notes = days.events if notes else None
    base = baseline_of(period, cfg.baseline_months)
    window = (base.start, period.end, period.start)
    cov = summary["coverage"]
    made = {
        "activity": _activity(days, summary, period, cfg, window)
        if cov["activity_days_with_data"]
        else [],
        "food": _food(days, summary, cfg, window) if cov["food_logged_days"] else [],
        "sleep": _sleep(days, summary, period, cfg, window) if cov["sleep_nights"] else [],
        "body": _body(days, summary, period, window),
    }
    figures: dict[str, list[Figure]] = {}

    def take(section: str, made_here: Iterable[Chart]) -> None:
        figures[section] = []
        for chart_id, plot, caption in made_here:
            words = _period_words(caption, period)
            figures[section].append(_figure(chart_id, section, plot, words, shown_notes, window))
            if made_one is not None:
                made_one(figures[section][-1])

    for section, made_here in made.items():
        take(section, made_here)
    # only a period with glucose readings has the section (pipeline/report/glucose.py)
    if described := glucose_charts(days, period, cfg):
        take("glucose", described)
    return figures


def _figure(chart_id, section, plot, caption, notes, window) -> Figure:
    """A figure; a time chart (every section but glucose, whose charts are hours of the day
    and rises) with the notes of its window drawn on it and named in its sentence."""
    start, end, _ = window
    shown = events.overlapping(notes, start, end)
    if section == "glucose" or shown.is_empty():
        return Figure(chart_id, section, plot, caption)
    plot = events.with_events(plot, shown, start, end)
    return Figure(chart_id, section, plot, f"{caption} {events.sentence(plot.table, shown)}")


MONTH_WORDS = (("this month", "this period"), ("over the month", "over the period"),
               ("at month end", "at period end"))  # fmt: skip


def _period_words(caption: str, period: Period) -> str:
    """Captions say "month"; for any other span of days they say "period"."""
    if period_name(period) != period.start.strftime("%B %Y"):
        for month, other in MONTH_WORDS:
            caption = caption.replace(month, other)
    return caption
