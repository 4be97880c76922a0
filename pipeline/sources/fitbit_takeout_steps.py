"""Fitbit Takeout `Global Export Data/steps-YYYY-MM-DD.json`: steps per minute, stamped in UTC.

One file per month: `[{"dateTime" : "01/01/20 00:00:00", "value" : "0"}, ...]`, one item per
minute with a step count (values are strings; minutes without steps are often left out).

Time zone: the stamps are UTC, not local. blakster/air-health `docs/takeout-format.md` matched
25,100 of 25,308 minutes against the `Z`-stamped Steps CSV of the same Takeout as UTC (and its
parser `lib/parser.js` reads them so); kuvychko/fitbit-warehouse
`docs/takeout-format.md` says the intraday JSON values are UTC while each file is bounded by
local days. They become wall time in the person's zone (`ReadOptions.time_zone`, config
`time_zone`): one zone for the whole history, so days spent in another zone are off by the
difference. Where a clock goes back, two UTC minutes share a local minute: the later counts
(a duplicate), as for any key seen twice.

The file's name tells it apart from the other per-minute files of the same shape
(calories, distance, altitude), so `sniff` needs the `steps-` prefix.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline.sources import _fitbit_takeout as ft
from pipeline.sources._csv import Rows
from pipeline.sources._parse import Converted, ReadOptions, convert, integer

NAME = "fitbit_takeout_steps"
TABLE = "activity_intraday"
TITLE = "Fitbit Takeout steps per minute (Global Export Data/steps-*.json)"
HOW_TO_EXPORT = (
    "Google Takeout > Fitbit; ingest the folder Takeout/Fitbit/Global Export Data "
    "(stamps are UTC: set time_zone in the config)."
)
PREFIX = "steps-"

FIELDS = {"dateTime": ("dateTime",), "value": ("value",)}
SPEC = {
    "ts": ("dateTime", ft.us_short_datetime),  # "01/01/20 00:01:00", UTC
    "steps": ("value", integer),  # "12"
}


def detect(columns: list[str]) -> bool:
    return False  # never a CSV


def sniff(head: bytes, name: str) -> bool:
    return (
        ft.named(name, PREFIX)
        and ft.is_list(head)
        and (ft.has_keys(head, "dateTime", "value") or ft.is_empty_list(head))
    )


def to_rows(data: bytes, path: Path) -> Rows:
    return ft.to_rows(data, path, FIELDS, required=("dateTime", "value"))


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = convert(raw, SPEC)
    frame = conv.frame.select(
        "_line",
        ft.person(opts.person),
        ts_local=ft.utc_to_local(pl.col("ts"), opts.time_zone),
        steps="steps",
        interval_min=pl.lit(1, pl.Int32),
    )
    return Converted(frame, conv.failures)
