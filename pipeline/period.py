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


def parse_span(text: str) -> Period:
    """A period as people write it: `2026-10`, `2026-01..2026-06` (whole months) or
    `2026-09-01..2026-10-27` (days). A ValueError says what was expected."""
    text = text.strip()
    first, sep, last = text.partition("..")
    try:
        if not sep:
            return month_period(text)
        if re.fullmatch(r"\d{4}-\d{2}", first) and re.fullmatch(r"\d{4}-\d{2}", last):
            span = Period(month_period(first).start, month_period(last).end)
        else:
            span = Period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    except ValueError:
        raise ValueError(
            f"'{text}' is not a period; write a month (2026-10), months (2026-01..2026-06) "
            "or days (2026-09-01..2026-10-27)"
        ) from None
    if span.end < span.start:
        raise ValueError(f"'{text}' ends before it starts")
    return span


def months_in(span: Period) -> list[Period]:
    """The calendar months that `span` covers, each whole."""
    out, start = [], dt.date(span.start.year, span.start.month, 1)
    while start <= span.end:
        out.append(month_period(f"{start:%Y-%m}"))
        start = add_months(start, 1)
    return out


def period_name(p: Period) -> str:
    """How a period reads in a title: "October 2026", "Jan–Jun 2026", "2026-09-01 to ..."."""
    whole_months = p.start.day == 1 and add_months(p.start, len(months_in(p))) == (
        p.end + dt.timedelta(days=1)
    )
    if not whole_months:
        return f"{p.start} to {p.end}"
    if (p.start.year, p.start.month) == (p.end.year, p.end.month):
        return p.start.strftime("%B %Y")
    if p.start.year == p.end.year:
        return f"{p.start:%b}–{p.end:%b %Y}"
    return f"{p.start:%b %Y}–{p.end:%b %Y}"


def period_slug(p: Period) -> str:
    """A period in a file name: 2026-10, 2026-01_to_2026-06, 2026-09-01_to_2026-10-27."""
    name = period_name(p)
    if " to " in name:
        return f"{p.start}_to_{p.end}"
    if p.start.month == p.end.month and p.start.year == p.end.year:
        return f"{p.start:%Y-%m}"
    return f"{p.start:%Y-%m}_to_{p.end:%Y-%m}"
