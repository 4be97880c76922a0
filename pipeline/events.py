"""Notes on what happened in a person's life: `spectrum note add | list | remove | import`.

A note is a day (`2026-09-14`) or a range of days (`2026-10-05..2026-10-11`), a short text
and an optional one-word tag. Notes are rows of the `events` table (schemas/events.py),
written in the same transactions as every other table: `undo` takes back the newest note
added (or removed), `forget` an import, `delete` every note of a person.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.errors import DataError
from pipeline.period import Period
from pipeline.store import Store

NOTE_PATH = "(note)"  # how a note added on the command line is named in `spectrum log`
DAY_FORMAT = "YYYY-MM-DD"


@dataclass(frozen=True)
class Note:
    id: str
    person: str
    date: dt.date
    end_date: dt.date | None
    text: str
    tag: str | None

    @property
    def last(self) -> dt.date:
        return self.end_date or self.date

    @property
    def span(self) -> Period:
        return Period(self.date, self.last)


def parse_days(text: str) -> tuple[dt.date, dt.date | None]:
    """`2026-09-14` or `2026-10-05..2026-10-11`: the first day and the last (None: one day)."""
    first, sep, last = text.strip().partition("..")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if sep else None
    except ValueError:
        raise DataError(
            f"'{text}' is not a day or a range of days; write {DAY_FORMAT} or "
            f"{DAY_FORMAT}..{DAY_FORMAT}, e.g. 2026-10-05..2026-10-11."
        ) from None
    if end is not None and end < start:
        raise DataError(f"the range {text} ends before it starts; put the earlier day first.")
    return start, (None if end == start else end)


def note_person(store: Store, person: str | None) -> str:
    """Whose note: --person, else the only person in the store ('me' in an empty store)."""
    if person:
        return person
    from pipeline.summary import choose_person

    return choose_person(store, None) if store.persons() else "me"


def add(store: Store, person: str, days: str, words: str, tag: str | None, say=None) -> Note:
    """Store one note, checked like a line of a notes file; an invalid note is an error."""
    from pipeline import ingest
    from pipeline.prepare import prepare_rows
    from pipeline.quarantine import quarantine_rows
    from pipeline.sources import notes_csv
    from pipeline.sources._csv import read_rows
    from pipeline.sources._parse import ReadOptions

    start, end = parse_days(days)
    data = _csv_bytes([start.isoformat(), end.isoformat() if end else "", words, tag or ""])
    opts = ReadOptions(person=person)
    file_id = hashlib.sha256(person.encode() + b"\n" + data).hexdigest()
    ingest.preload_pandera()
    prep = prepare_rows(Path(NOTE_PATH), read_rows(data, Path(NOTE_PATH)), notes_csv, file_id, opts)
    if prep.failures.height:
        reason = quarantine_rows(prep)["reason"][0]
        raise DataError(f"the note was not stored: {reason}.")
    ingest.write(store, [prep], opts, say)
    row = prep.tables()["events"].row(0, named=True)
    return _note(row)


def _csv_bytes(cells: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([["date", "end", "text", "tag"], cells])
    return out.getvalue().encode("utf-8")


def _note(row: dict) -> Note:
    return Note(**{k: row[k] for k in Note.__dataclass_fields__})


def stored(store: Store) -> pl.DataFrame:
    """Every note in the store, in date order."""
    cols = list(Note.__dataclass_fields__)
    return store.read("events").select(cols).sort("date", "end_date", "id").collect()


def listing(
    store: Store,
    person: str | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    tag: str | None = None,
) -> pl.DataFrame:
    """The person's notes that touch [start, end], with `tag` when given."""
    notes = stored(store).filter(pl.col("person") == person) if person else stored(store)
    last = pl.coalesce("end_date", "date")
    if start is not None:
        notes = notes.filter(last >= start)
    if end is not None:
        notes = notes.filter(pl.col("date") <= end)
    if tag is not None:
        notes = notes.filter(pl.col("tag") == tag.lower())
    return notes


def find(store: Store, note_id: str) -> Note:
    """The note with this id; an error that says where ids are listed."""
    found = stored(store).filter(pl.col("id") == note_id.strip().lower())
    if found.is_empty():
        raise DataError(f"no note {note_id} in this store; 'spectrum note list' shows the ids.")
    return _note(found.row(0, named=True))


