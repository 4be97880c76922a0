"""Fitbit Takeout `Global Export Data/heart_rate-YYYY-MM-DD.json`: a sample every few seconds.

One file per day: `[{"dateTime" : "01/01/20 00:00:05", "value" : {"bpm" : 67,
"confidence" : 2}}, ...]` (bpm is a JSON number here, not a string). Samples are checked one
by one (a bad item is quarantined with its line), then averaged into minutes before anything
is stored, as for Fitabase's heartrate_seconds (`fitbit_heart_rate.collapse`). `confidence`
(Fitbit's 0-3 signal quality) is not used: every sample counts.

Time zone: the stamps are UTC. kuvychko/fitbit-warehouse `docs/takeout-format.md`: "Timestamp
values are UTC, but each day file is bounded by local day ("05/01/24 07:00:07" = 07:00 UTC)",
with `tests/test_parsers.py::test_classic_utc_ts_is_utc`; blakster/air-health `lib/parser.js`
reads heart_rate JSON stamps as UTC like steps (verified there for steps against the UTC CSV
twin). Some notes elsewhere call these stamps local; no evidence came with them, so UTC it
is. They become wall time in `ReadOptions.time_zone` (config `time_zone`).

A file is recognised by its content (`"bpm"` in a `[{"dateTime"` list) or its name.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline.sources import _fitbit_takeout as ft
from pipeline.sources import fitbit_heart_rate
from pipeline.sources._csv import Rows
from pipeline.sources._parse import Converted, ReadOptions, convert, number

NAME = "fitbit_takeout_heart_rate"
TABLE = "heart_rate"
TITLE = "Fitbit Takeout heart rate (Global Export Data/heart_rate-*.json)"
HOW_TO_EXPORT = (
    "Google Takeout > Fitbit; ingest the folder Takeout/Fitbit/Global Export Data "
    "(stamps are UTC: set time_zone in the config)."
)
STORED_AS = ("heart-rate minute", "heart-rate minutes")
PREFIX = "heart_rate-"

FIELDS = {
    "dateTime": ("dateTime",),
    "value.bpm": ("value", "bpm"),
    "value.confidence": ("value", "confidence"),
}
SPEC = {
    "ts": ("dateTime", ft.us_short_datetime),  # "01/01/20 00:00:05", UTC
    "bpm": ("value.bpm", number),  # 67
}


def detect(columns: list[str]) -> bool:
    return False  # never a CSV


def sniff(head: bytes, name: str) -> bool:
    if not ft.is_list(head):
        return False
    if ft.named(name, PREFIX):
        return ft.has_keys(head, "dateTime", "bpm") or ft.is_empty_list(head)
    return ft.has_keys(head, "dateTime", "value", "bpm", "confidence")


def to_rows(data: bytes, path: Path) -> Rows:
    return ft.to_rows(data, path, FIELDS, required=("dateTime", "value.bpm"))


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = convert(raw, SPEC)
    frame = conv.frame.select(
        "_line",
        ft.person(opts.person),
        ts_local=ft.utc_to_local(pl.col("ts"), opts.time_zone),
        bpm="bpm",
        samples=pl.lit(1, pl.Int64),
    )
    return Converted(frame, conv.failures)


collapse = fitbit_heart_rate.collapse  # samples -> one row per local minute (weighted mean)
