"""Apple Health: the XML loop over export.xml, and what a damaged file leaves.

The bytes reach lxml through `Cleaned` (the inline DTD dropped, control characters blanked);
`parse` reads them element by element, keeps the attribute texts of the records spectrum
reads in lists, and turns each `CHUNK_RECORDS` of them into a typed polars chunk. After a
parse error every record from the damage on is quarantined by its line (`_damaged`). See
`apple_health` for why each of these is so.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl
from lxml import etree

from pipeline.errors import DataError
from pipeline.sources._apple_records import TEXTS, WANTED, typed, workout_row
from pipeline.sources._csv import FAILURE_SCHEMA, LINE, ROW
from pipeline.sources._parse import ReadOptions

CHUNK_RECORDS = 50_000
# top-level elements that are records of the file (ExportDate and Me are not)
TOP = ("Record", "Workout", "Correlation", "ActivitySummary", "ClinicalRecord", "Audiogram")
TOP += ("VisionPrescription",)
START_TAG = re.compile(rb"<(" + b"|".join(t.encode() for t in TOP) + rb")[\s/>]")
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_TO_SPACE = bytes.maketrans(
    bytes([*range(0, 9), 11, 12, *range(14, 32)]), b" " * (9 + 2 + 18)
)
RECORD_SCHEMA = {
    "code": pl.UInt8,
    "source": pl.Categorical,
    "start": pl.Datetime("us"),
    "end": pl.Datetime("us"),
    "value": pl.Float64,
    LINE: pl.Int32,
}


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


HEAD_CAP = 16 << 20  # a real export's inline DTD is about 10 KB
LINE_CAP = 16 << 20  # a line of a real export.xml is a record: under 1 KB


class Refused(Exception):
    """An export.xml that is not read at all (why, in words)."""


class LongLine(Exception):
    """A line longer than LINE_CAP: damage (or an attack), read no further."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line:,} is longer than {LINE_CAP >> 20} MB")
        self.lineno = line


def _dtd_end(head: bytes, start: int) -> int:
    """The offset just after the DOCTYPE starting at `start` (-1: not within `head`)."""
    bracket, close = head.find(b"[", start), head.find(b">", start)
    if bracket != -1 and (close == -1 or bracket < close):
        end = head.find(b"]>", bracket)
        return -1 if end == -1 else end + 2
    return -1 if close == -1 else close + 1


def _without_dtd(head: bytes) -> bytes:
    """`head` with its DOCTYPE (and inline DTD) replaced by as many newlines as it spans.
    Anything after a `]>` hidden in a DTD comment is left in the text, where lxml reads it as
    broken XML, never as declarations."""
    start = head.find(b"<!DOCTYPE")
    if start == -1:
        return head
    end = _dtd_end(head, start)
    if end == -1:
        return head
    return head[:start] + b"\n" * head.count(b"\n", start, end) + head[end:]


