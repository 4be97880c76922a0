"""The store: idempotent upserts, whole-day replacement for food logs, atomic writes, and
nothing lost when a later ingest fails."""

from __future__ import annotations

import datetime as dt

import polars as pl
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


FOOD_HEAD = fx.CRONOMETER_SERVINGS.splitlines()[0]


def food(*rows: str) -> str:
    """A Cronometer servings export: (day, time, food, kcal, carbs, fibre) rows."""
    lines = [FOOD_HEAD]
    for r in rows:
        day, time_, name, kcal, carbs, fiber = r.split("|")
        lines.append(
            f'{day},{time_},"Meal","{name}","1",{kcal},{carbs},{fiber},0,0,{carbs},1,1,"C"'
        )
    return "\n".join(lines)


def names(store) -> list[tuple]:
    frame = store.read("food_items").collect().sort("date", "food_name")
    return frame.select("date", "food_name").rows()


def test_a_newer_export_replaces_the_days_it_covers(tmp_path, store):
    ingest(store, [write(tmp_path / "a.csv", fx.CRONOMETER_SERVINGS)], None, ME, strict=False)
    # A later export: 1 March now holds one entry (two were deleted in the app).
    newer = food("2026-03-01|8:00 AM|Oats, rolled|300|54|8", "2026-03-03|8:00 AM|Egg|80|1|0")
    result = ingest(store, [write(tmp_path / "b.csv", newer)], None, ME, strict=False)
    assert names(store) == [
        (dt.date(2026, 3, 1), "Oats, rolled"),
        (dt.date(2026, 3, 2), "Apple"),  # a day the newer export has no entry for stays
        (dt.date(2026, 3, 3), "Egg"),  # its last day: new to the store, so it goes in
    ]
    r = result.reports[0]
    assert (r.days_replaced, r.days_kept, r.days_held) == (1, 0, [])


def test_an_older_export_after_a_newer_one_keeps_the_newer_rows(tmp_path, store):
    newer = food(
        "2026-03-01|8:00 AM|Oats|300|54|8",
        "2026-03-03|7:00 PM|Steak|900|0|0",  # logged later in the app
        "2026-03-04|8:00 AM|Egg|80|1|0",
    )
    older = food("2026-03-01|8:00 AM|Oats|300|54|8", "2026-03-03|8:00 AM|Toast|200|30|2")
    ingest(store, [write(tmp_path / "new.csv", newer)], None, ME, strict=False)
    result = ingest(store, [write(tmp_path / "old.csv", older)], None, ME, strict=False)
    assert names(store) == [
        (dt.date(2026, 3, 1), "Oats"),
        (dt.date(2026, 3, 3), "Steak"),
        (dt.date(2026, 3, 4), "Egg"),
    ]
    r = result.reports[0]
    assert (r.days_replaced, r.days_kept) == (0, 2)  # 1 and 3 March left as they were
    forced = ingest(store, [write(tmp_path / "old.csv", older)], None, ME, False, replace=True)
    assert forced.reports[0].days_replaced == 2
    assert names(store) == [
        (dt.date(2026, 3, 1), "Oats"),
        (dt.date(2026, 3, 3), "Toast"),
        (dt.date(2026, 3, 4), "Egg"),
    ]


DAILY_HEAD = fx.FITBIT_DAILY.splitlines()[0]


def daily(*days: tuple[str, int]) -> str:
    rows = [f"111,{d},{s},1,1,0,0,0,1,0,0,0,100,800,1800" for d, s in days]
    return "\n".join([DAILY_HEAD, *rows])


def steps(store) -> list[tuple]:
    frame = store.read("activity_daily").collect().sort("date")
    return frame.select("date", "steps").rows()


