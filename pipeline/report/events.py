"""Notes on the timeline: each note drawn on every time chart (a rule for a day, a band for a
range, a short label, the whole text on hover), added to the chart's data table, and named
in the sentence under it. No I/O.

A note's text is the user's own words: it only ever reaches a chart as data (Vega draws it
as text) and a page through the template's escaping, never as markup.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from pipeline.period import Period
from pipeline.report.charts import OKABE_ITO, Plot, layered

LABEL_CHARS = 18  # a label on a chart: the tag, or the start of the text
BAND = "#999999"
CHANGE_NOTED = 0.05  # a mean during a note this far from the other days' reads as higher/lower


def overlapping(events: pl.DataFrame | None, start: dt.date, end: dt.date) -> pl.DataFrame:
    """The notes with at least one day in [start, end], in date order."""
    if events is None or events.is_empty():
        return _none()
    last = pl.coalesce("end_date", "date")
    return events.filter((pl.col("date") <= end) & (last >= start)).sort("date", "id")


def _none() -> pl.DataFrame:
    from pipeline import layout

    return layout.empty("events")


def label(text: str, tag: str | None) -> str:
    """A few words for the chart: the tag, else the start of the text."""
    words = tag or " ".join(text.split())
    return words if len(words) <= LABEL_CHARS else words[: LABEL_CHARS - 1].rstrip() + "…"


def day_words(first: dt.date, last: dt.date | None = None) -> str:
    """ "14 September", or "5 to 11 October" (the month once when both are in it)."""
    one = f"{first.day} {first:%B}"
    if last is None or last == first:
        return one
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {last.day} {last:%B}"
    return f"{one} to {last.day} {last:%B}"


def tagged(tag: str | None) -> str:
    return f"tag: {tag}" if tag else "a note"


def marks(events: pl.DataFrame, start: dt.date, end: dt.date) -> alt.LayerChart:
    """Rules for one-day notes, bands for ranges, each with its label at the top; a range
    is cut to [start, end], so a long note never stretches the chart's dates."""
    rows = [
        {
            "d0": max(r["date"], start).isoformat(),
            # a band covers its last day whole, as the month's shading does
            "d1": (min(r["end_date"] or r["date"], end) + dt.timedelta(days=1)).isoformat(),
            "label": label(r["text"], r["tag"]),
            "range": r["end_date"] is not None,
            **_hover(r),
        }
        for r in events.iter_rows(named=True)
    ]
    return _drawn(rows, alt.X("d0:T", title=None), alt.X2("d1:T"))


def _hover(note: dict) -> dict:
    """What a note's mark shows on hover: when, the whole text on one line, the tag."""
    return {
        "note": " ".join(note["text"].split()),
        "days": day_words(note["date"], note["end_date"]),
        "tag": note["tag"] or "",
    }


def _drawn(rows: list[dict], x: alt.X, x2: alt.X2) -> alt.LayerChart:
    """The marks of `rows` (x from `x` to `x2`, `range`, `label`, and _hover's fields): a
    band for a range, a dashed rule for a day, and the label at the top."""
    data = alt.Data(values=rows)
    tip = [
        alt.Tooltip("days:N", title="When"),
        alt.Tooltip("note:N", title="Note"),
        alt.Tooltip("tag:N", title="Tag"),
    ]
    band = (
        alt.Chart(data)
        .transform_filter("datum.range")
        .mark_rect(color=BAND, opacity=0.18)
        .encode(x=x, x2=x2, tooltip=tip)
    )
    rule = (
        alt.Chart(data)
        .transform_filter("!datum.range")
        .mark_rule(color=OKABE_ITO["orange"], strokeWidth=2, strokeDash=[3, 2])
        .encode(x=x, tooltip=tip)
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=10, color="#333")
        .encode(x=x, y=alt.YValue(0), text=alt.Text("label:N"), tooltip=tip)
    )
    return layered(band, rule, text)


def with_events(plot: Plot, events: pl.DataFrame, start: dt.date, end: dt.date) -> Plot:
    """The plot with the notes of [start, end] drawn on it and listed in its table."""
    shown = overlapping(events, start, end)
    if shown.is_empty():
        return plot
    plot.chart.layer = [*plot.chart.layer, marks(shown, start, end)]
    return Plot(plot.chart, with_note_column(plot.table, shown))


