"""Files in the user's cache folder (pipeline.paths.cache_dir): things that take a moment to
build and can be rebuilt at any time (the chart library, the compiled food rules).

Each file's first line holds the sha256 of the rest, so a truncated or damaged file reads as
missing and is built again instead of breaking a command. Files are written whole or not at
all and are readable by this user only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

HEADER = "/* spectrum {}, sha256 {} */\n"


def read_text(path: Path, what: str) -> str | None:
    """The text stored at `path` by write_text, or None if it is missing, unreadable or not
    what was written."""
    try:
        first, _, text = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return text if first + "\n" == HEADER.format(what, sha256(text)) else None


def write_text(path: Path, text: str, what: str) -> None:
    """Store `text` at `path` whole or not at all (two processes building at once each write
    their own temporary file, then rename it into place). A cache folder that cannot be
    written costs the next command the build again, nothing more."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp's files are 0600
            out.write(HEADER.format(what, sha256(text)) + text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
