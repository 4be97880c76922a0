"""`spectrum summary`: period metrics, coverage and direction for one person."""

from __future__ import annotations

import polars as pl

from pipeline import baseline
from pipeline.analysis import PersonDays, person_days
from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.metrics import consistency, periods, trends
from pipeline.period import Period, add_months, baseline_of, month_period, within
from pipeline.reasons import metric_notes
from pipeline.store import Store
from pipeline.travel import directions

__all__ = [
    "Period",
    "PersonDays",
    "add_months",
    "baseline_of",
    "month_period",
    "person_days",
    "within",
]


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
        hint = (
            " Files without ids of their own (food logs) are stored as 'me'; to keep one "
            "person's files together, ingest each with --person NAME."
            if "me" in people
            else ""
        )
        raise DataError(
            f"the store holds several people ({', '.join(people)}); pick one with --person ID."
            + hint
        )
    return people[0]


def period_frames(days: PersonDays, p: Period) -> dict[str, pl.DataFrame]:
    return {
        "activity": within(days.activity, p),
        "food": within(days.food, p),
        "sleep": within(days.sleep, p),
    }


def coverage(days: PersonDays, p: Period) -> dict:
    f = period_frames(days, p)
    act, food = f["activity"], f["food"]
    valid = act.filter(pl.col("valid"))
    return {
        "days_in_period": p.days,
        "activity_days_with_data": act.height,
        "activity_valid_days": valid.height,
        "minute_level_days": int(valid["sitting_bouts"].is_not_null().sum()),
        "heart_rate_days": int(act["hr_day"].sum()),
        # valid days whose active minutes are their workouts (no activity levels that day)
        "workout_days": _workout_days(valid),
        "food_days_with_data": food.height,
        "food_logged_days": int(food["logged"].sum()),
        "food_partial_days": int((~food["logged"]).sum()),
        "sleep_nights": f["sleep"].height,
        "weigh_ins": within(days.weight, p).height,
        "waist_readings": within(days.waist, p).height,
        "glucose_days": _glucose_days(days, p),
        "workouts": _stamped(days.workouts, "start_local", p).height,
        "sources": sorted(
            set(act["source"])
            | set(food["source"])
            | set(f["sleep"]["source"])
            | set(within(days.source_days, p)["source"])
        ),
    }


def metrics_for(days: PersonDays, p: Period, cfg: Config, made: dict | None = None) -> dict:
    """The period's metrics; `made`: its period_metrics when already made (the cohort makes
    everyone's at once)."""
    frames = period_frames(days, p)
    out: dict = {
        "days_in_period": p.days,
        "activity_valid_days": int(frames["activity"]["valid"].sum()),
        "food_logged_days": int(frames["food"]["logged"].sum()),
    }
    out.update(made or periods.period_metrics({k: v.lazy() for k, v in frames.items()}))
    out.update(trends.weight_metrics(days.weight, p.start, p.end))
    out["waist_change_cm_per_4wk"] = trends.waist_change_per_4wk(
        days.waist, p.start, p.end, cfg.waist_min_readings, cfg.waist_min_span_days
    )
    out["consistency"] = consistency.consistency(frames, cfg)
    out["week_streaks"] = consistency.week_streaks(frames, cfg)
    return out


def data_span(days: PersonDays) -> str:
    """ " (their data runs from A to B)", to point at a period that has data."""
    frames = (days.activity, days.food, days.sleep, days.weight, days.waist)
    dates = [d for f in frames if f.height for d in (f["date"].min(), f["date"].max())]
    for frame, col in ((days.glucose, "ts_local"), (days.workouts, "start_local")):
        if frame is not None and frame.height:
            dates += [frame[col].min().date(), frame[col].max().date()]
    return f" (their data runs from {min(dates)} to {max(dates)})" if dates else ""


def summarize(
    store: Store, person: str | None, period: Period, cfg: Config, vs: Period | None = None
) -> dict:
    who = choose_person(store, person)
    span = reading_span(period, cfg, vs)
    return summary_from_days(person_days(store, who, cfg, span), who, period, cfg, vs)


