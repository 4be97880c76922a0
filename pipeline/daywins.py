"""Which export wins a day (food, daily activity, sleep: the tables keyed by day).

A stored day is replaced only by an export of the same source whose coverage ends at or
after the stored one's (the export's last date; on a tie the later ingest wins). An export's
last day may have been cut short when it was exported, so it never replaces a stored day. An
older export only fills the days the store does not have. `replace` forces an export's days
in. A day whose new rows include a quarantined row keeps its stored rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

DAY_TABLES = ("food_items", "activity_daily", "sleep")
DAY = ["person", "source", "date"]


@dataclass
class DayOutcome:
    replaced: int = 0  # stored days this export replaced
    kept: int = 0  # stored days left alone (the export is older, or the day is its last)
    held: list[str] = field(default_factory=list)  # stored days kept because of a bad row


def choose(
    old: pl.DataFrame,
    new: pl.DataFrame,
    group: list[str],
    last: dt.date | None,
    replace: bool,
    bad_days: pl.DataFrame | None,
) -> tuple[pl.DataFrame, DayOutcome]:
    """The new rows that may go in, and what happened to the stored days.

    `old` holds the stored rows of the partitions `new` touches, with `export_last`."""
    new_groups = new.select(group).unique()
    if old.is_empty() or last is None:
        return new, DayOutcome()
    stored = old.group_by(group).agg(
        old_last=pl.col("export_last").max() if "export_last" in old.columns else pl.lit(None)
    )
    bad = (
        bad_days.select(DAY).unique().with_columns(bad=pl.lit(True))
        if bad_days is not None and bad_days.height
        else pl.DataFrame(schema={**{c: new.schema[c] for c in DAY}, "bad": pl.Boolean})
    )
    d = (
        new_groups.join(stored.with_columns(stored=pl.lit(True)), on=group, how="left")
        .join(bad, on=DAY, how="left")
        .with_columns(pl.col("stored", "bad").fill_null(False))
    )
    newer = pl.col("old_last").is_null() | (pl.lit(last) >= pl.col("old_last"))
    partial = pl.col("date") == pl.lit(last)
    wins = ~pl.col("stored") | (~pl.col("bad") & (pl.lit(replace) | (newer & ~partial)))
    d = d.with_columns(wins=wins)

    def days(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.select(DAY).unique()

    outcome = DayOutcome(
        replaced=days(d.filter(pl.col("stored") & pl.col("wins"))).height,
        kept=days(d.filter(pl.col("stored") & ~pl.col("wins") & ~pl.col("bad"))).height,
        held=sorted(
            str(x) for x in days(d.filter(pl.col("stored") & pl.col("bad")))["date"].to_list()
        ),
    )
    return new.join(d.filter("wins").select(group), on=group, how="semi"), outcome
