"""DataFrame -> altair chart, one function per chart. No I/O.

Every chart spans the baseline and the reported month, with the month shaded, so that the
direction can be seen, not only read.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

WIDTH, HEIGHT = 640, 220
MONTH_SHADE = "#eef3f8"


def _values(frame: pl.DataFrame) -> list[dict]:
    # Dates as ISO text: Vega parses them, and the JSON stays plain.
    return frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).to_dicts()


def _x(title: str | None = "Date", field: str = "date") -> alt.X:
    return alt.X(f"{field}:T", title=title, axis=alt.Axis(format="%d %b"))


def _shade(m0: dt.date, end: dt.date, start: dt.date) -> alt.Chart:
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
            x2="m1:T",
            opacity=alt.Opacity("o:Q", scale=None, legend=None),
            tooltip=alt.value(None),
        )
    )


def _reference(value: float, label: str) -> alt.LayerChart:
    data = alt.Data(values=[{"y": value, "label": label}])
    rule = alt.Chart(data).mark_rule(strokeDash=[4, 4], color="#555").encode(y="y:Q")
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, dy=-6, color="#555")
        .encode(y="y:Q", text="label:N", x=alt.value(0))
    )
    return rule + text


def _finish(chart: alt.LayerChart, title: str) -> alt.LayerChart:
    return chart.properties(width=WIDTH, height=HEIGHT, title=title).configure_view(strokeWidth=0)


def rolling_7(frame: pl.DataFrame, col: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Trailing 7-calendar-day mean of `col`, needing 4 days with data (missing stays missing)."""
    days = pl.DataFrame({"date": pl.date_range(start, end, "1d", eager=True)})
    return days.join(frame.select("date", col), on="date", how="left").with_columns(
        mean_7d=pl.col(col).rolling_mean(7, min_samples=4)
    )


def steps_chart(activity: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> alt.Chart:
    valid = activity.filter(pl.col("valid")).select("date", "steps")
    data = rolling_7(valid, "steps", start, end)
    base = alt.Chart(alt.Data(values=_values(data)))
    bars = base.mark_bar(color="#9db9d5", opacity=0.8).encode(
        x=_x(), y=alt.Y("steps:Q", title="Steps"), tooltip=["date:T", "steps:Q"]
    )
    line = base.mark_line(color="#1f4e79", strokeWidth=2).encode(
        x=_x(), y="mean_7d:Q", tooltip=["date:T", alt.Tooltip("mean_7d:Q", format=",.0f")]
    )
    return _finish(_shade(m0, end, start) + bars + line, "Daily steps (valid days) and 7-day mean")


def weekly_active_chart(
    activity: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date, reference: int
) -> alt.Chart:
    weekly = (
        activity.filter(pl.col("valid") & pl.col("mvpa_min").is_not_null())
        .group_by(date=pl.col("date").dt.truncate("1w"))
        .agg(minutes=(7 * pl.col("mvpa_min").sum() / pl.len()).round(0), days=pl.len())
        .with_columns(week_end=pl.col("date") + pl.duration(days=6))
        .sort("date")
    )
    bars = (
        alt.Chart(alt.Data(values=_values(weekly)))
        .mark_rect(color="#5b8c5a", stroke="white")
        .encode(
            x=_x("Week"),
            x2="week_end:T",
            y=alt.Y("minutes:Q", title="Active minutes per week"),
            y2=alt.datum(0),
            tooltip=["date:T", "minutes:Q", alt.Tooltip("days:Q", title="valid days")],
        )
    )
    ref = _reference(reference, f"{reference} min (WHO 2020 reference point)")
    return _finish(
        _shade(m0, end, start) + bars + ref,
        "Weekly moderate-to-vigorous minutes (per 7 valid days)",
    )


def carbs_chart(food: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> alt.Chart:
    long = (
        food.filter(pl.col("logged"))
        .select("date", Carbohydrate="carbs_g", Fibre="fiber_g", Sugars="sugars_g")
        .unpivot(index="date", variable_name="nutrient", value_name="grams")
        .drop_nulls("grams")
    )
    lines = (
        alt.Chart(alt.Data(values=_values(long)))
        .mark_line(point=True)
        .encode(
            x=_x(),
            y=alt.Y("grams:Q", title="Grams per day"),
            color=alt.Color(
                "nutrient:N",
                scale=alt.Scale(
                    domain=["Carbohydrate", "Fibre", "Sugars"],
                    range=["#b5651d", "#2e7d32", "#c2185b"],
                ),
                legend=alt.Legend(orient="top", title=None),
            ),
            tooltip=["date:T", "nutrient:N", alt.Tooltip("grams:Q", format=".1f")],
        )
    )
    return _finish(
        _shade(m0, end, start) + lines, "Daily carbohydrate, fibre and sugars (logged days)"
    )


def _daily_ratio_line(
    food: pl.DataFrame, expr: pl.Expr, color: str, unit: str, reference: alt.LayerChart
) -> alt.LayerChart:
    """A per-logged-day ratio as a line, with its reference rule (a day with a 0 divisor is
    left out: its ratio is not a number)."""
    data = (
        food.filter(pl.col("logged")).select("date", value=expr).filter(pl.col("value").is_finite())
    )
    line = (
        alt.Chart(alt.Data(values=_values(data)))
        .mark_line(point=True, color=color)
        .encode(
            x=_x(),
            y=alt.Y("value:Q", title=unit),
            tooltip=["date:T", alt.Tooltip("value:Q", format=".1f", title=unit)],
        )
    )
    return line + reference


def carb_fiber_chart(food: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> alt.Chart:
    ratio = pl.col("carbs_g") / pl.col("fiber_g")
    ref = _reference(10, "10:1 (whole-grain rule of thumb, Mozaffarian 2013)")
    return _finish(
        _shade(m0, end, start) + _daily_ratio_line(food, ratio, "#b5651d", "carbs : fibre", ref),
        "Daily carbohydrate : fibre ratio (lower is more fibre)",
    )


def fiber_density_chart(
    food: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date, reference: float
) -> alt.Chart:
    density = 1000 * pl.col("fiber_g") / pl.col("kcal")
    ref = _reference(reference, f"{reference:g} g (US adequate intake reference point)")
    return _finish(
        _shade(m0, end, start)
        + _daily_ratio_line(food, density, "#2e7d32", "g fibre per 1,000 kcal", ref),
        "Fibre per 1,000 kcal",
    )


def weight_chart(weight: pl.DataFrame, start: dt.date, end: dt.date, m0: dt.date) -> alt.Chart:
    base = alt.Chart(alt.Data(values=_values(weight.select("date", "weight_kg", "trend_kg"))))
    points = base.mark_circle(color="#888", size=30).encode(
        x=_x(),
        y=alt.Y("weight_kg:Q", title="kg", scale=alt.Scale(zero=False)),
        tooltip=["date:T", alt.Tooltip("weight_kg:Q", format=".1f")],
    )
    line = base.mark_line(color="#6a1b9a", strokeWidth=2).encode(
        x=_x(),
        y="trend_kg:Q",
        tooltip=["date:T", alt.Tooltip("trend_kg:Q", format=".2f")],
    )
    return _finish(_shade(m0, end, start) + points + line, "Weigh-ins and smoothed trend (α = 0.1)")
