"""Read an export CSV as all-text columns, keeping each row's line number in the file."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from pipeline.errors import DataError

LINE = "_line"  # 1-based line of the row in the original file (header is line 1)


def read_text_bytes(path: Path) -> bytes:
    """File bytes without a UTF-8 BOM (MyFitnessPal and Dexcom write one, Fitbit does not)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}; check the path.") from exc
    return data.removeprefix(b"\xef\xbb\xbf")


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


def read_csv_text(
    data: bytes, path: Path, skip_lines: int = 0, line_offset: int = 0
) -> pl.DataFrame:
    """All columns as strings (empty cell -> null), plus `_line`.

    `line_offset`: lines of the file before `data`'s first row (when a file is read in slices,
    each slice repeating the header).

    Reading as text first lets each source decide how to parse, and lets us quarantine the
    cells that do not parse instead of failing the whole file.
    """
    try:
        df = pl.read_csv(
            data,
            infer_schema=False,
            skip_rows=skip_lines,
            encoding="utf8-lossy",  # a stray Latin-1 byte should not sink the file
            truncate_ragged_lines=True,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{path} is not a readable CSV file ({first}); re-export it.") from exc
    df = df.rename({c: c.strip() for c in df.columns})
    df = df.with_row_index(LINE, offset=2 + skip_lines + line_offset).with_columns(
        pl.col(LINE).cast(pl.Int64)
    )
    # Blank lines (seen inside MyFitnessPal notes) hold no data: they are not rows.
    return df.filter(~pl.all_horizontal(pl.exclude(LINE).is_null()))