def test_an_export_cut_short_on_its_last_day_never_replaces_a_whole_day(tmp_path, store):
    newer = daily(("3/1/2026", 9000), ("3/2/2026", 13162), ("3/3/2026", 7000))
    older = daily(("3/1/2026", 9000), ("3/2/2026", 224))  # exported at 00:40 on 2 March
    ingest(store, [write(tmp_path / "n" / "dailyActivity_merged.csv", newer)], None, ME, False)
    ingest(store, [write(tmp_path / "o" / "dailyActivity_merged.csv", older)], None, ME, False)
    assert steps(store)[1] == (dt.date(2026, 3, 2), 13162)


def test_a_later_export_completes_a_day_that_was_cut_short(tmp_path, store):
    older = daily(("3/1/2026", 9000), ("3/2/2026", 224))
    newer = daily(("3/1/2026", 9000), ("3/2/2026", 13162), ("3/3/2026", 7000))
    ingest(store, [write(tmp_path / "o" / "dailyActivity_merged.csv", older)], None, ME, False)
    result = ingest(
        store, [write(tmp_path / "n" / "dailyActivity_merged.csv", newer)], None, ME, False
    )
    assert steps(store) == [
        (dt.date(2026, 3, 1), 9000),
        (dt.date(2026, 3, 2), 13162),
        (dt.date(2026, 3, 3), 7000),
    ]
    assert result.reports[0].days_replaced == 2


def test_a_day_with_a_bad_row_keeps_its_stored_rows(tmp_path, store):
    first = food(
        "2026-03-01|8:00 AM|Oats|300|54|8",
        "2026-03-01|1:00 PM|Soup|400|30|6",
        "2026-03-02|8:00 AM|Apple|100|25|4",
    )
    ingest(store, [write(tmp_path / "a.csv", first)], None, ME, strict=False)
    newer = food(
        "2026-03-01|8:00 AM|Oats|300|54|8",
        "2026-03-01|1:00 PM|Soup|12000|30|6",  # more than 10,000 kcal: quarantined
        "2026-03-02|9:00 AM|Pear|90|24|5",
        "2026-03-03|8:00 AM|Egg|80|1|0",
    )
    result = ingest(store, [write(tmp_path / "b.csv", newer)], None, ME, strict=False)
    assert names(store) == [
        (dt.date(2026, 3, 1), "Oats"),
        (dt.date(2026, 3, 1), "Soup"),  # the stored, valid soup is not lost
        (dt.date(2026, 3, 2), "Pear"),
        (dt.date(2026, 3, 3), "Egg"),
    ]
    r = result.reports[0]
    assert (r.rows_quarantined, r.days_held, r.days_replaced) == (1, ["2026-03-01"], 1)


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


def test_a_month_reads_only_its_years_of_minutes_and_gives_the_same_days(run, store, tmp_path):
    """Minute steps in 2024 and 2025: a summary of October 2025 (baseline July-September)
    reads the 2025 files only, and its daily frame is the same as from the whole table."""
    from pipeline.analysis import person_days
    from pipeline.config import Config
    from pipeline.period import month_period
    from pipeline.summary import reading_span

    lines = ["Id,ActivityMinute,Steps"]
    for day in ("3/10/2024", "8/14/2025", "10/2/2025"):
        lines += [f"1,{day} {h}:{m:02d}:00 AM,40" for h in (8, 9) for m in range(0, 60, 5)]
    path = tmp_path / "minuteStepsNarrow_merged.csv"
    path.write_text("\r\n".join(lines) + "\r\n")
    assert run("ingest", str(path)).exit_code == 0
    cfg = Config()
    span = reading_span(month_period("2025-10"), cfg)
    assert (span.start, span.end) == (dt.date(2025, 7, 1), dt.date(2025, 10, 31))
    assert store.read("activity_intraday", years=(2025, 2025)).collect().height == 48
    some = person_days(store, "1", cfg, span).activity.sort("date")
    every = person_days(store, "1", cfg).activity.sort("date")
    # 24 minutes of 40 steps a day: 960; the 2024 day is outside the span
    assert some.select("date", "steps").rows() == [
        (dt.date(2025, 8, 14), 960),
        (dt.date(2025, 10, 2), 960),
    ]
    assert some.equals(every.filter(pl.col("date") >= dt.date(2025, 7, 1)))
