"""Fitbit Takeout's four daily activity-minute files, read by one rule each.

`Global Export Data/sedentary_minutes-YYYY-MM-DD.json`, `lightly_active_minutes-*`,
`moderately_active_minutes-*` and `very_active_minutes-*`: one file per month and kind,
`[{"dateTime" : "01/01/20 00:00:00", "value" : "720"}, ...]`, one item per local day (the
time is always midnight; values are strings). Kinds and shape as in kuvychko/fitbit-warehouse
`docs/takeout-format.md` + `tests/test_parsers.py::test_active_minutes_merge` and blakster/
air-health `docs/takeout-format.md` ("daily minutes, local date").

Each kind is a source of its own (the four `Kind` values below, registered like modules:
fitbit_takeout_sedentary_minutes, ..._lightly_active_..., ..._moderately_active_...,
..._very_active_...), so that a row's key (person, source, date)
stays one per kind and day and a re-ingested file replaces only its own kind. A row holds
its kind's column (sedentary_min, light_min, moderate_min or vigorous_min, as
fitbit_daily_activity maps Fitbit's "lightly", "fairly/moderately" and "very" active) and
leaves the others, steps included, unknown: a day's activity is the four rows joined.

Placeholders (blakster/air-health `docs/takeout-format.md`: the files are "padded to 2 Nov
[a month past the export] with placeholder days (sedentary 1440, others 0)"): a day after
today is ignored (counted, not stored), and so is a sedentary day of 1440 minutes, which is
also what Fitbit writes for a day the tracker was not worn. A 0 of the other kinds cannot be
told from a real 0 and is stored.

The file name is what tells the kinds (and steps, calories...) apart: `sniff` needs it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.sources import _fitbit_takeout as ft
from pipeline.sources._csv import Rows
from pipeline.sources._parse import Converted, ReadOptions, convert, integer

TABLE = "activity_daily"
HOW_TO_EXPORT = "Google Takeout > Fitbit; ingest the folder Takeout/Fitbit/Global Export Data."
MINUTES = ("sedentary_min", "light_min", "moderate_min", "vigorous_min")
NOT_WORN = 1440  # sedentary all day: Fitbit's value for an unworn day and its padding

FIELDS = {"dateTime": ("dateTime",), "value": ("value",)}
SPEC = {
    "date": ("dateTime", ft.us_short_date),  # "01/01/20 00:00:00": the local day
    "minutes": ("value", integer),  # "720"
}


def sniff(head: bytes, name: str, prefix: str) -> bool:
    return (
        ft.named(name, prefix)
        and ft.is_list(head)
        and (ft.has_keys(head, "dateTime", "value") or ft.is_empty_list(head))
    )


def to_rows(data: bytes, path: Path) -> Rows:
    return ft.to_rows(data, path, FIELDS, required=("dateTime", "value"))


def read(raw: pl.DataFrame, opts: ReadOptions, column: str) -> Converted:
    conv = convert(raw, SPEC)
    placeholder = pl.col("date") > dt.date.today()
    if column == "sedentary_min":
        placeholder = placeholder | (pl.col("minutes") == NOT_WORN)
    kept = conv.frame.filter(~placeholder)
    frame = kept.select(
        "_line",
        ft.person(opts.person),
        "date",
        steps=pl.lit(None, pl.Int64),
        distance_km=pl.lit(None, pl.Float64),
        **{c: pl.col("minutes") if c == column else pl.lit(None, pl.Int64) for c in MINUTES},
        active_kcal=pl.lit(None, pl.Float64),
        wear_min=pl.lit(None, pl.Int64),
    )
    return Converted(frame, conv.failures, ignored=conv.frame.height - kept.height)


@dataclass(frozen=True)
class Kind:
    """One of the four minute files, with the attributes and functions of a source module."""

    NAME: str
    PREFIX: str  # the file name's start: what tells the kinds apart
    COLUMN: str  # the activity_daily column it fills
    what: str  # "very active minutes"

    TABLE = TABLE
    HOW_TO_EXPORT = HOW_TO_EXPORT
    SPEC = SPEC

    @property
    def TITLE(self) -> str:  # noqa: N802 - the attribute every source has
        return f"Fitbit Takeout {self.what} per day (Global Export Data/{self.PREFIX}*.json)"

    def detect(self, columns: list[str]) -> bool:
        return False  # never a CSV

    def sniff(self, head: bytes, name: str) -> bool:
        return sniff(head, name, self.PREFIX)

    def to_rows(self, data: bytes, path: Path) -> Rows:
        return to_rows(data, path)

    def read(self, raw: pl.DataFrame, opts: ReadOptions) -> Converted:
        return read(raw, opts, self.COLUMN)


SEDENTARY = Kind(
    "fitbit_takeout_sedentary_minutes", "sedentary_minutes-", "sedentary_min", "sedentary minutes"
)
LIGHT = Kind(
    "fitbit_takeout_lightly_active_minutes",
    "lightly_active_minutes-",
    "light_min",
    "lightly active minutes",
)
MODERATE = Kind(
    "fitbit_takeout_moderately_active_minutes",
    "moderately_active_minutes-",
    "moderate_min",
    "moderately active minutes",
)
VIGOROUS = Kind(
    "fitbit_takeout_very_active_minutes", "very_active_minutes-", "vigorous_min",
    "very active minutes",
)  # fmt: skip
KINDS = (SEDENTARY, LIGHT, MODERATE, VIGOROUS)
