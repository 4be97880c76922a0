"""Putting a store right before anything else happens: a writer that was killed or crashed
is rolled back to the journal's versions (its stray files removed), and a store in the
earlier layout (one Parquet file per table) is converted once."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import polars as pl

from pipeline import layout
from pipeline.store import LOG, QUARANTINE, Store, complete, is_table
from pipeline.txn import (
    JOURNAL_SCHEMA,
    MARKER,
    RECOVERED,
    Say,
    Writer,
    journal,
    quiet,
    try_lock,
)


def _tables_on_disk(store: Store) -> list[str]:
    names = [p.name for p in (store.root / "tables").glob("*") if p.is_dir()]
    return names + [n for n in (QUARANTINE, LOG) if store.table_path(n).is_dir()]


def _version(path: Path) -> int | None:
    from deltalake import DeltaTable

    if not is_table(path):
        return None
    return DeltaTable(str(path)).version()


def _stray_files(path: Path, since: float) -> list[Path]:
    """Data files a killed writer left: written after the last commit point and not part of
    the table's current version (older versions' files stay: undo reads them)."""
    from deltalake import DeltaTable

    if not is_table(path):
        return [f for f in path.rglob("*") if f.is_file()]
    live = {Path(uri.removeprefix("file://")).name for uri in DeltaTable(str(path)).file_uris()}
    return [
        f
        for f in path.rglob("*")
        if f.is_file()
        and "_delta_log" not in f.parts
        and f.name not in live
        and f.stat().st_mtime >= since
    ]


def _last_commit_time(store: Store) -> float:
    log = store.table_path(LOG) / "_delta_log"
    times = [p.stat().st_mtime for p in log.glob("*.json")] if log.is_dir() else []
    return max(times, default=0.0)


def recover(store: Store, say: Say) -> bool:
    """Put every table back to the version the journal names; True when anything changed.
    Call with the lock held."""
    from deltalake import DeltaTable

    marker = store.root / MARKER
    if (store.root / ".deleting").exists():  # a delete that was stopped: finish it first
        from pipeline.history import finish_delete

        finish_delete(store, uuid.uuid4().hex[:12])
        say("A delete that was stopped part-way has been finished.")
    changed = False
    since = _last_commit_time(store)
    log = store.table_path(LOG)
    if log.is_dir() and not is_table(log):  # killed while writing the very first journal row
        shutil.rmtree(log)
        changed = True
    elif log.is_dir():
        for stray in _stray_files(log, since):  # killed while appending a journal row
            stray.unlink()
            changed = True
    store.forget_cache()
    pins = store.pins()
    for name in _tables_on_disk(store):
        if name == LOG:
            continue
        path = store.table_path(name)
        pin, current = pins.get(name), _version(path)
        if pin is None:  # made by a transaction that never committed
            shutil.rmtree(path)
            changed = True
            continue
        if current is not None and current > pin:
            DeltaTable(str(path)).restore(pin)
            changed = True
        for stray in _stray_files(path, since):
            stray.unlink()
            changed = True
    for tmp in store.root.rglob("*.tmp"):
        tmp.unlink()
        changed = True
    if changed:
        journal(store, [{"op": "recover"}], uuid.uuid4().hex[:12])
        say(RECOVERED)
    marker.unlink(missing_ok=True)
    return changed


def table_versions(store: Store) -> dict[str, int]:
    out = {}
    for name in _tables_on_disk(store):
        if name != LOG and (v := _version(store.table_path(name))) is not None:
            out[name] = v
    return out


def open_store(store: Store, say: Say = quiet) -> Store:
    """Before a command reads: convert an old store, and put back a crashed writer's tables.
    Skipped while another command writes (readers see the journal's versions anyway), and
    for a store on object storage, which spectrum only reads."""
    if store.remote or not store.root.is_dir():
        return store
    needs = (
        (store.root / MARKER).exists()
        or (store.root / ".deleting").exists()
        or any(store.root.glob("tables/*.parquet"))
    )
    if not needs and not (store.root / "ingest_log.parquet").exists():
        return store
    fd = try_lock(store.root)
    if fd is None:
        return store
    try:
        old_umask = os.umask(0o077)
        try:
            migrate_parquet(store, say)
            recover(store, say)
        finally:
            os.umask(old_umask)
    finally:
        os.close(fd)
    return store


def migrate_parquet(store: Store, say: Say) -> None:
    """A store written by spectrum before the Delta layout: each Parquet table becomes a
    Delta table, in one journalled operation, and the old files go only after that."""
    old_tables = sorted((store.root / "tables").glob("*.parquet"))
    old_log = store.root / "ingest_log.parquet"
    old_quarantine = store.root / "quarantine.parquet"
    if not old_tables and not old_log.exists():
        return
    if not store.journal().is_empty():  # converted, but the old files were not yet removed
        _remove(old_tables, old_log, old_quarantine)
        return
    for name in _tables_on_disk(store):  # a conversion that was stopped part-way
        shutil.rmtree(store.table_path(name))
    writer = Writer(store, "migrate-" + uuid.uuid4().hex[:6])
    for path in old_tables:
        table = path.name.removesuffix(".parquet")
        rows = pl.read_parquet(path)
        if table in layout.TABLES and rows.height:
            rows = complete(table, rows, rows.columns)
            writer.upsert(table, rows)
    if old_quarantine.exists():
        writer.append(QUARANTINE, pl.read_parquet(old_quarantine))
    files = pl.read_parquet(old_log) if old_log.exists() else pl.DataFrame()
    rows = [{"op": "migrate"}] + [
        {
            "op": "ingest",
            **{k: v for k, v in r.items() if k in JOURNAL_SCHEMA and k != "at"},
        }
        for r in files.to_dicts()
    ]
    journal(store, rows, writer.op_id)
    _remove(old_tables, old_log, old_quarantine)
    say(f"Converted the store at {store.root} to the Delta Lake layout (once); nothing lost.")


def _remove(*paths) -> None:
    for p in paths:
        for path in p if isinstance(p, list) else [p]:
            path.unlink(missing_ok=True)
