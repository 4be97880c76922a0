"""Ingest: detect each file's format, parse, validate, then write everything or nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.checks import check_text  # noqa: F401 - callers import it from here
from pipeline.errors import DataError, HostileInput
from pipeline.prepare import (  # noqa: F401 - callers import these from here
    SEE_FORMATS,
    FileReport,
    Prepared,
    after_path,
    choose_source,
    identify_input,
    prepare,
    skip_reason,
)
from pipeline.quarantine import quarantine_rows
from pipeline.sources._csv import LINE
from pipeline.sources._parse import ReadOptions
from pipeline.store import QUARANTINE, Store
from pipeline.validate import preload_pandera


@contextlib.contextmanager
def _no_bar(item):
    yield None


def _unchanged(
    item, fmt: str | None, opts: ReadOptions, replace: bool, done
) -> tuple[str | None, str | None]:
    """(when the same bytes were ingested the same way, or None; the file's sha256), from
    the sha256 and the journal alone: nothing is parsed, not even the header."""
    from pipeline.archive import looks_binary

    if done.is_empty() or looks_binary(item.head()):  # refused as it is read: not hashed
        return None, None
    from pipeline.nontext import sha256

    file_id = sha256(item)
    logged = done.filter(pl.col("file_id") == file_id)
    for options, at in logged.select("options", "at").iter_rows():
        read_as = json.loads(options).get("format") if options else None  # older stores
        if read_as and fmt in (None, read_as) and options == options_key(read_as, opts, replace):
            return at, file_id
    return None, file_id


def _take(item, fmt, opts, prepared, file_id=None):
    """One file read and checked (a Prepared), or ("skipped", why), or None for a file
    already read in this command (an unchanged one never gets here: see _unchanged)."""
    try:
        found = identify_input(item, fmt, file_id, opts.limits)
    except DataError as exc:
        if item.named or isinstance(exc, HostileInput):
            raise
        # a damaged member of a folder or zip does not stop the others
        return ("skipped", after_path(str(exc), item.path).rstrip("."))
    if found is None:
        return ("skipped", skip_reason(item))
    if any(p.file_id == found.file_id for p in prepared):  # named twice in one command
        return None
    preload_pandera()
    return found.prepare(opts)


def strict_error(prepared: list[Prepared]) -> DataError | None:
    bad = [p for p in prepared if p.failures.height]
    if not bad:
        return None
    first = bad[0].failures.row(0, named=True)
    total = sum(p.report.rows_quarantined for p in bad)
    return DataError(
        f"{total} row(s) failed validation under --strict (first: {bad[0].report.file} "
        f"line {first[LINE]}, {first['column']} = '{first['value']}' fails {first['check']}); "
        "nothing was written. Fix the rows, or drop --strict to quarantine them."
    )


@dataclass
class IngestResult:
    reports: list[FileReport]
    skipped: list[tuple[Path, str]]  # folder/zip members that are no known export, and why
    warnings: list[str]
    unchanged: list[tuple[Path, str]] = field(default_factory=list)  # (file, when ingested)


def ingest(
    store: Store | None,
    paths: list[Path],
    fmt: str | None,
    opts: ReadOptions,
    strict: bool,
    progress: Callable[[Iterable], Iterable] = iter,
    say: Callable[[str], None] | None = None,
    replace: bool = False,
    file_bar=None,
) -> IngestResult:
    """Store the files' valid rows and quarantine the rest.

    Every file is read and checked before anything is written, so a bad file (or, with
    `strict`, a bad row) leaves the store as it was. `progress` wraps the file list (the CLI
    passes a progress bar on a terminal); `file_bar(item)`, a context giving a function of
    bytes read (or None), shows the reading of one large file.
    """
    prepared, skipped, unchanged = [], [], []
    # store None: a dry run (spectrum validate) that reads and checks, and writes nothing
    done = (
        store.live_ingests().select("file_id", "options", "at")
        if store is not None
        else pl.DataFrame(schema={"file_id": pl.String, "options": pl.String, "at": pl.String})
    )
    from pipeline.archive import expand, is_export_name, watched

    for item in progress(expand(paths, opts.limits)):
        if item.skip:
            skipped.append((item.path, item.skip))
            continue
        if not item.named and not is_export_name(item.path.name):  # a photo, a route, a PDF
            suffix = item.path.suffix.lower() or "no suffix"
            skipped.append((item.path, f"not an export file ({suffix}); {SEE_FORMATS}"))
            continue
        with (file_bar or _no_bar)(item) as seen:
            item = watched(item, seen) if seen else item
            when, file_id = _unchanged(item, fmt, opts, replace, done)
            took = ("unchanged", when) if when else _take(item, fmt, opts, prepared, file_id)
        if isinstance(took, Prepared):
            prepared.append(took)
        elif took is not None:
            (unchanged if took[0] == "unchanged" else skipped).append((item.path, took[1]))
    if not prepared and not unchanged:
        # a zip's member by its whole name in the zip ("../../evil.csv" says what it is)
        listed = "; ".join(
            f"{str(p).partition('!/')[2] or p.name}: {why}" for p, why in skipped[:3]
        )
        more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        seen = f" (skipped {listed}{more})" if skipped else ""
        raise DataError(
            f"none of the given files is a known export{seen}; run 'spectrum formats' to see them."
        )
    if strict and (err := strict_error(prepared)):
        raise err
    if prepared and store is not None:
        write(store, prepared, opts, say, replace)
    return IngestResult(
        [p.report for p in prepared],
        skipped,
        [w for p in prepared for w in p.warnings],
        unchanged,
    )


def write(
    store: Store, prepared: list[Prepared], opts: ReadOptions, say=None, replace: bool = False
) -> None:
    """One transaction: each file's rows in command-line order (for the tables keyed by day,
    the days each export wins), the quarantine, then the journal rows that commit it."""
    from pipeline import txn

    with txn.writing(store, say or txn.quiet) as w:
        for prep in prepared:
            last = prep.report.last_date
            for table, rows in prep.tables().items():
                outcome = w.upsert(
                    table,
                    rows,
                    dt.date.fromisoformat(last) if last else None,
                    replace,
                    prep.bad_days,
                )
                prep.report.days_replaced += outcome.replaced
                prep.report.days_kept += outcome.kept
                prep.report.days_held = sorted({*prep.report.days_held, *outcome.held})
        w.append(
            QUARANTINE,
            pl.concat([quarantine_rows(p) for p in prepared]),
            [p.file_id for p in prepared],
        )
        txn.journal(store, [_log_row(p, opts, replace) for p in prepared], w.op_id)


def options_key(fmt: str, opts: ReadOptions, replace: bool = False) -> str:
    """What else, beside the bytes, decides what a file's rows become."""
    told = {"format": fmt, "person": opts.person, "weight_unit": opts.weight_unit}
    if opts.time_zone != "UTC":  # offset timestamps become local time in this zone
        told["time_zone"] = opts.time_zone
    if opts.device_priority:
        told["device_priority"] = list(opts.device_priority)
    return json.dumps(told | ({"replace": True} if replace else {}))


def _log_row(prep: Prepared, opts: ReadOptions, replace: bool) -> dict:
    r = prep.report
    return {
        "op": "ingest",
        "options": options_key(r.format, opts, replace),
        "file_id": prep.file_id,
        "path": r.file,
        "format": r.format,
        "persons": ",".join(r.persons),
        "rows_read": r.rows_read,
        "rows_accepted": r.rows_accepted,
        "rows_quarantined": r.rows_quarantined,
        "rows_ignored": r.rows_ignored,
        "rows_duplicate": r.rows_duplicate,
        "note_lines": r.note_lines,
        "first_date": r.first_date,
        "last_date": r.last_date,
        "days_replaced": r.days_replaced,
        "days_kept": r.days_kept,
    }
