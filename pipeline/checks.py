"""Check a file's rows: parse (the source's `read`), validate (pandera), and count every line:
rows read = accepted + quarantined + duplicates + note lines + ignored.

Files whose lines combine into rows (heart-rate seconds) are checked in slices, so a study's
file of tens of millions of lines never sits in memory as one table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import polars as pl

import schemas
from pipeline.frames import last_per_key
from pipeline.quarantine import days_of_unparsed
from pipeline.sources._csv import LINE, Rows, read_rows
from pipeline.sources._fitabase import person_expr
from pipeline.sources._parse import ReadOptions
from pipeline.validate import validate

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
    accepted = {t: ok for t, (ok, _) in checked.items()}
    if invalid.height and conv.extra:  # a line that failed in one table fails in all
        failed = invalid[LINE].unique().implode()
        accepted = {t: ok.filter(~pl.col(LINE).is_in(failed)) for t, ok in accepted.items()}
    bad_days = _bad_days(tagged, invalid)
    unparsed = days_of_unparsed(source, rows, conv.failures, opts)
    if unparsed is not None:
        bad_days = unparsed if bad_days is None else pl.concat([bad_days, unparsed]).unique()
    before = _lines(accepted)
    if not hasattr(source, "collapse"):  # combined sources join lines into rows by design
        accepted = {t: last_per_key(f, schemas.key(t)) for t, f in accepted.items()}
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
    """How many lines feed at least one of `tables` (one table: a row per line)."""
    if len(tables) == 1:
        return next(iter(tables.values())).height
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


def day_of(frame: pl.DataFrame) -> pl.Expr:
    """A table's local day: its date, or the day of its timestamp or start."""
    col = next(c for c in ("date", "ts_local", "start_local") if c in frame.columns)
    return pl.col(col) if col == "date" else pl.col(col).dt.date()
