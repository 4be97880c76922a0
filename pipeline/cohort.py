"""Everyone in the store at once: `summary --all` and `report --all`.

The same analysis as one person's summary, over a batch of people (DESIGN.md: one analysis,
many views). Each table is read once for all; the daily frames, the period metrics and the
weekly direction intervals are made for everyone in one polars computation each; then each
person's summary is assembled by the very functions `summary --person` uses, so every
number is the one that person's own summary gives.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, fields
from multiprocessing import get_context
from pathlib import Path

import polars as pl

from pipeline.analysis import PersonDays, rows_days, split_days
from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.metrics import direction, periods
from pipeline.metrics.vector_direction import BASE, NOW, interval_figures
from pipeline.period import Period, baseline_of, within
from pipeline.store import Store
from pipeline.summary import (
    coverage,
    has_data,
    no_data_reason,
    reading_span,
    summary_from_days,
)
from pipeline.travel import DRIVERS, body_measure, min_change_share, with_minimum

Progress = Callable[[int], None]
BODY = {"weight_kg": "weight", "waist_cm": "waist"}  # weekly body directions: key -> frame


@dataclass(frozen=True)
class Cohort:
    people: list[str]
    days: dict[str, PersonDays]  # every person with any row, split from the frames of all
    empty: PersonDays  # the frames' columns with no rows (a person with none at all)
    all_days: PersonDays  # the frames of everyone, before the split

    def of(self, who: str) -> PersonDays:
        return self.days.get(who, self.empty)


def cohort(store: Store, cfg: Config, span: Period | None = None) -> Cohort:
    """Everyone's daily frames (the minute tables read only for `span`, when given)."""
    people = store.persons()
    if not people:
        raise DataError(
            f"the store at {store.root} is empty; ingest an export first: spectrum ingest FILE"
        )
    everyone = rows_days(store, pl.lit(True), cfg, span)
    empty = PersonDays(**{f.name: getattr(everyone, f.name).clear() for f in fields(PersonDays)})
    return Cohort(people, split_days(everyone), empty, everyone)


def _frames(days: PersonDays, p: Period) -> dict[str, pl.LazyFrame]:
    kinds = {"activity": days.activity, "food": days.food, "sleep": days.sleep}
    return {kind: within(frame, p).lazy() for kind, frame in kinds.items()}


def weekly_rows(days: PersonDays, p: Period, b: Period, cfg: Config) -> pl.LazyFrame:
    """Every person's weekly sums of every weekly direction, both periods, one long frame."""
    parts = []
    for side, q in ((NOW, p), (BASE, b)):
        frames = _frames(days, q)
        for name in DRIVERS:
            m = periods.MEASURES[name]
            parts.append(
                _tagged(periods.weekly_sums_by(frames[m.frame], m.frame, m, ["person"]),
                        name, side, m.scale, cfg.min_days_per_week)
            )  # fmt: skip
        for name, frame in BODY.items():
            rows = within(getattr(days, frame), q).lazy()
            sums = periods.weekly_sums_by(rows, "sleep", body_measure(name), ["person"])
            parts.append(_tagged(sums, name, side, 1.0, 1))  # sparse: a week with one counts
    return pl.concat(parts)


def _tagged(sums: pl.LazyFrame, name: str, side: str, scale: float, min_days: int):
    return sums.with_columns(
        metric=pl.lit(name),
        side=pl.lit(side),
        scale=pl.lit(scale, pl.Float64),
        min_days=pl.lit(min_days, pl.Int64),
    )


def weekly_directions(
    days: PersonDays, people: list[str], p: Period, b: Period, cfg: Config
) -> dict[str, dict[str, dict]]:
    """person -> the weekly directions travel.directions takes as `ready`: every driver and
    the weekly weigh-in and waist directions, all intervals computed at once."""
    figures = interval_figures(weekly_rows(days, p, b, cfg), ["person", "metric"])
    found = {(r["person"], r["metric"]): r for r in figures.iter_rows(named=True)}
    out: dict[str, dict[str, dict]] = {}
    for who in people:
        out[who] = {name: _finish(name, found.get((who, name)), cfg) for name in (*DRIVERS, *BODY)}
    return out


def _finish(name: str, row: dict | None, cfg: Config) -> dict:
    """A direction object from its interval figures, by direction.py's own rules."""
    row = row or {"value": None, "baseline": None, "n_now": 0, "n_base": 0, "low": None}
    ci = None if row["low"] is None else (row["low"], row["high"])
    driver = name in DRIVERS
    d = direction.finished(
        row["value"],
        row["baseline"],
        row["n_now"],
        row["n_base"],
        ci,
        periods.MEASURES[name].better if driver else -1,
        cfg.min_weeks_for_direction,
        min_change_share(name, cfg) if driver else 0.0,
        cfg.min_days_per_week if driver else 1,
    )
    return with_minimum(name, d, cfg) if driver else d