class Cleaned:
    """The export's bytes as lxml reads them: the DOCTYPE (and its inline DTD) replaced by as
    many newlines as it spanned, control characters replaced by spaces. Keeps the last few
    chunks it handed out, so the text after a parse error can be scanned (`rest`)."""

    KEEP = 128  # chunks kept: lxml reads 32 KiB at a time, so about 4 MiB

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.started = False
        self.control = 0  # control characters replaced
        self.lines = 1  # the line the next handed-out byte is on
        self.since = 0  # bytes handed out since the last newline
        self.recent: deque[tuple[int, bytes]] = deque(maxlen=self.KEEP)

    def _head(self) -> bytes:
        """The file's start up to its root element, the DOCTYPE read to its real end (a
        `<HealthData` inside a DTD comment does not end it) and removed."""
        head = b""
        while len(head) < HEAD_CAP:
            more = self.raw.read(1 << 16)
            if not more:
                break
            head += more
            start = head.find(b"<!DOCTYPE")
            if start == -1 and b"<HealthData" in head:
                break
            if start != -1 and _dtd_end(head, start) != -1:
                break
        start = head.find(b"<!DOCTYPE")
        if start != -1 and _dtd_end(head, start) == -1:
            raise Refused(f"its DOCTYPE does not end within its first {HEAD_CAP >> 20} MB")
        head = _without_dtd(head)
        if b"<!ENTITY" in head:  # an entity declared outside the DTD we removed
            raise Refused("it declares XML entities, which the Health app never writes")
        return head

    def read(self, size: int = -1) -> bytes:
        if not self.started:
            self.started = True
            data = self._head()
        else:
            data = self.raw.read(size if size and size > 0 else 1 << 16)
        # lxml holds a token whole until it ends: a line that never ends stops here (the
        # chunk is kept first, so that `rest` reads the lines after it)
        first = data.find(b"\n")
        long_line = self.since + (len(data) if first == -1 else first) > LINE_CAP
        last = data.rfind(b"\n")
        self.since = self.since + len(data) if last == -1 else len(data) - last - 1
        if CONTROL.search(data):
            self.control += len(CONTROL.findall(data))
            data = data.translate(CONTROL_TO_SPACE)
        at = self.lines
        self.recent.append((self.lines, data))
        self.lines += data.count(b"\n")
        if long_line:
            raise LongLine(at)
        return data

    def rest(self, from_line: int):
        """(line number, line) of the text from `from_line` to the end of the file."""
        kept = list(self.recent)
        # the last chunk starting before `from_line` holds the newline that starts it
        first = next((i for i, (line, _) in enumerate(kept) if line >= from_line), len(kept))
        first = max(first - 1, 0)
        line = kept[first][0] if kept else self.lines
        text = b"".join(chunk for _, chunk in kept[first:])
        endless = False  # within a line longer than LINE_CAP: the rest of it is skipped
        while True:
            *whole, text = text.split(b"\n")
            for piece in whole:
                if line >= from_line:
                    yield line, piece
                line += 1
            if len(text) > LINE_CAP:  # a hostile file's endless line: its start is kept
                if not endless and line >= from_line:
                    yield line, text[:LINE_CAP]
                endless, text = True, b""
            more = self.raw.read(1 << 20)
            if not more:
                break
            if endless:  # the rest of the endless line is skipped, up to its end
                if b"\n" not in more:
                    continue
                more, line, endless = more[more.index(b"\n") + 1 :], line + 1, False
            text += more.translate(CONTROL_TO_SPACE)
        if text and line >= from_line and not endless:
            yield line, text


@dataclass
class Reader:
    """What the XML loop collects: counts, the records' texts (typed a chunk at a time),
    workouts' texts, the device text of each source, failures and warnings."""

    opts: ReadOptions
    rows_read: int = 0
    ignored: int = 0
    ignored_kinds: Counter = field(default_factory=Counter)
    devices: dict[str, str | None] = field(default_factory=dict)
    chunks: list[pl.DataFrame] = field(default_factory=list)
    failures: list[pl.DataFrame] = field(default_factory=list)
    workouts: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    resume: int = 1  # the line after the last record read whole
    last_line: int = 0  # the line of the last top-level element
    shared_line: int | None = None  # a line that held two records (not an Apple export)
    texts: dict[str, list] = field(default_factory=lambda: {c: [] for c in TEXTS})

    def record(self, elem) -> None:
        """A top-level `<Record>`: its texts kept, or counted as ignored."""
        get, line = elem.get, elem.sourceline
        self.resume = line + 1
        kind = get("type")
        code = WANTED.get(kind)
        if code is None:
            self.ignored += 1
            self.ignored_kinds[kind] += 1
            return
        t, src = self.texts, get("sourceName")
        t["code"].append(code)
        t["source"].append(src)
        t["unit"].append(get("unit"))
        t["value"].append(get("value"))
        t["startDate"].append(get("startDate"))
        t["endDate"].append(get("endDate"))
        t[LINE].append(line)
        if src not in self.devices:
            self.devices[src] = get("device")
        if len(t["code"]) >= CHUNK_RECORDS:
            self.flush()

    def other(self, elem) -> None:
        """A top-level element other than a `<Record>`: a workout's texts kept, the rest
        counted as ignored."""
        line = elem.sourceline
        if elem.tag == "Workout":
            self.workouts.append(workout_row(elem, line))
        else:
            self.ignored += 1
            self.ignored_kinds[elem.tag] += 1
        self.resume = max((e.sourceline or 0) for e in elem.iter()) + 1

    def flush(self) -> None:
        if self.texts["code"]:
            self.chunks.append(typed(self.texts, self.opts.time_zone, self.failures))
        for values in self.texts.values():
            values.clear()


