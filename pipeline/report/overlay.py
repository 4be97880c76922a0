"""Compare charts: the reference period (A) and the period looked at (B) drawn over each
other, aligned by day (or week) of period, so "day 10" of each sits at the same place.
No I/O: frames in, `Plot`s out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import polars as pl

from pipeline.period import Period, within
from pipeline.report import events
from pipeline.report.charts import (
    OKABE_ITO,
    Plot,
    _values,
    finish,
    layered,
    segments,
    series_encoding,
)
from pipeline.report.weekly import weekly_values

COLOURS = [OKABE_ITO["orange"], OKABE_ITO["blue"]]  # A, B


@dataclass(frozen=True)
class Overlay:
    id: str
    section: str
    title: str
    y_title: str
    fmt: str  # d3 format of values: ",.0f", ".1f", ".0%"
    weekly: bool = False
    gap_days: int = 2  # daily lines break at longer gaps (weigh-ins and waist are sparse)


def _aligned(frame: pl.DataFrame, p: Period, name: str, weekly: bool) -> pl.DataFrame:
    """`value` by day of period (1 = first day) or by week of period (1 = first week)."""
    first_week = pl.lit(p.start).dt.truncate("1w")
    if weekly:
        step = ((pl.col("date") - first_week).dt.total_days() // 7 + 1).cast(pl.Int64)
    else:
        step = ((pl.col("date") - pl.lit(p.start)).dt.total_days() + 1).cast(pl.Int64)
    return frame.select(step=step, date=pl.col("date"), value=pl.col("value"), series=pl.lit(name))


def _steps(p: Period, weekly: bool) -> int:
    if not weekly:
        return p.days
    first_monday = p.start - dt.timedelta(days=p.start.weekday())
    return (p.end - first_monday).days // 7 + 1


def overlay_plot(
    spec: Overlay,
    a: pl.DataFrame,
    b: pl.DataFrame,
    pa: Period,
    pb: Period,
    names: list[str],
    notes: pl.DataFrame | None = None,
) -> Plot:
    """`a`, `b`: `date`, `value` of each period (weekly: the week's start as `date`);
    `notes`: the person's notes, drawn where they fall in either period."""
    data = pl.concat(
        [_aligned(a, pa, names[0], spec.weekly), _aligned(b, pb, names[1], spec.weekly)]
    )
    gap = 7 if spec.weekly else spec.gap_days
    drawn = segments(data.with_columns(pl.col("value").round(3)), "value", gap)
    unit = "Week of period" if spec.weekly else "Day of period"
    # the axis ends with the longer period (in weeks, the last week either period touches)
    last = max(_steps(pa, spec.weekly), _steps(pb, spec.weekly))
    percent = spec.fmt.endswith("%")
    y_axis = alt.Axis(format=spec.fmt) if percent else alt.Axis()
    lines = (
        alt.Chart(alt.Data(values=_values(drawn)))
        .mark_line(point=alt.OverlayMarkDef(size=22), strokeWidth=2)
        .encode(
            x=alt.X(
                "step:Q",
                title=unit,
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[1, last], nice=False),
            ),
            y=alt.Y(
                "value:Q",
                title=spec.y_title,
                axis=y_axis,
                scale=alt.Scale(zero=not spec.id.startswith(("weight", "waist"))),
            ),
            detail=alt.Detail("segment:N"),
            # B, the period looked at, solid; A, the reference, dashed
            **series_encoding([names[1], names[0]], [COLOURS[1], COLOURS[0]]),
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("date:T", title="week of" if spec.weekly else "date"),
                alt.Tooltip("value:Q", format=spec.fmt, title=spec.y_title),
            ],
        )
    )
    shown = (100 * pl.col("value")).round(0) if percent else pl.col("value").round(1)
    table = (
        data.with_columns(shown=shown)
        .pivot("series", index="step", values="shown", aggregate_function="first")
        .sort("step")
    )
    cols = {"step": unit} | {n: f"{n} (%)" if percent else n for n in names if n in table.columns}
    spans = [(pa.start, pa.end, names[0]), (pb.start, pb.end, names[1])]
    marks = events.overlay_marks(notes, spans, spec.weekly)
    chart = lines if marks is None else layered(lines, marks)
    return Plot(finish(chart, spec.title), table.rename(cols))


