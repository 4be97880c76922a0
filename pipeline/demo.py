"""`spectrum demo`: the sample person, ingested into a throw-away store, reported month by month."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.ingest import ingest
from pipeline.paths import SAMPLE_DATA
from pipeline.report.render import render_html
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from pipeline.summary import month_period, person_days

DEMO_PERSON = "alex"
DEMO_MONTHS = ("2026-08", "2026-09", "2026-10")  # each has three months of baseline before it


def run_demo(out_dir: Path, sample_dir: Path = SAMPLE_DATA) -> list[Path]:
    """Write the demo reports into `out_dir`; the user's own store is never touched."""
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
        path = out_dir / f"spectrum-{DEMO_PERSON}-{month}.html"
        path.write_text(render_html(days, DEMO_PERSON, month_period(month), cfg), encoding="utf-8")
        written.append(path)
    return written
