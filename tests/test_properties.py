"""Properties that hold for any data (hypothesis)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.metrics import periods
from pipeline.store import merge_replacing

days = st.lists(
    st.tuples(st.integers(0, 60), st.one_of(st.none(), st.floats(0, 500)), st.floats(0.1, 80)),
    min_size=1,
    max_size=40,
    unique_by=lambda t: t[0],
)


def food_frame(rows) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "date": [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d, _, _ in rows],
            "carbs_g": [c for _, c, _ in rows],
            "fiber_g": [f for _, _, f in rows],
            "logged": [True] * len(rows),
        },
        schema={
            "date": pl.Date,
            "carbs_g": pl.Float64,
            "fiber_g": pl.Float64,
            "logged": pl.Boolean,
        },
    )


@given(days)
@settings(max_examples=60, deadline=None)
def test_ratio_is_sum_over_sum_and_order_free(rows):
    frame = food_frame(rows)
    m = periods.MEASURES["carb_fiber_ratio"]
    value = frame.select(periods.ratio_expr(m)).item()
    known = [(c, f) for _, c, f in rows if c is not None]
    if not known:
        assert value is None  # nothing known: missing, not 0
        return
    expected = sum(c for c, _ in known) / sum(f for _, f in known)
    assert abs(value - expected) <= 1e-9 * max(1.0, expected)
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=1).select(periods.ratio_expr(m))
    assert abs(shuffled.item() - value) <= 1e-9 * max(1.0, value)


@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 3), st.integers(-1000, 1000)), max_size=30
    ),
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 3), st.integers(-1000, 1000)), max_size=30
    ),
)
@settings(max_examples=60, deadline=None)
def test_merge_replacing_is_idempotent(old_rows, new_rows):
    schema = {"day": pl.Int64, "entry": pl.Int64, "v": pl.Int64}
    old = pl.DataFrame(old_rows, schema=schema, orient="row")
    new = pl.DataFrame(new_rows, schema=schema, orient="row")
    once = merge_replacing(old, new, ["day"])
    twice = merge_replacing(once, new, ["day"])
    assert sorted(once.rows()) == sorted(twice.rows())
    # every day the new data covers comes only from the new data
    covered = set(new["day"])
    assert sorted(r for r in once.rows() if r[0] in covered) == sorted(new.rows())
