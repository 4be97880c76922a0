"""Thresholds from METRICS.md, each a default the user can change.

The store may hold a `config.toml` whose keys override these, e.g.

    food_kcal_logged = 1000
    food_source_priority = ["mfp_nutrition", "cronometer_servings"]

    [food_rules]            # food-name pattern -> classes; these win over the built-in rules
    "bjorn qorn" = ["not_refined", "not_ultra_processed"]
    "protein bar" = "ultra_processed"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pipeline.errors import DataError, first_line
from pipeline.limits import Limits


@dataclass(frozen=True)
class Config:
    """Every threshold of METRICS.md; HELP says what each one means."""

    wear_min_valid: int = 600
    steps_min_valid: int = 500
    food_kcal_logged: float = 800.0
    mvpa_reference_min_per_week: int = 150
    fiber_reference_g_per_1000kcal: float = 14.0
    weight_alpha: float = 0.1
    weight_gap_days: int = 30
    waist_min_readings: int = 3
    waist_min_span_days: int = 28
    waist_min_change_cm: float = 0.5
    short_sleep_min: int = 420
    sitting_run_min: int = 60
    sitting_unworn_min: int = 120
    waking_start_hour: int = 7
    waking_end_hour: int = 22
    minute_coverage_min: float = 0.8
    walk_steps: int = 1000
    walk_window_min: int = 60
    meal_gap_min: int = 30
    steps_target: int = 8000
    mvpa_target_min_per_day: float = 22.0
    fiber_target_g_per_1000kcal: float = 14.0
    added_sugar_target_pct_kcal: float = 10.0
    streak_min_days: int = 4
    baseline_months: int = 3
    min_days_per_week: int = 4
    min_weeks_for_direction: int = 2
    min_change_share: float = 0.05
    weight_min_change_kg: float = 0.5
    include_weight: bool = True
    food_source_priority: tuple[str, ...] = field(
        default=(
            "cronometer_servings",
            "mfp_nutrition",
            "cronometer_dailysummary",
        )
    )
    food_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # metric -> an absolute minimum change that matters, instead of min_change_share
    min_change: dict[str, float] = field(default_factory=dict)
    # which export wins a day of activity or sleep that two devices cover ([] = the one with
    # more wear, then more steps: METRICS.md)
    source_priority: tuple[str, ...] = ()
    # inside one export of several devices (Apple Health), parts of device names, first first
    # ([] = the device with the most steps that day)
    device_priority: tuple[str, ...] = ()
    # IANA zone for exports whose timestamps carry an offset ("" = this machine's zone), and
    # per person where people live in different zones
    time_zone: str = ""
    time_zones: dict[str, str] = field(default_factory=dict)
    # name -> how to read an app spectrum does not know (pipeline/mapping.py)
    mappings: dict[str, dict] = field(default_factory=dict)
    # [archive] max_ratio, max_mb: how far a zip or gzip member may unpack (pipeline/limits.py)
    archive: dict[str, float] = field(default_factory=dict)
    # [baseline] exclude_tags: the days of notes with these tags (illness, travel) are left
    # out of the baseline a period is compared with (pipeline/baseline.py)
    baseline: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def baseline_exclude_tags(self) -> tuple[str, ...]:
        return self.baseline.get("exclude_tags", ())

    def limits(self) -> Limits:
        """The bounds on reading files from someone else, as [archive] sets them."""
        base = Limits()
        ratio = self.archive.get("max_ratio", base.max_ratio)
        mb = self.archive.get("max_mb", base.max_bytes / 1024**2)
        return replace(base, max_ratio=float(ratio), max_bytes=int(mb * 1024**2))


HELP = {
    "wear_min_valid": "minutes of wear that make an activity day valid",
    "steps_min_valid": "steps that make an activity day valid where wear is unknown",
    "food_kcal_logged": "kcal that make a food day logged (lighter days are partial)",
    "mvpa_reference_min_per_week": "reference point for active minutes (WHO 2020)",
    "fiber_reference_g_per_1000kcal": "reference point for fibre density (US adequate intake)",
    "weight_alpha": "smoothing of the weight trend per weigh-in (0 < alpha <= 1)",
    "weight_gap_days": "days without a weigh-in after which the trend starts again",
    "waist_min_readings": "waist readings the waist slope needs in a period ...",
    "waist_min_span_days": "... spanning at least this many days",
    "waist_min_change_cm": "a smaller change in waist (cm) is steady",
    "short_sleep_min": "minutes asleep under which a night is short",
    "sitting_run_min": "zero-step minutes in a row that make a long sitting stretch",
    "sitting_unworn_min": "without heart rate, a longer zero-step run counts as not worn",
    "waking_start_hour": "sitting is counted from this local hour ...",
    "waking_end_hour": "... up to this one",
    "minute_coverage_min": "share of the waking hours a day's minute steps must cover",
    "walk_steps": "steps after a meal that make a walk ...",
    "walk_window_min": "... within this many minutes of the meal's start",
    "meal_gap_min": "entries without a meal group closer than this are one meal",
    "steps_target": "personal target: steps per valid day",
    "mvpa_target_min_per_day": "personal target: active minutes per valid day",
    "fiber_target_g_per_1000kcal": "personal target: fibre per 1,000 kcal per logged day",
    "added_sugar_target_pct_kcal": "personal target: added sugars under this % of energy",
    "streak_min_days": "days meeting a target that make a week count",
    "baseline_months": "months before the period that form the baseline",
    "min_days_per_week": "days with data that make a week count in a direction's interval",
    "min_weeks_for_direction": "weeks with data needed in each period to name a direction",
    "min_change_share": "a smaller change than this share of the baseline is steady",
    "weight_min_change_kg": "a smaller change in the weight trend (kg) is steady",
    "include_weight": "show weight as a direction (false hides it)",
    "food_source_priority": "which food export wins a day two exports cover",
    "food_rules": "your own food rules: name pattern = class or [classes]",
    "min_change": "per metric, a change smaller than this is steady (e.g. steps_mean = 300)",
    "source_priority": "which export wins a day of activity or sleep two devices cover",
    "device_priority": "in Apple Health, which device wins a day (parts of names: Watch, iPhone)",
    "time_zone": "zone of offset timestamps (Apple Health, Withings, Oura); '' = this machine's",
    "time_zones": "per person, a time zone that differs from time_zone (e.g. alex = 'Asia/Tokyo')",
    "mappings": "CSV files of other apps: [mappings.NAME] table, date_format, columns, units",
    "archive": "[archive] max_ratio (200) and max_mb (8192): how far a zip member may unpack",
    "baseline": "[baseline] exclude_tags: notes' tags whose days the baseline leaves out",
}
ARCHIVE_KEYS = ("max_ratio", "max_mb")

# Allowed ranges (inclusive); a value outside is an error that names the key and the range.
RANGES: dict[str, tuple[float, float]] = {
    "wear_min_valid": (1, 1440),
    "steps_min_valid": (0, 100_000),
    "food_kcal_logged": (0, 10_000),
    "mvpa_reference_min_per_week": (1, 10_080),
    "fiber_reference_g_per_1000kcal": (0, 100),
    "weight_alpha": (0.001, 1),
    "weight_gap_days": (1, 3650),
    "waist_min_readings": (2, 1000),
    "waist_min_span_days": (1, 3650),
    "waist_min_change_cm": (0, 100),
    "short_sleep_min": (1, 1440),
    "sitting_run_min": (1, 1440),
    "sitting_unworn_min": (1, 1440),
    "waking_start_hour": (0, 23),
    "waking_end_hour": (1, 24),
    "minute_coverage_min": (0, 1),
    "walk_steps": (1, 100_000),
    "walk_window_min": (1, 1440),
    "meal_gap_min": (1, 1440),
    "steps_target": (1, 100_000),
    "mvpa_target_min_per_day": (0, 1440),
    "fiber_target_g_per_1000kcal": (0, 100),
    "added_sugar_target_pct_kcal": (0, 100),
    "streak_min_days": (1, 7),
    "baseline_months": (1, 24),
    "min_days_per_week": (1, 7),
    "min_weeks_for_direction": (1, 52),
    "min_change_share": (0, 1),
    "weight_min_change_kg": (0, 50),
}


def _expected(default: Any, key: str = "") -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, tuple):
        return "a list of names"
    if key == "min_change":
        return "a table of metric = number (0 or more)"
    if isinstance(default, str):
        return "a text"
    if key == "time_zones":
        return "a table of person = time zone"
    if key == "mappings":
        return "tables [mappings.NAME] with table, columns (and date_format, units)"
    if key == "archive":
        return "a table [archive] of max_ratio and max_mb (numbers of 1 or more)"
    if key == "baseline":
        return 'a table [baseline] with exclude_tags = a list of tags (e.g. ["illness"])'
    return "a table of pattern = class or [classes]"


def _coerce(key: str, value: Any, default: Any) -> Any:
    """`value` in the type of `default`, or None when it has the wrong type."""
    if key == "min_change":
        ok = isinstance(value, dict) and all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
            for v in value.values()
        )
        return {k: float(v) for k, v in value.items()} if ok else None
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, str):
        return value if isinstance(value, str) else None
    if key == "time_zones":
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return dict(value) if ok else None
    if key == "mappings":
        ok = isinstance(value, dict) and all(isinstance(v, dict) for v in value.values())
        return dict(value) if ok else None
    if key == "archive":
        ok = isinstance(value, dict) and all(
            k in ARCHIVE_KEYS and isinstance(v, int | float) and not isinstance(v, bool) and v >= 1
            for k, v in value.items()
        )
        return {k: float(v) for k, v in value.items()} if ok else None
    if key == "baseline":
        tags = value.get("exclude_tags") if isinstance(value, dict) else None
        ok = isinstance(value, dict) and set(value) == {"exclude_tags"} and isinstance(tags, list)
        ok = ok and all(isinstance(t, str) and t.strip() for t in tags)
        return {"exclude_tags": tuple(t.strip().lower() for t in tags)} if ok else None
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


def settings_file(store_dir: Path | str) -> Path | str:
    """Where a store's settings are: `<store>/config.toml`, in the bucket too for a store on
    object storage, unless $SPECTRUM_CONFIG names a local file instead."""
    if os.environ.get("SPECTRUM_CONFIG"):
        return Path(os.environ["SPECTRUM_CONFIG"])
    return f"{store_dir}/config.toml" if isinstance(store_dir, str) else store_dir / "config.toml"


def _settings_text(path: Path | str) -> str | None:
    if isinstance(path, Path):
        return path.read_text(encoding="utf-8") if path.exists() else None
    # a file in the bucket, read by polars' object-store reader (the same credentials as
    # the tables), one line per row: no separator or quote of a TOML file splits it
    import polars as pl

    try:
        lines = pl.read_csv(
            path, has_header=False, separator="\x1f", quote_char=None, new_columns=["l"],
            schema={"l": pl.String}, raise_if_empty=False,
        )  # fmt: skip
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - no such object is not always FileNotFound
        if "not found" in str(exc).lower() or "no such" in str(exc).lower():
            return None
        raise DataError(f"cannot read {path} ({first_line(exc)}).") from exc
    return "\n".join(line or "" for line in lines["l"].to_list())


def read_settings(store_dir: Path | str) -> dict[str, Any]:
    """The settings the store's config.toml sets (settings_file), checked by name and type
    ({} without a file)."""
    path = settings_file(store_dir)
    text = _settings_text(path)
    if text is None:
        return {}
    try:
        data = tomllib.loads(text)
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
                f"{path}: {key} must be {_expected(defaults[key], key)}, not {value!r}; "
                f"fix it in config.toml (default: {_shown(defaults[key])})."
            )
        settings[key] = coerced
    _check_ranges(path, settings)
    return settings


def _check_ranges(path: Path, settings: dict[str, Any]) -> None:
    """Values of the right type that still cannot work (alpha 5, a reversed waking window)."""
    for key, value in settings.items():
        if key in RANGES:
            low, high = RANGES[key]
            if not low <= value <= high:
                raise DataError(
                    f"{path}: {key} must be between {low:g} and {high:g}, not {value:g}; "
                    f"fix it in config.toml (default: {_shown(getattr(Config(), key))})."
                )
    merged = replace(Config(), **settings)
    if merged.waking_start_hour >= merged.waking_end_hour:
        raise DataError(
            f"{path}: waking_start_hour ({merged.waking_start_hour}) must come before "
            f"waking_end_hour ({merged.waking_end_hour}); fix them in config.toml."
        )
    if merged.sitting_unworn_min < merged.sitting_run_min:
        raise DataError(
            f"{path}: sitting_unworn_min ({merged.sitting_unworn_min}) must not be shorter than "
            f"sitting_run_min ({merged.sitting_run_min}); fix them in config.toml."
        )
    from pipeline.metrics.periods import MEASURES

    odd = sorted(set(merged.min_change) - set(MEASURES))
    if odd:
        raise DataError(
            f"{path}: [min_change] names {', '.join(odd)}, which is not a metric; use keys of "
            "spectrum summary --json."
        )
    _check_names(path, settings)
    for where, zone in [("time_zone", merged.time_zone), *merged.time_zones.items()]:
        if zone and not known_zone(zone):
            raise DataError(
                f"{path}: {where} = '{zone}' is not a time zone; use a name such as "
                "'Europe/Berlin' or 'America/New_York'."
            )


def _check_names(path: Path, settings: dict[str, Any]) -> None:
    """Format names the user wrote (priorities, mappings) against the known formats; the
    registry of formats is imported only when there is something to check (read-only
    commands stay quick)."""
    named = ("food_source_priority", "source_priority", "mappings")
    if not any(settings.get(k) for k in named):
        return
    from pipeline.sources import SOURCES

    builtin = {s.NAME: s for s in SOURCES}
    known = {*builtin, *settings.get("mappings", {})}  # a priority may name a mapping
    for key in ("food_source_priority", "source_priority"):
        unknown = [s for s in settings.get(key, ()) if s not in known]
        if unknown:
            raise DataError(
                f"{path}: {key} names {', '.join(unknown)}, which spectrum does not read; use "
                "names from 'spectrum formats'."
            )
    _check_mappings(path, settings.get("mappings", {}), builtin)


def _check_mappings(path: Path, mappings: dict, builtin: dict) -> None:
    from pipeline.mapping import MappingError, build

    for name, spec in mappings.items():
        if name in builtin:
            raise DataError(
                f"{path}: [mappings.{name}] has the name of a built-in format; choose another."
            )
        try:
            build(name, spec)
        except MappingError as exc:
            raise DataError(f"{path}: {exc}") from exc


def mapped_sources(cfg: Config) -> list:
    """The sources the user's [mappings] describe (checked when the config was loaded)."""
    from pipeline.mapping import build

    return [build(name, spec) for name, spec in cfg.mappings.items()]


