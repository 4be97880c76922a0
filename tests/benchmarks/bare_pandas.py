"""Baseline: the work of bare_polars.py done with pandas (installed by `make bench` from the
`bench` extra; not a dependency of spectrum).

    python tests/benchmarks/bare_pandas.py minute|heart FILE

Read with the default C parser, timestamps parsed with an explicit format (the fast path),
then grouped per person and day (minute) or per person and minute (heart).
"""

from __future__ import annotations

import sys

import pandas as pd

US = "%m/%d/%Y %I:%M:%S %p"


def minute(path: str) -> pd.Series:
    frame = pd.read_csv(path, dtype={"Id": str})
    ts = pd.to_datetime(frame["ActivityMinute"], format=US)
    return frame.groupby([frame["Id"], ts.dt.floor("D")])["Steps"].sum()


def heart(path: str) -> pd.Series:
    frame = pd.read_csv(path, dtype={"Id": str})
    ts = pd.to_datetime(frame["Time"], format=US)
    return frame.groupby([frame["Id"], ts.dt.floor("min")])["Value"].mean()


if __name__ == "__main__":
    kind, path = sys.argv[1:3]
    out = {"minute": minute, "heart": heart}[kind](path)
    print(len(out), round(float(out.sum()), 3))
