"""What every food-log source does after parsing: person, entry ids, granularity."""

from __future__ import annotations

import polars as pl

from pipeline.sources._parse import Converted, ReadOptions


def finish(conv: Converted, opts: ReadOptions, granularity: str) -> Converted:
    """Number entries within each day in file order.

    A later export of the same app replaces whole days (see store.py), so an id only has to be
    unique and stable within a day of one file, which the position is.
    """
    frame = conv.frame.with_columns(
        person=pl.lit(opts.person or "me"),
        entry_id=pl.format("{}", pl.int_range(pl.len()).over("date") + 1).str.zfill(4),
        granularity=pl.lit(granularity),
    )
    return Converted(frame, conv.failures)