def parse(stream: BinaryIO, path: Path, reader: Reader) -> None:
    """Read the export into `reader`; a damaged file is read up to the damage."""
    cleaned = Cleaned(stream)
    etree.clear_error_log()  # the log is per thread: a damage report names this file's error
    context = etree.iterparse(
        cleaned,
        events=("end",),
        tag=TOP,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,  # a text or value over 10 MB is damage, not read into memory
        remove_comments=True,
    )
    try:
        _loop(context, reader)
    except (etree.XMLSyntaxError, LongLine) as exc:
        _damaged(cleaned, path, reader, exc)
    except Refused as exc:
        raise DataError(
            f"{path} is not read: {exc}; export it again from the Health app."
        ) from None
    if reader.shared_line is not None:
        raise DataError(
            f"{path} is not read: line {reader.shared_line:,} holds several records, and the "
            "Health app writes one record per line (this copy was rewritten); export it again "
            "from the Health app."
        )
    reader.flush()
    if cleaned.control:
        reader.warnings.append(
            f"{cleaned.control:,} control character(s) (written by some iOS versions into "
            "names) were read as spaces"
        )


def _loop(context, reader: Reader) -> None:
    """The XML loop: each top-level element handed to `reader`, then freed."""
    root = None
    record, other = reader.record, reader.other
    for _, elem in context:
        parent = elem.getparent()
        if parent is not root:
            if root is not None or parent is None or parent.getparent() is not None:
                continue  # a record inside a Correlation: it is also at the top level
            root = parent
        reader.rows_read += 1
        line = elem.sourceline
        if line == reader.last_line and reader.shared_line is None:
            reader.shared_line = line  # records are told apart by their line: see parse
        reader.last_line = line
        if elem.tag == "Record":
            record(elem)
        else:
            other(elem)
        elem.clear(keep_tail=False)
        while elem.getprevious() is not None:
            del root[0]


def _record_starts(lines) -> list[tuple[int, str]]:
    """(line, text) of each line in `lines` that starts a top-level record."""
    found, depth = [], 0
    for line, text in lines:
        opened = False
        for m in START_TAG.finditer(text):
            if m.group(1) == b"Correlation":
                if depth == 0:
                    opened = True
                depth += 0 if text.rstrip().endswith(b"/>") else 1
            elif depth == 0:
                opened = True
        if b"</Correlation>" in text:
            depth = max(depth - 1, 0)
        if opened:
            found.append((line, text.strip()[:200].decode("utf-8", "replace")))
    return found


def _damaged(cleaned: Cleaned, path: Path, reader: Reader, exc) -> None:
    """Quarantine every record from the damage on, one per line that starts one."""
    fatal = exc.error_log.filter_from_fatals() if hasattr(exc, "error_log") else []
    at, message = (fatal[-1].line, fatal[-1].message) if fatal else (exc.lineno, str(exc))
    resume = reader.resume
    found = _record_starts(cleaned.rest(resume))
    if isinstance(exc, LongLine) and exc.lineno not in {line for line, _ in found}:
        # its start may be gone from the chunks kept: the line counts as one record
        found = sorted([*found, (exc.lineno, f"(a line longer than {LINE_CAP >> 20} MB)")])
    reader.rows_read += len(found)
    if found:
        lines, texts = zip(*found, strict=True)
        reader.failures.append(
            pl.DataFrame(
                {LINE: list(lines), "column": ROW, "check": "xml_damaged", "value": list(texts)},
                schema=FAILURE_SCHEMA,
            )
        )
    entity = "entity" in message.lower()  # the DTD was removed: no entity is the Health app's
    cause = (
        "it uses an XML entity the Health app never writes (a file built to expand, or edited)"
        if entity
        else "the Health app never writes such a line (a file built to harm, or damaged)"
        if isinstance(exc, LongLine)
        else "it may have been cut off while copying"
    )
    read = f"the records before line {resume:,} were read" if resume > 1 else "nothing was read"
    reader.warnings.append(
        f"the file is damaged at line {at:,} ({message}): {cause}; {read}, and the "
        f"{plural(len(found), 'record', 'records')} from there on "
        f"{'is' if len(found) == 1 else 'are'} quarantined; "
        + (
            "do not trust this file"
            if entity or isinstance(exc, LongLine)
            else "export it again from the Health app to read them"
        )
    )


def unique_records(reader: Reader) -> tuple[pl.DataFrame, int]:
    """(the typed records without exact repeats, how many repeats there were)."""
    records = pl.concat(reader.chunks) if reader.chunks else pl.DataFrame(schema=RECORD_SCHEMA)
    reader.chunks.clear()
    # sorted, an exact duplicate sits next to its first copy (the earliest line is kept); a
    # hash-based `unique` would take 150 bytes a record, this takes nearly nothing more
    keys = ["code", "source", "start", "end", "value"]
    records = records.sort(*keys, LINE)
    repeated = pl.all_horizontal(pl.col(k) == pl.col(k).shift(1) for k in keys).fill_null(False)
    unique = records.filter(~repeated)
    return unique, records.height - unique.height
