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
from pipeline.report.charts import _finish, _reference, _shade, _values, _x


def weekly_values(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """week, week_end, value (the metric over the week's counted days), days."""
    m = periods.MEASURES[name]
    sums = periods.weekly_sums(frame.lazy(), m.frame, m)
    return sums.select(
        date=pl.col("week"),
        week_end=pl.col("week") + pl.duration(days=6),
        value=m.scale * pl.col("num") / pl.col("den"),
    )


def weekly_bars(
    data: pl.DataFrame,
    window: tuple[dt.date, dt.date, dt.date],
    title: str,
    y_title: str,
    fmt: str,
    color: str,
    reference: alt.LayerChart | None = None,
) -> alt.LayerChart:
    start, end, m0 = window
    y_scale = alt.Scale(domain=[0, 1]) if fmt.endswith("%") else alt.Undefined
    bars = (
        alt.Chart(alt.Data(values=_values(data)))
        .mark_rect(color=color, stroke="white")
        .encode(
            x=_x("Week"),
            x2="week_end:T",
            y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt), scale=y_scale),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("date:T", title="week of"),
                alt.Tooltip("value:Q", format=fmt, title=y_title),
            ],
        )
    )
    layers = _shade(m0, end, start) + bars
    return _finish(layers + reference if reference is not None else layers, title)


def upf_chart(food: pl.DataFrame, window: tuple[dt.date, dt.date, dt.date]) -> alt.LayerChart:
    """Weekly ultra-processed share of classified energy, and beside it the share of energy
    that could be classified at all (the coverage), so a reader can judge the share."""
    share = weekly_values(food, "upf_kcal_share").with_columns(series=pl.lit("Ultra-processed"))
    cover = weekly_values(food, "upf_coverage").with_columns(
        series=pl.lit("Energy with a known class (coverage)")
    )
    data = pl.concat([share, cover]).with_columns(mid=pl.col("date") + pl.duration(days=3))
    start, end, m0 = window
    lines = (
        alt.Chart(alt.Data(values=_values(data)))
        .mark_line(point=True)
        .encode(
            x=_x(field="mid"),
            y=alt.Y(
                "value:Q",
                title="Share of energy",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=["Ultra-processed", "Energy with a known class (coverage)"],
                    range=["#8d4b00", "#9e9e9e"],
                ),
                legend=alt.Legend(orient="top", title=None),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(
                    domain=["Ultra-processed", "Energy with a known class (coverage)"],
                    range=[[1, 0], [4, 3]],
                ),
                legend=alt.Legend(orient="top", title=None),  # merged with the colour legend
            ),
            tooltip=[
                alt.Tooltip("date:T", title="week of"),
                "series:N",
                alt.Tooltip("value:Q", format=".0%"),
            ],
        )
    )
    return _finish(
        _shade(m0, end, start) + lines, "Ultra-processed share of energy by week, with coverage"
    )


def sleep_chart(
    sleep: pl.DataFrame, window: tuple[dt.date, dt.date, dt.date], short_min: int
) -> alt.LayerChart:
    start, end, m0 = window
    data = sleep.select("date", hours=pl.col("asleep_min") / 60)
    bars = (
        alt.Chart(alt.Data(values=_values(data)))
        .mark_bar(color="#5c6bc0", opacity=0.85)
        .encode(
            x=_x("Night ending"),
            y=alt.Y("hours:Q", title="Hours asleep"),
            tooltip=[
                alt.Tooltip("date:T", title="night ending"),
                alt.Tooltip("hours:Q", format=".1f"),
            ],
        )
    )
    ref = _reference(short_min / 60, f"{short_min / 60:g} h (nights below are counted as short)")
    return _finish(_shade(m0, end, start) + bars + ref, "Hours asleep per night")


def waist_chart(waist: pl.DataFrame, window: tuple[dt.date, dt.date, dt.date]) -> alt.LayerChart:
    start, end, m0 = window
    base = alt.Chart(alt.Data(values=_values(waist.select("date", "waist_cm"))))
    points = base.mark_line(point=True, color="#00796b").encode(
        x=_x(),
        y=alt.Y("waist_cm:Q", title="cm", scale=alt.Scale(zero=False)),
        tooltip=["date:T", alt.Tooltip("waist_cm:Q", format=".1f")],
    )
    return _finish(_shade(m0, end, start) + points, "Waist readings")
