"""The glucose section: a day's profile by hour and the rise after meals, described in words.

Shown only for a period with glucose readings. It describes (medians, middle halves, counts)
and never judges: no range is named, no value is called high or low (METRICS.md "Words").
"""

from __future__ import annotations

import datetime as dt
import math

import altair as alt
import polars as pl

from pipeline.analysis import PersonDays
from pipeline.config import Config
from pipeline.metrics import glucose, intraday
from pipeline.period import Period, within
from pipeline.report.charts import OKABE_ITO, Plot, finish, layered

GROUP_WORDS = {
    "high": "meals with a high refined share",
    "medium": "meals with a medium refined share",
    "low": "meals with a low refined share",
    "little": "meals with under 10 g carbohydrate",
}
GROUP_COLOURS = [OKABE_ITO[c] for c in ("vermillion", "orange", "green", "grey")]


def mg(value: float) -> str:
    """mg/dL to the whole number, halves rounded up (28.5 -> 29)."""
    return f"{math.floor(value + 0.5):,}"


def period_readings(days: PersonDays, period: Period, extra_days: int = 0) -> pl.DataFrame:
    frame = days.glucose if days.glucose is not None else pl.DataFrame()
    if frame.is_empty():
        return frame
    end = period.end + dt.timedelta(days=extra_days)
    return frame.filter(pl.col("ts_local").dt.date().is_between(period.start, end))


def profile_chart(profile: pl.DataFrame) -> Plot:
    data = profile.with_columns(pl.col("median_mg_dl", "q1_mg_dl", "q3_mg_dl").round(0))
    values = alt.Data(values=data.to_dicts())
    x = alt.X("hour:Q", title="Hour of day", scale=alt.Scale(domain=[0, 23]),
              axis=alt.Axis(tickCount=12, format="02d"))  # fmt: skip
    band = (
        alt.Chart(values)
        .mark_area(color=OKABE_ITO["sky"], opacity=0.35)
        .encode(
            x=x,
            y=alt.Y("q1_mg_dl:Q", title="mg/dL", scale=alt.Scale(zero=False)),
            y2=alt.Y2("q3_mg_dl:Q"),
        )  # fmt: skip
    )
    line = (
        alt.Chart(values)
        .mark_line(color=OKABE_ITO["blue"], strokeWidth=2.5, point=True)
        .encode(
            x=x,
            y=alt.Y("median_mg_dl:Q"),
            tooltip=[
                alt.Tooltip("hour:Q"),
                alt.Tooltip("median_mg_dl:Q"),
                alt.Tooltip("q1_mg_dl:Q"),
                alt.Tooltip("q3_mg_dl:Q"),
                alt.Tooltip("readings:Q"),
            ],
        )
    )
    table = data.select(
        Hour=pl.format("{}:00", pl.col("hour").cast(pl.String).str.zfill(2)),
        Readings="readings",
        **{
            "Median (mg/dL)": "median_mg_dl",
            "25th percentile (mg/dL)": "q1_mg_dl",
            "75th percentile (mg/dL)": "q3_mg_dl",
        },
    )
    return Plot(
        finish(layered(band, line), "Glucose by hour of day: median and middle half"), table
    )


def rise_chart(groups: pl.DataFrame) -> Plot:
    data = groups.with_columns(
        pl.col("median_rise_mg_dl", "q1_rise_mg_dl", "q3_rise_mg_dl").round(0),
        label=pl.col("group").replace_strict(GROUP_WORDS),
    )
    values = alt.Data(values=data.to_dicts())
    order = [GROUP_WORDS[g] for g in glucose.SHARE_GROUPS]
    y = alt.Y("label:N", title=None, sort=order)
    bars = (
        alt.Chart(values)
        .mark_bar(opacity=0.85)
        .encode(
            y=y,
            x=alt.X("median_rise_mg_dl:Q", title="Median rise within 2 hours (mg/dL)"),
            color=alt.Color(
                "label:N", scale=alt.Scale(domain=order, range=GROUP_COLOURS), legend=None
            ),  # fmt: skip
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("meals:Q"),
                alt.Tooltip("median_rise_mg_dl:Q"),
            ],
        )
    )
    spread = (
        alt.Chart(values)
        .mark_rule(color="#333")
        .encode(y=y, x=alt.X("q1_rise_mg_dl:Q"), x2=alt.X2("q3_rise_mg_dl:Q"))
    )
    table = data.select(
        Meals="label",
        **{
            "Number of meals": "meals",
            "Median rise (mg/dL)": "median_rise_mg_dl",
            "25th percentile (mg/dL)": "q1_rise_mg_dl",
            "75th percentile (mg/dL)": "q3_rise_mg_dl",
        },
    )
    return Plot(
        finish(
            layered(bars, spread), "Rise in glucose in the 2 hours after meals, by refined share"
        ),
        table,
    )


