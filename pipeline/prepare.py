"""Before anything is written: find each file's format (from its content), read it, check
it, and say what it holds (a FileReport per file)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType

import polars as pl

from pipeline import sources
from pipeline.checks import Checked, check_combined, check_text, day_of
from pipeline.errors import DataError
from pipeline.limits import DEFAULT, Limits
from pipeline.sources._csv import BINARY, LINE, Rows, header_of, read_rows, to_utf8
from pipeline.sources._parse import ReadOptions


@dataclass
class FileReport:
    """What `ingest --json` prints per file."""

    file: str
    format: str
    persons: list[str]
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    # rows of kinds spectrum does not use (blood pressure, insulin events): counted within
    # note_lines, and also shown on their own
    rows_ignored: int
    first_date: str | None
    last_date: str | None
    stored_as: str | None = None  # "1,440 heart-rate minutes" when lines are combined
    days_replaced: int = 0  # stored days this export replaced (pipeline/daywins.py)
    days_kept: int = 0  # stored days it left alone: it is older, or the day is its last
    days_held: list[str] = field(default_factory=list)  # days kept because of a bad row
    rows_duplicate: int = 0  # a key seen again later in the same file: the last one counts
    columns_unused: list[str] = field(default_factory=list)  # shown with ingest --verbose
    # lines that are not rows to store: a free-text note broken onto lines of its own, a
    # preamble before the header, and the rows_ignored; so for every file
    # rows_read = rows_accepted + rows_quarantined + rows_duplicate + note_lines
    note_lines: int = 0

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
    path: Path, fmt: str | None, skip_unknown: bool, raw: bytes, file_id: str | None = None
) -> tuple[bytes, ModuleType, str, list[str]] | None:
    """The file's text, its format and its sha256, before any parsing. `raw`: the bytes as
    archive.read_checked read them (a file or a zip member); `file_id`: their sha256, when
    known.

    A file that is no known export is an error, or None with `skip_unknown` (folder members).
    """
    data, notices = to_utf8(raw, path, checked=True)
    columns = header_of(data, preamble_lines(data, fmt))
    source = choose_source(path, columns, fmt)
    if source is None:
        if skip_unknown:
            return None
        raise unknown_format(path, columns)
    return data, source, file_id or hashlib.sha256(raw).hexdigest(), notices


def prepare(
    path: Path, fmt: str | None, opts: ReadOptions, skip_unknown: bool = False
) -> Prepared | None:
    """Read and check one file; nothing is written."""
    from pipeline.archive import Input, open_file

    found = identify_input(Input(path, not skip_unknown, open_file(path)), fmt, None, opts.limits)
    return None if found is None else found.prepare(opts)


@dataclass
class Identified:
    """A file whose format is known, before it is parsed."""

    source: ModuleType
    file_id: str
    prepare: Callable[[ReadOptions], Prepared]


def identify_input(
    item, fmt: str | None, file_id: str | None = None, limits: Limits = DEFAULT
) -> Identified | None:
    """The format and sha256 of an input (see pipeline/archive.Input); None for a folder's
    or zip's member that is no known export (a file the user named is an error instead).
    `file_id`: its sha256 when known already (a 1 GB export.xml is not hashed twice)."""
    from pipeline import nontext

    special = nontext.sniff(item, fmt)
    if special is not None:
        file_id = file_id or nontext.sha256(item)
        read = nontext.prepare_stream if getattr(special, "STREAM", False) else nontext.prepare_json
        return Identified(special, file_id, lambda o: read(item, special, file_id, o))
    if file_id is None:
        raw, file_id = item.read_hashed(limits.max_line)
    else:
        raw = item.read(limits.max_line)
    found = identify(item.path, fmt, not item.named, raw, file_id)
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
    frames = (checked.accepted, *checked.extra.values())
    persons = sorted(pl.concat([f.select("person") for f in frames])["person"].unique())
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
        note_lines=checked.note_lines + checked.ignored,
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


def after_path(message: str, path: Path) -> str:
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
