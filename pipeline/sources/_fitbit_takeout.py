"""What every Fitbit Takeout `Global Export Data/*.json` file shares: a JSON list of objects.

The files (Google Takeout > Fitbit, `Takeout/Fitbit/Global Export Data/`; older Fitbit
account exports put the same files under `Physical Activity/`, `Sleep/`, ...) are named
`<kind>-YYYY-MM-DD.json`, one per day (heart rate) or per month (the rest). Confirmed in:

- kuvychko/fitbit-warehouse `docs/takeout-format.md` (July 2026 export): the two parallel
  formats, `{"dateTime": "05/01/24 07:00:07", "value": {"bpm": 60, "confidence": 3}}`,
  intraday timestamps UTC, sleep and weight naive local, weight in pounds, the four
  `*_minutes` files daily; parser `backfill/fitbit.py`, tests `tests/test_parsers.py`.
- blakster/air-health `docs/takeout-format.md` (export of 6 Oct 2026, verified against the
  UTC-stamped CSV twin): steps stamps UTC, daily minutes on local dates and padded past the
  export date with placeholder days (sedentary 1440, the others 0), weight in lb.
- Pretty-printed (Jackson style): `[{`, then one `  "key" : value` per line, `},{` between
  items and `}]` at the end, as quoted from real steps and heart-rate files in the public
  write-up "My (very) personal data warehouse - Fitbit activity analysis with DuckDB" (whose
  author also had to turn the steps stamps from GMT into local time), found with
  `find_string` on `[{` + newline + `  "dateTime" : "`; the index named no repository.

Each list item becomes one text row: `_line` is the physical line the item's `{` is on (the
files are pretty-printed, so that is where an editor shows it). When two items start on one
line (a file saved on one line) `_line` is instead each item's 1-based position in the list,
so that it always names one item. An item that is not an object holding the keys its kind
needs is a failure on its line (`element_shape`); a file cut off inside an item keeps the
items before it and quarantines the cut one (`line_complete`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from pipeline.errors import DataError
from pipeline.limits import Limits
from pipeline.sources._csv import FAILURE_SCHEMA, LINE, ROW, Rows

# a month of Fitbit minutes is a few MB, a day of heart rate under 10; items are flat objects
MAX_BYTES = Limits().max_json_bytes
MAX_DEPTH = Limits().max_json_depth
SHAPE = "element_shape"
_WS = re.compile(r"[ \t\r\n]*")
_MISSING = object()


def us_short_datetime(e: pl.Expr) -> pl.Expr:
    # "01/31/20 23:59:05" (MM/DD/YY): the time series and daily files
    return e.str.strip_chars().str.strptime(pl.Datetime("us"), "%m/%d/%y %H:%M:%S", strict=False)


def us_short_date(e: pl.Expr) -> pl.Expr:
    # "01/31/20" (weight's `date`), or a daily file's "01/31/20 00:00:00" (its day)
    e = e.str.strip_chars()
    return pl.coalesce(
        e.str.strptime(pl.Date, "%m/%d/%y", strict=False),
        us_short_datetime(e).dt.date(),
    )


def local_datetime(e: pl.Expr) -> pl.Expr:
    # "2020-01-01T23:30:00.000" (sleep's startTime/endTime): local wall time, no offset
    e = e.str.strip_chars()
    return pl.coalesce(
        e.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S%.f", strict=False),
        e.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False),
    )


def utc_to_local(e: pl.Expr, time_zone: str) -> pl.Expr:
    """A naive UTC timestamp -> wall time in `time_zone`."""
    return e.dt.replace_time_zone("UTC").dt.convert_time_zone(time_zone).dt.replace_time_zone(None)


# -- recognising a file --------------------------------------------------------------------


def is_list(head: bytes) -> bool:
    """The file starts a JSON list (after a BOM or blanks)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def is_empty_list(head: bytes) -> bool:
    return re.fullmatch(rb"\s*\[\s*\]\s*", head.removeprefix(b"\xef\xbb\xbf")) is not None


def has_keys(head: bytes, *keys: str) -> bool:
    return all(f'"{k}"'.encode() in head for k in keys)


def named(name: str, prefix: str) -> bool:
    """`steps-2020-01-01.json` (any suffix after the prefix: copies get " (1)")."""
    return name.startswith(prefix) and name.endswith(".json")


# -- reading a file ------------------------------------------------------------------------


