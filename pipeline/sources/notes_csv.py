"""A notes file: what happened in a person's life, one event per line (`spectrum note import`).

date,end,text,tag
2026-09-14,,Started walking after dinner,walks
2026-10-05,2026-10-11,A cold,illness

`date` and `text` are needed; `end` (the last day of a range, or `end_date`) and `tag` (one
word) may be left out, as columns or as cells; other columns (the `id` that `note list
--csv` writes) are not read. Dates are YYYY-MM-DD. A line that fails (a
date that is not one, an end before the start, an empty text) is quarantined like any other
input. The same note read twice is one note: its id is made from its content.
"""

from __future__ import annotations

import hashlib

import polars as pl

from pipeline.sources._csv import LINE
from pipeline.sources._parse import Converted, ReadOptions, convert, iso_date, text

NAME = "notes_csv"
TABLE = "events"
TITLE = "Notes on what happened (date,end,text,tag)"
HOW_TO_EXPORT = (
    "Write it in any spreadsheet: columns date, text, and optionally end and tag; "
    "then spectrum note import FILE.csv."
)
ROLES = {"date": ("date",), "end_date": ("end", "end_date"), "text": ("text",), "tag": ("tag",)}
SPEC = {"date": ("date", iso_date)}  # the date cell of a line that failed: that day is kept


def _role_of(column: str) -> str | None:
    name = column.strip().lower()
    return next((role for role, names in ROLES.items() if name in names), None)


REQUIRED = ("date", "text")


def detect(columns: list[str]) -> bool:
    # other columns (the `id` of `note list --csv`, a comment) are there, and not read
    roles = [r for r in map(_role_of, columns) if r is not None]
    return set(REQUIRED) <= set(roles) and len(set(roles)) == len(roles)


def note_id(person: str, date: str, end: str | None, words: str, tag: str | None) -> str:
    """Eight hex digits from the note itself: the same note written twice is one note."""
    made = "\x1f".join([person, date, end or "", words, tag or ""])
    return hashlib.sha256(made.encode("utf-8")).hexdigest()[:8]


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    found = {_role_of(c): c for c in raw.columns if c != LINE}
    conv = convert(
        raw,
        {
            "date": (found.get("date"), iso_date),
            "end_date": (found.get("end_date"), iso_date),
            "text": (found.get("text"), text),
            "tag": (found.get("tag"), text),
        },
    )
    person = opts.person or "me"
    frame = conv.frame.with_columns(
        person=pl.lit(person),
        # a one-day event may write its day as its end too
        end_date=pl.when(pl.col("end_date") != pl.col("date")).then(pl.col("end_date")),
        # `note list --csv` writes "'=..." so a spreadsheet shows a formula-like text
        # instead of running it (pipeline/csvout.py); read back, the text is the note's own
        text=pl.col("text").str.replace(r"^'([=+\-@\t\r])", "$1").replace("", None),
        tag=pl.col("tag").str.to_lowercase().replace("", None),
    )
    # a notes file holds dozens of lines: their ids are made in Python
    ids = [
        note_id(person, str(d), None if e is None else str(e), t or "", g)
        for d, e, t, g in frame.select("date", "end_date", "text", "tag").iter_rows()
    ]
    frame = frame.with_columns(id=pl.Series(ids, dtype=pl.String))
    return Converted(frame, conv.failures, conv.ignored, conv.warnings)
