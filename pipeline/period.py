"""Periods of days: a calendar month, its baseline, and the rows of a frame inside one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl


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


def within(frame: pl.DataFrame, p: Period) -> pl.DataFrame:
    return frame.filter(pl.col("date").is_between(p.start, p.end))