def items(data: bytes, path: Path) -> tuple[list[object], list[int], int | None, bool]:
    """The list's items, the line each begins on (see `item_lines`), the line of an item the
    file ends inside (None when none is cut), and whether the list is left unclosed."""
    if len(data) > MAX_BYTES:
        raise DataError(
            f"{path} is {len(data) / 2**20:,.0f} MB, more than any Fitbit Takeout file "
            f"({MAX_BYTES // 2**20} MB at most); check that it is the file Takeout made."
        )
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not UTF-8 text (byte {exc.start}); export it again.") from None
    at = _WS.match(text).end()
    if at == len(text):
        return [], [], None, False  # an empty file holds nothing
    if text[at] != "[":
        raise DataError(
            f"{path} is not a Fitbit Takeout list (it does not start with '['); "
            "give spectrum the files of Takeout/Fitbit/Global Export Data as they are."
        )
    decoder = json.JSONDecoder()
    whole = text.rstrip().endswith("]")
    found: list[object] = []
    starts: list[int] = []
    at = _WS.match(text, at + 1).end()
    cut, unclosed = None, False
    while at < len(text) and text[at] != "]":
        try:
            item, end = decoder.raw_decode(text, at)
            if _deeper(item, MAX_DEPTH):
                raise RecursionError
        except RecursionError:
            line = text.count("\n", 0, at) + 1
            raise DataError(
                f"{path} nests JSON more than {MAX_DEPTH} levels deep in the item on line {line} "
                "(Takeout's items are flat); it is not a Fitbit Takeout file."
            ) from None
        except json.JSONDecodeError as exc:
            if whole:
                raise DataError(
                    f"{path} is not valid JSON at line {exc.lineno} ({exc.msg}); export it again."
                ) from None
            cut, unclosed = at, True  # the file ends inside this item
            break
        found.append(item)
        starts.append(at)
        at = _WS.match(text, end).end()
        if at < len(text) and text[at] == ",":
            at = _WS.match(text, at + 1).end()
        elif at < len(text) and text[at] != "]":
            line = text.count("\n", 0, at) + 1
            raise DataError(
                f"{path} is not valid JSON at line {line} (expected ',' or ']'); export it again."
            )
    else:
        unclosed = at == len(text)  # the last item is whole, the closing ']' is missing
    lines = item_lines(text, [*starts, *([cut] if cut is not None else [])])
    return found, lines[: len(found)], (lines[-1] if cut is not None else None), unclosed


def _deeper(value: object, limit: int) -> bool:
    """`value` nests lists and objects more than `limit` levels deep (a JSON item)."""
    level: list[object] = [value]
    for _ in range(limit):
        level = [
            v
            for x in level
            if isinstance(x, dict | list)
            for v in (x.values() if isinstance(x, dict) else x)
            if isinstance(v, dict | list)
        ]
        if not level:
            return False
    return True


def item_lines(text: str, starts: list[int]) -> list[int]:
    """The physical line each item starts on, when every item starts on a line of its own
    (Takeout's pretty-printed files); else each item's 1-based position in the list (a
    file saved on one line), so that `_line` always names one item."""
    lines, line, seen = [], 1, 0
    for at in starts:
        line += text.count("\n", seen, at)
        seen = at
        lines.append(line)
    if any(b <= a for a, b in zip(lines, lines[1:], strict=False)):
        return list(range(1, len(starts) + 1))
    return lines


def _get(item: object, keys: tuple[str, ...]) -> object:
    for key in keys:
        if not isinstance(item, dict):
            return _MISSING
        item = item.get(key, _MISSING)
        if item is _MISSING:
            return _MISSING
    return item


def _cell(value: object) -> str | None:
    """A JSON value as the text a CSV cell would hold (null stays null)."""
    if value is None or value is _MISSING:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)[:200]  # a list or object where a value belongs: fails to parse


def _shape(item: object, fields: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> str:
    """Why `item` is not a row ("" when it is one)."""
    if not isinstance(item, dict):
        shown = json.dumps(item)
        return f"is {shown[:60]}, not an object"
    missing = [name for name in required if _get(item, fields[name]) in (_MISSING, None)]
    return f"has no {', '.join(missing)}" if missing else ""


def to_rows(
    data: bytes, path: Path, fields: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> Rows:
    """The file's items as text rows: `fields` names each column and the keys to its value
    ("value.bpm": ("value", "bpm")); an item lacking one of `required` is a failure."""
    found, lines, cut, unclosed = items(data, path)
    why = [_shape(item, fields, required) for item in found]
    good = [i for i, w in enumerate(why) if not w]
    columns = {name: [_cell(_get(found[i], keys)) for i in good] for name, keys in fields.items()}
    frame = pl.DataFrame(
        {**columns, LINE: [lines[i] for i in good]},
        schema={**dict.fromkeys(fields, pl.String), LINE: pl.Int64},
    )
    bad = [i for i, w in enumerate(why) if w]
    failures = pl.DataFrame(
        {
            LINE: [lines[i] for i in bad],
            "column": [ROW] * len(bad),
            "check": [SHAPE] * len(bad),
            "value": [why[i] for i in bad],
        },
        schema=FAILURE_SCHEMA,
    )
    notices = []
    if cut is not None:
        cut_row = pl.DataFrame(
            {LINE: [cut], "column": [ROW], "check": ["line_complete"],
             "value": ["the file ends inside this item"]},
            schema=FAILURE_SCHEMA,
        )  # fmt: skip
        failures = pl.concat([failures, cut_row])
    if unclosed:
        notices.append("the file looks truncated (its list is never closed with ']')")
    return Rows(frame, failures, notices)


def person(opts_person: str | None) -> pl.Expr:
    """A Takeout is one person's account: the --person given, else "me"."""
    return pl.lit(opts_person or "me").alias("person")
