"""Ingest: detect each file's format, parse, validate, then write everything or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType

import polars as pl

import schemas
from pipeline import sources
from pipeline.errors import DataError, HostileInput
from pipeline.quarantine import days_of_unparsed, quarantine_rows
from pipeline.sources._csv import BINARY, LINE, Rows, header_of, read_rows, to_utf8
from pipeline.sources._fitabase import person_expr
from pipeline.sources._parse import ReadOptions
from pipeline.store import QUARANTINE, Store
from pipeline.validate import validate


@dataclass
class FileReport:
    """What `ingest --json` prints per file."""

    file: str
    format: str
    persons: list[str]
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    rows_ignored: int  # lines holding data spectrum does not use (counted, not stored)
    first_date: str | None
    last_date: str | None
    stored_as: str | None = None  # "1,440 heart-rate minutes" when lines are combined
    days_replaced: int = 0  # stored days this export replaced (pipeline/daywins.py)
    days_kept: int = 0  # stored days it left alone: it is older, or the day is its last
    days_held: list[str] = field(default_factory=list)  # days kept because of a bad row
    rows_duplicate: int = 0  # a key seen again later in the same file: the last one counts
    columns_unused: list[str] = field(default_factory=list)  # shown with ingest --verbose
    note_lines: int = 0  # lines of a free-text note that broke onto lines of their own

    def as_dict(self) -> dict:
        out = asdict(self)
        del out["stored_as"], out["columns_unused"]
        return out


@dataclass
class Prepared:
    report: FileReport
    source: ModuleType
    file_id: str
    accepted: pl.DataFrame
    failures: pl.DataFrame
    warnings: list[str]
    bad_days: pl.DataFrame | None = None  # person, source, date of rows that failed
    nulled: pl.DataFrame | None = None  # stored rows with fields set unknown, and why
    # rows for the other tables the file feeds (Converted.extra, or a streamed source's)
    extra: dict[str, pl.DataFrame] = field(default_factory=dict)

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table this file writes to, its main table first."""
        return {self.source.TABLE: self.accepted, **self.extra}


def choose_source(path: Path, columns: list[str], fmt: str | None) -> ModuleType | None:
    if fmt is not None:
        source = sources.BY_NAME[fmt]
        if not source.detect(columns):
            missing = sorted(set(getattr(source, "REQUIRED", ())) - set(columns))
            raise DataError(
                f"{path} does not look like {fmt} (missing columns: {', '.join(missing)}); "
                "check the file or drop --format."
            )
        return source
    return sources.detect_any(columns, path.name)


def closest_format(columns: list[str]) -> tuple[str, list[str]] | None:
    """The known format whose required columns the header comes closest to, and the ones it
    lacks (None when it shares fewer than two)."""
    have = set(columns)
    scored = [
        (len(need & have), -len(need - have), s.NAME, sorted(need - have))
        for s in sources.SOURCES
        if (need := set(getattr(s, "REQUIRED", ())))
    ]
    best = max(scored, default=None)
    # one shared column (an "Id", a "Date") says nothing: two or more make a likely match
    return (best[2], best[3]) if best and best[0] >= 2 else None


def unknown_format(path: Path, columns: list[str]) -> DataError:
    known = sources.not_used(path.name)
    if known:  # a file of a known export that holds nothing spectrum measures
        return DataError(f"{path} holds {known}, which spectrum does not use; nothing to read.")
    shown = ", ".join(columns[:4]) + (", ..." if len(columns) > 4 else "")
    shown = "".join(ch if ch.isprintable() else "?" for ch in shown[:80])  # binary files
    near = closest_format(columns)
    hint = (
        f"the closest known format is {near[0]}, which also needs {', '.join(near[1])}; "
        if near
        else ""
    )
    # a header a format knows, in a file whose name says it is another of its files
    # (Withings' aggregates_* files share `date,value`)
    same = [s.NAME for s in sources.SOURCES if hasattr(s, "detect_file") and s.detect(columns)]
    if same:
        hint = f"its header is that of {same[0]}: if it is that file, pass --format {same[0]}; "
    return DataError(
        f"{path} is not a known export (header: {shown or 'empty'}); {hint}"
        "run 'spectrum formats' to see the supported files, or pass --format NAME."
    )


