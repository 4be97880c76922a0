"""`make bench` (store part): a 4-person x 5-year store of minute steps, then the cost of
adding one new year for a new person, and of ingesting an unchanged file again.

Run against any checkout: `PYTHONPATH=<checkout> python tests/bench_store.py [persons years]`
(the numbers in the README and the issue notes compare the Parquet and Delta stores).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
took = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{took:.2f} {rss:.0f} {code}")
"""


def minute_file(path: Path, person: str, year: int) -> Path:
    """A Fitabase minuteStepsNarrow export: every minute of `year`."""
    start = dt.datetime(year, 1, 1)
    ts = pl.datetime_range(start, dt.datetime(year, 12, 31, 23, 59), "1m", eager=True)
    frame = pl.DataFrame({"ActivityMinute": ts}).with_row_index("i")
    frame.select(
        Id=pl.lit(person),
        ActivityMinute=pl.col("ActivityMinute").dt.strftime("%-m/%-d/%Y %-I:%M:%S %p"),
        Steps=(pl.col("i") * 7919 % 97).cast(pl.Int64),
    ).write_csv(path)
    return path


def spectrum(store: Path, *args: str) -> tuple[float, float]:
    """(seconds, peak memory in MB) of one spectrum command in a fresh process."""
    cmd = [sys.executable, "-m", "pipeline", "--store", str(store), *args]
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=os.environ
    )
    took, rss, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"spectrum {' '.join(args)} failed")
    return float(took), float(rss)


def main(persons: int = 4, years: int = 5) -> None:
    with tempfile.TemporaryDirectory(prefix="spectrum-bench-store-") as tmp:
        root = Path(tmp)
        store = root / "store"
        t = time.perf_counter()
        files = [
            minute_file(root / f"p{p}y{y}.csv", f"{p}000", 2020 + y)
            for p in range(persons)
            for y in range(years)
        ]
        print(f"wrote {len(files)} minute files ({persons} people x {years} years) "
              f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
        t = time.perf_counter()
        for f in files:
            spectrum(store, "ingest", str(f))
        print(f"built the store in {time.perf_counter() - t:.1f} s")
        new = minute_file(root / "new.csv", "9000", 2025)
        took, rss = spectrum(store, "ingest", str(new))
        print(f"ingest one new year for a new person   {took:6.2f} s  {rss:7.0f} MB peak")
        took, rss = spectrum(store, "ingest", str(new))
        print(f"ingest the same file again (unchanged)  {took:6.2f} s  {rss:7.0f} MB peak")
        took, rss = spectrum(store, "summary", "--month", "2025-06", "--person", "9000")
        print(f"summary of one month                    {took:6.2f} s  {rss:7.0f} MB peak")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
