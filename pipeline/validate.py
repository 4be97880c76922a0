"""The one place data is checked: pandera models from schemas/, on collected DataFrames.

pandera's polars backend checks values only on a DataFrame (on a LazyFrame it checks names and
dtypes), so validation runs on collected frames with `lazy=True` to gather every failure.
"""

from __future__ import annotations

import polars as pl

import schemas
from pipeline.imports import preload
from pipeline.sources._csv import LINE
from pipeline.sources._parse import FAILURE_SCHEMA


def preload_pandera() -> None:
    """Import pandera in a thread while the file is read (0.2-0.4 s, a tenth of a large
    ingest): reading and parsing run in polars, which lets go of Python's lock, so the two
    overlap. validate()'s own import then waits for this one to finish, if need be."""
    preload("pandera.polars")


def validate(
    table: str, frame: pl.DataFrame, keep_line: bool = False
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows that pass, failures with `_line`, column, check, value). `keep_line`: the rows
    that pass keep their `_line` (the fuzz tests compare rows line by line)."""
    # imported here: ingest loads this module, and an unchanged file never needs pandera
    import pandera.polars as pa

    model = schemas.model(table)
    data = frame.select([*schemas.columns(table), LINE])
    try:
        model.validate(data.drop(LINE), lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = _failures(exc.failure_cases, data[LINE])
        bad = failures[LINE].implode()
        good = data.filter(~pl.col(LINE).is_in(bad))
        return (good if keep_line else good.drop(LINE)), failures
    return (data if keep_line else data.drop(LINE)), pl.DataFrame(schema=FAILURE_SCHEMA)


def _failures(cases: pl.DataFrame, lines: pl.Series) -> pl.DataFrame:
    """Map pandera's failure cases (row positions) to file lines."""
    if cases["index"].null_count():
        # A schema-level failure (a wrong dtype) is a bug in a source module, not bad data.
        raise RuntimeError(f"schema failure without rows:\n{cases}")
    subject = pl.col("check").str.split("_not_").list.first().str.split("_at_").list.first()
    found = pl.DataFrame(
        {LINE: lines.gather(cases["index"].cast(pl.Int64))}, schema={LINE: pl.Int64}
    ).with_columns(
        cases.select(
            # a whole-row check names the model, not a column: name the check's subject
            pl.when(pl.col("schema_context") == "DataFrameSchema")
            .then(subject)
            .otherwise(pl.col("column"))
            .alias("column"),
            pl.col("check"),
            pl.col("failure_case").alias("value"),
            whole_row=pl.col("schema_context") == "DataFrameSchema",
        )
    )
    # a whole-row check's failure case is the row (as JSON): keep only the offending cell
    cell = pl.col("value")
    for name in found.filter("whole_row")["column"].unique().to_list():
        picked = pl.col("value").str.json_path_match(f"$.{name}")
        cell = (
            pl.when(pl.col("whole_row") & (pl.col("column") == name)).then(picked).otherwise(cell)
        )
    return found.with_columns(value=cell.str.slice(0, 200)).drop("whole_row")
