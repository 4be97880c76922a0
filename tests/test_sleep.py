"""Sleep is never double-counted: repeated lines, overlapping records, a record cut by two
exports, and a store written before sleep records existed."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.ingest import ingest
from pipeline.metrics import daily
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from tests.conftest import write

HEAD = "Id,date,value,logId"


def lines(start: dt.datetime, n: int, log_id: str) -> list[str]:
    """`n` minutes asleep (value 1) from `start`, stamped at :30 as Fitbit does."""
    out = []
    for i in range(n):
        ts = start + dt.timedelta(minutes=i, seconds=30)
        h12 = ts.hour % 12 or 12
        ampm = "AM" if ts.hour < 12 else "PM"
        out.append(f"5,{ts.month}/{ts.day}/{ts.year} {h12}:{ts.minute:02d}:30 {ampm},1,{log_id}")
    return out


def nights(store: Store) -> list[tuple]:
    frame = daily.sleep_nights(store.read("sleep")).collect().sort("date")
    return frame.select("date", "asleep_min").rows()


def test_repeated_minute_lines_count_once(tmp_path):
    night = lines(dt.datetime(2026, 3, 1, 23), 120, "1")  # 23:00-00:59
    path = write(tmp_path / "minuteSleep_merged.csv", "\n".join([HEAD, *night, *night[:20]]))
    store = Store(tmp_path / "store")
    ingest(store, [path], None, ReadOptions(), strict=True)
    assert nights(store) == [(dt.date(2026, 3, 2), 120)]  # not 140


def test_overlapping_records_of_one_source_are_one_sleep(tmp_path):
    # record 1: 23:00-04:59 (360 min); record 2 repeats 01:00-05:59 (300 min): one stretch,
    # the record with more minutes asleep counts
    a = lines(dt.datetime(2026, 3, 1, 23), 360, "1")
    b = lines(dt.datetime(2026, 3, 2, 1), 300, "2")
    path = write(tmp_path / "minuteSleep_merged.csv", "\n".join([HEAD, *a, *b]))
    store = Store(tmp_path / "store")
    ingest(store, [path], None, ReadOptions(), strict=True)
    assert nights(store) == [(dt.date(2026, 3, 2), 360)]  # not 660


def test_a_record_cut_by_two_exports_is_one_night(tmp_path):
    # one night, 23:00-06:59, exported as 23:00-23:59 in one file and the rest in another
    whole = lines(dt.datetime(2026, 3, 1, 23), 480, "7")
    first = write(tmp_path / "a" / "minuteSleep_merged.csv", "\n".join([HEAD, *whole[:60]]))
    second = write(tmp_path / "b" / "minuteSleep_merged.csv", "\n".join([HEAD, *whole[60:]]))
    store = Store(tmp_path / "store")
    ingest(store, [first], None, ReadOptions(), strict=True)
    ingest(store, [second], None, ReadOptions(), strict=True)
    assert nights(store) == [(dt.date(2026, 3, 2), 480)]  # not 60 on 1 March + 420


def test_a_store_from_before_sleep_records_is_not_doubled(tmp_path):
    text = (
        "Id,SleepDay,TotalSleepRecords,TotalMinutesAsleep,TotalTimeInBed\n"
        "5,3/2/2026 12:00:00 AM,1,400,420\n"
    )
    path = write(tmp_path / "sleepDay_merged.csv", text)
    scratch = Store(tmp_path / "scratch")
    ingest(scratch, [path], None, ReadOptions(), strict=True)
    old = scratch.read("sleep").collect().drop("record", "start_local", "end_local")
    store = Store(tmp_path / "store")
    (store.root / "tables").mkdir(parents=True)
    old.write_parquet(store.root / "tables" / "sleep.parquet")  # as an earlier spectrum did
    ingest(store, [path], None, ReadOptions(), strict=True)
    assert store.read("sleep").collect().height == 1
    assert nights(store) == [(dt.date(2026, 3, 2), 400)]


def test_an_afternoon_nap_is_not_part_of_the_night():
    """Withings writes a 15:01-18:49 nap as a record of its own; the night is the 533 min."""
    T = dt.datetime
    rows = pl.LazyFrame(
        {
            "person": ["me", "me"],
            "source": ["withings_sleep"] * 2,
            "date": [dt.date(2020, 2, 19)] * 2,
            "record": ["2020-02-18T23:10", "2020-02-19T15:01"],
            "start_local": [T(2020, 2, 18, 23, 10), T(2020, 2, 19, 15, 1)],
            "end_local": [T(2020, 2, 19, 8, 30), T(2020, 2, 19, 18, 49)],
            "asleep_min": [533, 215],
            "in_bed_min": [560, 228],
        }
    )
    nights = daily.sleep_nights(rows).collect()
    assert nights.select("date", "asleep_min", "in_bed_min").rows() == [
        (dt.date(2020, 2, 19), 533, 560)
    ]