# Files read in slices of about this many bytes when their lines are combined into rows
# (heart-rate seconds, sleep minutes): a study's file of tens of millions of lines never
# sits in memory as one table.
CHUNK_BYTES = 16 * 1024 * 1024


@dataclass
class Checked:
    """One file (or slice of one) after parsing and validation."""

    rows_read: int
    accepted: pl.DataFrame  # rows that passed, line by line
    failures: pl.DataFrame
    ignored: int
    warnings: tuple[str, ...] = ()
    bad_days: pl.DataFrame | None = None
    duplicate: int = 0
    note_lines: int = 0
    nulled: pl.DataFrame | None = None
    extra: dict[str, pl.DataFrame] = field(default_factory=dict)  # see Converted.extra
    accepted_lines: int | None = None  # lines that feed a table (None: accepted.height)


def check_text(
    source: ModuleType, rows: Rows, opts: ReadOptions, file_id: str, keep_line: bool = False
) -> Checked:
    """Convert and validate a file's rows; lines that were not rows at all (a wrong number
    of fields) are failures too, so every line is counted.

    A source may feed several tables from one line (`Converted.extra`): a line that fails in
    any of them is quarantined whole, and a line that feeds none is counted as ignored."""
    raw = rows.frame
    conv = source.read(raw, opts)
    frames = {source.TABLE: conv.frame, **conv.extra}
    tag = {"source": pl.lit(source.NAME), "file_id": pl.lit(file_id)}
    tagged = {t: f.with_columns(**tag) for t, f in frames.items()}
    checked = {t: validate(t, f, keep_line=True) for t, f in tagged.items()}
    invalid = pl.concat([bad for _, bad in checked.values()])
    failures = pl.concat([rows.failures, conv.failures, invalid])
    failed = invalid[LINE].unique().implode()
    accepted = {t: ok.filter(~pl.col(LINE).is_in(failed)) for t, (ok, _) in checked.items()}
    bad_days = _bad_days(tagged, invalid)
    unparsed = days_of_unparsed(source, rows, conv.failures, opts)
    if unparsed is not None:
        bad_days = unparsed if bad_days is None else pl.concat([bad_days, unparsed]).unique()
    before = _lines(accepted)
    if not hasattr(source, "collapse"):  # combined sources join lines into rows by design
        accepted = {
            t: f.unique(subset=list(schemas.key(t)), keep="last", maintain_order=True)
            for t, f in accepted.items()
        }
    kept = _lines(accepted)
    duplicate = before - kept
    ignored = conv.ignored
    if conv.extra:  # lines that parsed but hold nothing for any table
        ignored = raw.height - conv.failures[LINE].n_unique() - invalid[LINE].n_unique() - before
    if not keep_line:
        accepted = {t: f.drop(LINE) for t, f in accepted.items()}
    return Checked(
        raw.height + rows.failures.height + rows.note_lines,
        accepted.pop(source.TABLE),
        failures,
        ignored,
        (*rows.notices, *conv.warnings),
        bad_days,
        duplicate,
        rows.note_lines,
        conv.nulled,
        accepted,
        kept,
    )


def _lines(tables: dict[str, pl.DataFrame]) -> int:
    """How many lines feed at least one of `tables`."""
    return pl.concat([f.select(LINE) for f in tables.values()])[LINE].n_unique()


def _bad_days(tagged: dict[str, pl.DataFrame], invalid: pl.DataFrame) -> pl.DataFrame | None:
    """The days of rows that failed (a stored day with a bad new row keeps its rows)."""
    if not invalid.height:
        return None
    lines = invalid.select(LINE).unique()
    days = [
        f.join(lines, on=LINE, how="semi").select("person", "source", "date")
        for f in tagged.values()
        if "date" in f.columns
    ]
    return pl.concat(days).drop_nulls().unique() if days else None


