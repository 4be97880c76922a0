"""Read an export CSV as all-text columns, every physical line accounted for.

- Text: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), and Windows-1252 when
  the bytes are not UTF-8 (with a notice). LF, CRLF and CR-only line endings.
- A file with NUL or other control bytes in it is damaged: refused whole.
- Every row must have as many fields as the header: a row with more or fewer is a failure
  ("has 15 fields, the header has 14"), never truncated or padded. A last line cut off in the
  middle adds the notice "the file looks truncated".
- `_line` is the physical line a row starts on (a quoted field may span lines).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.errors import DataError

LINE = "_line"  # 1-based physical line of the row in the original file (header is line 1)
ROW = "(row)"  # the failure's column when the whole row is at fault
BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONE_CR = re.compile(rb"\r(?!\n)")
CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])  # the bytes BINARY finds
FAILURE_SCHEMA = {LINE: pl.Int64, "column": pl.String, "check": pl.String, "value": pl.String}


def read_text_bytes(path: Path) -> bytes:
    """The file's bytes as UTF-8 text, lines ending in LF or CRLF (see `to_utf8`)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}; check the path.") from exc
    return to_utf8(data, path)[0]


def to_utf8(data: bytes, path: Path, checked: bool = False) -> tuple[bytes, list[str]]:
    """(UTF-8 bytes, lines ending in LF or CRLF, notices). A damaged file is a DataError.
    `checked`: the bytes were read by archive.read_checked, which looked for binary bytes
    already (as they came, so that a large binary file was not read whole)."""
    notices = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        checked = False  # read_checked leaves UTF-16 to its decoding
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise damaged(path, data, 0) from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not checked and has_control_bytes(data):
        bad = BINARY.search(data)
        raise damaged(path, data, bad.start() if bad else 0)
    try:
        if not data.isascii():  # ASCII is UTF-8: no need to decode a minute file to know
            data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise damaged(path, data, exc.start) from None
        notices.append("it is not UTF-8 text; it was read as Windows-1252 (check accented names)")
    # CRLF stays (polars and the csv module end lines at it; rewriting 93 MB took 0.17 s);
    # a carriage return alone ends a line only in old Mac files, which are rewritten (the
    # search for one is twice as fast as counting both kinds)
    if b"\r" in data and LONE_CR.search(data):
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data, notices


def has_control_bytes(data: bytes) -> bool:
    """Binary bytes no text export holds (deleting them and comparing lengths is 2.5x
    faster than a regex search; BINARY then says where)."""
    return len(data.translate(None, CONTROL_BYTES)) != len(data)


def damaged(path: Path, data: bytes, at: int) -> DataError:
    return damaged_at(path, data[:at].count(b"\n") + 1)


def damaged_at(path: Path, line: int) -> DataError:
    return DataError(f"{path} is damaged at line {line} (binary data); export it again.")


def header_of(data: bytes, skip_lines: int = 0) -> list[str]:
    """Column names of the first line (after `skip_lines` preamble lines); [] if none."""
    lines = data[:65536].decode("utf-8", errors="replace").splitlines()
    if len(lines) <= skip_lines:
        return []
    try:
        row = next(csv.reader([lines[skip_lines]]), [])
    except csv.Error:  # not text at all (a zip or a spreadsheet saved as .csv)
        return []
    return [c.strip() for c in row]


@dataclass
class Rows:
    """A file's rows as text, and the lines that could not be rows."""

    frame: pl.DataFrame  # the header's columns as strings (empty cell -> null), plus _line
    failures: pl.DataFrame  # _line, column, check, value (FAILURE_SCHEMA)
    notices: list[str] = field(default_factory=list)
    # lines of a free-text last column that broke onto lines of their own, and the lines of
    # a preamble before the header (`skip_lines`): lines that are not rows, counted as read
    note_lines: int = 0
    # the cells of lines that could not be rows (_line, cells): which day they were about
    bad_cells: pl.DataFrame | None = None


ROW_START = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # a row of a free-text export begins with a date


def _field_failure(
    lines: list[int], counts: list[int], width: int, notes: list[bool] | None = None
) -> pl.DataFrame:
    """Lines that are not rows; a free-text note's own line is marked "note:" (counted by
    `read_rows`, not quarantined)."""
    notes = notes or [False] * len(lines)
    return pl.DataFrame(
        {
            LINE: lines,
            "column": [ROW] * len(lines),
            "check": ["fields_match_header"] * len(lines),
            "value": [
                "note:" if note else f"has {n} fields, the header has {width}"
                for n, note in zip(counts, notes, strict=True)
            ],
        },
        schema=FAILURE_SCHEMA,
    )