DAILY: dict[str, tuple[str, pl.Expr, Overlay]] = {
    "steps": (
        "activity",
        pl.col("steps"),
        Overlay("steps", "activity", "Daily steps (valid days)", "Steps", ",.0f"),
    ),
    "active": (
        "activity",
        pl.col("mvpa_min"),
        Overlay("active", "activity", "Active minutes per day (valid days)", "Minutes", ",.0f"),
    ),
    "carbs": (
        "food",
        pl.col("carbs_g"),
        Overlay("carbs", "food", "Carbohydrate per logged day", "Grams", ",.0f"),
    ),
    "fiberdensity": (
        "food",
        1000 * pl.col("fiber_g") / pl.col("kcal"),
        Overlay("fiberdensity", "food", "Fibre per 1,000 kcal", "g per 1,000 kcal", ".1f"),
    ),
    "sleep": (
        "sleep",
        pl.col("asleep_min") / 60,
        Overlay("sleep", "sleep", "Hours asleep per night", "Hours", ".1f"),
    ),
}
WEEKLY: dict[str, tuple[str, Overlay]] = {
    "sitting": (
        "long_sitting_bouts_per_day",
        Overlay("sitting", "activity", "Sitting stretches of 60+ min per day, by week",
                "Per day", ".1f", weekly=True),
    ),
    "walks": (
        "post_meal_walk_share",
        Overlay("walks", "activity", "Meals followed by a walk, by week", "Share of meals",
                ".0%", weekly=True),
    ),
    "refined": (
        "refined_carbs_g_mean",
        Overlay("refined", "food", "Refined carbohydrate per logged day, by week", "Grams",
                ",.0f", weekly=True),
    ),
    "upf": (
        "upf_kcal_share",
        Overlay("upf", "food", "Ultra-processed share of classified energy, by week",
                "Share of energy", ".0%", weekly=True),
    ),
}  # fmt: skip
BODY = {
    "weight": ("weight", "trend_kg", Overlay("weight", "body", "Weight trend", "kg", ".1f",
                                               gap_days=7)),
    "waist": ("waist", "waist_cm", Overlay("waist", "body", "Waist readings", "cm", ".1f",
                                           gap_days=31)),
}  # fmt: skip


def _daily(frame: pl.DataFrame, kind: str, value: pl.Expr) -> pl.DataFrame:
    kept = {
        "activity": pl.col("valid"),
        "food": pl.col("logged"),
        "sleep": pl.lit(True),
    }[kind]
    return (
        frame.filter(kept)
        .select("date", value=value.cast(pl.Float64))
        .filter(pl.col("value").is_finite())
    )


def overlay_series(frames: dict[str, pl.DataFrame], p: Period) -> dict[str, pl.DataFrame]:
    """Every overlay's `date`, `value` rows within `p` (empty where there is no data).

    `frames`: activity, food, sleep, weight, waist (a person's daily frames)."""
    out: dict[str, pl.DataFrame] = {}
    for key, (kind, value, _) in DAILY.items():
        out[key] = _daily(within(frames[kind], p), kind, value)
    for key, (name, _) in WEEKLY.items():
        kind = "activity" if key in ("sitting", "walks") else "food"
        out[key] = weekly_values(within(frames[kind], p), name).select("date", "value")
    for key, (kind, col, _) in BODY.items():
        out[key] = within(frames[kind], p).select("date", value=pl.col(col))
    return out


def spec_of(key: str) -> Overlay:
    if key in DAILY:
        return DAILY[key][2]
    if key in WEEKLY:
        return WEEKLY[key][1]
    return BODY[key][2]
