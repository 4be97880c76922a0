"""pipeline/deltawrite.py writes what deltalake's own writer writes: the same rows, the same
table (protocol, schema, partitions), files in the same folders and the same statistics in
the log, so that every reader (deltalake, polars, DuckDB, Spark) sees one table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable, write_deltalake

from pipeline import deltawrite

ROWS = pl.DataFrame(
    {
        # partition values a folder name must escape: a space, a slash, a percent, an accent
        "person": ["a b", "c/d%é", "a b", "a b"],
        "year": [2025, 2026, 2026, 2025],
        "day": [dt.date(2025, 1, 1), dt.date(2026, 1, 2), None, dt.date(2025, 3, 1)],
        "ts": [
            dt.datetime(2025, 1, 1, 10, 0, 0, 500000),  # deltalake writes .500
            dt.datetime(2026, 1, 2, 10, 0, 1, 123456),  # .123 (to the millisecond)
            None,
            dt.datetime(2025, 3, 1, 23, 59),
        ],
        "x": [1.5, None, 2.25, -0.5],
        "n": [1, 2, 3, 4],
        "s": ["z", None, "y", "x"],
        "ok": [True, False, None, True],
    },
    schema_overrides={"year": pl.Int32},
)
PARTS = ["person", "year"]


def _adds(path: Path) -> dict[tuple, dict]:
    """The log's live files by partition: (partition values) -> stats."""
    table = DeltaTable(str(path))
    files = pl.DataFrame(table.get_add_actions(flatten=True))
    stats = {}
    for line in (path / "_delta_log").glob("*.json"):
        for entry in map(json.loads, line.read_text().splitlines()):
            if "add" in entry:
                stats[entry["add"]["path"]] = json.loads(entry["add"]["stats"])
    return {
        tuple(row[f"partition.{c}"] for c in PARTS): stats[row["path"]]
        for row in files.iter_rows(named=True)
    }


def _folders(path: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(path)) for p in path.rglob("*.parquet"))


def test_a_new_table_is_the_one_deltalakes_writer_makes(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    assert deltawrite.write(ours, ROWS, PARTS, None, None)
    write_deltalake(str(theirs), ROWS, partition_by=PARTS)
    a, b = DeltaTable(str(ours)), DeltaTable(str(theirs))
    assert a.protocol() == b.protocol()
    assert a.schema() == b.schema()
    assert a.metadata().partition_columns == PARTS
    assert (
        _folders(ours)
        == _folders(theirs)
        == [
            "person=a%20b/year=2025",
            "person=a%20b/year=2026",
            "person=c%2Fd%25%C3%A9/year=2026",
        ]
    )
    assert _adds(ours) == _adds(theirs)
    assert _adds(ours)["a b", 2025]["minValues"]["ts"] == "2025-01-01 10:00:00.500"
    assert pl.read_delta(str(ours)).select(ROWS.columns).sort("n").equals(ROWS)


def test_rows_in_any_order_make_the_same_files(tmp_path):
    shuffled = ROWS.sample(fraction=1.0, shuffle=True, seed=3)
    assert deltawrite.write(tmp_path / "t", shuffled, PARTS, None, None)
    assert _adds(tmp_path / "t") == _adds_of(tmp_path / "ref", ROWS)


def _adds_of(path: Path, rows: pl.DataFrame) -> dict:
    write_deltalake(str(path), rows, partition_by=PARTS)
    return _adds(path)


def test_touched_partitions_are_replaced_and_the_others_kept(tmp_path):
    path = tmp_path / "t"
    assert deltawrite.write(path, ROWS, PARTS, None, None)
    new = ROWS.filter(pl.col("n") == 1).with_columns(n=pl.lit(9, pl.Int64))
    # the rows of ("a b", 2025) and ("a b", 2026) go; ("a b", 2025) gets the new one
    touched = ROWS.filter(pl.col("person") == "a b")
    assert deltawrite.write(path, new, PARTS, touched, None)
    table = DeltaTable(str(path))
    assert table.version() == 1
    back = pl.read_delta(str(path)).sort("n")
    assert back.select("person", "year", "n").rows() == [("c/d%é", 2026, 2), ("a b", 2025, 9)]
    table.restore(0)  # what recovery and undo do: the old files come back
    assert pl.read_delta(str(path)).height == ROWS.height


@pytest.mark.parametrize(
    "rows, why",
    [
        (ROWS.with_columns(extra=pl.lit(1)), "a column the table does not have"),
        (ROWS.with_columns(pl.col("n").cast(pl.Int32)), "a column of another type"),
    ],
)
def test_rows_unlike_the_table_are_left_to_deltalake(tmp_path, rows, why):
    path = tmp_path / "t"
    assert deltawrite.write(path, ROWS, PARTS, None, None)
    assert not deltawrite.write(path, rows, PARTS, rows, None), why
    assert DeltaTable(str(path)).version() == 0


def test_a_null_partition_value_is_left_to_deltalake(tmp_path):
    rows = ROWS.with_columns(person=pl.when(pl.col("n") != 1).then(pl.col("person")))
    assert not deltawrite.write(tmp_path / "t", rows, PARTS, None, None)
    assert not (tmp_path / "t").exists()


def test_statistics_leave_out_what_is_not_a_number(tmp_path):
    # NaN and infinity are no least or greatest value (and not JSON); a year before 1000
    # keeps its four digits
    rows = pl.DataFrame(
        {
            "person": ["p", "p", "p"],
            "x": [float("nan"), float("inf"), 1.0],
            "ts": [dt.datetime(999, 1, 2, 3, 4, 5), dt.datetime(2026, 1, 1), None],
        }
    )
    assert deltawrite.write(tmp_path / "t", rows, ["person"], None, None)
    (entry,) = [
        json.loads(line)["add"]
        for line in (tmp_path / "t/_delta_log/00000000000000000000.json").read_text().splitlines()
        if "add" in line
    ]
    stats = json.loads(entry["stats"], parse_constant=lambda c: pytest.fail(f"{c} in the log"))
    assert stats["minValues"] == {"x": 1.0, "ts": "0999-01-02 03:04:05"}  # polars: NaN is no min
    assert stats["maxValues"] == {"ts": "2026-01-01 00:00:00"}  # inf (or NaN) left out
    assert stats["nullCount"] == {"x": 0, "ts": 1}
    assert pl.read_delta(str(tmp_path / "t")).height == 3


def test_a_commit_by_another_delta_writer_meanwhile_leaves_the_write_to_deltalake(
    tmp_path, monkeypatch
):
    path = tmp_path / "t"
    assert deltawrite.write(path, ROWS, PARTS, None, None)
    written = deltawrite._write_file

    def and_another_writer(*args):
        write_deltalake(str(path), ROWS.head(1), mode="append")  # e.g. a Spark job
        monkeypatch.setattr(deltawrite, "_write_file", written)
        return written(*args)

    monkeypatch.setattr(deltawrite, "_write_file", and_another_writer)
    assert not deltawrite.write(path, ROWS.head(2), PARTS, ROWS, None)
    assert DeltaTable(str(path)).version() == 1  # only the other writer's commit
