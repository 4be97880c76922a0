"""The report commands' work, without the command line: which people and periods, which
renderer, and where each file goes (HTML, PDF, chart folder, share bundle).

The modules that draw (altair, the page) are imported after the person's days are read:
`preload_drawing` imports them in a thread meanwhile, while polars reads the store without
holding Python's lock, so the two overlap (a tenth of a second of a report)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipeline.analysis import PersonDays, person_days
from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.period import Period, month_period, period_name
from pipeline.report.options import PAPERS, Options
from pipeline.store import Store
from pipeline.summary import choose_person, reading_span, summary_from_days

if TYPE_CHECKING:
    from pipeline.report.figure import Figure

DRAWING = ("pipeline.report.render", "pipeline.report.compare", "pipeline.report.export")


def preload_drawing() -> None:
    """Start importing the drawing modules in a thread (see the module's docstring)."""
    from pipeline.imports import preload

    preload(*DRAWING)


def _days(
    store: Store, person: str | None, cfg: Config, *periods: Period, vs: Period | None = None
) -> tuple[str, PersonDays]:
    """The person's daily frames, the minute tables read only for the days `periods` (each
    with its baseline, or `vs`) look at."""
    who = choose_person(store, person)
    spans = [reading_span(p, cfg, vs) for p in periods]
    span = Period(min(s.start for s in spans), max(s.end for s in spans)) if spans else None
    return who, person_days(store, who, cfg, span)


def _finish(html: str, path: Path, pdf: bool) -> Path:
    from pipeline.report.page import write_text

    if not pdf:
        return write_text(path, html)
    from pipeline.report.pdf import html_to_pdf

    return html_to_pdf(html, path)


def suffix(pdf: bool) -> str:
    return ".pdf" if pdf else ".html"


def paper_options(opts: Options, pdf: bool, paper: str) -> Options:
    """For a PDF, the page is drawn for paper: fixed charts, no script, the chosen size."""
    if not pdf:
        return opts
    return Options(label=opts.label, hidden=opts.hidden, paper=PAPERS[paper])


def write_months(
    store: Store,
    person: str | None,
    months: list[Period],
    cfg: Config,
    output: Path | None,
    opts: Options,
    pdf: bool = False,
) -> list[Path]:
    """One report per month. With several months, `output` is a folder."""
    who, days = _days(store, person, cfg, *months)
    from pipeline.report import render

    written = []
    for month in months:
        default = render.default_output(who, month, suffix(pdf))
        folder = output is not None and (len(months) > 1 or output.is_dir())
        path = output / default.name if folder else output or default
        written.append(_finish(render.render_html(days, who, month, cfg, opts), path, pdf))
    return written


def write_year(
    store: Store,
    person: str | None,
    year_: int,
    cfg: Config,
    output: Path | None,
    opts: Options,
    pdf: bool = False,
) -> Path:
    months = [month_period(f"{year_}-{m:02d}") for m in (1, 12)]
    who, days = _days(store, person, cfg, *months)
    from pipeline.report import year

    html = year.render_year(days, who, year_, cfg, opts)
    return _finish(html, output or year.default_output(who, year_, suffix(pdf)), pdf)


def write_compare(
    store: Store,
    person: str | None,
    a: Period,
    b: Period,
    cfg: Config,
    output: Path | None,
    opts: Options,
    pdf: bool = False,
) -> Path:
    who, days = _days(store, person, cfg, b, vs=a)
    from pipeline.report import compare

    html = compare.render_compare(days, who, a, b, cfg, opts)
    return _finish(html, output or compare.default_output(who, a, b, suffix(pdf)), pdf)


def period_figures(
    days: PersonDays, who: str, period: Period, cfg: Config, vs: Period | None, notes: bool = True
) -> tuple[dict, list[Figure]]:
    """The summary and every chart of the report for `period` (or of the compare with `vs`);
    `notes`: the person's notes drawn on the charts."""
    from pipeline.report import compare
    from pipeline.report.blocks import chart_blocks

    summary = summary_from_days(days, who, period, cfg, vs)
    if vs is None:
        blocks = chart_blocks(days, summary, period, cfg, notes)
    else:
        names = [period_name(vs), period_name(period)]
        blocks = compare.compare_figures(days, summary, vs, period, names, notes)
    return summary, [f for figs in blocks.values() for f in figs]


def write_charts(
    store: Store,
    person: str | None,
    period: Period,
    cfg: Config,
    fmt: str,
    out_dir: Path,
    opts: Options,
) -> list[Path]:
    who, days = _days(store, person, cfg, period)
    _, figures = period_figures(days, who, period, cfg, None)
    from pipeline.report import export
    from pipeline.report.render import part_of_figure

    return export.write_charts([f for f in figures if opts.shows(part_of_figure(f))], fmt, out_dir)


def write_share(
    store: Store,
    person: str | None,
    period: Period,
    vs: Period | None,
    cfg: Config,
    output: Path,
    opts: Options,
    told: Callable[[pl.DataFrame], None] | None = None,
) -> list[str]:
    """The share bundle. The label defaults to "me": a bundle never carries a stored name.
    With the person's notes (opts.notes), `told` is given the notes it will hold before
    anything is written."""
    if output.suffix.lower() != ".zip":
        raise DataError(f"{output} does not end in .zip; name the bundle like -o share.zip.")
    opts = Options(label=opts.label or "me", hidden=opts.hidden, notes=opts.notes)
    who, days = _days(store, person, cfg, period, vs=vs)
    summary, figures = period_figures(days, who, period, cfg, vs, opts.notes)
    from pipeline.report import compare, export, render

    if vs is None:
        html = render.render_html(days, who, period, cfg, opts)
    else:
        html = compare.render_compare(days, who, vs, period, cfg, opts)
    foods = render.top_foods(days, period)
    notes = None
    if opts.notes:  # the notes the charts show, told first, then as a list for the coach
        from pipeline import events
        from pipeline.report.events import charted, shown_notes

        shared = shown_notes(days.events, charted(summary, period))
        if told is not None:
            told(shared)
        notes = events.as_csv(shared)
    return export.write_bundle(output, html, figures, summary, opts, foods, notes)
