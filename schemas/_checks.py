"""Checks shared by several canonical tables."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData


class Provenance(pa.DataFrameModel):
    """Columns every canonical table carries: whose row, which export, which file."""

    person: str
    source: str
    file_id: str

    class Config:
        strict = "filter"  # helper columns such as `_line` are not part of the table


EARLIEST = dt.date(2000, 1, 1)  # no wearable or food-log export holds earlier days


def _today() -> dt.date:
    # Evaluated at validation time, so a long-running process still uses today's date.
    return dt.date.today()


class DailyRow(Provenance):
    """A row about one local calendar day."""

    date: pl.Date

    # The method is named like the check: pandera names an inherited check after its
    # method when the subclass adds checks of its own.
    @pa.check("date", name="not_in_future")
    def not_in_future(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date").is_null() | (pl.col("date") <= _today()))

    @pa.check("date", name="not_before_2000")
    def not_before_2000(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date").is_null() | (pl.col("date") >= EARLIEST))


def _in_range(data: PolarsData, column: str, future: bool) -> pl.LazyFrame:
    ts = pl.col(column)
    ok = ts.dt.date() <= _today() if future else ts.dt.date() >= EARLIEST
    return data.lazyframe.select(ts.is_null() | ok)


class TimedRow(Provenance):
    """A row stamped with local wall time (no offset, as the exports write it)."""

    ts_local: pl.Datetime("us")

    @pa.check("ts_local", name="not_in_future")
    def not_in_future(cls, data: PolarsData) -> pl.LazyFrame:
        return _in_range(data, "ts_local", future=True)

    @pa.check("ts_local", name="not_before_2000")
    def not_before_2000(cls, data: PolarsData) -> pl.LazyFrame:
        return _in_range(data, "ts_local", future=False)


class StartedRow(Provenance):
    """A row about something that started at a local wall time (a workout)."""

    start_local: pl.Datetime("us")

    @pa.check("start_local", name="not_in_future")
    def not_in_future(cls, data: PolarsData) -> pl.LazyFrame:
        return _in_range(data, "start_local", future=True)

    @pa.check("start_local", name="not_before_2000")
    def not_before_2000(cls, data: PolarsData) -> pl.LazyFrame:
        return _in_range(data, "start_local", future=False)