def slices(data: bytes, size: int) -> Iterator[tuple[bytes, int]]:
    """(header + about `size` bytes of whole lines, lines before the slice) pairs."""
    start = data.find(b"\n") + 1 or len(data)
    header, before = data[:start], 0
    while start < len(data):
        cut = data.find(b"\n", min(start + size, len(data) - 1))
        end = len(data) if cut == -1 else cut + 1
        body = data[start:end]
        yield header + body, before
        before += body.count(b"\n")
        start = end


def _bounds(frame: pl.DataFrame) -> pl.DataFrame:
    """The first and last day of `frame`: all a streamed file keeps of its accepted lines."""
    day = day_of(frame).alias("date")
    return pl.concat([frame.select(day.min()), frame.select(day.max())])


@dataclass
class Combined:
    checked: Checked  # `accepted` holds only the first and last day (see _bounds)
    stored: pl.DataFrame
    persons: list[str]
    accepted: int


def check_combined(
    source: ModuleType, data: bytes, path: Path, opts: ReadOptions, file_id: str
) -> Combined:
    """Check a file whose lines combine into rows slice by slice, keeping only each slice's
    combined rows; `collapse` is re-appliable, so it combines the slices' rows again."""
    parts, failures, bounds, persons, notes = [], [], [], set(), []
    read = ignored = accepted = 0
    ids: set[str] = set()
    for chunk, before in slices(data, CHUNK_BYTES):
        cut = getattr(source, "ENDS_WITH_NEWLINE", False)
        rows = read_rows(chunk, path, line_offset=before, cut_last=cut)
        raw = rows.frame
        if opts.person is not None and "Id" in raw.columns:
            ids.update(raw["Id"].drop_nulls().str.strip_chars().unique().to_list())
        got = check_text(source, rows, opts, file_id)
        parts.append(source.collapse(got.accepted))
        failures.append(got.failures)
        notes.extend(got.warnings)
        bounds.append(_bounds(got.accepted))
        persons.update(got.accepted["person"].unique().to_list())
        read, ignored, accepted = (
            read + got.rows_read,
            ignored + got.ignored,
            accepted + got.accepted.height,
        )
    if len(ids) > 1:  # --person names one person: each slice alone cannot see a second Id
        person_expr(pl.DataFrame({"Id": sorted(ids)}), opts.person)
    checked = Checked(read, pl.concat(bounds), pl.concat(failures), ignored, tuple(notes))
    return Combined(checked, source.collapse(pl.concat(parts)), sorted(persons), accepted)


def preamble_lines(data: bytes, source: ModuleType | str | None = None) -> int:
    """Lines before the header of an export that opens with lines about itself (LibreView's
    "Glucose Data,Generated on,...,<name>"): 0 when the first line is a known header, else
    what the first source's `preamble_lines(data)` hook finds (only `source`'s, when given).
    They are read as note lines (counted, never rows, never stored)."""
    given = sources.BY_NAME[source] if isinstance(source, str) else source
    candidates = (given,) if given is not None else sources.SOURCES
    if any(s.detect(header_of(data)) for s in candidates):
        return 0
    hooks = (getattr(s, "preamble_lines", None) for s in candidates)
    return next((n for hook in hooks if hook is not None and (n := hook(data))), 0)


def identify(
    path: Path, fmt: str | None, skip_unknown: bool = False, raw: bytes | None = None
) -> tuple[bytes, ModuleType, str, list[str]] | None:
    """The file's text, its format and its sha256, before any parsing. `raw`: the bytes
    when they were read already (a zip member).

    A file that is no known export is an error, or None with `skip_unknown` (folder members).
    """
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DataError(f"cannot read {path}: {exc.strerror}; check the path.") from exc
    data, notices = to_utf8(raw, path)
    columns = header_of(data, preamble_lines(data, fmt))
    source = choose_source(path, columns, fmt)
    if source is None:
        if skip_unknown:
            return None
        raise unknown_format(path, columns)
    return data, source, hashlib.sha256(raw).hexdigest(), notices


def prepare(
    path: Path, fmt: str | None, opts: ReadOptions, skip_unknown: bool = False
) -> Prepared | None:
    """Read and check one file; nothing is written."""
    from pipeline.archive import Input, open_file

    found = identify_input(Input(path, not skip_unknown, open_file(path)), fmt)
    return None if found is None else found.prepare(opts)


