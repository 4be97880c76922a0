"""Dexcom Clarity CSV export: one row per event, glucose readings are the `EGV` rows.

Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Patient Info,Device Info,...
1,,FirstName,,Joe,,,,,,,
12,2016-10-24T11:24:17,EGV,,,,iPhone G6,103,,,,

The first rows are a preamble written as data rows with an empty Timestamp: the person's
name and birth date, the device, the alert settings (G7 exports add `Sensor` rows). None of
them is a reading: they are counted as ignored and their cells are never read, so a name, a
birth date, a serial number or a transmitter id is never stored, not even in the quarantine.
Calibration, Insulin, Carbs, Exercise and Health rows are ignored (counted) too.

Timestamps are the device's local wall time without an offset. A reading beyond the sensor's
range is the word `High` (above 400 mg/dL) or `Low` (below 40 mg/dL): stored as that limit
with `limit` "high"/"low", never as an invented number. The 12-column (2016) and 14-column
(2019+, with Transmitter Time and Transmitter ID) versions are read alike, by column name.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._csv import FAILURE_SCHEMA, LINE
from pipeline.sources._parse import Converted, ReadOptions, convert, number, text

NAME = "dexcom_clarity"
TABLE = "glucose"
TITLE = "Dexcom Clarity glucose (CSV export)"
HOW_TO_EXPORT = (
    "Dexcom Clarity (clarity.dexcom.com): choose the dates, then the Export button (the arrow "
    "at the top right) > Export; save the CSV."
)

TIMESTAMP = "Timestamp (YYYY-MM-DDThh:mm:ss)"
EVENT = "Event Type"
# mmol/L -> mg/dL: 18.0, the factor the meters and apps use themselves (a reading shown as
# 113 mg/dL is exported as 6.3 mmol/L = 113/18 rounded). The molar-mass figure 18.016 differs
# by 0.09%, far below the 0.1 mmol/L (1.8 mg/dL) the exports are rounded to, and would turn
# a round trip such as 5.0 mmol/L into 90.08 instead of the 90 mg/dL the device measured.
MMOL_TO_MG_DL = 18.0
# "Glucose Value (mg/dL)" or, for an account set to mmol/L, "Glucose Value (mmol/L)"
GLUCOSE = {"Glucose Value (mg/dL)": 1.0, "Glucose Value (mmol/L)": MMOL_TO_MG_DL}
REQUIRED = {TIMESTAMP, EVENT, "Glucose Value (mg/dL)"}
# The sensor's reporting range (Dexcom G4-G7): "High" is above 400 mg/dL, "Low" below 40.
HIGH_MG_DL, LOW_MG_DL = 400.0, 40.0


def glucose_column(columns: list[str]) -> str | None:
    return next((c for c in columns if c in GLUCOSE), None)


def detect(columns: list[str]) -> bool:
    return {TIMESTAMP, EVENT}.issubset(columns) and glucose_column(columns) is not None


def date_and_time(e: pl.Expr) -> pl.Expr:
    # "2016-10-24T11:24:17" (also "2016-10-24 11:24:17", as a spreadsheet re-saves it)
    e = e.str.strip_chars().str.replace(" ", "T", literal=True)
    return pl.coalesce(
        e.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False),
        e.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M", strict=False),
    )


def sensor_limit(e: pl.Expr) -> pl.Expr:
    """ "high"/"low" where the cell is the word High/Low (beyond the sensor's range)."""
    said = e.str.strip_chars().str.to_lowercase()
    return pl.when(said == "high").then(pl.lit("high")).when(said == "low").then(pl.lit("low"))


def not_given(rows: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Failures for the cells of `columns` a reading needs but left empty (or a column the
    file lacks): "Glucose Value (mg/dL) '' breaks the rule: value is given". Such a row is
    quarantined, never stored with a made-up value."""
    parts = [
        (
            rows.filter(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == ""))
            if c in rows.columns
            else rows
        ).select(LINE, column=pl.lit(c), check=pl.lit("value_is_given"), value=pl.lit(""))
        for c in columns
    ]
    return pl.concat(parts).cast(FAILURE_SCHEMA) if parts else pl.DataFrame(schema=FAILURE_SCHEMA)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    value = glucose_column(raw.columns)
    # 12,2016-10-24T11:24:17,EGV,,,,iPhone G6,103,,,,  (every other event type is not a reading)
    egv = raw.filter(pl.col(EVENT).str.strip_chars() == "EGV")
    missing = not_given(egv, [TIMESTAMP, value])
    egv = egv.join(missing.select(LINE), on=LINE, how="anti")
    limit = sensor_limit(pl.col(value))
    # the words High/Low are a limit, not a number that failed to parse
    egv = egv.with_columns(_limit=limit, **{value: pl.when(limit.is_null()).then(pl.col(value))})
    conv = convert(
        egv,
        {
            "ts_local": (TIMESTAMP, date_and_time),
            "reading": (value, number),
            "limit": ("_limit", text),
        },
    )
    mg_dl = (
        pl.when(pl.col("limit") == "high")
        .then(HIGH_MG_DL)
        .when(pl.col("limit") == "low")
        .then(LOW_MG_DL)
        .otherwise(pl.col("reading") * GLUCOSE[value])
    )
    frame = conv.frame.with_columns(
        person=pl.lit(opts.person or "me"), mg_dl=mg_dl, kind=pl.lit("sensor")
    ).drop("reading")
    # preamble rows (empty Event Type or Timestamp) and every other event: counted, unread
    ignored = raw.height - raw.filter(pl.col(EVENT).str.strip_chars() == "EGV").height
    return Converted(frame, pl.concat([missing, conv.failures]), ignored, conv.warnings)
