"""Any other CSV, through a mapping in the store's `config.toml`: an app spectrum does not know
becomes a source like the built-in ones (detected by its header, checked, quarantined, counted).

    [mappings.stepsapp]                       # the source's name in reports and `spectrum log`
    table = "activity_daily"                  # the canonical table its rows go to
    date_format = "%d.%m.%Y"                  # how its date (or date and time) is written
    [mappings.stepsapp.columns]               # canonical column = the header (or headers)
    date = "Datum"
    steps = ["Schritte", "Steps"]             # any of these names (one per language)
    distance_km = "Strecke"
    [mappings.stepsapp.units]                 # the unit a column is in, when not the canonical
    distance_km = "mi"

A mapped file must have every header its mapping names (one of each list); the date column is
required, every other canonical column is optional and unknown (null) where not mapped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipeline import layout
from pipeline.sources._parse import (
    Converted,
    ReadOptions,
    clock_time,
    convert,
    integer,
    number,
    text,
)

# unit name -> (canonical unit, factor to it)
UNITS: dict[str, tuple[str, float]] = {
    "kg": ("kg", 1.0),
    "lb": ("kg", 0.45359237),
    "g": ("g", 1.0),
    "mg": ("g", 0.001),
    "oz": ("g", 28.349523125),
    "km": ("km", 1.0),
    "m": ("km", 0.001),
    "mi": ("km", 1.609344),
    "cm": ("cm", 1.0),
    "in": ("cm", 2.54),
    "min": ("min", 1.0),
    "s": ("min", 1 / 60),
    "ms": ("min", 1 / 60_000),
    "h": ("min", 60.0),
    "kcal": ("kcal", 1.0),
    "kj": ("kcal", 1 / 4.184),
    "mg/dl": ("mg/dL", 1.0),
    "mmol/l": ("mg/dL", 18.0),
}
# the canonical unit a column is in, read from its name's suffix
SUFFIX_UNIT = {"_kg": "kg", "_g": "g", "_km": "km", "_cm": "cm", "_min": "min", "kcal": "kcal"}
TIME_COLUMNS = {"date", "ts_local", "start_local", "end_local"}
NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class MappingError(ValueError):
    """A mapping that cannot work; the message names the key and the fix."""


def canonical_unit(column: str) -> str | None:
    if column == "mg_dl":
        return "mg/dL"
    return next((u for suffix, u in SUFFIX_UNIT.items() if column.endswith(suffix)), None)


@dataclass(frozen=True)
class MappedSource:
    """A source built from a `[mappings.NAME]` table (same attributes as a source module)."""

    NAME: str
    TABLE: str
    columns: dict[str, tuple[str, ...]]  # canonical column -> header names
    date_format: str
    factors: dict[str, float] = field(default_factory=dict)

    @property
    def TITLE(self) -> str:  # noqa: N802 - the attribute every source has
        return f"Your mapping '{self.NAME}' (config.toml)"

    @property
    def HOW_TO_EXPORT(self) -> str:  # noqa: N802
        return f"export it from your app; mapped in config.toml [mappings.{self.NAME}]"

    @property
    def REQUIRED(self) -> set[str]:  # noqa: N802
        return {names[0] for names in self.columns.values()}

    def _header(self, columns: list[str], canonical: str) -> str | None:
        return next((c for c in columns if c in self.columns[canonical]), None)

    def detect(self, columns: list[str]) -> bool:
        return all(self._header(columns, c) for c in self.columns)

    def read(self, raw: pl.DataFrame, opts: ReadOptions) -> Converted:
        spec = {c: (self._header(raw.columns, c), self._parser(c)) for c in self.columns}
        conv = convert(raw, spec)
        dtypes = layout.schema(self.TABLE)
        frame = conv.frame.with_columns(
            [pl.col(c) * f for c, f in self.factors.items()],
            person=pl.lit(opts.person or "me"),
        )
        fill = {
            c: pl.lit(None, dtype)
            for c, dtype in dtypes.items()
            if c not in frame.columns and c not in ("source", "file_id")
        }
        frame = frame.with_columns(**fill).with_columns(**self._required(frame))
        return Converted(frame, conv.failures, conv.ignored, conv.warnings)

    def _required(self, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        """Columns a table needs that a plain CSV has no word for."""
        out: dict[str, pl.Expr] = {}
        if self.TABLE == "food_items":
            # one entry per line: a newer export of the app replaces the whole day anyway
            out["entry_id"] = pl.format("line {}", pl.col("_line"))
            out["granularity"] = pl.lit("item")
        if self.TABLE == "sleep" and "record" not in self.columns:
            out["record"] = pl.lit("day")
        if self.TABLE == "activity_intraday":
            out["interval_min"] = pl.lit(1, pl.Int32)
        if self.TABLE == "heart_rate" and "samples" not in self.columns:
            out["samples"] = pl.lit(1, pl.Int64)  # one reading per row
        return out

    def _parser(self, canonical: str) -> Callable[[pl.Expr], pl.Expr]:
        dtype = layout.schema(self.TABLE)[canonical]
        if canonical in TIME_COLUMNS:
            kind = pl.Date if canonical == "date" else pl.Datetime("us")
            fmt = self.date_format

            def when(e: pl.Expr) -> pl.Expr:
                return e.str.strip_chars().str.strptime(kind, fmt, strict=False)

            when.__name__ = "date_as_" + fmt.replace("%", "").replace(" ", "_")
            return when
        if dtype == pl.Time:
            return clock_time
        if dtype == pl.Int64:
            return integer
        if dtype == pl.Float64:
            return number
        return text


def build(name: str, spec: dict[str, Any]) -> MappedSource:
    """One `[mappings.NAME]` table as a source; MappingError says what is wrong."""
    if not NAME.match(name):
        raise MappingError(
            f"[mappings.{name}]: a mapping's name is 2 to 41 lower-case letters, digits or _, "
            "starting with a letter (e.g. [mappings.stepsapp])."
        )
    table = spec.get("table")
    if table not in layout.TABLES:
        raise MappingError(
            f"[mappings.{name}] table = {table!r} is not a table; use one of "
            f"{', '.join(layout.TABLES)}."
        )
    known = set(layout.columns(table)) - {"person", "source", "file_id"}
    cols = spec.get("columns")
    if not isinstance(cols, dict) or not cols:
        raise MappingError(f"[mappings.{name}.columns] is missing: map at least the date column.")
    columns = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in cols.items()}
    odd = sorted(set(columns) - known)
    if odd:
        raise MappingError(
            f"[mappings.{name}.columns] names {', '.join(odd)}, not a column of {table}; "
            f"use {', '.join(sorted(known))}."
        )
    when = next(c for c in ("date", "ts_local", "start_local") if c in known)
    if when not in columns:
        raise MappingError(f"[mappings.{name}.columns] must map {when} (the day of each row).")
    return MappedSource(
        name, table, columns, str(spec.get("date_format", "%Y-%m-%d")), _factors(name, spec)
    )


def _factors(name: str, spec: dict[str, Any]) -> dict[str, float]:
    out = {}
    for column, unit in dict(spec.get("units", {})).items():
        target = canonical_unit(column)
        got = UNITS.get(str(unit).lower())
        if got is None or got[0] != target:
            fits = sorted(u for u, (t, _) in UNITS.items() if t == target)
            raise MappingError(
                f"[mappings.{name}.units] {column} = {unit!r} cannot convert to {target}; use "
                f"{', '.join(fits) if fits else 'no unit (this column has none)'}."
            )
        if got[1] != 1.0:
            out[column] = got[1]
    return out
