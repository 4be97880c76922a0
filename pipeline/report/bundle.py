"""The chart library every live report inlines (Vega), built by vl-convert once and kept in
the user's cache folder: building it takes 2-3 seconds, reading it a few milliseconds.

The file's name carries vl-convert's version and a hash of what was bundled, so an upgrade
or a changed snippet builds a new one. Its first line holds the sha256 of the rest: a
truncated or damaged file is built again instead of breaking reports.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

from pipeline.paths import cache_dir

HEADER = "/* spectrum chart library, sha256 {} */\n"


def snippet(vega_version: str) -> str:
    # Only Vega: the charts are compiled from Vega-Lite here, which keeps 320 KB of compiler
    # out of every report. The URL names vl-convert's own vendored copy (nothing is fetched).
    url = f"https://cdn.jsdelivr.net/npm/vega@{vega_version}/+esm"
    return f'import * as V from "{url}"; window.vega = V;'


@cache
def vega_bundle() -> str:
    """The bundle, safe to put inside an inline <script> ("</script" would end it early)."""
    return cached_bundle(cache_dir()).replace("</script", "<\\/script")


def cached_bundle(folder: Path) -> str:
    """The bundle from `folder`, built and stored there first if it is missing or damaged."""
    import vl_convert

    code = snippet(vl_convert.get_vega_version())
    digest = hashlib.sha256(code.encode()).hexdigest()[:16]
    path = folder / f"vega-{vl_convert.__version__}-{digest}.js"
    text = _read(path)
    if text is None:
        major_minor = ".".join(vl_convert.__version__.split(".")[:2])
        print(
            f"Building the chart library once (vl-convert {major_minor}); later reports reuse it.",
            file=sys.stderr,
        )
        text = vl_convert.javascript_bundle(code)
        _write(path, text)
    return text


def _read(path: Path) -> str | None:
    """The stored bundle, or None if it is missing, unreadable or not what was written."""
    try:
        first, _, text = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return text if first + "\n" == HEADER.format(_sha256(text)) else None


def _write(path: Path, text: str) -> None:
    """Write `path` whole or not at all (two reports building at once each write their own
    temporary file, then rename it into place); readable by this user only. A cache folder
    that cannot be written costs the next report the build again, nothing more."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vega-", suffix=".tmp")  # 0600
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(HEADER.format(_sha256(text)) + text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
