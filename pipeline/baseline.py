"""Days left out of the baseline: those of notes whose tag the user listed in config
(`[baseline] exclude_tags = ["illness", "travel"]`). A week with the flu or on holiday is
not the person's usual; compared with it, an ordinary month would look like a change.

Only the baseline loses those days: the period looked at keeps every day it has, and the
charts still draw them (with the note on them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from pipeline.period import Period

if TYPE_CHECKING:
    from pipeline.analysis import PersonDays

# PersonDays' frames of days, each with a `date`: what the directions are computed from
DAY_FRAMES = ("activity", "food", "sleep", "weight", "waist", "items")


def left_out(events: pl.DataFrame | None, base: Period, tags: tuple[str, ...]) -> pl.DataFrame:
    """(date, tag): each baseline day inside a note with one of `tags`, once per day (the
    first tag in `tags` order names a day two notes cover)."""
    empty = pl.DataFrame(schema={"date": pl.Date, "tag": pl.String})
    if not tags or events is None or events.is_empty():
        return empty
    chosen = events.filter(pl.col("tag").is_in(list(tags)))
    if chosen.is_empty():
        return empty
    days = chosen.select(
        "tag",
        date=pl.date_ranges(
            pl.max_horizontal(pl.col("date"), pl.lit(base.start)),
            pl.min_horizontal(pl.coalesce("end_date", "date"), pl.lit(base.end)),
        ),
    ).explode("date")
    rank = {t: i for i, t in enumerate(tags)}
    return (
        days.drop_nulls("date")
        .sort(pl.col("tag").replace_strict(rank, return_dtype=pl.Int32), "date")
        .unique("date", keep="first")
        .sort("date")
    )


def without_days(days: PersonDays, dates: list[dt.date]) -> PersonDays:
    """The frames without these days."""
    gone = pl.col("date").is_in(dates)
    return dataclasses.replace(
        days,
        **{
            name: getattr(days, name).filter(~gone)
            for name in DAY_FRAMES
            if "date" in getattr(days, name).columns
        },
    )


def summary_of(left: pl.DataFrame) -> dict | None:
    """{"days": 7, "by_tag": {"illness": 7}} for the summary, None when nothing was left out."""
    if left.is_empty():
        return None
    counts = left.group_by("tag").len().sort("tag")
    return {"days": left.height, "by_tag": dict(counts.iter_rows())}


def sentence(left: dict | None, tags: bool = True) -> str | None:
    """How many days were left out and why ("7 days were left out of the baseline: notes
    tagged illness (7 days)."); without `tags` (a bundle shared without notes), how many."""
    if not left:
        return None
    n = left["days"]
    said = f"{n} day{'s were' if n != 1 else ' was'} left out of the baseline"
    if not tags:
        return f"{said}, as the person's settings ask (days of some of their notes)."
    parts = ", ".join(
        f"{tag} ({k} day{'s' if k != 1 else ''})" for tag, k in left["by_tag"].items()
    )
    return f"{said}: notes tagged {parts}."