def known_zone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def machine_zone() -> str:
    """This machine's IANA zone: $TZ, else where /etc/localtime points, else UTC."""
    import os

    for name in (os.environ.get("TZ", "").lstrip(":"), _localtime_link()):
        if name and known_zone(name):
            return name
    return "UTC"


def _localtime_link() -> str:
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return ""
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""


def person_zone(cfg: Config, person: str | None) -> str:
    """The zone offset timestamps of `person` become local time in."""
    return cfg.time_zones.get(person or "me") or cfg.time_zone or machine_zone()


def load_config(store_dir: Path | str) -> Config:
    """Defaults, overridden by `<store>/config.toml` when it exists."""
    cfg = replace(Config(), **read_settings(store_dir))
    if cfg.food_rules:
        from pipeline.food_rules import load_rules

        try:
            load_rules(cfg.food_rules)  # an unknown class is named now, not mid-report
        except ValueError as exc:
            raise DataError(f"{settings_file(store_dir)}: {exc}") from exc
    return cfg


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_shown(v)}' for k, v in value.items()) + "}"
    if isinstance(value, str):
        return f'"{value}"'
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
            plain = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
        out.append(
            {
                "key": f.name,
                "value": plain,
                "shown": _shown(value),
                "source": "config.toml" if f.name in settings else "default",
                "help": HELP[f.name],
            }
        )
    return out
