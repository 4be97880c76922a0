"""The data dictionary: one pandera model per canonical table, with its key.

The models load on first use of `TABLES` or a function here, so importing a plain part of
the package (schemas.rules) does not load pandera. The same tables without pandera, for
reading the store: pipeline/layout.py.
"""

from __future__ import annotations

import importlib
from types import ModuleType

NAMES = (
    "activity_daily",
    "activity_intraday",
    "sleep",
    "body",
    "food_items",
    "heart_rate",
    "workouts",
    "glucose",
    "events",
)


def __getattr__(name: str) -> dict[str, ModuleType]:
    if name == "TABLES":
        return _tables()
    raise AttributeError(f"module 'schemas' has no attribute {name!r}")


def _tables() -> dict[str, ModuleType]:
    if "TABLES" not in globals():
        globals()["TABLES"] = {t: importlib.import_module(f"schemas.{t}") for t in NAMES}
    return globals()["TABLES"]


def model(table: str):
    """The DataFrameModel class of `table`."""
    return _tables()[table].MODEL


def key(table: str) -> tuple[str, ...]:
    return _tables()[table].KEY


def replace_by(table: str) -> tuple[str, ...]:
    """Columns whose values, when present in new data, replace the stored rows wholesale."""
    return getattr(_tables()[table], "REPLACE_BY", key(table))


def migrate(table: str) -> dict[str, object]:
    """Values for columns added after a store was written (default: unknown)."""
    return getattr(_tables()[table], "MIGRATE", {})


def columns(table: str) -> list[str]:
    return list(model(table).to_schema().columns)
