"""DataFrame -> altair chart, one function per chart. No I/O.

Every chart spans the baseline and the reported month, with the month shaded, so that the
direction can be seen, not only read. Colours are Okabe–Ito (safe for colour-blind readers)
and lines that share a chart also differ by dash and marker. A line breaks where more than
two days have no data, so it never suggests values nobody measured.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import altair as alt
import polars as pl

# altair checks every spec against the Vega-Lite JSON schema: every object as it is made
# (its "debug mode") and the whole spec as it is written, about 0.6 s of a report. Reports
# skip both; the tests keep them on (SPECTRUM_CHECK_CHARTS=1), where a chart bug shows.
CHECK_CHARTS = os.environ.get("SPECTRUM_CHECK_CHARTS") == "1"
if not CHECK_CHARTS:
    alt.utils.schemapi.disable_debug_mode()

HEIGHT = 220
MONTH_SHADE = "#e8eef5"
GAP_DAYS = 2  # a line joins points at most this many missing days apart
# Okabe & Ito (2008), "Color universal design"
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7f7f7f",
}
DASHES = ([1, 0], [6, 3], [2, 2])
SHAPES = ("circle", "square", "triangle-up")


@dataclass(frozen=True)
class Plot:
    """A chart and the same data as a table (display column names, rounded values)."""

    chart: alt.TopLevelMixin
    table: pl.DataFrame


def _values(frame: pl.DataFrame) -> list[dict]:
    # Dates as ISO text: Vega parses them, and the JSON stays plain.
    return frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).to_dicts()


def _x(title: str | None = "Date", field: str = "date") -> alt.X:
    # about one label per fortnight over a baseline and a month: readable on a phone and on paper
    axis = alt.Axis(format="%d %b", labelOverlap=True, tickCount=8)
    return alt.X(f"{field}:T", title=title, axis=axis)


def segments(frame: pl.DataFrame, value: str, gap_days: int = GAP_DAYS) -> pl.DataFrame:
    """Rows with `value` known, numbered into runs (`segment`) that break at longer gaps.

    Drawn with `detail=segment`, each run is its own line; `by` columns (e.g. nutrient) are
    numbered separately when present in the frame as `series`."""
    by = ["series"] if "series" in frame.columns else []
    known = frame.drop_nulls(value).sort([*by, "date"])
    gap = pl.col("date").diff().dt.total_days().fill_null(0) > gap_days + 1
    return known.with_columns(segment=gap.cum_sum().over(by) if by else gap.cum_sum())


def shade(m0: dt.date, end: dt.date, start: dt.date) -> alt.Chart:
    """The reported month as a band behind the data.

    An invisible band over the whole window fixes the x extent to baseline + month even
    where data is missing (an explicit scale domain makes Vega-Lite warn in layered charts).
    """
    after = (end + dt.timedelta(days=1)).isoformat()
    data = alt.Data(
        values=[
            {"m0": start.isoformat(), "m1": after, "o": 0},
            {"m0": m0.isoformat(), "m1": after, "o": 1},
        ]
    )
    return (
        alt.Chart(data)
        .mark_rect(color=MONTH_SHADE)
        .encode(
            x=_x(title=None, field="m0"),
            x2=alt.X2("m1:T"),
            opacity=alt.Opacity("o:Q", scale=None, legend=None),
            tooltip=alt.TooltipValue(None),
        )
    )


def reference(value: float, label: str) -> alt.LayerChart:
    data = alt.Data(values=[{"y": value, "label": label}])
    rule = alt.Chart(data).mark_rule(strokeDash=[4, 4], color="#555").encode(y=alt.Y("y:Q"))
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, dy=-6, color="#444")
        .encode(y=alt.Y("y:Q"), text=alt.Text("label:N"), x=alt.XValue(0))
    )
    return layered(rule, text)


def layered(*parts: alt.Chart | alt.LayerChart) -> alt.LayerChart:
    """The charts drawn on top of one another, as `a + b + c` draws them. Made by setting
    the layers directly: `+` deep-copies every layer, data included, two or three times at
    every step (a fifth of a report's time); the work it does besides (moving data shared
    by all layers, sizes and parameters to the top) has nothing to do here, as each layer
    has data of its own and none sets a size or a parameter."""
    chart = alt.LayerChart(layer=[])
    chart.layer = list(parts)
    return chart


def finish(chart: alt.LayerChart | alt.Chart, title: str) -> alt.LayerChart | alt.Chart:
    """`chart` given its height and title; the width is set where the chart is drawn (the
    page's width, or a fixed width for the picture that needs no script). Set on `chart`
    itself, made for this figure alone: `.properties()`, or any copy of a layer chart,
    deep-copies the layers, data included."""
    chart.height, chart.title, chart.config = HEIGHT, title, CONFIG
    return chart


CONFIG = alt.Config(
    view=alt.ViewConfig(strokeWidth=0),
    axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11),
    title=alt.TitleConfig(anchor="start", fontSize=13),
    legend=alt.LegendConfig(labelFontSize=11, symbolStrokeWidth=2),
)


def series_encoding(domain: list[str], colors: list[str], field: str = "series") -> dict:
    """Colour, dash and marker shape for lines that share a chart: each line can be told
    apart without colour."""
    legend = alt.Legend(orient="top", title=None, symbolType="stroke", labelLimit=260)
    n = len(domain)
    return {
        "color": alt.Color(
            f"{field}:N", scale=alt.Scale(domain=domain, range=colors), legend=legend
        ),
        "strokeDash": alt.StrokeDash(
            f"{field}:N", scale=alt.Scale(domain=domain, range=list(DASHES[:n])), legend=legend
        ),
        "shape": alt.Shape(
            f"{field}:N", scale=alt.Scale(domain=domain, range=list(SHAPES[:n])), legend=legend
        ),
    }


def rolling_7(frame: pl.DataFrame, col: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Trailing 7-calendar-day mean of `col`, needing 4 days with data (missing stays missing)."""
    days = pl.DataFrame({"date": pl.date_range(start, end, "1d", eager=True)})
    return days.join(frame.select("date", col), on="date", how="left").with_columns(
        mean_7d=pl.col(col).rolling_mean(7, min_samples=4)
    )


def steps_chart(activity: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> Plot:
    valid = activity.filter(pl.col("valid")).select("date", "steps")
    data = rolling_7(valid, "steps", start, end).with_columns(
        (pl.col("steps") / 10).round(0) * 10, (pl.col("mean_7d") / 10).round(0) * 10
    )
    bars = (
        alt.Chart(alt.Data(values=_values(data.drop_nulls("steps"))))
        .mark_bar(color=OKABE_ITO["sky"], opacity=0.75)
        .encode(
            x=_x(),
            y=alt.Y("steps:Q", title="Steps"),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("steps:Q", format=",.0f")],
        )
    )
    line = (
        alt.Chart(alt.Data(values=_values(segments(data, "mean_7d"))))
        .mark_line(color=OKABE_ITO["blue"], strokeWidth=2.5)
        .encode(
            x=_x(),
            y=alt.Y("mean_7d:Q"),
            detail=alt.Detail("segment:N"),
            tooltip=[
                alt.Tooltip("date:T"),
                alt.Tooltip("mean_7d:Q", format=",.0f", title="7-day mean"),
            ],
        )
    )
    table = data.filter(pl.col("steps").is_not_null() | pl.col("mean_7d").is_not_null()).select(
        Date="date", Steps="steps", **{"7-day mean": "mean_7d"}
    )
    return Plot(
        finish(
            layered(shade(m0, end, start), bars, line), "Daily steps (valid days) and 7-day mean"
        ),
        table,
    )


def weekly_active_chart(
    activity: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date, ref: int
) -> Plot:
    weekly = (
        activity.filter(pl.col("valid") & pl.col("mvpa_min").is_not_null())
        .group_by(date=pl.col("date").dt.truncate("1w"))
        .agg(minutes=(7 * pl.col("mvpa_min").sum() / pl.len()).round(0), days=pl.len())
        .with_columns(week_end=pl.col("date") + pl.duration(days=6))
        .sort("date")
    )
    bars = (
        alt.Chart(alt.Data(values=_values(weekly)))
        .mark_rect(color=OKABE_ITO["green"], stroke="white")
        .encode(
            x=_x("Week"),
            x2=alt.X2("week_end:T"),
            y=alt.Y("minutes:Q", title="Active minutes per week"),
            y2=alt.Y2Datum(0),
            tooltip=[
                alt.Tooltip("date:T"),
                alt.Tooltip("minutes:Q"),
                alt.Tooltip("days:Q", title="valid days"),
            ],
        )
    )
    rule = reference(ref, f"{ref} min (WHO 2020 reference point)")
    return Plot(
        finish(
            layered(shade(m0, end, start), bars, rule),
            "Weekly moderate-to-vigorous minutes (per 7 valid days)",
        ),
        weekly.select(**{"Week of": "date", "Minutes per week": "minutes", "Valid days": "days"}),
    )


NUTRIENTS = ["Carbohydrate", "Fibre", "Sugars"]


def carbs_chart(food: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> Plot:
    logged = food.filter(pl.col("logged")).select(
        "date",
        Carbohydrate=pl.col("carbs_g").round(0),
        Fibre=pl.col("fiber_g").round(0),
        Sugars=pl.col("sugars_g").round(0),
    )
    long = logged.unpivot(index="date", variable_name="series", value_name="grams")
    lines = (
        alt.Chart(alt.Data(values=_values(segments(long, "grams"))))
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=1.8)
        .encode(
            x=_x(),
            y=alt.Y("grams:Q", title="Grams per day"),
            detail=alt.Detail("segment:N"),
            **series_encoding(
                NUTRIENTS, [OKABE_ITO["vermillion"], OKABE_ITO["green"], OKABE_ITO["purple"]]
            ),
            tooltip=[
                alt.Tooltip("date:T"),
                alt.Tooltip("series:N"),
                alt.Tooltip("grams:Q", format=".0f"),
            ],
        )
    )
    return Plot(
        finish(
            layered(shade(m0, end, start), lines),
            "Daily carbohydrate, fibre and sugars (logged days)",
        ),
        logged.rename(
            {
                "date": "Date",
                "Carbohydrate": "Carbohydrate (g)",
                "Fibre": "Fibre (g)",
                "Sugars": "Sugars (g)",
            }
        ),
    )


def daily_ratio_line(
    food: pl.DataFrame, expr: pl.Expr, color: str, unit: str, rule: alt.LayerChart
) -> tuple[alt.LayerChart, pl.DataFrame]:
    """A per-logged-day ratio as a line, with its reference rule (a day with a 0 divisor is
    left out: its ratio is not a number)."""
    data = (
        food.filter(pl.col("logged"))
        .select("date", value=expr.round(1))
        .filter(pl.col("value").is_finite())
    )
    line = (
        alt.Chart(alt.Data(values=_values(segments(data, "value"))))
        .mark_line(point=alt.OverlayMarkDef(size=18), color=color)
        .encode(
            x=_x(),
            y=alt.Y("value:Q", title=unit),
            detail=alt.Detail("segment:N"),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("value:Q", format=".1f", title=unit)],
        )
    )
    return layered(line, rule), data.rename({"date": "Date", "value": unit})


