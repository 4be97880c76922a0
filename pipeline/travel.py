"""Direction of travel for every driver metric: this period against the baseline."""

from __future__ import annotations

import random
import zlib
from typing import TYPE_CHECKING

import polars as pl

from pipeline.config import Config
from pipeline.metrics import direction, periods, trends

if TYPE_CHECKING:
    from pipeline.analysis import PersonDays
    from pipeline.summary import Period

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
WAIST_REPS = 400  # Theil-Sen is quadratic in readings: fewer resamples keep a report quick


def _within(frame: pl.DataFrame, p: Period) -> pl.DataFrame:
    return frame.filter(pl.col("date").is_between(p.start, p.end))


def _frame(days: PersonDays, kind: str) -> pl.DataFrame:
    return {"activity": days.activity, "food": days.food, "sleep": days.sleep}[kind]


def driver_direction(name: str, days: PersonDays, p: Period, b: Period, cfg: Config) -> dict:
    m = periods.MEASURES[name]
    frame = _frame(days, m.frame)
    cur = periods.weekly_sums(_within(frame, p).lazy(), m.frame, m)
    base = periods.weekly_sums(_within(frame, b).lazy(), m.frame, m)
    return direction.direction(
        name,
        cur,
        base,
        m.scale,
        m.better,
        cfg.bootstrap_reps,
        cfg.min_weeks_for_direction,
        cfg.min_change_share,
    )


def _weekly_weight(weight: pl.DataFrame, p: Period) -> pl.DataFrame:
    return (
        _within(weight, p)
        .group_by(week=pl.col("date").dt.truncate("1w"))
        .agg(num=pl.col("weight_kg").sum(), den=pl.len().cast(pl.Float64))
        .sort("week")
    )


def weight_direction(days: PersonDays, p: Period, b: Period, cfg: Config) -> dict:
    """Trend at period end vs trend at baseline end, within one smoothing window.

    The interval takes its width from resampling weekly mean weigh-ins (week-to-week noise)
    and is centred on the trend's change.
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
    cur_w, base_w = _weekly_weight(days.weight, p), _weekly_weight(days.weight, b)
    raw = direction.direction(
        "weight_trend_kg", cur_w, base_w, 1.0, -1, cfg.bootstrap_reps, cfg.min_weeks_for_direction
    )
    if raw["delta"] is None or value is None or base is None:
        return direction.insufficient(base, value, raw["note"] or "too little data: no weigh-ins")
    delta = value - base
    shift = delta - raw["delta"]
    ci = (raw["ci95"][0] + shift, raw["ci95"][1] + shift)
    return {
        "baseline": base,
        "value": value,
        "delta": delta,
        "ci95": list(ci),
        # the change that matters is absolute for weight: 5% of 90 kg would hide 4 kg
        "label": direction.label(delta, ci, -1, 1.0, cfg.weight_min_change_kg),
        "note": None,
    }


def _waist_slope(waist: pl.DataFrame, p: Period, cfg: Config) -> float | None:
    return trends.waist_change_per_4wk(
        waist, p.start, p.end, cfg.waist_min_readings, cfg.waist_min_span_days
    )


def waist_direction(days: PersonDays, p: Period, b: Period, cfg: Config) -> dict:
    """The waist slope (cm per 4 weeks) now against the baseline's slope.

    The interval resamples each period's readings and recomputes both Theil-Sen slopes. The
    change that matters is absolute here (config, 0.5 cm per 4 weeks): a share of a slope
    near 0 would call every wobble a direction.
    """
    value, base = _waist_slope(days.waist, p, cfg), _waist_slope(days.waist, b, cfg)
    if value is None or base is None:
        return direction.insufficient(
            base,
            value,
            f"too little data: the waist slope needs {cfg.waist_min_readings} readings spanning "
            f"{cfg.waist_min_span_days} days in this period and in the baseline",
        )
    cur, ref = _within(days.waist, p), _within(days.waist, b)
    rng = random.Random(zlib.crc32(b"waist_change_cm_per_4wk"))
    deltas = []
    for _ in range(WAIST_REPS):
        c = cur.sample(cur.height, with_replacement=True, seed=rng.randrange(2**32)).sort("date")
        r = ref.sample(ref.height, with_replacement=True, seed=rng.randrange(2**32)).sort("date")
        sc = trends.theil_sen_per_day(c["date"].to_list(), c["waist_cm"].to_list())
        sr = trends.theil_sen_per_day(r["date"].to_list(), r["waist_cm"].to_list())
        if sc is not None and sr is not None:
            deltas.append(28.0 * (sc - sr))
    deltas.sort()
    n = len(deltas)
    ci = (deltas[int(0.025 * (n - 1))], deltas[int(0.975 * (n - 1))])
    delta = value - base
    word = direction.label(delta, ci, -1, 0.0, 0.0)
    if abs(delta) < cfg.waist_min_change_cm_per_4wk:
        word = direction.STEADY
    return {
        "baseline": base,
        "value": value,
        "delta": delta,
        "ci95": list(ci),
        "label": word,
        "note": None,
    }


def directions(days: PersonDays, p: Period, b: Period, cfg: Config) -> dict[str, dict]:
    out = {}
    has_added = days.food["added_sugars_g"].is_not_null().any()
    for name in DRIVERS:
        # total sugars stand in for added sugars only where no added-sugar figure exists
        if name == ("sugars_pct_kcal" if has_added else "added_sugar_pct_kcal"):
            continue
        out[name] = driver_direction(name, days, p, b, cfg)
    if cfg.include_weight:
        out["weight_trend_kg"] = weight_direction(days, p, b, cfg)
    out["waist_change_cm_per_4wk"] = waist_direction(days, p, b, cfg)
    return out
