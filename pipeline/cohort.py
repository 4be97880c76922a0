"""Everyone in the store at once: `summary --all` and `report --all`.

The same analysis as one person's summary, over a batch of people (DESIGN.md: one analysis,
many views). Each table is read once for all; the daily frames, the period metrics and the
weekly direction intervals are made for everyone in one polars computation each; then each
person's summary is assembled by the very functions `summary --person` uses, so every
number is the one that person's own summary gives.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import polars as pl

from pipeline import engines
from pipeline.analysis import PersonDays, rows_days, split_days
from pipeline.config import Config
from pipeline.errors import DataError, first_line
from pipeline.metrics import direction, periods
from pipeline.metrics.vector_direction import BASE, NOW, interval_figures
from pipeline.period import Period, baseline_of, within
from pipeline.store import Store, StoreUnreachable
from pipeline.summary import (
    coverage,
    has_data,
    no_data_reason,
    reading_span,
    summary_from_days,
)
from pipeline.travel import DRIVERS, body_measure, min_change_share, with_minimum

Progress = Callable[[int], None]
SUMMARY_BATCH = 200  # people per batch: a batch's frames stay a few hundred MB at most
REPORT_BATCH = 25  # reports per batch: each batch's pages come back to be written here
BODY = {"weight_kg": "weight", "waist_cm": "waist"}  # weekly body directions: key -> frame


@dataclass(frozen=True)
class Cohort:
    people: list[str]
    days: dict[str, PersonDays]  # every person with any row, split from the frames of all
    empty: PersonDays  # the frames' columns with no rows (a person with none at all)
    all_days: PersonDays  # the frames of everyone, before the split

    def of(self, who: str) -> PersonDays:
        return self.days.get(who, self.empty)


def everyone(store: Store) -> list[str]:
    people = store.persons()
    if not people:
        raise DataError(
            f"the store at {store.root} is empty; ingest an export first: spectrum ingest FILE"
        )
    return people


def cohort(
    store: Store, cfg: Config, span: Period | None = None, people: list[str] | None = None
) -> Cohort:
    """The daily frames of `people` (default: everyone), only their partitions read (the
    minute tables only for `span`, when given)."""
    if people is None:
        people, mine = everyone(store), pl.lit(True)
    else:
        mine = pl.col("person").is_in(people)
    frames = rows_days(store, mine, cfg, span)
    empty = PersonDays(**{f.name: getattr(frames, f.name).clear() for f in fields(PersonDays)})
    return Cohort(people, split_days(frames), empty, frames)


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


def summaries(
    store: Store,
    period: Period,
    cfg: Config,
    progress: Progress,
    engine: str = "local",
    batch_size: int = SUMMARY_BATCH,
    address: str | None = None,
    say: Callable[[str], None] | None = None,
) -> list[dict]:
    """Every person's summary of `period` (the object `summary --json` prints), in the
    store's order; a person without data in the period is {person, period, no_data}, one
    whose data could not be summarised {person, period, error}. People are summarised in
    batches of `batch_size` by the engine (pipeline/engines.py); the results are the same
    whatever the engine and the batch size."""
    people = everyone(store)
    groups = engines.batches(people, batch_size)
    jobs = [(store.root, group, period, cfg) for group in groups]
    found: dict[str, dict] = {}
    for n, rows in enumerate(engines.run(engine, summarise_batch, jobs, 1, address), 1):
        found.update((r["person"], r) for r in rows)
        progress(len(rows))
        if say and len(groups) > 1:
            say(engines.batch_done(n, len(groups), len(found), len(people)))
    return [found[who] for who in people]


def summarise_batch(root: Path | str, people: list[str], period: Period, cfg: Config) -> list[dict]:
    """The summaries of a batch of people, read from the store at `root` by this call (so it
    runs anywhere: here, in a worker process, on a Ray node). A person whose data breaks the
    batch is found by summarising each on their own: only that person's row says so."""
    store = Store(root)
    try:
        return _batch_summaries(store, people, period, cfg)
    except BaseException as exc:  # noqa: BLE001 - any failure of one person's data
        if not persons_fault(store, exc):
            raise
        if len(people) == 1:
            return [failed(people[0], period, exc)]
    return [row for who in people for row in summarise_batch(root, [who], period, cfg)]


