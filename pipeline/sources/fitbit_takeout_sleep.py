"""Fitbit Takeout `Global Export Data/sleep-YYYY-MM-DD.json`: one item per sleep log.

One file per month: `[{"logId" : 26590084532, "dateOfSleep" : "2020-01-02", "startTime" :
"2020-01-01T23:30:00.000", "endTime" : "2020-01-02T07:00:00.000", "duration" : 27000000,
"minutesToFallAsleep" : 0, "minutesAsleep" : 410, "minutesAwake" : 40, "minutesAfterWakeup" :
0, "timeInBed" : 450, "efficiency" : 93, "type" : "stages", "infoCode" : 0, "levels" :
{"summary" : ..., "data" : [...], "shortData" : [...]}, "mainSleep" : true}, ...]` (keys as
in kuvychko/fitbit-warehouse `tests/test_parsers.py::test_sleep_json_local_times_and_stages`
and its parser `backfill/fitbit.py`; ashrobertsdragon/fitbit2oscar
`src/fitbit2oscar/plugins/takeout/handler.py` reads the same keys from "Global Export Data").

One row per logId (naps are logs of their own, `mainSleep` false): date = `dateOfSleep` (the
day the sleep ends, Fitbit's own night date), asleep = `minutesAsleep`, in bed = `timeInBed`,
start and end as given. The stage detail (`levels`) is not read.

Time zone: `startTime`/`endTime` are local wall time without an offset, unlike the intraday
files (kuvychko/fitbit-warehouse `docs/takeout-format.md`: "naive local timestamps (unlike
intraday JSON!)"; andykong.org/blog/fitbitsleeptzcorrection shows bedtimes that stay at the
same local hour across time zones). They are stored as they are.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline.sources import _fitbit_takeout as ft
from pipeline.sources._csv import Rows
from pipeline.sources._parse import Converted, ReadOptions, convert, integer, iso_date, text

NAME = "fitbit_takeout_sleep"
TABLE = "sleep"
TITLE = "Fitbit Takeout sleep logs (Global Export Data/sleep-*.json)"
HOW_TO_EXPORT = "Google Takeout > Fitbit; ingest the folder Takeout/Fitbit/Global Export Data."
PREFIX = "sleep-"

FIELDS = {
    "logId": ("logId",),
    "dateOfSleep": ("dateOfSleep",),
    "startTime": ("startTime",),
    "endTime": ("endTime",),
    "minutesAsleep": ("minutesAsleep",),
    "timeInBed": ("timeInBed",),
    "mainSleep": ("mainSleep",),
}
REQUIRED = ("logId", "dateOfSleep", "startTime", "endTime", "minutesAsleep", "timeInBed")
SPEC = {
    "record": ("logId", text),  # 26590084532
    "date": ("dateOfSleep", iso_date),  # "2020-01-02"
    "start_local": ("startTime", ft.local_datetime),  # "2020-01-01T23:30:00.000"
    "end_local": ("endTime", ft.local_datetime),
    "asleep_min": ("minutesAsleep", integer),  # 410
    "in_bed_min": ("timeInBed", integer),  # 450
}


def detect(columns: list[str]) -> bool:
    return False  # never a CSV


def sniff(head: bytes, name: str) -> bool:
    if not ft.is_list(head):
        return False
    if ft.named(name, PREFIX) and ft.is_empty_list(head):
        return True
    return ft.has_keys(head, "logId", "dateOfSleep", "minutesAsleep")


def to_rows(data: bytes, path: Path) -> Rows:
    return ft.to_rows(data, path, FIELDS, required=REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = convert(raw, SPEC)
    frame = conv.frame.select("_line", ft.person(opts.person), *SPEC)
    return Converted(frame, conv.failures)
