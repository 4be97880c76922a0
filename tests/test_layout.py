"""pipeline/layout.py (what reading the store needs, without pandera) says the same as the
pandera models in schemas/ (what ingest checks): a column, type or key changed in one and not
the other fails here."""

from __future__ import annotations

import polars as pl
import pytest

import schemas
from pipeline import layout


def pandera_schema(table: str) -> pl.Schema:
    cols = schemas.model(table).to_schema().columns
    return pl.Schema({name: col.dtype.type for name, col in cols.items()})


def test_the_same_tables_in_the_same_order():
    assert list(layout.TABLES) == list(schemas.TABLES)


@pytest.mark.parametrize("table", list(schemas.TABLES))
def test_columns_and_types_match_the_pandera_model(table):
    expected = pandera_schema(table)
    assert layout.columns(table) == schemas.columns(table)
    got = layout.empty(table).schema
    assert got == expected
    # repr tells Datetime("us") from Datetime("ns"), which == between a class and an
    # instance would not
    assert [repr(t) for t in got.values()] == [repr(t) for t in expected.values()]
    assert pl.Schema(layout.schema(table)) == expected


@pytest.mark.parametrize("table", list(schemas.TABLES))
def test_key_replace_by_and_migrate_match_the_schema_module(table):
    assert layout.key(table) == schemas.key(table)
    assert layout.replace_by(table) == schemas.replace_by(table)
    assert layout.migrate(table) == schemas.migrate(table)
    assert set(layout.key(table)) <= set(layout.columns(table))
    assert set(layout.replace_by(table)) <= set(layout.key(table))
    assert set(layout.migrate(table)) <= set(layout.columns(table))
