"""Withings `aggregates_steps.csv` (from "Download my data"): the day's step total, one row
per local day, newest first.

date,value
2020-03-22,611

`aggregates_distance.csv`, `aggregates_calories_earned.csv` and
`aggregates_calories_passive.csv` have the very same header, so the header alone cannot say
which figure `value` is: this export is detected by its header AND its file name
(`detect_file`, which ingest calls with the base name when a source has it). With
`--format withings_aggregates_steps` the header is enough (a renamed file). The other
aggregates, `raw_tracker_steps.csv` (per-minute arrays), `bp.csv` and `height.csv` are not
read. Steps only: no wear, intensity minutes or active energy (unknown, not 0). A date
without a value is no day of data: counted as ignored.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._parse import Converted, ReadOptions, convert, integer, iso_date

NAME = "withings_aggregates_steps"
TABLE = "activity_daily"
TITLE = "Withings daily steps (aggregates_steps.csv)"
HOW_TO_EXPORT = (
    "Withings (Health Mate) web: Profile > Settings > Download my data; the zip holds "
    "aggregates_steps.csv."
)
HEADER = ["date", "value"]
FILE_NAME = "aggregates_steps"  # aggregates_steps.csv, or a copy such as "aggregates_steps (1).csv"
# No REQUIRED: the header alone is never "close" to this format (it is every aggregate's),
# so an unknown `date,value` file gets no "closest format" hint pointing here.
SPEC = {
    "date": ("date", iso_date),  # 2020-03-22
    "steps": ("value", integer),  # 611
}


def detect(columns: list[str]) -> bool:
    """The header only: true for every Withings `aggregates_*.csv` (used with --format)."""
    return columns == HEADER


def detect_file(columns: list[str], name: str) -> bool:
    """Content and name: the shared header, in the file named for steps."""
    return detect(columns) and name.lower().startswith(FILE_NAME)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    conv = convert(raw, SPEC)
    # a day without a value holds nothing: counted as ignored, not stored as a day
    frame = conv.frame.filter(pl.col("steps").is_not_null())
    frame = frame.with_columns(
        person=pl.lit(opts.person or "me"),
        distance_km=pl.lit(None, pl.Float64),  # in aggregates_distance.csv, not read
        sedentary_min=pl.lit(None, pl.Int64),
        light_min=pl.lit(None, pl.Int64),
        moderate_min=pl.lit(None, pl.Int64),
        vigorous_min=pl.lit(None, pl.Int64),
        active_kcal=pl.lit(None, pl.Float64),  # in aggregates_calories_earned.csv, not read
        wear_min=pl.lit(None, pl.Int64),
    )
    return Converted(frame, conv.failures, ignored=conv.frame.height - frame.height)
