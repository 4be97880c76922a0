"""Baseline: the same files read with bare polars, no spectrum (no checks, no store).

    python tests/benchmarks/bare_polars.py minute minuteStepsNarrow_merged.csv
    python tests/benchmarks/bare_polars.py heart heartrate_seconds_merged.csv

`minute`: read the minute-steps CSV, parse the US timestamps, sum the steps per person and
day. `heart`: read the 5-second heart-rate CSV, parse, mean bpm per person and minute (what
spectrum stores). Eager, as a script would be written: read, parse, aggregate. Prints the
number of groups and a checksum, so no work can be skipped.
"""

from __future__ import annotations

import sys

import polars as pl

US = "%m/%d/%Y %I:%M:%S %p"


def minute(path: str) -> pl.DataFrame:
    frame = pl.read_csv(path, schema_overrides={"Id": pl.String})
    frame = frame.with_columns(ts=pl.col("ActivityMinute").str.strptime(pl.Datetime, US))
    return frame.group_by("Id", day=pl.col("ts").dt.date()).agg(pl.col("Steps").sum())


def heart(path: str) -> pl.DataFrame:
    frame = pl.read_csv(path, schema_overrides={"Id": pl.String})
    frame = frame.with_columns(ts=pl.col("Time").str.strptime(pl.Datetime, US))
    return frame.group_by("Id", minute=pl.col("ts").dt.truncate("1m")).agg(pl.col("Value").mean())


if __name__ == "__main__":
    kind, path = sys.argv[1:3]
    out = {"minute": minute, "heart": heart}[kind](path)
    print(out.height, round(out[out.columns[-1]].sum(), 3))
