"""Weekly charts for the behaviours measured per week: sitting, walks after meals, refined
carbohydrate, ultra-processed share (with its coverage), sleep and waist. No I/O.

Each weekly value is the metric's own ratio of sums over the week's counted days, so a bar
means exactly what the period figure means.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from pipeline.metrics import periods
from pipeline.report.charts import (
    OKABE_ITO,
    Plot,
    _values,
    _x,
    finish,
    layered,
    reference,
    segments,
    series_encoding,
    shade,
)

Window = tuple[dt.date, dt.date, dt.date]


def weekly_values(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """week, week_end, value (the metric over the week's counted days), days."""
    m = periods.MEASURES[name]
    sums = periods.weekly_sums(frame.lazy(), m.frame, m)
    return sums.select(
        date=pl.col("week"),
        week_end=pl.col("week") + pl.duration(days=6),
        value=m.scale * pl.col("num") / pl.col("den"),
    )


def _rounded(value: pl.Expr, fmt: str) -> pl.Expr:
    return value.round(2 if fmt.endswith("%") else 1)


def weekly_bars(
    data: pl.DataFrame, window: Window, title: str, y_title: str, fmt: str, color: str
) -> Plot:
    start, end, m0 = window
    data = data.with_columns(value=_rounded(pl.col("value"), fmt))
    y_scale = alt.Scale(domain=[0, 1]) if fmt.endswith("%") else alt.Undefined
    bars = (
        alt.Chart(alt.Data(values=_values(data)))
        .mark_rect(color=color, stroke="white")
        .encode(
            x=_x("Week"),
            x2=alt.X2("week_end:T"),
            y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt), scale=y_scale),
            y2=alt.Y2Datum(0),
            tooltip=[
                alt.Tooltip("date:T", title="week of"),
                alt.Tooltip("value:Q", format=fmt, title=y_title),
            ],
        )
    )
    shown = (100 * pl.col("value")).round(0) if fmt.endswith("%") else pl.col("value")
    unit = f"{y_title} (%)" if fmt.endswith("%") else y_title
    table = data.select(**{"Week of": pl.col("date"), unit: shown})
    return Plot(finish(layered(shade(m0, end, start), bars), title), table)


UPF_SERIES = ["Ultra-processed", "Energy with a known class (coverage)"]


def upf_chart(food: pl.DataFrame, window: Window) -> Plot:
    """Weekly ultra-processed share of classified energy, and beside it the share of energy
    that could be classified at all (the coverage), so a reader can judge the share."""
    share = weekly_values(food, "upf_kcal_share").with_columns(series=pl.lit(UPF_SERIES[0]))
    cover = weekly_values(food, "upf_coverage").with_columns(series=pl.lit(UPF_SERIES[1]))
    data = pl.concat([share, cover]).with_columns(
        value=pl.col("value").round(2), date=pl.col("date") + pl.duration(days=3)
    )
    start, end, m0 = window
    lines = (
        alt.Chart(alt.Data(values=_values(segments(data, "value", gap_days=7))))
        .mark_line(point=True)
        .encode(
            x=_x(),
            y=alt.Y(
                "value:Q",
                title="Share of energy",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            detail=alt.Detail("segment:N"),
            **series_encoding(UPF_SERIES, [OKABE_ITO["vermillion"], OKABE_ITO["grey"]]),
            tooltip=[
                alt.Tooltip("date:T", title="mid-week"),
                alt.Tooltip("series:N"),
                alt.Tooltip("value:Q", format=".0%"),
            ],
        )
    )
    table = (
        data.with_columns(pct=(100 * pl.col("value")).round(0))
        .pivot("series", index="date", values="pct")
        .sort("date")
        .select(
            **{"Week of": pl.col("date") - pl.duration(days=3)},
            **{
                "Ultra-processed (%)": pl.col(UPF_SERIES[0]),
                "Coverage (%)": pl.col(UPF_SERIES[1]),
            },
        )
    )
    return Plot(
        finish(
            layered(shade(m0, end, start), lines),
            "Ultra-processed share of energy by week, with coverage",
        ),
        table,
    )


def sleep_chart(sleep: pl.DataFrame, window: Window, short_min: int) -> Plot:
    start, end, m0 = window
    data = sleep.select("date", hours=(pl.col("asleep_min") / 60).round(1))
    bars = (
        alt.Chart(alt.Data(values=_values(data)))
        .mark_bar(color=OKABE_ITO["blue"], opacity=0.85)
        .encode(
            x=_x("Night ending"),
            y=alt.Y("hours:Q", title="Hours asleep"),
            tooltip=[
                alt.Tooltip("date:T", title="night ending"),
                alt.Tooltip("hours:Q", format=".1f"),
            ],
        )
    )
    rule = reference(short_min / 60, f"{short_min / 60:g} h (nights below are counted as short)")
    return Plot(
        finish(layered(shade(m0, end, start), bars, rule), "Hours asleep per night"),
        data.rename({"date": "Night ending", "hours": "Hours asleep"}),
    )


def waist_chart(waist: pl.DataFrame, window: Window) -> Plot:
    start, end, m0 = window
    data = waist.select("date", waist_cm=pl.col("waist_cm").round(1))
    line = (
        alt.Chart(alt.Data(values=_values(segments(data, "waist_cm", gap_days=31))))
        .mark_line(point=True, color=OKABE_ITO["green"])
        .encode(
            x=_x(),
            y=alt.Y("waist_cm:Q", title="cm", scale=alt.Scale(zero=False)),
            detail=alt.Detail("segment:N"),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("waist_cm:Q", format=".1f")],
        )
    )
    return Plot(
        finish(layered(shade(m0, end, start), line), "Waist readings"),
        data.rename({"date": "Date", "waist_cm": "Waist (cm)"}),
    )
