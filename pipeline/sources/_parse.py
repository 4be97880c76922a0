"""Text-to-value parsers shared by the source modules, and the one place parse failures are found.

Each parser takes an expression over a text column and returns the parsed value, or null where
the text does not parse. `convert` then compares input and output to find the cells that were
present but unparseable: those rows go to quarantine, never silently to null.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from pipeline.limits import Limits
from pipeline.sources._csv import FAILURE_SCHEMA, LINE

Parser = Callable[[pl.Expr], pl.Expr]


def number(e: pl.Expr) -> pl.Expr:
    """A finite number, else null (so "inf", "NaN" and "1e999" are cells that do not parse)."""
    x = e.str.strip_chars().cast(pl.Float64, strict=False)
    return pl.when(x.is_finite()).then(x)


def integer(e: pl.Expr) -> pl.Expr:
    return number(e).round(0).cast(pl.Int64, strict=False)


def _plain_integer(e: pl.Expr) -> pl.Expr:
    # digits alone ("12", "-3"), read 7x faster than by `integer`, which agrees on them; null
    # for anything else (" 12", "12.0", "1e3"), and for numbers beyond a float's exact
    # integers, which `integer` reads with a float's rounding
    x = e.cast(pl.Int64, strict=False)
    return pl.when(x.abs() < 2**53).then(x)


def iso_date(e: pl.Expr) -> pl.Expr:
    # "2024-07-02" (MyFitnessPal, Cronometer)
    return e.str.strip_chars().str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def us_date(e: pl.Expr) -> pl.Expr:
    # "4/12/2016" (Fitabase dailyActivity)
    return e.str.strip_chars().str.strptime(pl.Date, "%m/%d/%Y", strict=False)


def us_datetime(e: pl.Expr) -> pl.Expr:
    # "4/12/2016 1:00:00 AM" (Fitabase hourly/minute/sleep/weight), local wall time
    return _us_datetime(e.str.strip_chars())


def _us_datetime(e: pl.Expr) -> pl.Expr:
    # The date and time halves, either side of the first space, parsed apart: twice as fast
    # on a file of minutes (each half has few distinct values, which strptime caches).
    # Without the strip, `us_datetime`'s quicker twin: text with spaces around it is left
    # unread, and read by `us_datetime` itself.
    at = e.str.find(" ", literal=True)
    day = e.str.slice(0, at).str.strptime(pl.Date, "%m/%d/%Y", strict=False)
    time = e.str.slice(at + 1).str.strptime(pl.Time, "%I:%M:%S %p", strict=False)
    return day.dt.combine(time).cast(pl.Datetime("us"))


def us_datetime_day(e: pl.Expr) -> pl.Expr:
    return us_datetime(e).dt.date()


# A parser's quicker twin: the same value wherever it gives one. convert() reads a column
# with the twin first, and with the parser itself only when the twin left a cell unread.
QUICK: dict[Callable, Callable] = {integer: _plain_integer, us_datetime: _us_datetime}


def clock_time(e: pl.Expr) -> pl.Expr:
    # "9:00 AM" (Cronometer Time, MyFitnessPal Time), or "21:05" (a 24-hour locale)
    e = e.str.strip_chars()
    return pl.coalesce(
        e.str.strptime(pl.Time, "%I:%M %p", strict=False),
        e.str.strptime(pl.Time, "%H:%M", strict=False),
        e.str.strptime(pl.Time, "%H:%M:%S", strict=False),
    )


def text(e: pl.Expr) -> pl.Expr:
    return e.str.strip_chars()


@dataclass(frozen=True)
class Converted:
    """Rows that parsed (canonical columns + `_line`) and the cells that did not."""

    frame: pl.DataFrame
    failures: pl.DataFrame
    # lines that hold data spectrum does not use (e.g. blood pressure in a biometrics file):
    # neither stored nor quarantined, but counted, so that every line is accounted for
    ignored: int = 0
    warnings: tuple[str, ...] = ()  # told to the user, e.g. rounded or impossible figures
    # stored rows with fields set unknown, and why (kept in the quarantine as a record)
    nulled: pl.DataFrame | None = None
    # other canonical tables the same lines feed (table -> rows with `_line`), for exports
    # whose one row holds e.g. a day's activity and a weigh-in (Google Fit, Oura). A line
    # that fails in any table is quarantined whole; a line that feeds no table is ignored.
    extra: dict[str, pl.DataFrame] = field(default_factory=dict)


def _source_expr(raw: pl.DataFrame, src: str | None) -> pl.Expr:
    # An optional column the export lacks becomes null (unknown), never 0.
    if src is None or src not in raw.columns:
        return pl.lit(None, dtype=pl.String)
    return pl.col(src)


def _alone(raw: pl.DataFrame, e: pl.Expr) -> pl.DataFrame:
    """One column in a select of its own: polars then parses it on every core (timestamps,
    twice as fast on two cores), where one select of many runs each on a core of its own."""
    column = raw.select(e)
    if column.height != raw.height:  # a constant: as long as the rows
        column = raw.select(LINE, e).drop(LINE)
    return column


def convert(
    raw: pl.DataFrame, spec: dict[str, tuple[str | None, Parser]], *also: pl.Expr
) -> Converted:
    """Apply `spec` (canonical name -> (export column, parser)) to every row at once; `also`:
    more columns made in the same pass (the person of a Fitabase row)."""
    quick = {n: QUICK[p] for n, (src, p) in spec.items() if p in QUICK and src in raw.columns}
    parsed = [
        quick.get(name, parser)(_source_expr(raw, src)).alias(name)
        for name, (src, parser) in spec.items()
    ]
    columns = [raw.select(LINE), *[_alone(raw, e) for e in [*parsed, *also]]]
    out = pl.concat(columns, how="horizontal")
    again = [n for n in quick if out[n].null_count() > raw[spec[n][0]].null_count()]
    if again:  # a cell the quick parser could not read: the whole column by the parser
        out = out.with_columns(raw.select(spec[n][1](pl.col(spec[n][0])).alias(n) for n in again))
    parts = []
    for name, (src, parser) in spec.items():
        if src is None or src not in raw.columns or parser is text:
            continue
        # a cell that came out null although the file had text in it: the cheap half first
        # (most files have none), the blank-text check only on those cells
        mask = out[name].is_null() & raw[src].is_not_null()
        if mask.any():
            mask = mask & (raw[src].str.strip_chars() != "")
        if mask.any():
            parts.append(
                pl.DataFrame(
                    {
                        LINE: raw[LINE].filter(mask),
                        "column": src,
                        "check": f"parses_as_{parser.__name__}",
                        "value": raw[src].filter(mask),
                    },
                    schema=FAILURE_SCHEMA,
                )
            )
    if not parts:
        return Converted(out, pl.DataFrame(schema=FAILURE_SCHEMA))
    failures = pl.concat(parts)
    good = out.filter(~pl.col(LINE).is_in(failures[LINE].implode()))
    return Converted(good, failures)


def has_columns(columns: list[str], required: set[str]) -> bool:
    return required.issubset(columns)


@dataclass(frozen=True)
class ReadOptions:
    """What the user told `ingest` about a file that the file cannot say itself."""

    person: str | None = None  # None: the file's own ids, else "me"
    weight_unit: str = "kg"  # MyFitnessPal writes weights without a unit
    # IANA zone of the person (config `time_zone`, default the machine's): timestamps that
    # carry an offset (Apple Health, Withings, Oura) become wall time in this zone
    time_zone: str = "UTC"
    # one export holding several devices (Apple Health: iPhone, Watch, apps): which wins a
    # day, as parts of the device or app name, first first (config `device_priority`;
    # empty: the device with the most steps that day, METRICS.md)
    device_priority: tuple[str, ...] = ()
    # how far a file from someone else is read before it is refused (config [archive])
    limits: Limits = Limits()


def offset_datetime(e: pl.Expr, time_zone: str) -> pl.Expr:
    """ "2019-12-29T00:26:00+01:00" or "2025-05-18 12:30:00 +0100" -> local wall time in
    `time_zone` (null where the text does not parse)."""
    e = e.str.strip_chars()
    aware = pl.coalesce(
        e.str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%S%:z", strict=False),
        e.str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%d %H:%M:%S %z", strict=False),
        e.str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%S%z", strict=False),
    )
    return aware.dt.convert_time_zone(time_zone).dt.replace_time_zone(None)


@dataclass(frozen=True)
class Streamed:
    """What a streamed source (a file too large to hold: Apple Health's export.xml) found.

    `tables`: canonical table -> rows ready to store, each with `_line` (the first line it
    came from) and `_n` (how many of the file's records it stands for: 1, or the records
    combined into it, e.g. a day's step samples). Counts are in records; for the file,
    rows_read = sum of `_n` + failure lines + ignored + duplicate."""

    rows_read: int
    tables: dict[str, pl.DataFrame]
    failures: pl.DataFrame  # FAILURE_SCHEMA: records that did not parse, by line
    ignored: int = 0  # records of kinds spectrum does not use (counted, not stored)
    duplicate: int = 0  # records repeated exactly (the same source, time and value)
    warnings: tuple[str, ...] = ()
    stored_as: str | None = None  # "12 daily rows, 3,410 heart-rate minutes, ..."
    # the stored_as text again for the rows that passed validation (tables -> text)
    describe: Callable[[dict[str, pl.DataFrame]], str] | None = None
    # stored rows with fields set unknown, and why (as Converted.nulled: FAILURE_SCHEMA)
    nulled: pl.DataFrame | None = None
