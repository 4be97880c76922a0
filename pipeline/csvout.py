"""CSV that someone else opens in a spreadsheet (a coach, a study's analyst): every file
spectrum writes as CSV goes through here, so that no cell can run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# a plain number written as text ("-5", "+1.5e3") is safe to leave as it is
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> object:
    """A CSV cell a spreadsheet cannot run (OWASP, CSV injection): text starting with
    = + - @, a tab or a carriage return gets a leading apostrophe, so it shows as text.
    Numbers, and text that is a plain number, stay as they are; the csv module quotes
    commas, quotes and line breaks."""
    if (
        isinstance(value, str)
        and value[:1] in ("=", "+", "-", "@", "\t", "\r")
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV file's text, every cell made safe (cell); None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell("" if v is None else v) for v in row] for row in rows)
    return out.getvalue()
