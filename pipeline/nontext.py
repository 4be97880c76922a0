"""Exports that are not CSV: Apple Health's export.xml (streamed: real ones are 1-5 GB) and
Fitbit Takeout's JSON files (read whole, then checked like CSV rows).

Both are recognised by a source's `sniff(head, name)`: the first 64 KiB, and the file's name
where content alone cannot tell two kinds apart (Fitbit's steps and sedentary-minutes files
have the same shape). Counts follow the CSV rule: for every file rows read = stored +
quarantined + duplicates + ignored, where a "row" is a record (an XML element, a JSON item).
"""

from __future__ import annotations

import hashlib
from types import ModuleType

import polars as pl

from pipeline import sources
from pipeline.archive import Input, too_large
from pipeline.errors import DataError
from pipeline.sources._csv import LINE
from pipeline.sources._parse import ReadOptions, Streamed
from pipeline.validate import validate

HASH_CHUNK = 1 << 22


def sniff(item: Input, fmt: str | None) -> ModuleType | None:
    """The non-CSV source `item` is (None: read it as CSV)."""
    if fmt is not None:
        source = sources.BY_NAME[fmt]
        return source if hasattr(source, "sniff") else None
    head = item.head()
    name = item.path.name.lower()
    return next((s for s in sources.SOURCES if hasattr(s, "sniff") and s.sniff(head, name)), None)


def sha256(item: Input) -> str:
    """The file's sha256, read as a stream (an export.xml may not fit in memory twice)."""
    digest = hashlib.sha256()
    with item.open() as f:
        while chunk := f.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def prepare_json(item: Input, source: ModuleType, file_id: str, opts: ReadOptions):
    """A JSON export's items become text rows (`source.to_rows`), then the CSV path."""
    from pipeline.prepare import prepare_rows

    bound = opts.limits.max_json_bytes
    if item.size > bound:  # said before a byte is read; the read is capped all the same
        raise DataError(too_large(item.path, bound))
    rows = source.to_rows(item.read(max_bytes=bound), item.path)
    return prepare_rows(item.path, rows, source, file_id, opts, list(rows.notices))


def prepare_stream(item: Input, source: ModuleType, file_id: str, opts: ReadOptions):
    """Read a streamed export and validate the rows it made, table by table.

    A stored row may stand for many records (a day's step samples: `_n`); when it fails,
    all its records count as quarantined, so the counts still add up."""
    from pipeline.prepare import FileReport, Prepared, date_range

    with item.open() as stream:
        got: Streamed = source.read_stream(stream, item.path, opts)
    tag = {"source": pl.lit(source.NAME), "file_id": pl.lit(file_id)}
    failures, tables = [got.failures], {}
    quarantined, stored = got.failures[LINE].n_unique(), 0
    for table, frame in got.tables.items():
        tagged = frame.with_columns(**tag)
        ok, bad = validate(table, tagged, keep_line=True)
        counts = tagged.select(LINE, "_n")
        quarantined += int(counts.join(bad.select(LINE).unique(), on=LINE, how="semi")["_n"].sum())
        stored += int(counts.join(ok.select(LINE), on=LINE, how="semi")["_n"].sum())
        failures.append(bad)
        tables[table] = ok.drop(LINE)
    frames = [f for f in tables.values() if f.height]
    report = FileReport(
        file=str(item.path),
        format=source.NAME,
        persons=sorted({p for f in frames for p in f["person"]}),
        rows_read=got.rows_read,
        rows_accepted=stored,
        rows_quarantined=quarantined,
        rows_ignored=got.ignored,
        note_lines=got.ignored,  # rows of kinds not used are lines that are not rows to store
        rows_duplicate=got.duplicate,
        stored_as=got.describe(tables) if got.describe else got.stored_as,
        **date_range(*frames),
    )
    main = tables.pop(source.TABLE, pl.DataFrame())
    return Prepared(
        report,
        source,
        file_id,
        main,
        pl.concat(failures).sort(LINE),
        [f"{item.path}: {w}" for w in got.warnings],
        nulled=got.nulled,
        extra=tables,
    )
