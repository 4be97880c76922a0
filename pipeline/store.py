"""The store: a folder of Parquet tables, written atomically and upserted by key.

<store>/tables/<table>.parquet   canonical tables (schemas/)
<store>/ingest_log.parquet       one row per ingested file (by sha256)
<store>/quarantine.parquet       rows that failed, with file, line, column, check, value
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

import schemas

LOG_KEY = ("file_id",)
QUARANTINE_KEY = ("file_id", "line", "column", "check")


def merge_replacing(old: pl.DataFrame, new: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """`old` without the rows whose `by` values appear in `new`, then `new`.

    With `by` = the table key this is an upsert; with a coarser `by` (a food log's day) the
    newer data replaces the whole group. Same input twice gives the same table.
    """
    if old.height == 0:
        return new
    kept = old.join(new.select(by).unique(), on=list(by), how="anti", nulls_equal=True)
    return pl.concat([kept, new.select(old.columns)], how="vertical_relaxed")


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root

    def table_path(self, table: str) -> Path:
        return self.root / "tables" / f"{table}.parquet"

    def read(self, table: str) -> pl.LazyFrame:
        """A canonical table (empty, with its columns, before anything was ingested)."""
        path = self.table_path(table)
        if not path.exists():
            return empty_table(table).lazy()
        frame = pl.scan_parquet(path)
        # a store written by an older spectrum lacks columns added since: they are unknown,
        # unless the table says what they meant before (schemas' MIGRATE)
        have = frame.collect_schema().names()
        before = schemas.migrate(table)
        missing = [
            pl.lit(before.get(name), dtype).alias(name)
            for name, dtype in empty_table(table).schema.items()
            if name not in have
        ]
        return frame.with_columns(missing) if missing else frame

    def upsert(self, table: str, rows: pl.DataFrame) -> None:
        key = schemas.key(table)
        rows = rows.unique(subset=list(key), keep="last", maintain_order=True)
        old = self.read(table).collect()
        merged = merge_replacing(old, rows, schemas.replace_by(table))
        _write_atomic(merged.sort(list(key)), self.table_path(table))

    def read_side(self, name: str) -> pl.DataFrame | None:
        path = self.root / f"{name}.parquet"
        return pl.read_parquet(path) if path.exists() else None

    def upsert_side(self, name: str, rows: pl.DataFrame, key: Sequence[str]) -> None:
        """ingest_log and quarantine: the same file again replaces its own rows."""
        old = self.read_side(name)
        merged = rows if old is None else merge_replacing(old, rows, key)
        _write_atomic(merged, self.root / f"{name}.parquet")

    def persons(self) -> list[str]:
        found: set[str] = set()
        for table in schemas.TABLES:
            if self.table_path(table).exists():
                found.update(self.read(table).select("person").unique().collect()["person"])
        return sorted(found)


def empty_table(table: str) -> pl.DataFrame:
    cols = schemas.model(table).to_schema().columns
    return pl.DataFrame(schema={name: col.dtype.type for name, col in cols.items()})


def _write_atomic(frame: pl.DataFrame, path: Path) -> None:
    # Write beside the target, then rename: a crash leaves the old file or the new, never half.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.write_parquet(tmp)
    os.replace(tmp, path)