def persons_fault(store: Store, exc: BaseException) -> bool:
    """Whether a failure lies in someone's data (a damaged file: pyarrow's and polars' Rust
    code may even panic, which Python sees as a BaseException), not in the run: a stop asked
    for, or a store that no longer answers (which would otherwise give everyone an error)."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | StoreUnreachable):
        return False
    store.check_reachable()
    return True


def _batch_summaries(store: Store, people: list[str], period: Period, cfg: Config) -> list[dict]:
    c = cohort(store, cfg, reading_span(period, cfg), people)
    base = baseline_of(period, cfg.baseline_months)
    made = periods.period_metrics_by_person(_frames(c.all_days, period))
    ready = weekly_directions(c.all_days, c.people, period, base, cfg)
    unknown = {n: None for n in periods.MEASURES}
    out = []
    for who in c.people:
        days = c.of(who)
        if not has_data(coverage(days, period)):
            reason = no_data_reason(days, period)
            out.append({"person": who, "period": period.as_dict(), "no_data": reason})
            continue
        try:
            mine = (made.get(who, unknown), ready[who])
            out.append(summary_from_days(days, who, period, cfg, None, mine))
        except BaseException as exc:  # noqa: BLE001 - this person's row says why; others go on
            if not persons_fault(store, exc):
                raise
            out.append(failed(who, period, exc))
    return out


def failed(who: str, period: Period, exc: BaseException, what: str = "summarised") -> dict:
    """The row of a person whose data could not be summarised (or drawn), with the reason."""
    first = first_line(exc, 200)
    return {"person": who, "period": period.as_dict(), "error": f"could not be {what}: {first}"}


CSV_COLUMNS = ("person", "metric", "unit", "value", "baseline", "change", "low", "high",
               "direction")  # fmt: skip


def summaries_csv(results: list[dict]) -> str:
    """One row per person and metric, as share's summary.csv rounds and names them; a cell a
    spreadsheet could run as a formula is made plain text (csvout.cell)."""
    from pipeline.csvout import csv_text
    from pipeline.report.export import summary_rows
    from pipeline.report.options import Options

    rows = []
    for s in results:
        if "no_data" in s or "error" in s:
            said = "no data" if "no_data" in s else s["error"]
            rows.append([s["person"], "", "", "", "", "", "", "", said])
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


@dataclass(frozen=True)
class Rendered:
    person: str
    html: str | None  # None: not rendered, and `why`
    why: str = ""


def write_reports(
    store: Store,
    period: Period,
    cfg: Config,
    out_dir: Path,
    opts,
    progress: Progress,
    engine: str = "local",
    batch_size: int | None = None,
    address: str | None = None,
    say: Callable[[str], None] | None = None,
) -> list[Written]:
    """One report per person with data in `period`. Batches of people are rendered where
    the engine says (local: worker processes; rendering, with its charts and pictures, is the
    slow part); each batch reads its people from the store itself, and the pages come back
    here to be written, so -o is a folder on this machine whatever the engine."""
    people = everyone(store)
    names = file_names(people, period)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot write to {out_dir}: {exc.strerror}; pick another -o.") from exc
    workers = os.cpu_count() or 1
    size = batch_size or min(REPORT_BATCH, max(1, -(-len(people) // (4 * workers))))
    jobs = [(store.root, group, period, cfg, opts) for group in engines.batches(people, size)]
    done: dict[str, Written] = {}
    for n, rendered in enumerate(engines.run(engine, render_batch, jobs, workers, address), 1):
        for r in rendered:
            done[r.person] = _written(r, out_dir / names[r.person])
        progress(len(rendered))
        if say and len(jobs) > 1:
            say(engines.batch_done(n, len(jobs), len(done), len(people)))
    return [done[who] for who in people]


def _written(r: Rendered, path: Path) -> Written:
    if r.html is None:
        return Written(r.person, None, r.why)
    from pipeline.report.page import write_text

    return Written(r.person, write_text(path, r.html))


def render_batch(
    root: Path | str, people: list[str], period: Period, cfg: Config, opts
) -> list[Rendered]:
    """The report pages of a batch of people, read from the store at `root` by this call
    (here, in a worker process, or on a Ray node); a person without data, or whose data
    cannot be drawn, gets the reason instead."""
    from pipeline.report.render import render_html

    store = Store(root)
    try:
        c = cohort(store, cfg, reading_span(period, cfg), people)
    except BaseException as exc:  # noqa: BLE001 - one person's data broke the batch: one by one
        if not persons_fault(store, exc):
            raise
        if len(people) == 1:
            return [Rendered(people[0], None, failed(people[0], period, exc, "drawn")["error"])]
        return [r for who in people for r in render_batch(root, [who], period, cfg, opts)]
    out = []
    for who in people:
        days = c.of(who)
        if not has_data(coverage(days, period)):
            out.append(Rendered(who, None, no_data_reason(days, period)))
            continue
        try:
            out.append(Rendered(who, render_html(days, who, period, cfg, opts)))
        except BaseException as exc:  # noqa: BLE001 - this person's reason; the others go on
            if not persons_fault(store, exc):
                raise
            out.append(Rendered(who, None, failed(who, period, exc, "drawn")["error"]))
    return out
