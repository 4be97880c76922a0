"""`spectrum summary`: period metrics, coverage and direction for one person."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.metrics import daily, direction, periods, trends
from pipeline.store import Store

DRIVERS = (
    "steps_mean",
    "mvpa_min_per_week",
    "sedentary_min_mean",
    "fiber_g_per_1000kcal",
    "carb_fiber_ratio",
    "added_sugar_pct_kcal",
    "sugars_pct_kcal",
)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_first - dt.timedelta(days=1)).day))


def month_period(month: str) -> Period:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"'{month}' is not a month like 2026-10")
    start = dt.date(int(month[:4]), int(month[5:]), 1)
    return Period(start, add_months(start, 1) - dt.timedelta(days=1))


def baseline_of(period: Period, months: int) -> Period:
    """The `months` months just before the period (for a calendar month: whole months)."""
    return Period(add_months(period.start, -months), period.start - dt.timedelta(days=1))


def choose_person(store: Store, person: str | None) -> str:
    people = store.persons()
    if person is not None:
        if person not in people:
            known = ", ".join(people) or "nobody yet"
            raise DataError(f"no data for person '{person}' (the store holds: {known}).")
        return person
    if not people:
        raise DataError(
            f"the store at {store.root} is empty; ingest an export first: spectrum ingest FILE"
        )
    if len(people) > 1:
        raise DataError(
            f"the store holds several people ({', '.join(people)}); pick one with --person ID."
        )
    return people[0]


@dataclass(frozen=True)
class PersonDays:
    """A person's daily frames, collected once and then sliced per period."""

    activity: pl.DataFrame
    food: pl.DataFrame
    weight: pl.DataFrame  # weigh-in days with trend_kg


def person_days(store: Store, person: str, cfg: Config) -> PersonDays:
    mine = pl.col("person") == person
    act = daily.activity_days(
        store.read("activity_daily").filter(mine), cfg.wear_min_valid, cfg.steps_min_valid
    )
    food = daily.food_days(
        store.read("food_items").filter(mine), cfg.food_kcal_logged, cfg.food_source_priority
    )
    weigh = daily.weigh_in_days(store.read("body").filter(mine))
    act, food, weigh = pl.collect_all([act, food, weigh])
    return PersonDays(act, food, trends.weight_trend(weigh, cfg.weight_alpha))


def _within(frame: pl.DataFrame, p: Period) -> pl.DataFrame:
    return frame.filter(pl.col("date").is_between(p.start, p.end))


def coverage(days: PersonDays, p: Period) -> dict:
    act, food = _within(days.activity, p), _within(days.food, p)
    return {
        "days_in_period": p.days,
        "activity_days_with_data": act.height,
        "activity_valid_days": int(act["valid"].sum()),
        "food_days_with_data": food.height,
        "food_logged_days": int(food["logged"].sum()),
        "food_partial_days": int((~food["logged"]).sum()),
        "weigh_ins": _within(days.weight, p).height,
        "sources": sorted(set(act["source"]) | set(food["source"])),
    }


def metrics_for(days: PersonDays, p: Period) -> dict[str, float | int | None]:
    act, food = _within(days.activity, p), _within(days.food, p)
    out: dict[str, float | int | None] = {
        "days_in_period": p.days,
        "activity_valid_days": int(act["valid"].sum()),
        "food_logged_days": int(food["logged"].sum()),
    }
    out.update(periods.period_metrics(act.lazy(), food.lazy()))
    out.update(trends.weight_metrics(days.weight, p.start, p.end))
    return out


def _driver_direction(name: str, days: PersonDays, p: Period, b: Period, cfg: Config) -> dict:
    m = periods.MEASURES[name]
    frame = days.activity if m.frame == "activity" else days.food
    cur = periods.weekly_sums(_within(frame, p).lazy(), m.frame, m)
    base = periods.weekly_sums(_within(frame, b).lazy(), m.frame, m)
    return direction.direction(
        name, cur, base, m.scale, m.better, cfg.bootstrap_reps, cfg.min_weeks_for_direction
    )


def _weekly_weight(weight: pl.DataFrame, p: Period) -> pl.DataFrame:
    return (
        _within(weight, p)
        .group_by(week=pl.col("date").dt.truncate("1w"))
        .agg(num=pl.col("weight_kg").sum(), den=pl.len().cast(pl.Float64))
        .sort("week")
    )


def weight_direction(days: PersonDays, p: Period, b: Period, cfg: Config) -> dict:
    """Trend at period end vs trend at baseline end.

    The interval takes its width from resampling weekly mean weigh-ins (week-to-week noise)
    and is centred on the trend's change.
    """
    value = trends.weight_metrics(days.weight, p.start, p.end)["weight_trend_kg"]
    base = trends.weight_metrics(days.weight, b.start, b.end)["weight_trend_kg"]
    cur_w, base_w = _weekly_weight(days.weight, p), _weekly_weight(days.weight, b)
    raw = direction.direction(
        "weight_trend_kg", cur_w, base_w, 1.0, -1, cfg.bootstrap_reps, cfg.min_weeks_for_direction
    )
    if raw["delta"] is None or value is None or base is None:
        return direction.too_little(base, value, raw["note"] or "too little data: no weigh-ins")
    delta = value - base
    shift = delta - raw["delta"]
    ci = (raw["ci95"][0] + shift, raw["ci95"][1] + shift)
    return {
        "baseline": base,
        "value": value,
        "delta": delta,
        "ci95": list(ci),
        "label": direction.label(delta, ci, -1),
        "note": None,
    }


def directions(days: PersonDays, p: Period, b: Period, cfg: Config) -> dict[str, dict]:
    out = {}
    has_added = days.food["added_sugars_g"].is_not_null().any()
    for name in DRIVERS:
        # total sugars stand in for added sugars only where no added-sugar figure exists
        if name == ("sugars_pct_kcal" if has_added else "added_sugar_pct_kcal"):
            continue
        out[name] = _driver_direction(name, days, p, b, cfg)
    if cfg.include_weight:
        out["weight_trend_kg"] = weight_direction(days, p, b, cfg)
    return out


def summarize(store: Store, person: str | None, period: Period, cfg: Config) -> dict:
    who = choose_person(store, person)
    return summary_from_days(person_days(store, who, cfg), who, period, cfg)


def summary_from_days(days: PersonDays, who: str, period: Period, cfg: Config) -> dict:
    """The summary of one person's daily frames; a DataError when the period has no data."""
    cov = coverage(days, period)
    if not (cov["activity_days_with_data"] or cov["food_days_with_data"] or cov["weigh_ins"]):
        raise DataError(
            f"no data for {who} between {period.start} and {period.end}; ingest an export "
            "that covers it (spectrum ingest FILE) or pick another period."
        )
    base = baseline_of(period, cfg.baseline_months)
    return {
        "person": who,
        "period": period.as_dict(),
        "coverage": cov,
        "metrics": metrics_for(days, period),
        "direction": directions(days, period, base, cfg),
    }