# Column names an export really writes twice, as it always does: the later copies are read
# as "Name (2)", "Name (3)". Oura's trends CSV has two "Sleep Timing" columns (neither used).
# Any other name twice is a damaged or hand-edited file, refused.
TOLERATED_DUPLICATES = {"Sleep Timing"}


def _number_tolerated(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(f"{n} ({seen[n]})" if n in TOLERATED_DUPLICATES and seen[n] > 1 else n)
    return out


def read_rows(
    data: bytes,
    path: Path,
    line_offset: int = 0,
    free_text: bool = False,
    cut_last: bool = False,
    skip_lines: int = 0,
) -> Rows:
    """Every data line of `data` (UTF-8; lines end in LF or CRLF) as a row, or as a failure
    with its line.

    `line_offset`: lines of the file before `data`'s first row (a file read in slices,
    each slice repeating the header). `free_text`: the last column is free text that may
    hold raw commas (kept in it) and raw line breaks (MyFitnessPal's Note): a short line
    that does not begin with a date continues the note above it, and is counted as such.
    `cut_last`: the export always ends its lines, so a last line without an end was cut off
    (a number cut short still parses: 12,183 steps read as 121). `skip_lines`: lines about
    the export before the header (LibreView's "Glucose Data,Generated on,..."): never read,
    counted as note lines; rows keep the file's physical line numbers."""
    if skip_lines:
        data = data.split(b"\n", skip_lines)[skip_lines] if data.count(b"\n") >= skip_lines else b""
        line_offset += skip_lines
    try:
        first = data.find(b"\n")  # (not split: that would copy the rest of the file)
        header = next(csv.reader([data[: first if first != -1 else len(data)].decode("utf-8")]), [])
    except csv.Error as exc:
        raise DataError(f"{path} is not a readable CSV file ({exc}); re-export it.") from exc
    # a column without a name (a trailing comma) gets one of its own: no export uses it
    names = [c.strip() or f"(blank {i + 1})" for i, c in enumerate(header)]
    names = _number_tolerated(names)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DataError(
            f"{path} has the column '{twice[0]}' twice; export it again (or delete the copy)."
        )
    # a file without quotes (minute files: millions of lines) is split in polars from its
    # bytes; quotes need Python's csv reader, on the text
    if b'"' not in data:
        frame, failures, bad_cells = _split_plain(data, names, line_offset, free_text)
    else:
        frame, failures, bad_cells = _split_quoted(
            data.decode("utf-8"), names, line_offset, free_text
        )
    note_lines = 0
    if free_text and failures.height:
        notes = failures["value"].str.starts_with("note:")
        note_lines = int(notes.sum())
        failures = failures.filter(~notes)
    note_lines += skip_lines
    notices = []
    if cut_last and data and not data.endswith(b"\n") and frame.height:
        last = frame[LINE].max()
        if last == data.count(b"\n") + 1 + line_offset:  # the row on the last line
            frame = frame.filter(pl.col(LINE) != last)
            cut = pl.DataFrame(
                {LINE: [last], "column": [ROW], "check": ["line_complete"],
                 "value": ["the file ends inside this line"]},
                schema=FAILURE_SCHEMA,
            )  # fmt: skip
            failures = pl.concat([failures, cut])
    if failures.height and data.count(b'"') % 2:  # a quote that never closes ate the rest
        notices.append(
            f"the file looks truncated: a quote opened on line {failures[LINE].max()} is "
            "never closed"
        )
    elif failures.height and not data.endswith(b"\n"):
        last = data.count(b"\n") + 1 + line_offset
        if last in failures[LINE].to_list():
            notices.append(f"the file looks truncated (its last line, {last}, is cut off)")
    return Rows(frame, failures, notices, note_lines, bad_cells)


def _columns_if_regular(data: bytes, names: list[str], offset: int) -> pl.DataFrame | None:
    """The rows, read in one pass by polars' own reader, when every line is a row of the
    header's width (a minute file); None when one might not be (the line-by-line reader
    then says which). polars refuses a line with too many fields and pads one with too few,
    so a file whose commas number exactly (width - 1) per row has none too short; a blank
    line, or one of commas and spaces alone, has its first field empty or starting blank."""
    if b"\n" not in data:
        return None
    try:
        frame = _columns(data, names, offset)
    except pl.exceptions.PolarsError:  # a line with more fields (or a first one with fewer)
        return None
    header = data.find(b"\n")
    if data.count(b",") - data.count(b",", 0, header) != (len(names) - 1) * frame.height:
        return None
    first = pl.col(names[0])
    if frame.select((first.is_null() | first.str.contains(r"^\s")).any()).item():
        return None
    return frame


def _split_plain(
    data: bytes, names: list[str], offset: int, free_text: bool
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """No quotes anywhere: split lines on commas, in polars (fast for minute files).

    polars reads the lines as one column, split on a byte no export holds (0x01: a file with
    it is refused as damaged); a blank line stays a (null) row, so row n is line n + 1."""
    width = len(names)
    if not free_text and (regular := _columns_if_regular(data, names, offset)) is not None:
        return regular, _field_failure([], [], width), _no_cells()
    lines = pl.read_csv(
        data,
        has_header=False,
        separator="\x01",
        quote_char=None,
        new_columns=["l"],
        schema={"l": pl.String},
        skip_rows=1,
        raise_if_empty=False,
    ).with_row_index(LINE, offset=2 + offset)
    total = lines.height
    # a blank line (or only commas, as Excel saves them) holds no data: it is not a row
    lines = lines.with_columns(pl.col(LINE).cast(pl.Int64)).filter(
        pl.col("l").str.contains(r"[^,\s]")  # 15x faster than removing them and comparing
    )
    counted = lines.with_columns(n=pl.col("l").str.count_matches(",", literal=True) + 1)
    fits = (pl.col("n") >= width) if free_text else (pl.col("n") == width)
    if not free_text and lines.height == total and counted.select(fits.all()).item():
        # every line is a row of the right width (a minute file): polars' own reader makes
        # the columns, twice as fast as splitting each line
        return _columns(data, names, offset), _field_failure([], [], width), _no_cells()
    bad = counted.filter(~fits)
    good = counted.filter(fits)
    cols = [f"field_{i}" for i in range(width)]
    notes = (
        bad["l"].str.split(",").list.first().str.contains(ROW_START.pattern).not_().to_list()
        if free_text
        else None
    )
    frame = (
        good.with_columns(pl.col("l").str.splitn(",", width))
        .unnest("l")
        .select(
            [
                pl.when(pl.col(c) != "").then(pl.col(c)).alias(n)
                for c, n in zip(cols, names, strict=True)
            ]
            + [pl.col(LINE)]
        )
    )
    cells = bad.select(LINE, cells=pl.col("l").str.split(","))
    return frame, _field_failure(bad[LINE].to_list(), bad["n"].to_list(), width, notes), cells


def _columns(data: bytes, names: list[str], offset: int) -> pl.DataFrame:
    """The rows of a file whose every line fits the header, as text (an empty cell: null)."""
    frame = pl.read_csv(
        data,
        has_header=False,
        skip_rows=1,
        new_columns=names,
        schema=dict.fromkeys(names, pl.String),
        quote_char=None,
        raise_if_empty=False,
    )
    return frame.with_row_index(LINE, offset=2 + offset).select(*names, pl.col(LINE).cast(pl.Int64))


def _no_cells() -> pl.DataFrame:
    return pl.DataFrame(schema={LINE: pl.Int64, "cells": pl.List(pl.String)})


def _split_quoted(
    text: str, names: list[str], offset: int, free_text: bool
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Quotes: Python's csv reader, which knows a quoted field may hold commas and line
    breaks (food names, notes); its line count gives each row's first physical line."""
    width = len(names)
    csv.field_size_limit(2**31 - 1)  # a long note or name is a field, not the file's end
    # a line break inside a quoted field is stored as "\n", whichever the file used
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n"), newline=""))
    next(reader, None)
    columns: list[list] = [[] for _ in range(width)]
    rows, bad_lines, bad_counts, notes, bad_rows = [], [], [], [], []
    end = reader.line_num
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line (or only commas, as Excel saves them): not a row
            if free_text and len(row) > width:  # commas inside the free-text last column
                row = [*row[: width - 1], ",".join(row[width - 1 :])]
            if len(row) != width:
                bad_lines.append(start + offset)
                bad_counts.append(len(row))
                bad_rows.append(row)
                notes.append(free_text and not ROW_START.match(row[0].strip()))
                continue
            rows.append(start + offset)
            for i, cell in enumerate(row):
                columns[i].append(cell if cell != "" else None)
    except csv.Error:  # a quote left open to the end of the file
        bad_lines.append(end + 1 + offset)
        bad_counts.append(0)
        notes.append(False)
        bad_rows.append([])
    frame = pl.DataFrame(
        {**dict(zip(names, columns, strict=True)), LINE: rows},
        schema={**{n: pl.String for n in names}, LINE: pl.Int64},
    )
    cells = pl.DataFrame(
        {LINE: bad_lines, "cells": bad_rows}, schema={LINE: pl.Int64, "cells": pl.List(pl.String)}
    )
    return frame, _field_failure(bad_lines, bad_counts, width, notes), cells


def read_csv_text(
    data: bytes, path: Path, skip_lines: int = 0, line_offset: int = 0
) -> pl.DataFrame:
    """The rows only (tests and callers that need no failures)."""
    return read_rows(data, path, line_offset, skip_lines=skip_lines).frame