def summaries(store: Store, period: Period, cfg: Config, progress: Progress) -> list[dict]:
    """Every person's summary of `period` (the object `summary --json` prints), in the
    store's order; a person without data in the period is {person, period, no_data}."""
    c = cohort(store, cfg, reading_span(period, cfg))
    base = baseline_of(period, cfg.baseline_months)
    made = periods.period_metrics_by_person(_frames(c.all_days, period))
    ready = weekly_directions(c.all_days, c.people, period, base, cfg)
    unknown = {n: None for n in periods.MEASURES}
    out = []
    for who in c.people:
        days = c.of(who)
        if has_data(coverage(days, period)):
            mine = (made.get(who, unknown), ready[who])
            out.append(summary_from_days(days, who, period, cfg, None, mine))
        else:
            out.append(
                {"person": who, "period": period.as_dict(), "no_data": no_data_reason(days, period)}
            )
        progress(1)
    return out


CSV_COLUMNS = ("person", "metric", "unit", "value", "baseline", "change", "low", "high",
               "direction")  # fmt: skip


def summaries_csv(results: list[dict]) -> str:
    """One row per person and metric, as share's summary.csv rounds and names them; a cell a
    spreadsheet could run as a formula is made plain text (csvout.cell)."""
    from pipeline.csvout import csv_text
    from pipeline.report.export import summary_rows
    from pipeline.report.page import Options

    rows = []
    for s in results:
        if "no_data" in s:
            rows.append([s["person"], "", "", "", "", "", "", "", "no data"])
            continue
        for r in summary_rows(s, Options()):
            rows.append([s["person"], r["metric"], r["unit"], r["value"], r["baseline"],
                         r["change"], r["ci95_low"], r["ci95_high"], r["direction"]])  # fmt: skip
    return csv_text(CSV_COLUMNS, rows)


def file_names(people: list[str], period: Period, suffix: str = ".html") -> dict[str, str]:
    """person -> `<person>-<YYYY-MM>.html`, safe on every file system and distinct (two
    names that differ only in characters made safe get -2, -3, ...; case-blind, for macOS
    and Windows)."""
    from pipeline.report.page import safe_name

    taken: set[str] = set()
    out = {}
    for who in people:
        stem = f"{safe_name(who).lstrip('.') or 'person'}-{period.start:%Y-%m}"
        name, n = stem + suffix, 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}{suffix}"
        taken.add(name.lower())
        out[who] = name
    return out


@dataclass(frozen=True)
class Written:
    person: str
    path: Path | None  # None: skipped
    why: str = ""


def write_reports(
    store: Store, period: Period, cfg: Config, out_dir: Path, opts, progress: Progress
) -> list[Written]:
    """One report per person with data in `period`, written by parallel processes.

    The parent reads the store and makes everyone's daily frames once (the vectorised path);
    each worker process renders a batch of people from their frames: rendering (charts,
    SVG) is the slow, per-person part, and it is what runs in parallel.
    """
    c = cohort(store, cfg, reading_span(period, cfg))
    names = file_names(c.people, period)
    jobs, done = [], []
    for who in c.people:
        days = c.of(who)
        if has_data(coverage(days, period)):
            jobs.append((who, days, out_dir / names[who]))
        else:
            done.append(Written(who, None, no_data_reason(days, period)))
            progress(1)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot write to {out_dir}: {exc.strerror}; pick another -o.") from exc
    for batch in _run(jobs, period, cfg, opts):
        done.extend(batch)
        progress(len(batch))
    order = {who: i for i, who in enumerate(c.people)}
    return sorted(done, key=lambda w: order[w.person])


def _batches(jobs: list, n: int) -> list[list]:
    return [jobs[i::n] for i in range(n) if jobs[i::n]]


def _run(jobs: list, period: Period, cfg: Config, opts) -> Iterator[list[Written]]:
    """Batches of reports, in worker processes when there is more than one person."""
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        yield from (render_batch([job], period, cfg, opts) for job in jobs)
        return
    # several small batches per worker: the progress bar moves, and a slow batch does not
    # leave the other workers idle. spawn, not fork: polars' thread pool does not survive
    # a fork.
    batches = _batches(jobs, min(len(jobs), workers * 4))
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(render_batch, b, period, cfg, opts) for b in batches]
        for future in as_completed(futures):
            yield future.result()


def render_batch(jobs: list, period: Period, cfg: Config, opts) -> list[Written]:
    """Render and write each (person, daily frames, path) of a batch (in a worker)."""
    from pipeline.report.page import write_text
    from pipeline.report.render import render_html

    out = []
    for who, days, path in jobs:
        try:
            out.append(Written(who, write_text(path, render_html(days, who, period, cfg, opts))))
        except DataError as exc:
            out.append(Written(who, None, str(exc)))
    return out
