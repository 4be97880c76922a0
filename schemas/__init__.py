"""The data dictionary: one pandera model per canonical table, with its key."""

from __future__ import annotations

from types import ModuleType

from schemas import (
    activity_daily,
    activity_intraday,
    body,
    food_items,
    glucose,
    heart_rate,
    sleep,
    workouts,
)

TABLES: dict[str, ModuleType] = {
    "activity_daily": activity_daily,
    "activity_intraday": activity_intraday,
    "sleep": sleep,
    "body": body,
    "food_items": food_items,
    "heart_rate": heart_rate,
    "workouts": workouts,
    "glucose": glucose,
}


def model(table: str):
    """The DataFrameModel class of `table`."""
    return TABLES[table].MODEL


def key(table: str) -> tuple[str, ...]:
    return TABLES[table].KEY


def replace_by(table: str) -> tuple[str, ...]:
    """Columns whose values, when present in new data, replace the stored rows wholesale."""
    return getattr(TABLES[table], "REPLACE_BY", TABLES[table].KEY)


def migrate(table: str) -> dict[str, object]:
    """Values for columns added after a store was written (default: unknown)."""
    return getattr(TABLES[table], "MIGRATE", {})


def columns(table: str) -> list[str]:
    return list(model(table).to_schema().columns)
