"""Thresholds from METRICS.md, each a default the user can change.

The store may hold a `config.toml` whose keys override these, e.g.

    food_kcal_logged = 1000
    food_source_priority = ["mfp_nutrition", "cronometer_servings"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from pipeline.errors import DataError


@dataclass(frozen=True)
class Config:
    wear_min_valid: int = 600  # minutes of wear that make an activity day valid
    steps_min_valid: int = 500  # fallback when wear time is unknown
    food_kcal_logged: float = 800.0  # a lighter day is "partial", not "logged"
    mvpa_reference_min_per_week: int = 150  # WHO 2020
    fiber_reference_g_per_1000kcal: float = 14.0  # IOM adequate intake
    weight_alpha: float = 0.1  # Hacker's Diet smoothing per weigh-in
    baseline_months: int = 3
    bootstrap_reps: int = 2000
    min_weeks_for_direction: int = 2
    include_weight: bool = True
    # Which food export wins a day that two exports both cover (item-level before day totals).
    food_source_priority: tuple[str, ...] = field(
        default=(
            "cronometer_servings",
            "mfp_nutrition",
            "cronometer_dailysummary",
        )
    )


def load_config(store_dir: Path) -> Config:
    """Defaults, overridden by `<store>/config.toml` when it exists."""
    path = store_dir / "config.toml"
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path} is not valid TOML ({exc}); fix or delete it.") from exc
    known = {f.name for f in fields(Config)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise DataError(
            f"{path} has unknown setting(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}."
        )
    if "food_source_priority" in data:
        data["food_source_priority"] = tuple(data["food_source_priority"])
    return replace(Config(), **data)
