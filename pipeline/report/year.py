"""`spectrum report --year`: twelve months at monthly resolution, each month's direction
against its own previous three months (the same method as the monthly report)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import altair as alt
import polars as pl

from pipeline.analysis import PersonDays
from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.period import month_period
from pipeline.report import events
from pipeline.report.charts import OKABE_ITO, Plot, finish, layered
from pipeline.report.figure import Figure, prefetch
from pipeline.report.glance import BEHAVIOURS, WORDS, part_of_behaviour
from pipeline.report.numbers import fmt, is_share
from pipeline.report.options import Options
from pipeline.report.page import (
    Page,
    default_label,
    figure_view,
    render,
    safe_name,
)
from pipeline.summary import summary_from_days
from pipeline.words import METRIC_LABELS

LABEL_ORDER = ["toward", "steady", "away", "insufficient"]
LABEL_COLOURS = [OKABE_ITO["green"], OKABE_ITO["grey"], OKABE_ITO["vermillion"], "#bbbbbb"]
LABEL_SHAPES = ["triangle-up", "circle", "triangle-down", "cross"]


def month_summaries(days: PersonDays, who: str, year: int, cfg: Config) -> list[dict | None]:
    """Each month's summary (None for a month without data)."""
    out: list[dict | None] = []
    for month in range(1, 13):
        try:
            out.append(summary_from_days(days, who, month_period(f"{year}-{month:02d}"), cfg))
        except DataError:
            out.append(None)
    return out


def _key(summaries: list[dict | None], keys: tuple[str, ...]) -> str | None:
    """The behaviour's metric: the first of its keys with a value in any month."""
    present = [k for k in keys if any(s and k in s["direction"] for s in summaries)]
    with_data = [
        k
        for k in present
        if any(s and (s["direction"].get(k) or {}).get("value") is not None for s in summaries)
    ]
    return (with_data or present or [None])[0]


def months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def grid(summaries: list[dict | None], opts: Options) -> list[dict]:
    """One row per behaviour: its word in each month and a sentence counting them."""
    rows = []
    for slug, name, keys in BEHAVIOURS:
        key = _key(summaries, keys)
        if key is None or not opts.shows(part_of_behaviour(slug)):
            continue
        cells = []
        for s in summaries:
            d = s["direction"].get(key) if s else None
            if d is None or (d["value"] is None and d["baseline"] is None):
                cells.append({"label": "unmeasured", "word": "–", "value": None})
            else:
                cells.append({"label": d["label"], "word": WORDS[d["label"]], "value": d["value"]})
        counts = {w: sum(c["label"] == w for c in cells) for w in LABEL_ORDER}
        empty = sum(c["label"] == "unmeasured" for c in cells)
        sentence = (
            f"{METRIC_LABELS[key]}: toward in {months(counts['toward'])}, away in "
            f"{months(counts['away'])}, steady in {months(counts['steady'])}, not enough data "
            f"to tell in {months(counts['insufficient'])}; {months(empty)} without data."
        )
        rows.append(
            {"slug": slug, "behaviour": name, "key": key, "cells": cells, "sentence": sentence}
        )
    return rows


