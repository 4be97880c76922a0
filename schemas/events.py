"""events: what happened in a person's life (a day, or a range of days), with a short text
and an optional tag: "started walking after dinner", "a cold (illness)". The most private
text in the store: shown escaped, left out of share bundles unless asked for (README).

`id` is made from the note itself (pipeline/events.py), so the same note written twice, or
a notes file imported again, is one note.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from schemas._checks import EARLIEST, Provenance

KEY = ("person", "id")
MAX_TEXT = 500  # a note, not a diary: the label on a chart and a line in a list
TAG = r"^[a-z0-9][a-z0-9_-]{0,31}$"  # one word, lower case: illness, travel, new-job
# a planned event (a holiday next month) may be noted ahead, a year at most
AHEAD = dt.timedelta(days=366)


class Events(Provenance):
    id: str = pa.Field(str_matches=r"^[0-9a-f]{8}$")
    date: pl.Date
    end_date: pl.Date = pa.Field(nullable=True)
    text: str = pa.Field(str_length={"min_value": 1, "max_value": MAX_TEXT})
    tag: str = pa.Field(nullable=True, str_matches=TAG)

    @pa.check("date", name="not_before_2000")
    def not_before_2000(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date") >= EARLIEST)

    @pa.check("date", name="within_a_year_from_today")
    def within_a_year_from_today(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date") <= dt.date.today() + AHEAD)

    @pa.check("end_date", name="within_a_year_from_today")
    def end_within_a_year_from_today(cls, data: PolarsData) -> pl.LazyFrame:
        end = pl.col("end_date")
        return data.lazyframe.select(end.is_null() | (end <= dt.date.today() + AHEAD))

    @pa.dataframe_check(name="end_not_before_start")
    def end_not_before_start(cls, data: PolarsData) -> pl.LazyFrame:
        end = pl.col("end_date")
        return data.lazyframe.select(end.is_null() | (end >= pl.col("date")))


MODEL = Events
