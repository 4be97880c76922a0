"""Direction of travel for every driver metric: this period against the baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from pipeline.config import Config
from pipeline.metrics import direction, periods, trends
from pipeline.period import Period, within

if TYPE_CHECKING:
    from pipeline.analysis import PersonDays

DRIVERS = (
    "steps_mean",
    "mvpa_min_per_week",
    "sedentary_min_mean",
    "long_sitting_bouts_per_day",
    "post_meal_walk_share",
    "fiber_g_per_1000kcal",
    "carb_fiber_ratio",
    "added_sugar_pct_kcal",
    "sugars_pct_kcal",
    "refined_carbs_g_mean",
    "carbs_from_whole_share",
    "upf_kcal_share",
    "short_sleep_share",
)


def _frame(days: PersonDays, kind: str) -> pl.DataFrame:
    return {"activity": days.activity, "food": days.food, "sleep": days.sleep}[kind]


def at_least(d: dict, better: int, minimum: float) -> dict:
    """Relabel `d` with an absolute minimum change that matters (0.5 kg, 300 steps)."""
    if d["label"] == direction.INSUFFICIENT:
        return d
    d["label"] = direction.label(d["delta"], d["ci95"], better, 1.0, minimum)
    excludes = d["ci95"][0] > 0 or d["ci95"][1] < 0
    d["note"] = direction.SMALL_NOTE if d["label"] == direction.STEADY and excludes else None
    return d


def driver_direction(name: str, days: PersonDays, p: Period, b: Period, cfg: Config) -> dict:
    m = periods.MEASURES[name]
    frame = _frame(days, m.frame)
    cur = periods.weekly_sums(within(frame, p).lazy(), m.frame, m)
    base = periods.weekly_sums(within(frame, b).lazy(), m.frame, m)
    d = direction.direction(
        name,
        cur,
        base,
        m.scale,
        m.better,
        cfg.min_weeks_for_direction,
        min_change_share(name, cfg),
        cfg.min_days_per_week,
    )
    return with_minimum(name, d, cfg)


def min_change_share(name: str, cfg: Config) -> float:
    """The share of the baseline a change must reach (0 where an absolute minimum is set)."""
    return 0.0 if cfg.min_change.get(name) is not None else cfg.min_change_share


def with_minimum(name: str, d: dict, cfg: Config) -> dict:
    """A driver's direction with its absolute minimum change applied, where config sets one."""
    absolute = cfg.min_change.get(name)
    return d if absolute is None else at_least(d, periods.MEASURES[name].better, absolute)


def weight_direction(
    days: PersonDays, p: Period, b: Period, cfg: Config, raw: dict | None = None
) -> dict:
    """Trend at period end vs trend at baseline end, within one smoothing window.

    The interval takes its width from weekly mean weigh-ins (week-to-week noise) and is
    centred on the trend's change. `raw`: that weekly direction when already made (the
    cohort makes everyone's at once).
    """
    now, then = (
        trends.trend_end(days.weight, p.start, p.end),
        trends.trend_end(days.weight, b.start, b.end),
    )
    value = now["trend_kg"] if now else None
    base = then["trend_kg"] if then else None
    if now and then and now["segment"] != then["segment"]:
        return direction.insufficient(
            base,
            value,
            f"more than {cfg.weight_gap_days} days without a weigh-in between the baseline and "
            "this period: the trend restarted, so the two are not compared",
        )
    if raw is None:
        cur_w, base_w = (
            _weekly_mean(days.weight, "weight_kg", p),
            _weekly_mean(days.weight, "weight_kg", b),
        )
        # weigh-ins are sparse: a week with one counts (min_days=1)
        raw = direction.direction(
            "weight_trend_kg", cur_w, base_w, 1.0, -1, cfg.min_weeks_for_direction, 0.0, 1
        )
    if raw["delta"] is None or value is None or base is None:
        return direction.insufficient(base, value, raw["note"] or "too little data: no weigh-ins")
    delta = value - base
    shift = delta - raw["delta"]
    ci = (raw["ci95"][0] + shift, raw["ci95"][1] + shift)
    # the change that matters is absolute for weight: 5% of 90 kg would hide 4 kg
    d = {
        "baseline": base,
        "value": value,
        "delta": delta,
        "ci95": list(ci),
        "label": "",
        "note": None,
    }
    return at_least(d, -1, cfg.weight_min_change_kg)


def _weekly_mean(frame: pl.DataFrame, col: str, p: Period) -> pl.DataFrame:
    """Per calendar week: the sum and count of the period's readings of `col`."""
    return periods.weekly_sums_by(within(frame, p).lazy(), "sleep", body_measure(col), []).collect()


def body_measure(col: str) -> periods.Measure:
    """A reading as a measure: each reading counts once (sum of readings / their number).
    Every row of the frame is a reading, hence the kind "sleep": all rows counted."""
    return periods.Measure("sleep", pl.col(col), pl.lit(1.0))


def waist_direction(
    days: PersonDays, p: Period, b: Period, cfg: Config, raw: dict | None = None
) -> dict:
    """Mean waist reading now against the baseline's: has the waist gone down?

    A level, like the weight trend, not the slope: losing waist more slowly than last
    month is still a smaller waist. The change that matters is absolute (config, 0.5 cm).
    """
    d = raw or direction.direction(
        "waist_cm",
        _weekly_mean(days.waist, "waist_cm", p),
        _weekly_mean(days.waist, "waist_cm", b),
        1.0,
        -1,
        cfg.min_weeks_for_direction,
        0.0,
        1,  # waist readings are sparse: a week with one counts
    )
    return at_least(d, -1, cfg.waist_min_change_cm)


def directions(
    days: PersonDays, p: Period, b: Period, cfg: Config, ready: dict[str, dict] | None = None
) -> dict[str, dict]:
    """Every direction of the summary. `ready`: the weekly directions already made for this
    person (cohort.py makes everyone's at once): driver metrics by name, and "weight_kg" /
    "waist_cm" for the weekly weigh-in and waist directions."""
    ready = ready or {}
    out = {}
    added = [within(days.food, q)["added_sugars_g"].is_not_null().any() for q in (p, b)]
    has_added = all(added)
    for name in DRIVERS:
        # total sugars stand in for added sugars unless both periods know added sugars
        if name == ("sugars_pct_kcal" if has_added else "added_sugar_pct_kcal"):
            continue
        out[name] = ready.get(name) or driver_direction(name, days, p, b, cfg)
    if cfg.include_weight:
        out["weight_trend_kg"] = weight_direction(days, p, b, cfg, ready.get("weight_kg"))
    out["waist_cm"] = waist_direction(days, p, b, cfg, ready.get("waist_cm"))
    return out
