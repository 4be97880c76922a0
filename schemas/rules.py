"""Plain rules on values, shared by the pandera checks and the readers that apply them while
reading (a reader must not load pandera: it is imported by every command that lists formats)."""

from __future__ import annotations

import polars as pl

ROUNDING_G, ROUNDING_SHARE = 1.0, 0.10  # apps round: 2.00 g fibre in 1.68 g carbohydrate
BPM_MIN, BPM_MAX = 25, 250  # outside this a sample is a sensor glitch, not a heart rate


def within_rounding(part: str, whole: str) -> pl.Expr:
    """`part <= whole`, give or take app rounding (1 g or 10% of the whole, the larger);
    unknown is not a failure (METRICS.md "Which days count")."""
    slack = pl.max_horizontal(pl.lit(ROUNDING_G), ROUNDING_SHARE * pl.col(whole))
    return (
        pl.col(part).is_null() | pl.col(whole).is_null() | (pl.col(part) <= pl.col(whole) + slack)
    )


def not_above(part: str, whole: str) -> pl.Expr:
    """`part <= whole` where both are known; unknown is not a failure."""
    return pl.col(part).is_null() | pl.col(whole).is_null() | (pl.col(part) <= pl.col(whole))
