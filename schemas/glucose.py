"""glucose: sensor readings (Dexcom Clarity, LibreView, Apple Health), mg/dL at local wall time.

Readings are described, never judged: no range is called normal or abnormal (METRICS.md).
Sensors report "High"/"Low" beyond what they can measure; those are kept as the sensor's
limit with `limit` set, so a profile can show them without inventing a number.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import TimedRow

KEY = ("person", "source", "ts_local")


class Glucose(TimedRow):
    mg_dl: pl.Float64 = pa.Field(ge=10, le=700)
    # "high"/"low" when the sensor reported only that the value is beyond its range
    limit: pl.String = pa.Field(nullable=True, isin=["high", "low"])
    # "sensor" (automatic readings), "scan", "strip": how the reading was taken
    kind: pl.String = pa.Field(nullable=True)


MODEL = Glucose
