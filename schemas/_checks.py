"""Checks shared by several canonical tables."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData


def not_in_future(data: PolarsData) -> pl.LazyFrame:
    # Evaluated at validation time, so a long-running process still uses today's date.
    col = pl.col(data.key)
    today = dt.date.today()
    limit = (
        col.dt.date() <= today
        if data.lazyframe.collect_schema()[data.key] != pl.Date
        else col <= today
    )
    return data.lazyframe.select(col.is_null() | limit)


def not_above(part: str, whole: str) -> pl.Expr:
    """`part <= whole` where both are known; unknown is not a failure."""
    return pl.col(part).is_null() | pl.col(whole).is_null() | (pl.col(part) <= pl.col(whole))


class Provenance(pa.DataFrameModel):
    """Columns every canonical table carries: whose row, which export, which file."""

    person: str
    source: str
    file_id: str
