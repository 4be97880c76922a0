"""How far spectrum goes with a file it did not make (a client's export, a participant's
upload) before it stops reading: every bound an attack on a reader (OWASP: zip bombs,
entity expansion, endless lines) would have to pass. Real exports stay far inside them.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024**2


@dataclass(frozen=True)
class Limits:
    # a zip or gzip member may unpack to this many times its packed size (real Apple Health
    # zips are 20-30x, CSV exports 5-15x) ... (config: archive.max_ratio)
    max_ratio: float = 200.0
    # ... and to this many bytes at most (real export.xml files are 1-5 GB; config:
    # archive.max_mb)
    max_bytes: int = 8 * 1024 * MB
    # a CSV line is a few hundred bytes; one longer than this is no export's
    max_line: int = 1 * MB
    # a JSON file (or value) larger than this is refused before it is read into memory
    max_json_bytes: int = 256 * MB
    # JSON nesting: real exports use 3 or 4 levels
    max_json_depth: int = 64
    # zips inside zips are read this many levels deep
    max_zip_depth: int = 2


DEFAULT = Limits()


def size_text(n: float) -> str:
    """2 GB, 640 MB, 12 KB: a bound as people say it."""
    for unit, size in (("GB", 1024**3), ("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:,.4g} {unit}"
    return f"{n:,.0f} bytes"
