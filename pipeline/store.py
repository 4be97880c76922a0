"""The store: one Delta Lake table per canonical table, and a journal that says which version
of each table is the store's state.

<store>/tables/<table>/   Delta tables, partitioned by person (and year for minute tables)
<store>/quarantine/       Delta table: rows that failed, with file, line, column, check, value
<store>/ingest_log/       Delta table: the journal, one row per file ingested (and per undo,
                          forget, delete, recovery); its newest row names every table's version
<store>/.lock             serialises writers (pipeline/txn.py)

Readers read each table at the version the journal names, so an ingest that is running, or
one that crashed before writing its journal row, is invisible: the journal row is the
commit point. Any Delta reader (DuckDB, Spark, polars) can read the folders as they are.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl

from pipeline import layout
from pipeline.errors import DataError, first_line
from pipeline.paths import is_remote

LOG_KEY = ("file_id",)
QUARANTINE_KEY = ("file_id", "line", "column", "check")
LOG = "ingest_log"
QUARANTINE = "quarantine"
# Minute tables grow by a year of rows per person: an ingest rewrites only the years it
# touches. Day tables are small: one partition per person.
PARTITIONS = {"activity_intraday": ("person", "year"), "heart_rate": ("person", "year")}
JOURNAL_SCHEMA = {
    "seq": pl.Int64,
    "ingest_id": pl.String,
    "op": pl.String,  # ingest, undo, forget, delete, recover, migrate
    "at": pl.String,
    "target": pl.String,  # the ingest an undo or forget took back, the person deleted
    "versions": pl.String,  # JSON {table: Delta version} after this operation
    "file_id": pl.String,
    "path": pl.String,
    "format": pl.String,
    "options": pl.String,  # JSON of the read options (--person, --weight-unit)
    "persons": pl.String,
    "rows_read": pl.Int64,
    "rows_accepted": pl.Int64,
    "rows_quarantined": pl.Int64,
    "rows_ignored": pl.Int64,
    "rows_duplicate": pl.Int64,
    "note_lines": pl.Int64,
    "first_date": pl.String,
    "last_date": pl.String,
    "days_replaced": pl.Int64,
    "days_kept": pl.Int64,
}
FILE_COLUMNS = [
    "file_id",
    "path",
    "format",
    "persons",
    "rows_read",
    "rows_accepted",
    "rows_quarantined",
    "rows_ignored",
    "first_date",
    "last_date",
    "at",
]


def merge_replacing(old: pl.DataFrame, new: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """`old` without the rows whose `by` values appear in `new`, then `new`.

    With `by` = the table key this is an upsert; with a coarser `by` (a food log's day) the
    newer data replaces the whole group. Same input twice gives the same table.
    """
    if old.height == 0:
        return new
    kept = old.join(new.select(by).unique(), on=list(by), how="anti", nulls_equal=True)
    return pl.concat([kept, new.select(old.columns)], how="vertical_relaxed")


class StoreUnreachable(DataError):
    """Object storage that does not answer (the endpoint, the credentials, the network): no
    one person's data is at fault, so a cohort stops instead of blaming each person."""


def unreachable(path: Path | str, exc: BaseException) -> StoreUnreachable:
    first = first_line(exc)
    return StoreUnreachable(
        f"cannot reach the store at {path} ({first}); check the endpoint and the credentials "
        "in the environment (README: Beyond one machine)."
    )


@contextlib.contextmanager
def damaged(path: Path | str) -> Iterator[None]:
    """A table that cannot be read (a file in the way, a broken link, a corrupt log) is a
    one-line error saying what to do, not a traceback."""
    try:
        yield
    except DataError:
        raise
    except Exception as exc:  # deltalake and the OS raise many kinds
        if is_remote(path) and isinstance(exc, OSError):
            raise unreachable(path, exc) from exc
        first = first_line(exc)
        fix = (
            "check the bucket, or upload the store folder again"
            if is_remote(path)
            else "put back a backup of the store folder, or move it aside and ingest your "
            "exports again"
        )
        raise DataError(f"the store's table at {path} cannot be read ({first}); {fix}.") from exc


def is_table(path: Path | str) -> bool:
    """A Delta table with at least one commit (a writer killed while creating a table can
    leave the folders without one)."""
    if is_remote(path):
        from deltalake import DeltaTable

        try:
            return DeltaTable.is_deltatable(str(path))
        except OSError as exc:  # the endpoint, the credentials, the network
            raise unreachable(path, exc) from None
    return any((Path(path) / "_delta_log").glob("*.json"))


def to_delta(frame: pl.DataFrame) -> pl.DataFrame:
    """Delta Lake has no time-of-day type: a clock time is stored as nanoseconds after
    midnight (read back by `Store.read`, which knows each column's type)."""
    times = [c for c, t in frame.schema.items() if t == pl.Time]
    return frame.with_columns(pl.col(times).cast(pl.Int64)) if times else frame


def partitions(table: str) -> tuple[str, ...]:
    return PARTITIONS.get(table, ("person",))


def with_partitions(table: str, rows: pl.DataFrame) -> pl.DataFrame:
    """The rows with their partition columns (the year of a minute row)."""
    if "year" in partitions(table) and "year" not in rows.columns:
        return rows.with_columns(year=pl.col("ts_local").dt.year().cast(pl.Int32))
    return rows


class Store:
    """A local folder, or a URI on object storage (s3://bucket/prefix), which is read only:
    spectrum writes a store through a lock file, which object storage has not."""

    def __init__(self, root: Path | str) -> None:
        self.remote = is_remote(root)
        self.root = str(root).rstrip("/") if self.remote else Path(root)
        self._journal: pl.DataFrame | None = None

    def table_path(self, table: str) -> Path | str:
        folder = table if table in (LOG, QUARANTINE) else f"tables/{table}"
        return f"{self.root}/{folder}" if self.remote else self.root / folder

    def forget_cache(self) -> None:
        """Read the journal again (after this process wrote to the store)."""
        self._journal = None

    def journal(self) -> pl.DataFrame:
        """Every operation on the store, oldest first (empty for a new store)."""
        if self._journal is None:
            path = self.table_path(LOG)
            if is_table(path):
                with damaged(path):
                    self._journal = pl.read_delta(str(path)).sort("seq")
            elif self.remote:  # nothing is ever ingested there: a wrong bucket or prefix
                raise DataError(
                    f"there is no spectrum store at {self.root} (no {LOG} table there); check "
                    "the bucket and prefix: the folder you uploaded holds tables/ and "
                    f"{LOG}/."
                )
            else:
                self._journal = pl.DataFrame(schema=JOURNAL_SCHEMA)
        return self._journal

    def check_reachable(self) -> None:
        """Raise StoreUnreachable when the store does not answer now (object storage that
        went away mid-run); a local store is always there."""
        if self.remote:
            is_table(self.table_path(LOG))

    def pins(self) -> dict[str, int]:
        """The version of each table that is the store's state (the newest journal row's)."""
        log = self.journal()
        return {} if log.is_empty() else json.loads(log["versions"][-1])

    def live_ingests(self) -> pl.DataFrame:
        """Journal rows of files whose ingest has not been undone, forgotten or deleted."""
        log = self.journal()
        taken_back = log.filter(pl.col("op").is_in(["undo", "forget"]))["target"]
        return log.filter(
            (pl.col("op") == "ingest") & ~pl.col("ingest_id").is_in(taken_back.implode())
        )

    def read(self, table: str, years: tuple[int, int] | None = None) -> pl.LazyFrame:
        """A canonical table (empty, with its columns, before anything was ingested).
        `years`: of a table partitioned by year, only those years' files are read."""
        version = self.pins().get(table)
        if version is None:
            return empty_table(table).lazy()
        with damaged(self.table_path(table)):
            frame = pl.scan_delta(str(self.table_path(table)), version=version)
            have = frame.collect_schema().names()
        if years is not None and "year" in have:
            frame = frame.filter(pl.col("year").is_between(*years))
        frame = frame.drop([c for c in ("year",) if c in have and c not in columns(table)])
        schema = empty_table(table).schema
        times = [c for c in have if schema.get(c) == pl.Time]
        frame = frame.with_columns(pl.col(times).cast(pl.Time)) if times else frame
        return complete(table, frame, have).select(columns(table))

    def read_side(self, name: str) -> pl.DataFrame | None:
        """The quarantine (at the store's version), or the ingest log's live files."""
        if name == LOG:
            live = self.live_ingests()
            return None if live.is_empty() else live.select(FILE_COLUMNS)
        version = self.pins().get(name)
        if version is None:
            return None
        return pl.read_delta(str(self.table_path(name)), version=version)

    def persons(self) -> list[str]:
        found: set[str] = set()
        for table in layout.TABLES:
            if table in self.pins():
                found.update(self._persons_of(table))
        return sorted(found)

    def _persons_of(self, table: str) -> list[str]:
        """The people of a table, from its files' partition values in the Delta log (every
        table is partitioned by person): no data file is opened."""
        from deltalake import DeltaTable

        path = self.table_path(table)
        with damaged(path):
            files = DeltaTable(str(path), version=self.pins()[table]).get_add_actions(flatten=True)
        if "partition.person" in files.column_names:
            people = files.column("partition.person").to_pylist()
            counts = files.column("num_records").to_pylist()
            return [p for p, n in zip(people, counts, strict=True) if p is not None and n != 0]
        return self.read(table).select("person").unique().collect()["person"].to_list()


def complete(table: str, frame, have: list[str]):
    """`frame` (lazy or not) with every column of the table: a store written by an older
    spectrum lacks columns added since; they are unknown, unless the table says what they
    meant before (the layout's MIGRATE)."""
    before = layout.migrate(table)
    missing = [
        pl.lit(before.get(name), dtype).alias(name)
        for name, dtype in empty_table(table).schema.items()
        if name not in have
    ]
    return frame.with_columns(missing) if missing else frame


def columns(table: str) -> list[str]:
    return layout.columns(table) if table in layout.TABLES else []


def empty_table(table: str) -> pl.DataFrame:
    return layout.empty(table)
