"""The store: idempotent upserts, whole-day replacement for food logs, atomic writes, and
nothing lost when a later ingest fails."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import DataError
from pipeline.ingest import ingest
from pipeline.sources._parse import ReadOptions
from tests import fixtures as fx
from tests.conftest import write

ME = ReadOptions()


def snapshot(store) -> dict[str, list]:
    return {
        t: store.read(t).collect().rows()
        for t in ("activity_daily", "food_items", "body")
        if t in store.pins()
    }


def test_same_file_twice_changes_nothing(tmp_path, store):
    files = [
        write(tmp_path / "d.csv", fx.FITBIT_DAILY),
        write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS),
        write(tmp_path / "w.csv", fx.FITBIT_WEIGHT),
    ]
    ingest(store, files, None, ME, strict=False)
    first = snapshot(store)
    log_rows = store.read_side("ingest_log").height
    ingest(store, files, None, ME, strict=False)
    assert snapshot(store) == first
    assert store.read_side("ingest_log").height == log_rows == 3
    assert len(first["activity_daily"]) == 4 and len(first["food_items"]) == 4


def test_overlapping_export_replaces_the_days_it_covers(tmp_path, store):
    ingest(store, [write(tmp_path / "a.csv", fx.CRONOMETER_SERVINGS)], None, ME, strict=False)
    # A later export: 1 March now holds one entry (two were deleted in the app).
    newer = "\n".join(
        [
            fx.CRONOMETER_SERVINGS.splitlines()[0],
            '2026-03-01,8:00 AM,"Breakfast","Oats, rolled","1.00 cup",300,54,8,1,0,46,5,10,"C"',
        ]
    )
    ingest(store, [write(tmp_path / "b.csv", newer)], None, ME, strict=False)
    food = store.read("food_items").collect().sort("date", "entry_id")
    assert food.select("date", "food_name").rows() == [
        (dt.date(2026, 3, 1), "Oats, rolled"),
        (dt.date(2026, 3, 2), "Apple"),  # a day the newer export does not cover stays
    ]


def test_bad_file_leaves_the_store_as_it_was(tmp_path, store):
    ingest(store, [write(tmp_path / "d.csv", fx.FITBIT_DAILY)], None, ME, strict=False)
    before = snapshot(store)
    bad = write(tmp_path / "bad.csv", "what,is,this\n1,2,3\n")
    good = write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)
    with pytest.raises(DataError):
        ingest(store, [good, bad], None, ME, strict=False)
    assert snapshot(store) == before  # the good file named with it was not written either


def test_strict_writes_nothing_when_a_row_fails(tmp_path, store):
    text = fx.FITBIT_DAILY.replace("111,3/2/2026,6000", "111,3/2/2026,600000")
    with pytest.raises(DataError) as err:
        ingest(store, [write(tmp_path / "d.csv", text)], None, ME, strict=True)
    assert "line 3, steps = '600000' fails less_than_or_equal_to(100000)" in str(err.value)
    assert not store.table_path("activity_daily").exists() and store.pins() == {}
    assert store.read_side("quarantine") is None


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path, store):
    ingest(store, [write(tmp_path / "d.csv", fx.FITBIT_DAILY)], None, ME, strict=False)
    leftovers = [p.name for p in store.root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert store.read("activity_daily").collect().height == 4


def test_input_files_are_never_modified(tmp_path, store):
    path = write(tmp_path / "d.csv", fx.FITBIT_DAILY, crlf=True)
    before = path.read_bytes()
    ingest(store, [path], None, ME, strict=False)
    assert path.read_bytes() == before
