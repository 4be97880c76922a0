"""Consistency: how often a personal target is met, and weekly streaks.

`consistency.<target>` is the share of counted days (valid activity days, logged food days)
that meet the target, over the days that know the figure. A week counts towards a streak
when at least `min_days` of its days meet the target.
"""

from __future__ import annotations

import polars as pl

from pipeline.config import Config

TARGETS = ("steps", "mvpa", "fiber_density", "added_sugar")


def target_flags(cfg: Config) -> dict[str, tuple[str, pl.Expr]]:
    """target -> (frame kind, per-day expression: True met, False missed, null unknown)."""
    return {
        "steps": ("activity", pl.col("steps") >= cfg.steps_target),
        "mvpa": ("activity", pl.col("mvpa_min") >= cfg.mvpa_target_min_per_day),
        "fiber_density": (
            "food",
            pl.when(pl.col("kcal") > 0).then(
                1000 * pl.col("fiber_g") / pl.col("kcal") >= cfg.fiber_target_g_per_1000kcal
            ),
        ),
        # added sugars only: total sugars include fruit and milk, so they are not this target
        "added_sugar": (
            "food",
            pl.when(pl.col("kcal") > 0).then(
                400 * pl.col("added_sugars_g") / pl.col("kcal") < cfg.added_sugar_target_pct_kcal
            ),
        ),
    }


def _counted(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    return frame.filter(pl.col("valid" if kind == "activity" else "logged"))


def consistency(frames: dict[str, pl.DataFrame], cfg: Config) -> dict[str, float | None]:
    """Share of counted days meeting each target (null when no day knows the figure)."""
    out: dict[str, float | None] = {}
    for target, (kind, met) in target_flags(cfg).items():
        flags = _counted(frames[kind], kind).select(met.alias("met"))["met"].drop_nulls()
        out[target] = float(flags.mean()) if flags.len() else None
    return out


def week_streaks(frames: dict[str, pl.DataFrame], cfg: Config) -> dict[str, dict[str, int]]:
    """Per target: the period's weeks (Monday start) with at least `streak_min_days` days
    that know the figure, how many of them had that many days meeting it, and the longest
    run of consecutive such weeks.

    A week cut by the month's edge, or with too few days of data, could never count, so it
    is not one of the weeks either (a month of perfect days is not "3 of 5 weeks").
    """
    out = {}
    for target, (kind, met) in target_flags(cfg).items():
        weeks = (
            _counted(frames[kind], kind)
            .select(week=pl.col("date").dt.truncate("1w"), met=met)
            .drop_nulls("met")
            .group_by("week")
            .agg(days_met=pl.col("met").sum(), days=pl.len())
            .filter(pl.col("days") >= cfg.streak_min_days)
            .sort("week")
        )
        counts = [d >= cfg.streak_min_days for d in weeks["days_met"]]
        starts = weeks["week"].to_list()
        longest = run = 0
        for i, ok in enumerate(counts):
            consecutive = i > 0 and (starts[i] - starts[i - 1]).days == 7
            run = (run + 1 if consecutive else 1) if ok else 0
            longest = max(longest, run)
        out[target] = {"weeks": len(counts), "weeks_met": sum(counts), "longest_streak": longest}
    return out