def reading_span(period: Period, cfg: Config, vs: Period | None = None) -> Period:
    """The days a summary of `period` looks at: the period, its baseline (or `vs`)."""
    base = vs or baseline_of(period, cfg.baseline_months)
    return Period(min(base.start, period.start), max(base.end, period.end))


HAS_DATA = (
    "activity_days_with_data",
    "food_days_with_data",
    "weigh_ins",
    "sleep_nights",
    "waist_readings",
    "glucose_days",
    "workouts",
)


def _workout_days(valid: pl.DataFrame) -> int:
    if "mvpa_from_workouts" not in valid.columns:  # daily frames made without workouts
        return 0
    return int(valid["mvpa_from_workouts"].sum())


def _stamped(frame: pl.DataFrame | None, column: str, p: Period) -> pl.DataFrame:
    """Rows of `frame` whose timestamp `column` falls on a day of the period."""
    if frame is None:
        return pl.DataFrame({column: []}, schema={column: pl.Datetime("us")})
    return frame.filter(pl.col(column).dt.date().is_between(p.start, p.end))


def _glucose_days(days: PersonDays, p: Period) -> int:
    """Days of the period with at least one glucose reading."""
    return _stamped(days.glucose, "ts_local", p)["ts_local"].dt.date().n_unique()


def has_data(cov: dict) -> bool:
    return any(cov[k] for k in HAS_DATA)


def no_data_reason(days: PersonDays, period: Period) -> str:
    return f"no data between {period.start} and {period.end}{data_span(days)}"


def summary_from_days(
    days: PersonDays,
    who: str,
    period: Period,
    cfg: Config,
    vs: Period | None = None,
    made: tuple[dict, dict] | None = None,
) -> dict:
    """The summary of one person's daily frames; a DataError when the period has no data.

    The baseline is the previous `baseline_months` months, or `vs` when given (compare): then
    the summary also carries the reference period's own coverage and metrics. `made`: the
    period metrics and weekly directions cohort.py made for everyone at once."""
    cov = coverage(days, period)
    if not has_data(cov):
        raise DataError(
            f"no data for {who} between {period.start} and {period.end}{data_span(days)}; "
            "ingest an export that covers it (spectrum ingest FILE) or pick another period."
        )
    base = vs or baseline_of(period, cfg.baseline_months)
    period_made, ready = made or (None, None)
    metrics = metrics_for(days, period, cfg, period_made)
    notes = metric_notes(metrics, cov, days, period, cfg)
    # days of notes tagged as config says (illness, travel) are not the baseline (not with
    # `vs`: a period the user chose is compared whole)
    left = baseline.left_out(days.events, base, () if vs else cfg.baseline_exclude_tags)
    if left.height:
        days, ready = baseline.without_days(days, left["date"].to_list()), None
    out = {
        "person": who,
        "period": period.as_dict(),
        "baseline_period": base.as_dict(),
        "baseline_left_out": baseline.summary_of(left),
        "coverage": cov,
        "metrics": metrics,
        "notes": notes,
        "direction": with_reasons(directions(days, period, base, cfg, ready), notes),
    }
    if vs is not None:
        ref_cov = coverage(days, vs)
        if not has_data(ref_cov):
            raise DataError(
                f"no data for {who} in the reference period {vs.start} to {vs.end}"
                f"{data_span(days)}; pick a reference period that has data."
            )
        out["reference"] = {
            "period": vs.as_dict(),
            "coverage": ref_cov,
            "metrics": metrics_for(days, vs, cfg),
        }
    return out


def with_reasons(direction: dict[str, dict], notes: dict[str, str]) -> dict[str, dict]:
    """A direction without data this period says why (the metric's own reason), and an
    estimate says so: "too little data: 0 weeks" is true but tells nobody what to do."""
    for key, d in direction.items():
        why = notes.get(key)
        if why and (d["note"] is None or d["value"] is None):
            d["note"] = why
    return direction
