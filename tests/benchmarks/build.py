"""Set-up of the benchmarks (not timed): the cohort store, built in-process.

Cronometer files have no person column, so each person's food is its own file: each is
read and checked with `pipeline.prepare.prepare` under its person, and all are written in
one transaction. Written one by one, each file costs a Delta commit of its own (about 0.1 s
each, minutes for 1,000 people), so the checked files are first combined into one (the
journal then holds one row for the cohort's food); if the combining ever stops fitting
pipeline.prepare.Prepared, the files are written one by one instead.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl

from pipeline.ingest import ingest, write
from pipeline.prepare import Prepared, prepare
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from tests.benchmarks import generate


def _concat(frames: list[pl.DataFrame | None]) -> pl.DataFrame | None:
    have = [f for f in frames if f is not None]
    return pl.concat(have, how="diagonal_relaxed") if have else None


def combined(prepared: list[Prepared]) -> Prepared:
    """One Prepared holding the rows of all of them (the same format and last date)."""
    first, reports = prepared[0], [p.report for p in prepared]
    counts = {
        name: sum(getattr(r, name) for r in reports)
        for name in (
            "rows_read",
            "rows_accepted",
            "rows_quarantined",
            "rows_ignored",
            "rows_duplicate",
            "note_lines",
        )  # fmt: skip
    }
    report = dataclasses.replace(
        first.report, persons=sorted({p for r in reports for p in r.persons}), **counts
    )
    extra_keys = {k for p in prepared for k in p.extra}
    return dataclasses.replace(
        first,
        report=report,
        accepted=_concat([p.accepted for p in prepared]),
        failures=_concat([p.failures for p in prepared]),
        warnings=[w for p in prepared for w in p.warnings],
        bad_days=_concat([p.bad_days for p in prepared]),
        nulled=_concat([p.nulled for p in prepared]),
        extra={k: _concat([p.extra.get(k) for p in prepared]) for k in extra_keys},
    )


def add_minutes(store_root: Path, ids: list[str], days: int) -> None:
    """The cohort's last `days` of minute steps, ingested from Fitabase files of 100 people
    each (deleted once stored: 150 MB each)."""
    store = Store(store_root)
    for part in generate.cohort_minutes(store_root.parent / "minutes", ids, days):
        ingest(store, [part], None, ReadOptions(), strict=False)
        part.unlink()


def cohort_store(folder: Path, people: int, days: int) -> tuple[Path, list[str], str]:
    """A store of `people` x `days` of daily activity (one Fitabase file) and food (one
    Cronometer file each). Returns (store, person ids, how the food was written)."""
    folder.mkdir(parents=True, exist_ok=True)
    daily = folder / "dailyActivity_merged.csv"
    ids = generate.cohort_daily_activity(daily, people, days)
    files = generate.cohort_servings(folder / "food", ids, days)
    store = Store(folder / "store")
    ingest(store, [daily], None, ReadOptions(), strict=False)
    prepared = [prepare(f, None, ReadOptions(person=p)) for p, f in zip(ids, files, strict=True)]
    try:
        one = combined(prepared)
    except Exception as exc:  # noqa: BLE001 - Prepared changed: fall back to the slow way
        write(store, prepared, ReadOptions())
        return folder / "store", ids, f"file by file ({type(exc).__name__} combining)"
    write(store, [one], ReadOptions())
    return folder / "store", ids, "combined into one write"
