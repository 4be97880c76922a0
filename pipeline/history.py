"""`spectrum log`, `undo`, `forget` and `delete`: what was ingested, and taking it back.

- undo: every table back to its version before the newest ingest (Delta time travel).
- forget: exactly one ingest's rows removed (its files' rows), whenever it happened.
- delete: all of a person's rows, then a vacuum, so no file in the store holds them any more.
"""

from __future__ import annotations

import json
import shutil

import polars as pl

from pipeline.errors import DataError
from pipeline.recovery import table_versions
from pipeline.store import LOG, QUARANTINE, Store, is_table
from pipeline.txn import (
    Say,
    journal,
    quiet,
    sql_literal,
    write_delta,
    writing,
)


def log_rows(store: Store) -> list[dict]:
    """Every ingested file, oldest first, with whether it still counts."""
    log = store.journal()
    undone = set(log.filter(pl.col("op") == "undo")["target"].to_list())
    forgotten = set(log.filter(pl.col("op") == "forget")["target"].to_list())
    rows = []
    for r in log.filter(pl.col("op") == "ingest").iter_rows(named=True):
        status = (
            "undone"
            if r["ingest_id"] in undone
            else "forgotten"
            if r["ingest_id"] in forgotten
            else "stored"
        )
        rows.append(
            {
                "ingest_id": r["ingest_id"],
                "at": r["at"],
                "file": r["path"],
                "sha256": r["file_id"],
                "format": r["format"],
                "rows_read": r["rows_read"],
                "rows_accepted": r["rows_accepted"],
                "rows_quarantined": r["rows_quarantined"],
                "days_replaced": r["days_replaced"],
                "days_kept": r["days_kept"],
                "status": status,
            }
        )
    return rows


def _later_changes(log: pl.DataFrame, seq: int) -> list[str]:
    return log.filter((pl.col("seq") > seq) & pl.col("op").is_in(["forget", "delete"]))[
        "op"
    ].to_list()


def _last_undoable(store: Store) -> dict | None:
    """The newest change undo can take back: an ingest (a file, or a note added) or a note
    removed, that was not taken back already."""
    log = store.journal()
    undone = log.filter(pl.col("op") == "undo")["target"].implode()
    removals = log.filter((pl.col("op") == "remove") & ~pl.col("ingest_id").is_in(undone))
    live = store.live_ingests()
    last = pl.concat(
        [live.select("ingest_id", "seq", "op"), removals.select("ingest_id", "seq", "op")]
    )
    return last.sort("seq").row(-1, named=True) if last.height else None


def undo(store: Store, say: Say = quiet) -> dict:
    """Roll the store back to before its newest ingest (or note removal) that still counts."""
    from deltalake import DeltaTable

    with writing(store, say) as w:
        last = _last_undoable(store)
        if last is None:
            raise DataError("there is no ingest to undo; 'spectrum log' lists what is stored.")
        target = last["ingest_id"]
        if target.startswith("migrate-"):
            raise DataError(
                "the files before this point came with the store's conversion to the Delta "
                "layout, which undo cannot reach past; use 'spectrum forget ID' for one ingest."
            )
        log = store.journal()
        mine = log.filter(pl.col("ingest_id") == target)
        first = int(mine["seq"].min())
        if later := _later_changes(log, first):
            raise DataError(
                f"the store was changed by '{later[-1]}' after that ingest, so time travel "
                f"would undo that too; use 'spectrum forget {target}' to remove its rows."
            )
        earlier = log.filter(pl.col("seq") < first)
        before = json.loads(earlier["versions"][-1]) if earlier.height else {}
        for name, version in table_versions(store).items():
            path = store.table_path(name)
            if name in before:
                if version != before[name]:
                    DeltaTable(str(path)).restore(before[name])
            else:  # the ingest made this table: nothing of it was there before
                DeltaTable(str(path)).delete()
        journal(store, [{"op": "undo", "target": target}], w.op_id)
    if last["op"] == "remove":
        return {"ingest_id": target, "files": [], "note": mine["target"][0]}
    return {"ingest_id": target, "files": mine["path"].to_list(), "note": None}


def _sql_list(values: list[str]) -> str:
    return ", ".join(sql_literal(v) for v in sorted(set(values)))


