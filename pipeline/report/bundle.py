"""The chart library every live report inlines (Vega), built by vl-convert once and kept in
the user's cache folder: building it takes 2-3 seconds, reading it a few milliseconds.

The file's name carries vl-convert's version and a hash of what was bundled, so an upgrade
or a changed snippet builds a new one. Its first line holds the sha256 of the rest: a
truncated or damaged file is built again instead of breaking reports (pipeline/cache.py).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from pipeline import cache
from pipeline.paths import cache_dir

WHAT = "chart library"


def snippet(vega_version: str) -> str:
    # Only Vega: the charts are compiled from Vega-Lite here, which keeps 320 KB of compiler
    # out of every report. The URL names vl-convert's own vendored copy (nothing is fetched).
    url = f"https://cdn.jsdelivr.net/npm/vega@{vega_version}/+esm"
    return f'import * as V from "{url}"; window.vega = V;'


@functools.cache
def vega_bundle() -> str:
    """The bundle, safe to put inside an inline <script> ("</script" would end it early)."""
    return cached_bundle(cache_dir()).replace("</script", "<\\/script")


def cached_bundle(folder: Path) -> str:
    """The bundle from `folder`, built and stored there first if it is missing or damaged."""
    import vl_convert

    code = snippet(vl_convert.get_vega_version())
    digest = cache.sha256(code)[:16]
    path = folder / f"vega-{vl_convert.__version__}-{digest}.js"
    text = cache.read_text(path, WHAT)
    if text is None:
        major_minor = ".".join(vl_convert.__version__.split(".")[:2])
        print(
            f"Building the chart library once (vl-convert {major_minor}); later reports reuse it.",
            file=sys.stderr,
        )
        text = vl_convert.javascript_bundle(code)
        cache.write_text(path, text, WHAT)
    return text