def with_note_column(table: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """The table with a "Note" column: the notes that cover each row's day (or week)."""
    day = next((c for c, t in table.schema.items() if t == pl.Date), None)
    if table.is_empty() or (day is None and "Month" not in table.columns):
        return table
    if day is None:  # a table by month ("2026-10"), the year's charts
        return _by_month(table, events)
    span = 6 if day.lower().startswith("week") else 0  # a row of a weekly table is 7 days
    rows = table.select(pl.col(day).alias("_d")).unique()
    spans = events.select("date", last=pl.coalesce("end_date", "date"), words=_words())
    covered = (
        rows.join(spans, how="cross")
        .filter(
            (pl.col("date") <= pl.col("_d") + pl.duration(days=span))
            & (pl.col("last") >= pl.col("_d"))
        )
        .group_by("_d")
        .agg(Note=pl.col("words").sort_by("date").str.join("; "))
    )
    return table.join(covered, left_on=day, right_on="_d", how="left", maintain_order="left")


def _by_month(table: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """A month's row gets the notes that touch the month."""
    first = pl.col("Month").str.to_date("%Y-%m")
    months = table.select("Month", _m0=first, _m1=first.dt.month_end())
    notes = events.select("date", last=pl.coalesce("end_date", "date"), words=_words())
    covered = (
        months.join(notes, how="cross")
        .filter((pl.col("date") <= pl.col("_m1")) & (pl.col("last") >= pl.col("_m0")))
        .group_by("Month")
        .agg(Note=pl.col("words").sort_by("date").str.join("; "))
    )
    return table.join(covered, on="Month", how="left", maintain_order="left")


def _words() -> pl.Expr:
    """A note in a table cell: its text on one line, and its tag."""
    tag = pl.when(pl.col("tag").is_not_null()).then(" (" + pl.col("tag") + ")")
    return pl.col("text").str.replace_all(r"\s+", " ") + tag.otherwise(pl.lit(""))


def sentence(table: pl.DataFrame, events: pl.DataFrame) -> str:
    """What the chart's first measure did around each note in it. A range (a cold): its days
    against the other days shown ("Steps: lower from 5 to 11 October (tag: illness), a mean
    of 3,250 against 7,750 on the other days shown."). A single day (the day a habit
    started): the days from it on against the days before it."""
    if events.is_empty():
        return ""
    numeric = [c for c, t in table.schema.items() if t.is_numeric()]
    day = next((c for c, t in table.schema.items() if t == pl.Date), None)
    if not numeric or day is None:  # a table by month (the year's charts)
        named = "; ".join(
            f"{day_words(r['date'], r['end_date'])} ({tagged(r['tag'])})"
            for r in events.iter_rows(named=True)
        )
        return f"Notes in this chart: {named}."
    span = 6 if day.lower().startswith("week") else 0  # a weekly table's row is 7 days
    values = table.filter(pl.col(numeric[0]).is_not_null())
    return " ".join(_around(values, day, span, numeric[0], r) for r in events.iter_rows(named=True))


def _around(values: pl.DataFrame, day: str, span: int, measure: str, event: dict) -> str:
    first, last = event["date"], event["end_date"] or event["date"]
    row_end = pl.col(day) + pl.duration(days=span)
    when, how = day_words(first, event["end_date"]), tagged(event["tag"])
    name = measure if measure.split()[0] in ("g", "kg", "cm") else measure[0].upper() + measure[1:]
    unit = "%" if measure.endswith(" (%)") else ""
    name = name.removesuffix(" (%)")
    rows = "weeks" if span else "days"
    if event["end_date"] is not None:
        inside = (pl.col(day) <= last) & (row_end >= first)
        now, then = values.filter(inside), values.filter(~inside)
        lead, other = f"from {when} ({how})", f"in the other {rows} shown"
    else:  # rows that hold the day itself are in neither
        now, then = values.filter(pl.col(day) >= first), values.filter(row_end < first)
        lead, other = f"from {when} ({how}) on", "before it"
    a, b = now[measure].mean(), then[measure].mean()
    if a is None or b is None:
        return f"{name}: no values {lead if a is None else other} in this chart."
    change = a / b - 1 if b else 0.0
    word = (
        "higher"
        if change > CHANGE_NOTED
        else "lower"
        if change < -CHANGE_NOTED
        else "about the same"
    )
    return (
        f"{name}: {word} {lead}, a mean of {_number(a)}{unit} against {_number(b)}{unit} {other}."
    )


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def charted(summary: dict, period: Period) -> list[tuple[dt.date, dt.date]]:
    """The spans of days a page's charts show: a month with its baseline, or a compare's two
    periods (each on its own: the days between them are on no chart)."""
    base = summary["baseline_period"]
    first, last = dt.date.fromisoformat(base["start"]), dt.date.fromisoformat(base["end"])
    if "reference" in summary:
        return [(first, last), (period.start, period.end)]
    return [(min(first, period.start), max(last, period.end))]


def shown_notes(events: pl.DataFrame | None, spans: list[tuple[dt.date, dt.date]]) -> pl.DataFrame:
    """The notes with a day in any of the spans, once each, in date order."""
    found = [overlapping(events, a, b) for a, b in spans]
    return pl.concat(found).unique("id", keep="first").sort("date", "id")


def listed(notes: pl.DataFrame) -> list[dict]:
    """The notes for the report's list: days, tag and text (escaped by the template)."""
    return [
        {
            "id": r["id"],
            "days": day_words(r["date"], r["end_date"]),
            "tag": r["tag"],
            "text": r["text"],
        }
        for r in notes.iter_rows(named=True)
    ]


def overlay_marks(
    notes: pl.DataFrame | None, periods: list[tuple[dt.date, dt.date, str]], weekly: bool
) -> alt.LayerChart | None:
    """The notes inside each compared period, placed at their day (or week) of that period
    and labelled with the period's name: a compare chart's x axis is the day of period."""
    rows = []
    for start, end, name in periods:
        monday = start - dt.timedelta(days=start.weekday())
        for r in overlapping(notes, start, end).iter_rows(named=True):
            first, last = max(r["date"], start), min(r["end_date"] or r["date"], end)
            if weekly:
                s0, s1 = (first - monday).days // 7 + 1, (last - monday).days // 7 + 1
            else:
                s0, s1 = (first - start).days + 1, (last - start).days + 1
            rows.append(
                {
                    "s0": s0 - 0.5 if s1 > s0 else s0,
                    "s1": s1 + 0.5,
                    "label": f"{name}: {label(r['text'], r['tag'])}",
                    "range": s1 > s0,
                    **_hover(r),
                }
            )
    return _drawn(rows, alt.X("s0:Q"), alt.X2("s1:Q")) if rows else None


def named(notes: pl.DataFrame, periods: list[tuple[dt.date, dt.date, str]]) -> str:
    """ "Notes in these periods: 5 to 11 October (tag: illness)." for a compare chart."""
    said = [
        f"{day_words(r['date'], r['end_date'])} ({tagged(r['tag'])})"
        for start, end, _ in periods
        for r in overlapping(notes, start, end).iter_rows(named=True)
    ]
    return f"Notes in these periods: {'; '.join(said)}." if said else ""
