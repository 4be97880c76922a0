"""Small frame helpers used on the ingest path, where a minute file has millions of rows."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def has_repeated_keys(frame: pl.DataFrame, key: Sequence[str]) -> bool:
    """Whether two rows share `key`. Most files hold one person and one source, so the key
    varies in one column only: counting that column's distinct values is far cheaper than
    hashing every key (2.6 M minutes: 1 ms instead of 130 ms)."""
    if frame.height < 2:
        return False
    counts = frame.select(pl.col(list(key)).n_unique()).row(0)
    varying = [k for k, n in zip(key, counts, strict=True) if n > 1]
    if len(varying) > 1:
        return bool(frame.select(pl.struct(list(key)).is_duplicated().any()).item())
    return max(counts) < frame.height


def last_per_key(frame: pl.DataFrame, key: Sequence[str]) -> pl.DataFrame:
    """The last row of each key, in the frame's order (a later line of a file wins)."""
    if not has_repeated_keys(frame, key):
        return frame
    return frame.unique(subset=list(key), keep="last", maintain_order=True)