@dataclass
class Identified:
    """A file whose format is known, before it is parsed."""

    source: ModuleType
    file_id: str
    prepare: Callable[[ReadOptions], Prepared]


def identify_input(item, fmt: str | None) -> Identified | None:
    """The format and sha256 of an input (see pipeline/archive.Input); None for a folder's
    or zip's member that is no known export (a file the user named is an error instead)."""
    from pipeline import nontext

    special = nontext.sniff(item, fmt)
    if special is not None:
        file_id = nontext.sha256(item)
        read = nontext.prepare_stream if getattr(special, "STREAM", False) else nontext.prepare_json
        return Identified(special, file_id, lambda o: read(item, special, file_id, o))
    found = identify(item.path, fmt, skip_unknown=not item.named, raw=item.read())
    if found is None:
        return None
    data, source, file_id, notices = found
    return Identified(
        source, file_id, lambda o: prepare_data(item.path, data, source, file_id, o, notices)
    )


def prepare_data(
    path: Path,
    data: bytes,
    source: ModuleType,
    file_id: str,
    opts: ReadOptions,
    notices: list[str] | None = None,
) -> Prepared:
    """Parse and check a file's text (see `identify`)."""
    # Sources whose lines are parts of a row (seconds of a minute, minutes of a sleep record)
    # are checked line by line, then combined into the rows that are stored.
    if getattr(source, "STREAMED", False) and data.count(b"\n") > 1:
        combined = check_combined(source, data, path, opts, file_id)
        return _prepared(
            path, source, file_id, opts, notices, combined.checked, combined.stored,
            combined.persons, combined.accepted, header_of(data),
        )  # fmt: skip
    free_text = getattr(source, "FREE_TEXT_LAST", False)
    cut = getattr(source, "ENDS_WITH_NEWLINE", False)
    skip = preamble_lines(data, source)
    rows = read_rows(data, path, free_text=free_text, cut_last=cut, skip_lines=skip)
    return prepare_rows(path, rows, source, file_id, opts, notices)


def prepare_rows(
    path: Path,
    rows: Rows,
    source: ModuleType,
    file_id: str,
    opts: ReadOptions,
    notices: list[str] | None = None,
) -> Prepared:
    """Check a file's rows as text (from CSV, or from a JSON export's items)."""
    collapse = getattr(source, "collapse", None)
    checked = check_text(source, rows, opts, file_id)
    stored = collapse(checked.accepted) if collapse else checked.accepted
    persons = sorted({p for f in (checked.accepted, *checked.extra.values()) for p in f["person"]})
    columns = [c for c in rows.frame.columns if c != LINE]
    return _prepared(
        path, source, file_id, opts, notices, checked, stored, persons,
        checked.accepted_lines, columns,
    )  # fmt: skip


def _prepared(
    path: Path,
    source: ModuleType,
    file_id: str,
    opts: ReadOptions,
    notices: list[str] | None,
    checked: Checked,
    stored: pl.DataFrame,
    persons: list[str],
    accepted_n: int | None,
    columns: list[str],
) -> Prepared:
    collapse = getattr(source, "collapse", None)
    failures = checked.failures.sort(LINE)
    report = FileReport(
        file=str(path),
        format=source.NAME,
        persons=persons,
        rows_read=checked.rows_read,
        rows_accepted=checked.accepted.height if accepted_n is None else accepted_n,
        rows_quarantined=failures[LINE].n_unique(),
        rows_ignored=checked.ignored,
        rows_duplicate=checked.duplicate,
        columns_unused=unused_columns(source, columns),
        note_lines=checked.note_lines,
        **date_range(checked.accepted, *checked.extra.values()),
        stored_as=f"{stored.height:,} {source.STORED_AS[stored.height != 1]}" if collapse else None,
    )
    # a source may flag a likely mistake it cannot prove (MyFitnessPal's unitless weights)
    check = getattr(source, "warnings", None)
    found = [*checked.warnings, *(check(checked.accepted, opts) if check else [])]
    found = [*(notices or []), *found]
    warnings = [f"{path}: {w}" for w in found]
    return Prepared(
        report,
        source,
        file_id,
        stored,
        failures,
        warnings,
        checked.bad_days,
        checked.nulled,
        checked.extra,
    )


