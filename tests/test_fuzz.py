"""Fuzzing the reader with damaged copies of real exports (../shared/real_exports): lines
dropped, doubled or cut; bytes flipped; delimiters, encodings and line endings changed;
quotes, commas and "inf" inserted. Whatever the damage: no traceback (a damaged file is one
DataError), every line is counted, and a line that was not damaged gives exactly the values
it gives in the undamaged file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import DataError
from pipeline.ingest import check_text, choose_source
from pipeline.sources._csv import LINE, header_of, read_rows, to_utf8
from pipeline.sources._parse import ReadOptions
from tests.conftest import REAL

ME = ReadOptions()
FILES = [
    "fitbit_fitabase/dailyActivity_merged.csv",
    "fitbit_fitabase/sleepDay_merged.csv",
    "fitbit_fitabase/weightLogInfo_merged.csv",
    "cronometer/maximumpeaches_tracking/servings.csv",
    "myfitnesspal/marcus-furius_health-intel/Nutrition-Summary-2024-07-02-to-2026-03-02.csv",
    "myfitnesspal/kari0219_health_stats/Nutrition-Summary-2019-05-01-to-2019-06-15.csv",
]
LINES = 30  # the first lines of each file: enough rows, fast enough for thousands of runs


@cache
def sample(relative: str) -> bytes:
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real export {relative} not found: ../shared/real_exports is absent")
    return b"".join(path.read_bytes().splitlines(keepends=True)[:LINES])


def parse(data: bytes) -> dict:
    """What ingest would make of the bytes: counts, and the accepted rows by line."""
    path = Path("fuzzed.csv")
    text, _ = to_utf8(data, path)
    source = choose_source(path, header_of(text), None)
    if source is None:
        return {"known": False}
    free = getattr(source, "FREE_TEXT_LAST", False)
    checked = check_text(source, read_rows(text, path, free_text=free), ME, "f", keep_line=True)
    quarantined = checked.failures[LINE].n_unique()
    # entry_id numbers a day's entries in file order: dropping a line renumbers the rest
    accepted = checked.accepted.drop("file_id", "entry_id", strict=False)
    lines = text.decode().split("\n")
    return {
        "known": True,
        "header": lines[0],
        "read": checked.rows_read,
        "counted": accepted.height
        + quarantined
        + checked.duplicate
        + checked.note_lines
        + checked.ignored,
        "rows": {
            lines[r[LINE] - 1]: {k: v for k, v in r.items() if k != LINE}
            for r in accepted.iter_rows(named=True)
        },
    }


@cache
def clean(relative: str) -> dict:
    return parse(sample(relative))


def mutate(data: bytes, ops: list[tuple]) -> tuple[bytes, bool]:
    """Apply damage; True when a quote was inserted (a quote can join lines into one row)."""
    quoted = False
    for op, x, y in ops:
        lines = data.splitlines(keepends=True)
        n = max(len(lines), 1)
        if op == "drop" and len(lines) > 1:
            del lines[1 + x % (n - 1) if n > 1 else 0]
            data = b"".join(lines)
        elif op == "double" and lines:
            i = x % n
            lines.insert(i, lines[i])
            data = b"".join(lines)
        elif op == "cut":
            data = data[: x % (len(data) + 1)]
        elif op == "flip" and data:
            i = x % len(data)
            data = data[:i] + bytes([y % 256]) + data[i + 1 :]
        elif op == "delimiter":
            data = data.replace(b",", b";" if y % 2 else b"\t")
        elif op == "encoding":
            text = data.decode("utf-8", errors="replace")
            data = text.encode(["utf-16", "cp1252", "utf-8-sig"][y % 3], errors="replace")
        elif op == "endings":
            data = data.replace(b"\n", [b"\r\n", b"\r"][y % 2])
        elif op in ("quote", "comma", "inf") and data:
            i = x % len(data)
            piece = {"quote": b'"', "comma": b",", "inf": b"inf"}[op]
            data = data[:i] + piece + data[i:]
            quoted |= op == "quote"
    return data, quoted


OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["drop", "double", "cut", "flip", "delimiter", "encoding", "endings", "quote",
             "comma", "inf"]
        ),
        st.integers(min_value=0, max_value=10**6),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=3,
)  # fmt: skip


@pytest.mark.parametrize("relative", FILES)
@settings(max_examples=350, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_damaged_copies_never_lose_or_change_a_row(relative, ops):
    before = clean(relative)
    data, quoted = mutate(sample(relative), ops)
    try:
        after = parse(data)
    except DataError:
        return  # refused whole, with one line saying why: allowed
    if not after["known"]:
        return  # no longer a known export (e.g. the header was damaged): refused by ingest
    assert after["read"] == after["counted"], ops  # every line accounted for
    if quoted or after["header"] != before["header"]:
        # a quote can join lines into one row, and a damaged header renames columns: lines
        # no longer mean what they meant (a renamed optional column reads as unknown)
        return
    for line, values in after["rows"].items():
        if line in before["rows"]:
            assert values == before["rows"][line], (ops, line)


def test_the_clean_samples_are_read_whole():
    for relative in FILES:
        got = clean(relative)
        assert got["known"] and got["read"] == got["counted"]
        assert len(got["rows"]) >= 10, relative
