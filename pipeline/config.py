"""Thresholds from METRICS.md, each a default the user can change.

The store may hold a `config.toml` whose keys override these, e.g.

    food_kcal_logged = 1000
    food_source_priority = ["mfp_nutrition", "cronometer_servings"]

    [food_rules]            # food-name pattern -> classes; these win over the built-in rules
    "bjorn qorn" = ["not_refined", "not_ultra_processed"]
    "protein bar" = "ultra_processed"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pipeline.errors import DataError


@dataclass(frozen=True)
class Config:
    wear_min_valid: int = 600  # minutes of wear that make an activity day valid
    steps_min_valid: int = 500  # fallback when wear time is unknown
    food_kcal_logged: float = 800.0  # a lighter day is "partial", not "logged"
    mvpa_reference_min_per_week: int = 150  # WHO 2020
    fiber_reference_g_per_1000kcal: float = 14.0  # IOM adequate intake
    weight_alpha: float = 0.1  # Hacker's Diet smoothing per weigh-in
    weight_gap_days: int = 30  # a longer gap without weigh-ins restarts the smoothing
    waist_min_readings: int = 3  # the waist slope needs this many readings ...
    waist_min_span_days: int = 28  # ... spanning at least this many days
    waist_min_change_cm_per_4wk: float = 0.5  # a smaller change in the slope is steady
    short_sleep_min: int = 420  # a night with fewer minutes asleep is short (7 h)
    sitting_run_min: int = 60  # zero-step minutes in a row that make a long sitting bout
    sitting_unworn_min: int = 120  # without heart rate, a longer zero run is "not worn"
    waking_start_hour: int = 7  # sitting bouts are counted from this local hour ...
    waking_end_hour: int = 22  # ... up to this one
    walk_steps: int = 1000  # steps within the hour after a meal that make a walk
    walk_window_min: int = 60
    meal_gap_min: int = 30  # ungrouped entries closer than this are one meal
    steps_target: int = 8000  # consistency targets, per valid or logged day
    mvpa_target_min_per_day: float = 22.0  # 150 min/week spread over 7 days, rounded up
    fiber_target_g_per_1000kcal: float = 14.0
    added_sugar_target_pct_kcal: float = 10.0  # below this share of energy (WHO 2015)
    streak_min_days: int = 4  # a week counts towards a streak when this many days meet a target
    baseline_months: int = 3
    bootstrap_reps: int = 2000
    min_weeks_for_direction: int = 2
    min_change_share: float = 0.05  # a smaller change than this share of the baseline is steady
    weight_min_change_kg: float = 0.5  # a smaller change in the weight trend is steady
    include_weight: bool = True
    # Which food export wins a day that two exports both cover (item-level before day totals).
    food_source_priority: tuple[str, ...] = field(
        default=(
            "cronometer_servings",
            "mfp_nutrition",
            "cronometer_dailysummary",
        )
    )
    # Food-name pattern -> classes (refined, not_refined, ultra_processed, not_ultra_processed).
    food_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _expected(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, tuple):
        return "a list of names"
    return "a table of pattern = class or [classes]"


def _coerce(key: str, value: Any, default: Any) -> Any:
    """`value` in the type of `default`, or None when it has the wrong type."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, int):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else None
    if isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return tuple(value) if ok else None
    if isinstance(value, dict):
        rules = {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        ok = all(isinstance(v, list) and all(isinstance(c, str) for c in v) for v in rules.values())
        return {k: tuple(v) for k, v in rules.items()} if ok else None
    return None


def read_settings(store_dir: Path) -> dict[str, Any]:
    """The settings `<store>/config.toml` sets, checked by name and type ({} without a file)."""
    path = store_dir / "config.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path} is not valid TOML ({exc}); fix or delete it.") from exc
    defaults = {f.name: getattr(Config(), f.name) for f in fields(Config)}
    unknown = sorted(set(data) - set(defaults))
    if unknown:
        raise DataError(
            f"{path} has unknown setting(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(defaults))}."
        )
    settings = {}
    for key, value in data.items():
        coerced = _coerce(key, value, defaults[key])
        if coerced is None:
            raise DataError(
                f"{path}: {key} must be {_expected(defaults[key])}, not {value!r}; "
                f"fix it in config.toml (default: {_shown(defaults[key])})."
            )
        settings[key] = coerced
    return settings


def load_config(store_dir: Path) -> Config:
    """Defaults, overridden by `<store>/config.toml` when it exists."""
    cfg = replace(Config(), **read_settings(store_dir))
    if cfg.food_rules:
        from pipeline.metrics.food_class import load_rules

        try:
            load_rules(cfg.food_rules)  # an unknown class is named now, not mid-report
        except ValueError as exc:
            raise DataError(f"{store_dir / 'config.toml'}: {exc}") from exc
    return cfg


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_shown(v)}' for k, v in value.items()) + "}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe(store_dir: Path) -> list[dict[str, Any]]:
    """Every effective setting with its value and where it came from."""
    settings = read_settings(store_dir)
    cfg = load_config(store_dir)
    out = []
    for f in fields(Config):
        value = getattr(cfg, f.name)
        plain = list(value) if isinstance(value, tuple) else value
        if isinstance(value, dict):
            plain = {k: list(v) for k, v in value.items()}
        out.append(
            {
                "key": f.name,
                "value": plain,
                "shown": _shown(value),
                "source": "config.toml" if f.name in settings else "default",
            }
        )
    return out