def unused_columns(source: ModuleType, columns: list[str]) -> list[str]:
    """Columns of the file that spectrum does not read (listed by ingest --verbose)."""
    spec = getattr(source, "SPEC", None)
    if spec is None:
        return []
    used = {src for src, _ in spec.values() if src} | {"Id"}
    return [c for c in columns if c not in used]


def day_of(frame: pl.DataFrame) -> pl.Expr:
    """A table's local day: its date, or the day of its timestamp or start."""
    col = next(c for c in ("date", "ts_local", "start_local") if c in frame.columns)
    return pl.col(col) if col == "date" else pl.col(col).dt.date()


def date_range(*frames: pl.DataFrame) -> dict[str, str | None]:
    if not frames:
        return {"first_date": None, "last_date": None}
    days = pl.concat([f.select(day_of(f).alias("day")) for f in frames])["day"]
    first, last = days.min(), days.max()
    return {
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
    }


SEE_FORMATS = "see 'spectrum formats'"


def _after_path(message: str, path: Path) -> str:
    """An error's words without the path it starts with (the skip line names the file)."""
    return message.removeprefix(f"{path} ").removeprefix(f"{path}: ")


def skip_reason(item) -> str:
    """Why a folder's or zip's member was not read, for the list `ingest` prints."""
    known = sources.not_used(item.path.name)
    if known:
        return f"{known}, not used by spectrum"
    head = item.head()
    if item.path.suffix.lower() == ".csv":
        data, _ = to_utf8(head, item.path) if not BINARY.search(head) else (b"", [])
        shown = ", ".join(header_of(data)[:4])
        return f"not an export spectrum reads (header: {shown or 'none'}); {SEE_FORMATS}"
    kind = item.path.suffix.lower()[1:].upper()
    return f"not an export spectrum reads (a {kind} file); {SEE_FORMATS}"


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
) -> IngestResult:
    """Store the files' valid rows and quarantine the rest.

    Every file is read and checked before anything is written, so a bad file (or, with
    `strict`, a bad row) leaves the store as it was. `progress` wraps the file list (the CLI
    passes a progress bar on a terminal).
    """
    prepared, skipped, unchanged = [], [], []
    # store None: a dry run (spectrum validate) that reads and checks, and writes nothing
    done = (
        store.live_ingests().select("file_id", "options", "at")
        if store is not None
        else pl.DataFrame(schema={"file_id": pl.String, "options": pl.String, "at": pl.String})
    )
    from pipeline.archive import expand, is_export_name

    for item in progress(expand(paths)):
        if item.skip:
            skipped.append((item.path, item.skip))
            continue
        if not item.named and not is_export_name(item.path.name):  # a photo, a route, a PDF
            suffix = item.path.suffix.lower() or "no suffix"
            skipped.append((item.path, f"not an export file ({suffix}); {SEE_FORMATS}"))
            continue
        try:
            found = identify_input(item, fmt)
        except DataError as exc:
            if item.named or isinstance(exc, HostileInput):
                raise
            # a damaged member of a folder or zip does not stop the others
            skipped.append((item.path, _after_path(str(exc), item.path).rstrip(".")))
            continue
        if found is None:
            skipped.append((item.path, skip_reason(item)))
            continue
        same = done.filter(
            (pl.col("file_id") == found.file_id)
            & (pl.col("options") == options_key(found.source.NAME, opts, replace))
        )
        if same.height:  # the same bytes, read the same way: nothing to do
            unchanged.append((item.path, same["at"][-1]))
            continue
        if any(p.file_id == found.file_id for p in prepared):  # named twice in one command
            continue
        prepared.append(found.prepare(opts))
    if not prepared and not unchanged:
        listed = "; ".join(f"{p.name}: {why}" for p, why in skipped[:3])
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