def carb_fiber_chart(food: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> Plot:
    ratio = pl.col("carbs_g") / pl.col("fiber_g")
    rule = reference(10, "10:1 (whole-grain rule of thumb, Mozaffarian 2013)")
    layers, table = daily_ratio_line(food, ratio, OKABE_ITO["vermillion"], "carbs : fibre", rule)
    return Plot(
        finish(
            layered(shade(m0, end, start), layers),
            "Daily carbohydrate : fibre ratio (lower is more fibre)",
        ),
        table,
    )


def fiber_density_chart(
    food: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date, ref: float
) -> Plot:
    density = 1000 * pl.col("fiber_g") / pl.col("kcal")
    rule = reference(ref, f"{ref:g} g (US adequate intake reference point)")
    layers, table = daily_ratio_line(
        food, density, OKABE_ITO["green"], "g fibre per 1,000 kcal", rule
    )
    return Plot(finish(layered(shade(m0, end, start), layers), "Fibre per 1,000 kcal"), table)


def weight_chart(weight: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> Plot:
    data = weight.select(
        "date", weight_kg=pl.col("weight_kg").round(1), trend_kg=pl.col("trend_kg").round(1)
    )
    points = (
        alt.Chart(alt.Data(values=_values(data)))
        .mark_circle(color=OKABE_ITO["grey"], size=30)
        .encode(
            x=_x(),
            y=alt.Y("weight_kg:Q", title="kg", scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("weight_kg:Q", format=".1f")],
        )
    )
    # the trend is drawn through the weigh-ins; a gap longer than a week breaks it
    line = (
        alt.Chart(alt.Data(values=_values(segments(data, "trend_kg", gap_days=7))))
        .mark_line(color=OKABE_ITO["purple"], strokeWidth=2.5)
        .encode(
            x=_x(),
            y=alt.Y("trend_kg:Q"),
            detail=alt.Detail("segment:N"),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("trend_kg:Q", format=".1f")],
        )
    )
    return Plot(
        finish(
            layered(shade(m0, end, start), points, line), "Weigh-ins and smoothed trend (α = 0.1)"
        ),
        data.rename({"date": "Date", "weight_kg": "Weigh-in (kg)", "trend_kg": "Trend (kg)"}),
    )
