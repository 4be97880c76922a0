"""What every Fitbit/Fitabase `*_merged.csv` shares: an `Id` column naming the person."""

from __future__ import annotations

import polars as pl

from pipeline.errors import DataError
from pipeline.sources._parse import Converted, convert


def person_expr(raw: pl.DataFrame, person: str | None) -> pl.Expr:
    """The file's own `Id`s, or `person` when given for a one-person file."""
    if person is None:
        return pl.col("Id").str.strip_chars().alias("person")
    ids = raw["Id"].drop_nulls().unique().sort().to_list()
    if len(ids) > 1:
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        raise DataError(
            f"this Fitbit export holds {len(ids)} people (Id {shown}); "
            "drop --person to store each under their own Id."
        )
    return pl.lit(person).alias("person")


def read_merged(
    raw: pl.DataFrame, person: str | None, spec: dict, **constants: pl.Expr
) -> Converted:
    """Convert a `*_merged.csv` by `spec`, then add the person and any constant columns."""
    conv = convert(raw, spec, person_expr(raw, person))
    return Converted(conv.frame.with_columns(**constants), conv.failures)