def profile_text(readings: pl.DataFrame, profile: pl.DataFrame) -> str:
    used = glucose.regular_readings(readings)
    days = used["ts_local"].dt.date().n_unique()
    lo = profile.sort("median_mg_dl", "hour").row(0, named=True)
    hi = profile.sort(pl.col("median_mg_dl"), "hour", descending=[True, False]).row(0, named=True)
    limits = used.filter(pl.col("limit").is_not_null()).height
    beyond = (
        f" {limits} reading(s) were beyond the sensor's range and count at its limit."
        if limits
        else ""
    )
    left = readings.height - used.height
    # scans and finger-pricks are taken at chosen moments (after a meal, when unwell): they
    # would tilt the hours they fall in, so the profile says it leaves them out
    apart = (
        f" {left:,} scan and strip reading(s) taken by hand are left out of the profile."
        if left
        else ""
    )
    return (
        f"Glucose over {days} days with readings this month ({used.height:,} readings): the "
        f"median by hour of day ran from {mg(lo['median_mg_dl'])} mg/dL ({lo['hour']:02d}:00) "
        f"to {mg(hi['median_mg_dl'])} mg/dL ({hi['hour']:02d}:00); the band shows the middle "
        f"half of the readings.{beyond}{apart}"
    )


def rise_sentence(row: dict) -> str:
    median = row["median_rise_mg_dl"]
    change = (
        f"rose by a median of {mg(median)} mg/dL"
        if median >= 0
        else f"stayed below its level at the start (median change {mg(median)} mg/dL)"
    )
    return (
        f"Glucose {change} in the 2 hours after {GROUP_WORDS[row['group']]} "
        f"({row['meals']} meal{'s' if row['meals'] != 1 else ''})."
    )


def rise_text(groups: pl.DataFrame, rises: pl.DataFrame) -> str:
    unknown = rises.filter(pl.col("rise_mg_dl").is_null()).height
    few = f" {unknown} timed meal(s) had too few readings around them to tell." if unknown else ""
    return (
        " ".join(rise_sentence(r) for r in groups.iter_rows(named=True))
        + " The rise is the highest reading within 2 hours of a meal's start minus the reading "
        "at its start; a meal's refined share is the part of its carbohydrate from foods "
        "classified as refined (high: two thirds or more, low: under a third). Responses "
        f"vary from person to person and from meal to meal.{few}"
    )


def glucose_charts(days: PersonDays, period: Period, cfg: Config) -> list[tuple[str, Plot, str]]:
    """(chart id, plot, caption) of the glucose section; [] without readings this period."""
    readings = period_readings(days, period)
    if readings.is_empty():
        return []
    profile = glucose.hourly_profile(readings)
    out = [("daily-profile", profile_chart(profile), profile_text(readings, profile))]
    sums = ("carbs_g", "refined_carbs_g")
    items = within(days.items, period)
    if items.is_empty() or not set(sums).issubset(items.columns):
        return out
    meals = intraday.meal_starts(items.lazy(), cfg.meal_gap_min, sums=sums).collect()
    # a meal late on the period's last day is followed into the next morning
    rises = glucose.meal_rises(meals, period_readings(days, period, extra_days=1))
    groups = glucose.rise_by_group(rises)
    if groups.height:
        out.append(("after-meals", rise_chart(groups), rise_text(groups, rises)))
    return out