def remove(store: Store, note_id: str, say=None) -> Note:
    """Take a note out of the store (`spectrum undo` puts it back)."""
    from pipeline.txn import journal, quiet, sql_literal, writing

    with writing(store, say or quiet) as w:
        note = find(store, note_id)
        w.delete("events", f"id = {sql_literal(note.id)} AND person = {sql_literal(note.person)}")
        journal(store, [{"op": "remove", "target": note.id, "persons": note.person}], w.op_id)
    return note


def one_line(text: str) -> str:
    """A note on one line of a terminal: line breaks and control characters as spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def days_span(row: dict) -> str:
    """A stored note's days as `note add` takes them: "2026-10-05..2026-10-11"."""
    return str(row["date"]) if row["end_date"] is None else f"{row['date']}..{row['end_date']}"


def days_text(note: Note) -> str:
    """ "2026-09-14", or "2026-10-05 to 2026-10-11"."""
    return str(note.date) if note.end_date is None else f"{note.date} to {note.end_date}"


CSV_COLUMNS = ("id", "date", "end", "text", "tag")


def as_csv(notes: pl.DataFrame) -> str:
    """The notes as a CSV that `note import` reads back; a text that starts like a formula
    (=, +, -, @) gets an apostrophe, so a spreadsheet shows it instead of running it."""
    from pipeline.csvout import csv_text

    rows = notes.select("id", "date", "end_date", "text", "tag").iter_rows()
    return csv_text(CSV_COLUMNS, [[i, str(d), e and str(e), t, g] for i, d, e, t, g in rows])


def as_json(notes: pl.DataFrame) -> list[dict]:
    return notes.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).to_dicts()


def around(note: Note, weeks: int) -> tuple[Period, Period]:
    """The `weeks` weeks before the note and the `weeks` weeks after it; its days in neither."""
    length = dt.timedelta(days=7 * weeks)
    day = dt.timedelta(days=1)
    return Period(note.date - length, note.date - day), Period(note.last + day, note.last + length)


def since(note: Note, last_day: dt.date | None) -> tuple[Period, Period]:
    """Every day after the note up to the last day with data, and as many days before it."""
    if last_day is None or last_day <= note.last:
        raise DataError(
            f"no data after note {note.id} ({days_text(note)}); ingest newer exports, or use "
            f"compare --around {note.id}."
        )
    after = Period(note.last + dt.timedelta(days=1), last_day)
    return Period(
        note.date - dt.timedelta(days=after.days), note.date - dt.timedelta(days=1)
    ), after


def last_data_day(store: Store, person: str) -> dt.date | None:
    """The person's last day in the day tables (and weigh-ins, workouts, glucose)."""
    days = {"activity_daily": "date", "food_items": "date", "sleep": "date", "body": "ts_local",
            "workouts": "start_local", "glucose": "ts_local"}  # fmt: skip
    found = [
        store.read(t).filter(pl.col("person") == person).select(last=pl.col(c).max().cast(pl.Date))
        for t, c in days.items()
    ]
    return pl.concat(pl.collect_all(found))["last"].max()


def compared(note: Note, a: Period, b: Period, how: str) -> dict:
    """The note a comparison is made around, and its two periods (for --json and the page)."""
    return {
        "id": note.id,
        "person": note.person,
        "days": days_text(note),
        "tag": note.tag,
        "text": note.text,
        "how": how,
        "before": a.as_dict(),
        "after": b.as_dict(),
    }


def compared_words(c: dict) -> str:
    """ "Around note 858df12e (2026-10-05 to 2026-10-11, illness: A cold): 8 weeks before ..."."""
    tag = f"{c['tag']}: " if c["tag"] else ""
    # one line, whatever the note holds (line breaks, a terminal's control characters)
    text = " ".join(one_line(c["text"]).split())
    lead = "Around" if c["how"].startswith("around") else "Since"
    return (
        f"{lead} note {c['id']} ({c['days']}, {tag}{text}): {c['before']['start']} to "
        f"{c['before']['end']} before it, against {c['after']['start']} to {c['after']['end']} "
        "after it."
    )
