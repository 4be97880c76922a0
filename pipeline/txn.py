"""Writing to the store: one writer at a time, one transaction per command.

- A lock file serialises writers; a second writer waits (and says so), then gives up with
  an error after a timeout.
- Every table commit carries the operation's id; the journal row, written last, names the
  tables' new versions and is the commit point (pipeline/store.py).
- Before a transaction, a killed writer's leftovers are rolled back and an old-layout store
  is converted (pipeline/recovery.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from pipeline import deltawrite, layout
from pipeline.errors import DataError
from pipeline.frames import last_per_key
from pipeline.store import (
    JOURNAL_SCHEMA,
    LOG,
    Store,
    is_table,
    merge_replacing,
    partitions,
    to_delta,
    with_partitions,
)

Say = Callable[[str], None]
LOCK_TIMEOUT_S = 600.0
MARKER = ".writing"  # present while a transaction runs: found by the next writer = a crash
RECOVERED = (
    "An earlier ingest did not finish (it was stopped or crashed); the store was put back "
    "to how it was before it. Nothing it had stored before is lost."
)


def quiet(_: str) -> None:
    pass


_steps = 0


def checkpoint() -> None:
    """A crash-test point between write steps: with SPECTRUM_KILL_AT=n in the environment the
    process kills itself (SIGKILL) at its n-th step, so tests/test_txn.py can stop an ingest
    at every step and check the store after it. Without the variable it does nothing."""
    global _steps
    at = os.environ.get("SPECTRUM_KILL_AT")
    if at:
        _steps += 1
        if _steps == int(at):
            os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def store_lock(root: Path, say: Say = quiet, timeout: float | None = None) -> Iterator[None]:
    """Hold the store's writer lock; wait for another writer, at most `timeout` seconds
    (default: SPECTRUM_LOCK_TIMEOUT in the environment, else 10 minutes)."""
    if timeout is None:
        timeout = float(os.environ.get("SPECTRUM_LOCK_TIMEOUT", LOCK_TIMEOUT_S))
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise DataError(
            f"cannot use {root} as the store ({exc.strerror}); choose another folder with "
            "--store DIR."
        ) from None
    try:
        waited = False
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not waited:
                    say("Waiting for another ingest into this store to finish...")
                    waited = True
                if time.monotonic() - start > timeout:
                    raise DataError(
                        f"another spectrum command has been writing to {root} for over "
                        f"{timeout:.0f} s; try again when it has finished."
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def try_lock(root: Path) -> int | None:
    """The lock's descriptor when no writer holds it, else None (never waits)."""
    if not root.is_dir():
        return None
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def write_delta(path: Path, frame: pl.DataFrame, **options) -> None:
    """`write_deltalake`, retried when another Delta writer (not spectrum: its own writers
    take turns at the lock) committed first."""
    from deltalake import write_deltalake
    from deltalake.exceptions import CommitFailedError

    for attempt in range(5):
        try:
            write_deltalake(str(path), frame, **options)
            return
        except CommitFailedError:
            if attempt == 4:
                raise
            time.sleep(0.1 * (attempt + 1))


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def journal(store: Store, rows: list[dict], op_id: str) -> None:
    """Append the operation's rows to the journal: the commit point."""
    log = store.journal()
    seq = int(log["seq"].max()) + 1 if log.height else 0
    from pipeline.recovery import table_versions

    versions = json.dumps(table_versions(store), sort_keys=True)
    frame = pl.DataFrame(
        [
            {**r, "seq": seq + i, "ingest_id": op_id, "at": now(), "versions": versions}
            for i, r in enumerate(rows)
        ],
        schema=JOURNAL_SCHEMA,
    )
    checkpoint()
    write_delta(store.table_path(LOG), frame, mode="append", schema_mode="merge")
    checkpoint()
    store.forget_cache()


def sql_literal(value: object) -> str:
    """A value as a Delta predicate literal (a text's quotes doubled)."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def partition_predicate(table: str, rows: pl.DataFrame) -> str:
    parts = partitions(table)
    groups = rows.select(parts).unique().sort(parts).rows()
    return " OR ".join(
        "(" + " AND ".join(f"{c} = {sql_literal(v)}" for c, v in zip(parts, g, strict=True)) + ")"
        for g in groups
    )


def align(table: str, old: pl.DataFrame, new: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both frames with the same columns: a column only the new rows have was added to the
    schema since the stored rows were written (its old value: the layout's MIGRATE, or unknown)."""
    before = layout.migrate(table) if table in layout.TABLES else {}
    old = old.with_columns(
        pl.lit(before.get(c), dtype).alias(c)
        for c, dtype in new.schema.items()
        if c not in old.columns
    )
    new = new.with_columns(
        pl.lit(None, dtype).alias(c) for c, dtype in old.schema.items() if c not in new.columns
    )
    return old, new.select(old.columns)


