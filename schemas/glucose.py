"""glucose: sensor readings (Dexcom Clarity, LibreView, Apple Health), mg/dL at local wall time.

Readings are described, never judged: no range is called normal or abnormal (METRICS.md).
Sensors report "High"/"Low" beyond what they can measure; those are kept as the sensor's
limit with `limit` set, so a profile can show them without inventing a number.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import TimedRow

# `kind` is part of the key: LibreView writes a scan and the 15-minute automatic reading at
# the same minute as two different readings (107 such minutes in the real sample file); with
# (person, source, ts_local) alone one of them would be dropped as a "duplicate". Exact
# repeats (the same minute and kind: duplicate scans, a DST hour read twice) still count once.
KEY = ("person", "source", "ts_local", "kind")


class Glucose(TimedRow):
    mg_dl: pl.Float64 = pa.Field(ge=10, le=700)
    # "high"/"low" when the sensor reported only that the value is beyond its range
    limit: pl.String = pa.Field(nullable=True, isin=["high", "low"])
    # "sensor" (automatic readings), "scan", "strip": how the reading was taken
    kind: pl.String = pa.Field(nullable=True)


MODEL = Glucose
