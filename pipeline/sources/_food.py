"""What every food-log source does after parsing: person, entry ids, granularity."""

from __future__ import annotations

import polars as pl

from pipeline.sources._csv import LINE
from pipeline.sources._parse import Converted, ReadOptions
from schemas.rules import within_rounding

CARB_PARTS = ("carbs_g", "fiber_g", "sugars_g", "added_sugars_g")


def _lines(frame: pl.DataFrame) -> str:
    shown = [str(n) for n in frame[LINE].head(5)]
    return ", ".join(shown) + (", ..." if frame.height > 5 else "")


def _entries(n: int) -> str:
    return "1 entry lists" if n == 1 else f"{n} entries list"


NULLED = "carbs_set_unknown"


def carbohydrate_checked(
    frame: pl.DataFrame,
) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """Entries whose fibre or sugars exceed their carbohydrate (METRICS.md).

    Within app rounding (1 g or 10%) they count as they are; beyond it the carbohydrate
    figures of that entry are unknown, but its energy still counts: a 412 kcal recipe is
    eaten whatever its label's arithmetic. Both cases are told, never silent.
    """
    over = (pl.col("fiber_g") > pl.col("carbs_g")) | (pl.col("sugars_g") > pl.col("carbs_g"))
    fits = within_rounding("fiber_g", "carbs_g") & within_rounding("sugars_g", "carbs_g")
    rounded, broken = frame.filter(over & fits), frame.filter(~fits)
    warnings = []
    if rounded.height:
        warnings.append(
            f"{_entries(rounded.height)} slightly more fibre or sugars than carbohydrate (app "
            f"rounding, line(s) {_lines(rounded)}): counted as they are"
        )
    if broken.height:
        warnings.append(
            f"{_entries(broken.height)} more fibre or sugars than carbohydrate beyond rounding "
            f"(line(s) {_lines(broken)}): their carbohydrate figures are left unknown, their "
            "energy counts"
        )
    cleared = frame.with_columns(
        [pl.when(fits).then(pl.col(c)).alias(c) for c in CARB_PARTS if c in frame.columns]
    )
    nulled = broken.select(
        pl.col(LINE),
        column=pl.lit("carbohydrate, fibre, sugars"),
        check=pl.lit(NULLED),
        value=pl.format(
            "stored with carbohydrate, fibre and sugars unknown: fibre {} g, sugars {} g, "
            "carbohydrate {} g (more than rounding allows); energy, protein and fat count",
            pl.col("fiber_g").fill_null(0).round(2),
            pl.col("sugars_g").fill_null(0).round(2),
            pl.col("carbs_g").round(2),
        ),
    )
    return cleared, warnings, nulled


def finish(conv: Converted, opts: ReadOptions, granularity: str) -> Converted:
    """Number entries within each day in file order, and settle impossible carbohydrate.

    A later export of the same app replaces whole days (see store.py), so an id only has to be
    unique and stable within a day of one file, which the position is.
    """
    frame, warnings, nulled = carbohydrate_checked(conv.frame)
    frame = frame.with_columns(
        person=pl.lit(opts.person or "me"),
        entry_id=pl.format("{}", pl.int_range(pl.len()).over("date") + 1).str.zfill(4),
        granularity=pl.lit(granularity),
    )
    return Converted(frame, conv.failures, conv.ignored, tuple(warnings), nulled)
