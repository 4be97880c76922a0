"""The canonical tables as the store holds them: each table's key, its columns with their
polars types (in the stored order), the columns whose new values replace stored rows
wholesale, and what a column added later meant in an older store.

Plain data, no pandera: reading the store (summary, report, log) never loads the validation
library. The checks on values live in schemas/ (pandera, used by ingest);
tests/test_layout.py keeps the two equal, so a column added to one and not the other fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

PROVENANCE = {"person": pl.String, "source": pl.String, "file_id": pl.String}
DAY = {**PROVENANCE, "date": pl.Date}  # a row about one local calendar day
TIMED = {**PROVENANCE, "ts_local": pl.Datetime("us")}  # a row stamped with local wall time


@dataclass(frozen=True)
class Table:
    key: tuple[str, ...]
    columns: dict[str, pl.DataType]  # name -> polars type, in the stored order
    # new data replaces the stored rows with the same values of these (default: the key)
    replace_by: tuple[str, ...] = ()
    # the value of a column added after a store was written (default: unknown)
    migrate: dict[str, object] = field(default_factory=dict)


TABLES: dict[str, Table] = {
    "activity_daily": Table(
        key=("person", "source", "date"),
        columns={
            **DAY,
            "steps": pl.Int64,
            "distance_km": pl.Float64,
            "sedentary_min": pl.Int64,
            "light_min": pl.Int64,
            "moderate_min": pl.Int64,
            "vigorous_min": pl.Int64,
            "active_kcal": pl.Float64,
            "wear_min": pl.Int64,
        },
    ),
    "activity_intraday": Table(
        key=("person", "source", "ts_local"),
        columns={**TIMED, "steps": pl.Int64, "interval_min": pl.Int32},
    ),
    "sleep": Table(
        key=("person", "source", "date", "record"),
        columns={
            **DAY,
            "record": pl.String,
            "start_local": pl.Datetime("us"),
            "end_local": pl.Datetime("us"),
            "asleep_min": pl.Int64,
            "in_bed_min": pl.Int64,
        },
        # a store written before records existed holds one nightly row per day
        migrate={"record": "day"},
    ),
    "body": Table(
        key=("person", "source", "ts_local"),
        columns={**TIMED, "weight_kg": pl.Float64, "fat_pct": pl.Float64, "waist_cm": pl.Float64},
    ),
    "food_items": Table(
        key=("person", "source", "date", "entry_id"),
        columns={
            **DAY,
            "entry_id": pl.String,
            "time": pl.Time,
            "meal": pl.String,
            "food_name": pl.String,
            "granularity": pl.String,
            "kcal": pl.Float64,
            "carbs_g": pl.Float64,
            "fiber_g": pl.Float64,
            "sugars_g": pl.Float64,
            "added_sugars_g": pl.Float64,
            "protein_g": pl.Float64,
            "fat_g": pl.Float64,
        },
        # a newer export of the same app is the truth for each day it covers
        replace_by=("person", "source", "date"),
    ),
    "heart_rate": Table(
        key=("person", "source", "ts_local"),
        columns={**TIMED, "bpm": pl.Float64, "samples": pl.Int64},
    ),
    "workouts": Table(
        key=("person", "source", "start_local"),
        columns={
            **PROVENANCE,
            "start_local": pl.Datetime("us"),
            "type": pl.String,
            "duration_min": pl.Float64,
            "distance_km": pl.Float64,
            "avg_hr": pl.Float64,
            "kcal": pl.Float64,
        },
    ),
    "glucose": Table(
        # `kind` is in the key: LibreView writes a scan and an automatic reading at one minute
        key=("person", "source", "ts_local", "kind"),
        columns={**TIMED, "mg_dl": pl.Float64, "limit": pl.String, "kind": pl.String},
    ),
    "events": Table(
        # what happened in the person's life: a day, or a range of days (`end_date`)
        key=("person", "id"),
        columns={
            **PROVENANCE,
            "id": pl.String,
            "date": pl.Date,
            "end_date": pl.Date,
            "text": pl.String,
            "tag": pl.String,
        },
    ),
}


def key(table: str) -> tuple[str, ...]:
    return TABLES[table].key


def replace_by(table: str) -> tuple[str, ...]:
    """Columns whose values, when present in new data, replace the stored rows wholesale."""
    return TABLES[table].replace_by or TABLES[table].key


def migrate(table: str) -> dict[str, object]:
    """Values for columns added after a store was written (default: unknown)."""
    return TABLES[table].migrate


def columns(table: str) -> list[str]:
    return list(TABLES[table].columns)


def schema(table: str) -> dict[str, pl.DataType]:
    """Column name -> polars type, in the stored order."""
    return dict(TABLES[table].columns)


def empty(table: str) -> pl.DataFrame:
    """The table with no rows."""
    return pl.DataFrame(schema=TABLES[table].columns)
