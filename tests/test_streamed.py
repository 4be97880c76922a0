"""Files whose lines combine into rows (heart-rate seconds, sleep minutes) are read in slices:
the result, the counts and the quarantined line numbers do not depend on the slicing."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import checks as checks_mod
from pipeline.errors import DataError
from pipeline.ingest import prepare
from pipeline.sources._parse import ReadOptions
from tests.conftest import write


def heart_rate_file(tmp_path):
    t0 = dt.datetime(2026, 3, 2, 7, 0, 0)
    lines = ["Id,Time,Value"]
    for i in range(200):
        ts = t0 + dt.timedelta(seconds=7 * i)
        h12 = ts.hour % 12 or 12
        value = {75: "300", 148: "abc"}.get(i, str(60 + i % 30))  # file lines 77 and 150
        lines.append(f"9,3/2/2026 {h12}:{ts.minute:02d}:{ts.second:02d} AM,{value}")
    return write(tmp_path / "heartrate_seconds_merged.csv", "\n".join(lines), crlf=True)


@pytest.mark.parametrize("chunk", [300, 4096, 10**9])
def test_slices_give_the_same_minutes_counts_and_lines(tmp_path, monkeypatch, chunk):
    path = heart_rate_file(tmp_path)
    monkeypatch.setattr(checks_mod, "CHUNK_BYTES", 10**9)
    whole = prepare(path, None, ReadOptions())
    monkeypatch.setattr(checks_mod, "CHUNK_BYTES", chunk)
    sliced = prepare(path, None, ReadOptions())
    r = sliced.report
    assert (r.rows_read, r.rows_accepted, r.rows_quarantined) == (200, 198, 2)
    assert sliced.failures["_line"].to_list() == [77, 150]
    assert sliced.failures["check"].to_list() == ["less_than_or_equal_to(250)", "parses_as_number"]
    # 200 samples 7 s apart from 07:00:00 span 07:00-07:23: 24 minutes
    assert r.stored_as == "24 heart-rate minutes"
    assert sliced.accepted.sort("ts_local").equals(whole.accepted.sort("ts_local"))
    # the first minute: samples at 0, 7, ..., 56 s -> values 60..68, mean 64
    first = sliced.accepted.sort("ts_local").row(0, named=True)
    assert (first["samples"], first["bpm"]) == (9, 64.0)
    assert (r.first_date, r.last_date) == ("2026-03-02", "2026-03-02")


def test_person_is_checked_across_slices(tmp_path, monkeypatch):
    # two people, each alone in their own slice: --person must still refuse the file
    lines = ["Id,Time,Value"]
    lines += [f"1,3/2/2026 7:00:{s:02d} AM,70" for s in range(0, 60, 5)]
    lines += [f"2,3/2/2026 8:00:{s:02d} AM,80" for s in range(0, 60, 5)]
    path = write(tmp_path / "heartrate_seconds_merged.csv", "\n".join(lines))
    monkeypatch.setattr(checks_mod, "CHUNK_BYTES", 100)
    with pytest.raises(DataError) as err:
        prepare(path, None, ReadOptions(person="alex"))
    assert str(err.value) == (
        "this Fitbit export holds 2 people (Id 1, 2); drop --person to store each under their "
        "own Id."
    )
