"""One person's daily frames, read from the store once and then sliced per period.

Everything a summary, report or chart needs comes from here; no renderer reads the store.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from pipeline.config import Config
from pipeline.food_rules import load_rules
from pipeline.metrics import daily, food_quality, intraday, trends
from pipeline.metrics.food_class import build_rules
from pipeline.period import Period
from pipeline.store import Store


@dataclass(frozen=True)
class PersonDays:
    activity: pl.DataFrame  # one row per day: chosen source, validity, sitting and walk counts
    food: pl.DataFrame  # one row per day: chosen export's totals and quality sums, logged
    sleep: pl.DataFrame  # one row per night with a record: asleep_min, short_night
    weight: pl.DataFrame  # weigh-in days with segment and trend_kg
    waist: pl.DataFrame  # days with a waist reading
    items: pl.DataFrame  # classified food entries of each day's chosen export
    source_days: pl.DataFrame  # (person, source, date) of the exports used beside the chosen ones
    glucose: pl.DataFrame | None = None  # glucose readings (schemas/glucose.py), every export
    workouts: pl.DataFrame | None = None  # recorded workouts (schemas/workouts.py), every export
    events: pl.DataFrame | None = None  # notes on what happened (schemas/events.py), by date


def sitting_rule(cfg: Config) -> intraday.SittingRule:
    return intraday.SittingRule(
        day_start_hour=cfg.waking_start_hour,
        day_end_hour=cfg.waking_end_hour,
        min_run_min=cfg.sitting_run_min,
        unworn_run_min=cfg.sitting_unworn_min,
        min_coverage=cfg.minute_coverage_min,
    )


def _minutes(store: Store, table: str, mine: pl.Expr, span: Period | None) -> pl.LazyFrame:
    """A minute table's rows, only those of `span` when given (its years' files alone are
    read: the table is partitioned by year)."""
    if span is None:
        return store.read(table).filter(mine)
    ts = pl.col("ts_local")
    return (
        store.read(table, years=(span.start.year, span.end.year))
        .filter(mine)
        .filter((ts >= span.start) & (ts < span.end + dt.timedelta(days=1)))
    )


def _activity(
    store: Store, mine: pl.Expr, cfg: Config, span: Period | None = None
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame]:
    """Activity days with their sitting bouts, the minute steps (for walks after meals), and
    the exports used on each day. Each minute table's rows are read once, as every part
    needs them."""
    steps = _minutes(store, "activity_intraday", mine, span).collect(engine="in-memory").lazy()
    hr = _minutes(store, "heart_rate", mine, span).collect(engine="in-memory").lazy()
    sleep = store.read("sleep").filter(mine)
    days = daily.activity_days(
        store.read("activity_daily").filter(mine),
        cfg.wear_min_valid,
        cfg.steps_min_valid,
        intraday=steps,
        heart_rate=hr,
        source_priority=cfg.source_priority,
    )
    days = daily.with_workouts(days, store.read("workouts").filter(mine))
    minutes = intraday.minute_steps(steps)
    bouts = intraday.sitting_bouts(minutes, sleep, hr, sitting_rule(cfg))
    sources = source_days(store, mine, {"activity_intraday": steps, "heart_rate": hr})
    return days.join(bouts, on=["person", "date"], how="left"), minutes, sources


# Tables whose every export is used (minute steps feed sitting, heart rate feeds wear); in the
# daily tables one export per day is chosen, and only the chosen one is a source of the report.
ALL_USED = ("activity_intraday", "heart_rate", "body", "workouts", "glucose")


def source_days(
    store: Store, mine: pl.Expr, minutes: dict[str, pl.LazyFrame] | None = None
) -> pl.LazyFrame:
    """The exports used on each day from the tables in ALL_USED (for "Sources: ..."); the
    minute tables' rows as given in `minutes` (a span's), else all of them."""
    parts = []
    for table in ALL_USED:
        frame = (minutes or {}).get(table)
        if frame is None:
            frame = store.read(table).filter(mine)
        names = frame.collect_schema().names()
        day = next(c for c in ("date", "ts_local", "start_local") if c in names)
        parts.append(frame.select("person", "source", date=pl.col(day).cast(pl.Date)).unique())
    return pl.concat(parts).unique()


def person_days(store: Store, person: str, cfg: Config, span: Period | None = None) -> PersonDays:
    """One person's daily frames; `span`: only the days a command looks at (a month and its
    baseline) are read from the minute tables, which hold years of rows."""
    return rows_days(store, pl.col("person") == person, cfg, span)


def split_days(days: PersonDays) -> dict[str, PersonDays]:
    """One PersonDays per person of frames that hold several people (rows kept in order)."""
    parts = {
        name: _by_person(getattr(days, name))
        for name in PersonDays.__dataclass_fields__
        if getattr(days, name) is not None
    }
    people = sorted({who for frames in parts.values() for who in frames[0]})
    return {
        who: PersonDays(**{name: frames.get(who, empty) for name, (frames, empty) in parts.items()})
        for who in people
    }


def _by_person(frame: pl.DataFrame) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    split = frame.partition_by("person", as_dict=True, maintain_order=True)
    return {key[0]: part for key, part in split.items()}, frame.clear()


def rows_days(store: Store, mine: pl.Expr, cfg: Config, span: Period | None = None) -> PersonDays:
    """The daily frames of the rows `mine` selects (one person, or everyone)."""
    store.pins()  # the journal is read once, here, not by both threads at once
    # Polars works on the store's tables in a thread of its own (it lets go of Python's lock)
    # while Python reads the food rules and classifies the food: most of a summary's time.
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(_not_food, store, mine, cfg, span)
        items, food, chosen = _food(store, mine, cfg)
        act, minutes, nights, weigh, waist, sources = reading.result()
    meals = intraday.meal_starts(chosen.lazy(), cfg.meal_gap_min)
    walks = intraday.post_meal_walks(meals, minutes.lazy(), cfg.walk_window_min, cfg.walk_steps)
    act = act.join(walks.collect(engine="in-memory"), on=["person", "date"], how="left")
    weight = trends.weight_trend(weigh, cfg.weight_alpha, cfg.weight_gap_days)
    glucose = store.read("glucose").filter(mine).sort("ts_local").collect()
    workouts = store.read("workouts").filter(mine).sort("start_local").collect()
    events = store.read("events").filter(mine).sort("date", "id").collect()
    return PersonDays(act, food, nights, weight, waist, chosen, sources, glucose, workouts, events)


def _not_food(store: Store, mine: pl.Expr, cfg: Config, span: Period | None) -> list[pl.DataFrame]:
    """Activity days, minute steps, nights, weigh-in and waist days, and the exports used."""
    days, minutes, sources = _activity(store, mine, cfg, span)
    body = store.read("body").filter(mine)
    nights = daily.sleep_nights(store.read("sleep").filter(mine), cfg.source_priority)
    return pl.collect_all(
        [
            days,
            minutes,
            nights.with_columns(short_night=pl.col("asleep_min") < cfg.short_sleep_min),
            daily.weigh_in_days(body),
            daily.waist_days(body),
            sources,
        ],
        # polars' in-memory engine: these plans are many small joins and windows over at
        # most a span's minutes, where it is about a third faster than the streaming default
        engine="in-memory",
    )


def _food(
    store: Store, mine: pl.Expr, cfg: Config
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Classified food items, the food days, and the items of each day's chosen export."""
    logged = store.read("food_items").filter(mine).collect()
    # the food rules take a moment to build: not for someone who logs no food
    rules = load_rules(cfg.food_rules) if logged.height else build_rules(())
    items = food_quality.item_quality(logged, rules)
    food = daily.food_days(items.lazy(), cfg.food_kcal_logged, cfg.food_source_priority)
    chosen = items.lazy().join(
        food.select("person", "date", "source"), on=["person", "date", "source"]
    )
    food, chosen = pl.collect_all([food, chosen], engine="in-memory")
    return items, food, chosen