class Writer:
    """The tables an operation writes, each commit tagged with the operation's id."""

    def __init__(self, store: Store, op_id: str) -> None:
        self.store = store
        self.op_id = op_id

    def _commit_properties(self):
        from deltalake import CommitProperties

        return CommitProperties(custom_metadata={"spectrum_op": self.op_id})

    def read_partitions(self, table: str, rows: pl.DataFrame) -> pl.DataFrame:
        """The stored rows of the partitions `rows` touch (the table's current version)."""
        path = self.store.table_path(table)
        if not is_table(path):
            return with_partitions(table, rows.clear())
        parts = list(partitions(table))
        touched = rows.select(parts).unique()
        old = pl.scan_delta(str(path)).join(touched.lazy(), on=parts, how="semi").collect()
        schema = rows.schema  # clock times come back from Delta as integers
        times = [c for c in old.columns if schema.get(c) == pl.Time]
        return old.with_columns(pl.col(times).cast(pl.Time)) if times else old

    def replace_partitions(self, table: str, rows: pl.DataFrame, touched: pl.DataFrame) -> None:
        """Write `rows` as the whole content of the partitions in `touched`."""
        from deltalake import DeltaTable

        checkpoint()
        path = self.store.table_path(table)
        exists = is_table(path)
        if rows.is_empty():
            if exists:
                DeltaTable(str(path)).delete(
                    partition_predicate(table, touched),
                    commit_properties=self._commit_properties(),
                )
            return
        frame, parts = to_delta(rows), list(partitions(table))
        done = not self.store.remote and deltawrite.write(
            path, frame, parts, touched if exists else None, self._commit_properties()
        )
        if done:
            return
        write_delta(
            path,
            frame,
            partition_by=parts,
            mode="overwrite" if exists else "append",
            predicate=partition_predicate(table, touched) if exists else None,
            schema_mode="merge",
            commit_properties=self._commit_properties(),
        )

    def upsert(
        self,
        table: str,
        rows: pl.DataFrame,
        last: dt.date | None = None,
        replace: bool = False,
        bad_days: pl.DataFrame | None = None,
    ):
        """Write `rows` over the stored ones with the same key (for the tables keyed by day,
        only the days this export wins: pipeline/daywins.py). `last`: the export's last date."""
        from pipeline import daywins

        if rows.is_empty():  # a header-only file, or one whose rows all failed
            return daywins.DayOutcome()
        key = layout.key(table) if table in layout.TABLES else ()
        rows = with_partitions(table, rows)
        if key:
            rows = last_per_key(rows, key)
        by = layout.replace_by(table) if table in layout.TABLES else key
        outcome = daywins.DayOutcome()
        if table in daywins.DAY_TABLES and last is not None:
            rows = rows.with_columns(export_last=pl.lit(last, pl.Date))
        if table in layout.TABLES:  # each row knows the ingest that stored it (forget)
            rows = rows.with_columns(ingest_id=pl.lit(self.op_id))
        old, rows = align(table, self.read_partitions(table, rows), rows)
        if table in daywins.DAY_TABLES and last is not None:
            touched = rows
            rows, outcome = daywins.choose(old, rows, list(by), last, replace, bad_days)
            if rows.is_empty():
                return outcome
            self.replace_partitions(table, merge_replacing(old, rows, by), touched)
            return outcome
        self.replace_partitions(table, merge_replacing(old, rows, by), rows)
        return outcome

    def delete(self, table: str, predicate: str) -> None:
        """Delete the rows `predicate` (a Delta SQL condition) selects."""
        from deltalake import DeltaTable

        checkpoint()
        DeltaTable(str(self.store.table_path(table))).delete(
            predicate, commit_properties=self._commit_properties()
        )

    def append(self, table: str, rows: pl.DataFrame, file_ids: list[str] | None = None) -> None:
        """The quarantine rows of these files, replacing what it held for them (a file read
        again, now cleanly, leaves no stale rows behind)."""
        from deltalake import DeltaTable

        path = self.store.table_path(table)
        ids = sorted(set(file_ids or []) | set(rows["file_id"].unique().to_list()))
        if not ids or (rows.is_empty() and not is_table(path)):
            return
        checkpoint()
        if is_table(path):
            files = ", ".join(sql_literal(f) for f in ids)
            if rows.is_empty():
                DeltaTable(str(path)).delete(
                    f"file_id IN ({files})", commit_properties=self._commit_properties()
                )
                return
            write_delta(
                path,
                rows,
                mode="overwrite",
                predicate=f"file_id IN ({files})",
                schema_mode="merge",
                commit_properties=self._commit_properties(),
            )
            return
        write_delta(path, rows, commit_properties=self._commit_properties())


def refuse_remote(store: Store) -> None:
    """spectrum writes a store only where a lock file keeps writers apart: not on object
    storage, where two writers could both commit (README: Beyond one machine)."""
    if store.remote:
        raise DataError(
            f"the store {store.root} is on object storage, which spectrum reads but does not "
            "write; ingest into a local store (--store DIR) and upload that folder (README: "
            "Beyond one machine)."
        )


@contextlib.contextmanager
def writing(store: Store, say: Say = quiet) -> Iterator[Writer]:
    """A transaction: the lock held, the store recovered and migrated, a writer given.

    The caller ends by calling `journal(...)`; an exception before that puts the tables back
    as they were (the same recovery a crash gets at the next command)."""
    refuse_remote(store)
    old_umask = os.umask(0o077)  # health data: readable by this user only
    try:
        with store_lock(store.root, say):
            from pipeline.recovery import migrate_parquet, recover

            migrate_parquet(store, say)
            recover(store, say)
            marker = store.root / MARKER
            marker.write_text(now())
            checkpoint()
            committed_before = len(store.journal())
            try:
                yield Writer(store, uuid.uuid4().hex[:12])
            except BaseException:
                store.forget_cache()
                if len(store.journal()) == committed_before:
                    recover(store, quiet)
                raise
            finally:
                marker.unlink(missing_ok=True)
    finally:
        os.umask(old_umask)
