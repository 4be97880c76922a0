"""`spectrum demo`: the sample person, ingested into a throw-away store, and every kind of
output written from it: monthly reports, a compare, a year, a chart folder, a share bundle
and a PDF."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.ingest import ingest
from pipeline.paths import SAMPLE_DATA
from pipeline.period import month_period
from pipeline.report import compare, export, outputs, render, year
from pipeline.report.options import Options
from pipeline.report.page import write_text
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from pipeline.summary import person_days

DEMO_PERSON = "alex"
DEMO_MONTHS = ("2026-08", "2026-09", "2026-10")  # each has three months of baseline before it
DEMO_COMPARE = ("2026-07", "2026-10")  # the first month with a baseline, and the last


def run_demo(
    out_dir: Path, sample_dir: Path = SAMPLE_DATA, say: Callable[[str], None] | None = None
) -> list[Path]:
    """Write the demo's outputs into `out_dir`; the user's own store is never touched.

    The monthly reports come first, in month order (the last is October's)."""
    if not sample_dir.is_dir():
        raise DataError(f"sample data not found at {sample_dir}; run from a spectrum checkout.")
    cfg = Config()
    with tempfile.TemporaryDirectory(prefix="spectrum-demo-") as tmp:
        store = Store(Path(tmp))
        ingest(store, [sample_dir], None, ReadOptions(person=DEMO_PERSON), strict=True)
        days = person_days(store, DEMO_PERSON, cfg)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for month in DEMO_MONTHS:
        html = render.render_html(days, DEMO_PERSON, month_period(month), cfg)
        written.append(write_text(out_dir / f"spectrum-{DEMO_PERSON}-{month}.html", html))
    a, b = (month_period(m) for m in DEMO_COMPARE)
    html = compare.render_compare(days, DEMO_PERSON, a, b, cfg)
    written.append(write_text(out_dir / compare.default_output(DEMO_PERSON, a, b).name, html))
    html = year.render_year(days, DEMO_PERSON, b.start.year, cfg)
    written.append(write_text(out_dir / year.default_output(DEMO_PERSON, b.start.year).name, html))
    _, figures = outputs.period_figures(days, DEMO_PERSON, b, cfg, None)
    chart_dir = out_dir / f"charts-{DEMO_MONTHS[-1]}"
    export.write_charts(figures, "png", chart_dir)
    written.append(chart_dir)
    bundle = out_dir / f"share-{DEMO_MONTHS[-1]}.zip"
    opts = Options(label="me", notes=False)  # a bundle leaves notes out unless asked
    summary, shared = outputs.period_figures(days, DEMO_PERSON, b, cfg, None, notes=False)
    html = render.render_html(days, DEMO_PERSON, b, cfg, opts)
    export.write_bundle(bundle, html, shared, summary, opts)
    written.append(bundle)
    try:
        from pipeline.report.pdf import html_to_pdf

        paper = Options(paper="A4")
        pdf = out_dir / f"spectrum-{DEMO_PERSON}-{DEMO_MONTHS[-1]}.pdf"
        written.append(html_to_pdf(render.render_html(days, DEMO_PERSON, b, cfg, paper), pdf))
    except DataError as exc:  # no browser here: everything else is still written
        if say:
            say(f"Skipped the PDF: {exc}")
    return written
