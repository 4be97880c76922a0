"""What the food apps' exercise logs share (MyFitnessPal, Cronometer): a row per exercise per
day, with no clock time.

The workouts table is keyed by (person, source, start_local), so a log's start must tell two
exercises of one day apart and stay the same when the same export is read again. Its start
is the day at midnight plus N seconds, N numbering the day's distinct lines in file order
(0, 1, 2, ...): `2024-07-03 00:00:01` is "the second exercise logged on 3 July", not a clock
time (metrics/workouts.py knows these sources have none). A line repeating an earlier line of
the same day cell for cell gets that line's start: ingest counts it as a duplicate and
stores it once (MyFitnessPal's Health Connect sync writes the same entry dozens of times).

Both apps list a day's entries in a fixed order (MyFitnessPal by name), so a later export
of the same days gives the same starts to the same entries. An entry deleted in the app
between two exports can leave its old row stored (told in README).
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._csv import LINE

CONTENT = "_content"


def with_content(raw: pl.DataFrame) -> pl.DataFrame:
    """`raw` with `_content`: all of a line's cells as one text (to find repeated lines)."""
    cells = [pl.col(c).fill_null("") for c in raw.columns if c != LINE]
    return raw.with_columns(pl.concat_str(cells, separator="\x1f").alias(CONTENT))


def day_ordinal_start(frame: pl.DataFrame, day: str = "date") -> pl.Expr:
    """The day at midnight + the rank of the line's content among the day's distinct lines."""
    first_seen = pl.col(LINE).min().over(day, CONTENT)
    ordinal = first_seen.rank("dense").over(day).cast(pl.Int64) - 1
    return pl.col(day).cast(pl.Datetime("us")) + pl.duration(seconds=ordinal)


def repeats_warning(frame: pl.DataFrame, day: str = "date") -> list[str]:
    """A warning when lines repeat an earlier line of their day exactly."""
    repeated = frame.height - frame.select(day, CONTENT).n_unique()
    if not repeated:
        return []
    return [
        f"{repeated} line(s) repeat an earlier exercise line of the same day cell for cell "
        "(an app's sync copies): each such exercise is stored once"
    ]