def forget(store: Store, ingest_id: str, say: Say = quiet) -> dict:
    """Remove exactly the rows the ingest stored (its files' rows) and its quarantine rows.
    Rows it replaced when it was ingested do not come back: 'undo' does that for the newest."""
    from deltalake import DeltaTable

    with writing(store, say) as w:
        live = store.live_ingests()
        mine = live.filter(pl.col("ingest_id") == ingest_id)
        if mine.is_empty():
            known = log_rows(store)
            if any(r["ingest_id"] == ingest_id for r in known):
                raise DataError(f"ingest {ingest_id} was already taken back; nothing to do.")
            raise DataError(
                f"no ingest {ingest_id} in this store; 'spectrum log' lists the ingest ids."
            )
        # rows carry the ingest that stored them; rows stored before they did (a converted
        # store) are found by their file, unless another ingest that counts stored it too
        others = live.filter(pl.col("ingest_id") != ingest_id)["file_id"].to_list()
        files = [f for f in mine["file_id"].to_list() if f not in others]
        quoted = sql_literal(ingest_id)
        legacy = f" OR (ingest_id IS NULL AND file_id IN ({_sql_list(files)}))" if files else ""
        for name in store.pins():
            path = store.table_path(name)
            if not is_table(path):
                continue
            table = DeltaTable(str(path))
            has_id = "ingest_id" in [f.name for f in table.schema().fields]
            if has_id:
                table.delete(f"ingest_id = {quoted}{legacy}")
            elif files:
                table.delete(f"file_id IN ({_sql_list(files)})")
        journal(store, [{"op": "forget", "target": ingest_id}], w.op_id)
    return {"ingest_id": ingest_id, "files": mine["path"].to_list()}


def holds(person: str) -> pl.Expr:
    """Journal rows of files that hold `person` (alone or with others)."""
    return pl.col("persons").str.split(",").list.contains(person).fill_null(False)


def forget_history(path) -> None:
    """Only the table's current version stays: older versions' data files go (a vacuum), and
    so do the commit files before a fresh checkpoint, whose statistics (a column's smallest
    and largest value) could still quote a deleted row."""
    from deltalake import DeltaTable

    table = DeltaTable(str(path))
    # removed files are remembered (as "tombstones", with their paths) for a retention
    # period; with none, the checkpoint forgets them too
    table.alter.set_table_properties(
        {"delta.deletedFileRetentionDuration": "interval 0 seconds"}, raise_if_not_exists=False
    )
    table.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    table = DeltaTable(str(path))
    version = table.version()
    table.create_checkpoint()
    for old in (path / "_delta_log").iterdir():
        number = old.name.split(".")[0]
        if number.isdigit() and int(number) < version:
            old.unlink()


DELETING = ".deleting"  # names the person while a delete runs: the next command finishes it


def delete_person(store: Store, person: str, say: Say = quiet) -> dict:
    """Every row of `person`, the quarantine and log rows of their files, and then every
    older version's files (a vacuum): gone from disk, not only from the latest version.
    Undo cannot reach back past a delete. A delete that is stopped part-way is finished by
    the next command (pipeline/txn.py), so it never stops half done."""
    listed = store.journal()["persons"].drop_nulls().str.split(",").explode().to_list()
    if person not in store.persons() and person not in listed:
        known = ", ".join(store.persons()) or "nobody yet"
        raise DataError(f"no data for person '{person}' (the store holds: {known}).")
    with writing(store, say) as w:
        files = store.journal().filter(holds(person)).height
        (store.root / DELETING).write_text(person, encoding="utf-8")
        finish_delete(store, w.op_id)
    return {"person": person, "files": files}


def finish_delete(store: Store, op_id: str) -> None:
    """Carry out (or finish) the delete named in the store's DELETING file."""
    from deltalake import DeltaTable

    marker = store.root / DELETING
    person = marker.read_text(encoding="utf-8")
    quoted = sql_literal(person)
    log = store.journal()
    # files of this person alone go from the journal and quarantine; a file shared with
    # others (a study's export) keeps its row, without this person's name
    alone = pl.col("persons") == person
    theirs = log.filter(alone)["file_id"].drop_nulls().to_list()
    names = [p.name for p in (store.root / "tables").glob("*")] + [QUARANTINE]
    for name in names:
        if not is_table(path := store.table_path(name)):
            continue
        table = DeltaTable(str(path))
        if name != QUARANTINE:
            table.delete(f"person = {quoted}")
        elif theirs:
            table.delete(f"file_id IN ({_sql_list(theirs)})")
    # the journal keeps every other operation, but nothing of the person's files
    if log.height:
        kept = log.filter(~alone.fill_null(False)).with_columns(
            persons=pl.col("persons")
            .str.split(",")
            .list.set_difference(pl.lit([person]))
            .list.sort()
            .list.join(",")
        )
        write_delta(store.table_path(LOG), kept, mode="overwrite")
    for name in [*names, LOG]:
        if is_table(path := store.table_path(name)):
            forget_history(path)
    for folder in store.root.glob("tables/*/person=*"):
        if not any(folder.rglob("*.parquet")):
            shutil.rmtree(folder, ignore_errors=True)  # the emptied partition folders
    store.forget_cache()
    journal(store, [{"op": "delete"}], op_id)
    marker.unlink()