def month_plot(row: dict, year: int) -> Plot:
    key = row["key"]
    share = is_share(key)
    data = pl.DataFrame(
        {
            "month": [dt.date(year, m, 1) for m in range(1, 13)],
            "value": [c["value"] for c in row["cells"]],
            "direction": [c["label"] if c["value"] is not None else None for c in row["cells"]],
        },
        schema={"month": pl.Date, "value": pl.Float64, "direction": pl.String},
    ).with_columns(pl.col("value").round(3))
    values = data.with_columns(pl.col("month").dt.to_string("%Y-%m-%d")).to_dicts()
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b", tickCount=12, labelOverlap=True))
    y_axis = alt.Axis(format=".0%") if share else alt.Axis()
    base = alt.Chart(alt.Data(values=values))
    line = base.mark_line(color=OKABE_ITO["blue"], strokeWidth=1.5).encode(
        x=x, y=alt.Y("value:Q", title=METRIC_LABELS[key], axis=y_axis, scale=alt.Scale(zero=False))
    )
    points = (
        base.transform_filter("isValid(datum.value)")
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=x,
            y=alt.Y("value:Q"),
            color=alt.Color(
                "direction:N",
                title="Against its previous 3 months",
                scale=alt.Scale(domain=LABEL_ORDER, range=LABEL_COLOURS),
                legend=alt.Legend(
                    orient="top",
                    labelExpr="datum.label === 'insufficient' ? 'not enough data' : datum.label",
                ),
            ),
            shape=alt.Shape("direction:N", scale=alt.Scale(domain=LABEL_ORDER, range=LABEL_SHAPES)),
            tooltip=[
                alt.Tooltip("month:T", format="%B %Y"),
                alt.Tooltip("value:Q", format=".0%" if share else ",.1f"),
                alt.Tooltip("direction:N"),
            ],
        )
    )
    table = pl.DataFrame(
        {
            "Month": [f"{year}-{m:02d}" for m in range(1, 13)],
            METRIC_LABELS[key]: [fmt(key, c["value"]) for c in row["cells"]],
            "Direction": [c["word"] for c in row["cells"]],
        }
    )
    return Plot(
        finish(layered(line, points), f"{row['behaviour']}: {METRIC_LABELS[key]}, by month"), table
    )


SECTION_OF_PART = {"weight": "body", "waist": "body"}


def year_figures(
    rows: list[dict], year: int, notes: pl.DataFrame | None = None
) -> dict[str, list[Figure]]:
    """A chart per behaviour, the year's notes drawn on each."""
    out: dict[str, list[Figure]] = {"activity": [], "food": [], "sleep": [], "body": []}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    shown = events.overlapping(notes, first, last)
    for row in rows:
        if all(c["value"] is None for c in row["cells"]):
            continue
        part = part_of_behaviour(row["slug"])
        section = SECTION_OF_PART.get(part, part)
        plot, caption = month_plot(row, year), row["sentence"]
        if shown.height:
            plot = events.with_events(plot, shown, first, last)
            caption = f"{caption} {events.sentence(plot.table, shown)}"
        out[section].append(Figure(f"year-{row['slug']}", section, plot, caption))
    return out


def coverage_rows(summaries: list[dict | None], year: int) -> list[dict]:
    keys = ("activity_valid_days", "food_logged_days", "sleep_nights", "weigh_ins",
            "waist_readings")  # fmt: skip
    return [
        {"month": dt.date(year, i + 1, 1).strftime("%b"),
         "cells": [s["coverage"][k] if s else 0 for k in keys]}
        for i, s in enumerate(summaries)
    ]  # fmt: skip


def render_year(
    days: PersonDays, who: str, year: int, cfg: Config, opts: Options | None = None
) -> str:
    opts = opts or Options()
    summaries = month_summaries(days, who, year, cfg)
    if not any(summaries):
        raise DataError(
            f"no data for {who} in {year}; ingest exports that cover it (spectrum ingest FILE) "
            "or pick another year."
        )
    rows = grid(summaries, opts)
    label = opts.label or default_label(who)
    page = Page(
        label=label,
        period_name=str(year),
        heading=f"Your year {year}, month by month",
        meta=[f"{label} · each month compared with its own previous three months"],
        glance_intro="Each behaviour's direction in each month, against that month's own "
        "previous three months. “–” marks a month without data.",
        paper=opts.paper,
        kind="year",
    )
    live = opts.paper is None
    figures = year_figures(rows, year, days.events if opts.notes else None)
    prefetch([f for figs in figures.values() for f in figs], live)
    sections = {s: [figure_view(f, live) for f in figs] for s, figs in figures.items() if figs}
    return render(
        "year.html",
        page,
        cfg,
        grid=rows,
        months=[dt.date(year, m, 1).strftime("%b") for m in range(1, 13)],
        sections=sections,
        coverage=coverage_rows(summaries, year),
    )


def default_output(person: str, year: int, suffix: str = ".html") -> Path:
    return Path("reports") / f"spectrum-{safe_name(person)}-{year}{suffix}"
