"""Simulated person-months with no real change (or a known one), to measure how often the
direction labels say "toward"/"away" by chance (METRICS.md: about 1 time in 20 at most).

Daily series have AR(1) day-to-day persistence, a weekend effect, missing days, partial
weeks at the month's edges, and optionally a slow week-level drift (AR(1) across weeks, so
neighbouring weeks are alike). Three kinds of metric:
- "steps": a daily mean (steps_mean), weeks need 4 days with data;
- "ratio": a ratio of sums (carbs : fibre from two correlated daily series);
- "sparse": weigh-ins on about a third of the days, weeks need 1 reading.
Pure Python and seeded: the same numbers every run.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from pipeline.metrics.direction import AWAY, INSUFFICIENT, TOWARD, direction_of_weeks

BASELINE_MONTHS = 3
MONTHS = [dt.date(2025, m, 1) for m in range(4, 13)]  # varied weekday alignment


@dataclass(frozen=True)
class Scenario:
    metric: str  # "steps", "ratio" or "sparse"
    rho: float  # day-to-day persistence, AR(1) coefficient
    drift: bool  # slow week-level drift
    effect: float = 0.0  # change in the reported month, in SDs of weekly means


def month_start(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _series(rng: random.Random, days: int, rho: float, drift: bool, start: dt.date) -> list[float]:
    """Standardised daily noise: AR(1) by day, plus week-level AR(1) drift, plus weekend."""
    out, e, w = [], rng.gauss(0, 1), rng.gauss(0, 0.42) if drift else 0.0
    scale = math.sqrt(1 - rho * rho)
    for i in range(days):
        day = start + dt.timedelta(days=i)
        if i and day.weekday() == 0 and drift:
            w = 0.8 * w + rng.gauss(0, 0.25)  # stationary SD about 0.42
        e = rho * e + scale * rng.gauss(0, 1)
        out.append(e + w + (0.3 if day.weekday() >= 5 else 0.0))
    return out


# Per metric: the share of days with data, the days a week needs, and the SD of weekly values
# around a person's own mean in metric units (measured on 400 simulated baselines with no
# persistence and no drift: 934 steps, 1.10 on a carbs:fibre of about 10, 0.55 kg), so that
# `effect` is in standard deviations of weekly values.
SHAPES = {
    "steps": {"keep": 0.9, "min_days": 4, "sd_week": 934.0},
    "ratio": {"keep": 0.85, "min_days": 4, "sd_week": 1.10},
    "sparse": {"keep": 0.35, "min_days": 1, "sd_week": 0.55},
}
RATIO_MEAN = 10.0


def _day_values(metric: str, z: float, z2: float, change: float) -> tuple[float, float]:
    """(num, den) of one day: the metric's building blocks, moved by `change` metric units."""
    if metric == "steps":
        return max(0.0, 8000 * (1 + 0.3 * z) + change), 1.0
    if metric == "ratio":
        carbs = max(1.0, 250 * (1 + 0.25 * z)) * (1 + change / RATIO_MEAN)
        fibre = max(0.5, 25 * (1 + 0.3 * (0.5 * z + 0.87 * z2)))
        return carbs, fibre
    return 80 + 0.8 * z + change, 1.0


def person_month(rng: random.Random, sc: Scenario) -> tuple[list[tuple], list[tuple]]:
    """Weekly (week, num, den, days) of the reported month and of its 3-month baseline."""
    month = rng.choice(MONTHS)
    start, end = month_start(month, -BASELINE_MONTHS), month_start(month, 1)
    n = (end - start).days
    shape = SHAPES[sc.metric]
    z = _series(rng, n, sc.rho, sc.drift, start)
    z2 = _series(rng, n, sc.rho, False, start)
    weeks: dict[tuple[bool, dt.date], list[float]] = {}
    for i in range(n):
        day = start + dt.timedelta(days=i)
        if rng.random() > shape["keep"]:
            continue  # a day without data
        now = day >= month
        change = sc.effect * shape["sd_week"] if now else 0.0
        num, den = _day_values(sc.metric, z[i], z2[i], change)
        week = day - dt.timedelta(days=day.weekday())
        acc = weeks.setdefault((now, week), [0.0, 0.0, 0])
        acc[0], acc[1], acc[2] = acc[0] + num, acc[1] + den, acc[2] + 1
    split = {True: [], False: []}
    for (now, week), (num, den, days) in weeks.items():
        split[now].append((week, num, den, days))
    return split[True], split[False]


def rates(sc: Scenario, people: int, seed: int = 1) -> dict[str, float]:
    """Share of person-months labelled toward/away, steady, insufficient."""
    rng = random.Random(f"{seed}-{sc}")
    counts = {"direction": 0, "steady": 0, "insufficient": 0}
    better = +1
    for _ in range(people):
        cur, base = person_month(rng, sc)
        d = direction_of_weeks(cur, base, 1.0, better, 2, 0.0, SHAPES[sc.metric]["min_days"])
        if d["label"] in (TOWARD, AWAY):
            counts["direction"] += 1
        elif d["label"] == INSUFFICIENT:
            counts["insufficient"] += 1
        else:
            counts["steady"] += 1
    return {k: v / people for k, v in counts.items()}


def table(people: int = 1000) -> list[str]:
    """Rows for the benchmark: false-direction rate, and how often a change of 1 or 2 SDs of
    weekly values is found, by metric, persistence and drift."""
    lines = [f"{'metric':<7} {'rho':>4} {'drift':>5} {'false':>6} {'found 1 SD':>10} {'2 SD':>6}"]
    for metric in SHAPES:
        for rho in (0.0, 0.3, 0.5, 0.6):
            for drift in (False, True):
                found = [
                    rates(Scenario(metric, rho, drift, effect=e), people)["direction"]
                    for e in (0.0, 1.0, 2.0)
                ]
                cells = " ".join(f"{100 * f:>5.1f}%" for f in found)
                lines.append(f"{metric:<7} {rho:>4.1f} {str(drift):>5} {cells[:6]} {cells[7:]:>17}")
    return lines


if __name__ == "__main__":
    print("\n".join(table()))
