"""A report figure and the three ways it is drawn: a live chart (Vega, compiled here so the
page needs no Vega-Lite compiler), a static SVG that shows with scripts blocked (email and
file previews), and a PNG for a coach. Plus the same data as a table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from pipeline.report import drawer
from pipeline.report.charts import CHECK_CHARTS, Plot

STATIC_WIDTH = 640  # the static picture scales with the page from this width


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Figure:
    id: str  # unique in a report: "steps", "compare-steps"
    section: str  # activity, food, sleep, body
    plot: Plot
    caption: str  # the sentence under the chart, also its aria-label

    @property
    def title(self) -> str:
        return str(self.plot.chart.title)

    @property
    def file_stem(self) -> str:
        """How the chart is named on disk: section and metric."""
        return f"{self.section}-{self.id}"


def script_json(obj: object) -> str:
    """JSON safe inside <script>: `<`, `>` and `&` escaped, so no user string can close it."""
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=256)
def _spec(fig: Figure) -> dict:
    # once per figure, not once per drawing
    spec = fig.plot.chart.to_dict(validate=CHECK_CHARTS)
    return {**spec, "description": fig.caption}  # not .properties(): a deep copy of it all


def vega_lite(fig: Figure, width: int | str) -> dict:
    return {**_spec(fig), "width": width}


def _ask(fig: Figure, kind: str) -> Callable[[], Any]:
    if kind == "page":  # the live chart's spec, and from the same compile the static SVG
        return drawer.ask("page", vega_lite(fig, "container"), width=STATIC_WIDTH)
    return drawer.ask(kind, vega_lite(fig, STATIC_WIDTH))


def prefetch(figures: Iterable[Figure], live: bool) -> None:
    """Hand every figure's drawings to the drawing process (pipeline/report/drawer.py) at
    once, in the order the page shows them: each is drawn while the next is made and the
    page is put together. A live page's figure is one drawing, "page" (its compiled spec
    and its static SVG); a page for paper needs only the static SVG."""
    for fig in figures:
        kind = "page" if live else "svg"
        if (fig, kind) not in _asked:
            _asked[fig, kind] = _ask(fig, kind)


def drawn(fig: Figure, kind: str) -> Any:
    """A drawing of `fig` (see drawer._here), the one asked for by `prefetch` if any."""
    wait = _asked.pop((fig, kind), None) or _ask(fig, kind)
    return wait()


def _page_part(fig: Figure, part: str) -> Any:
    """The compiled spec ("vega") or static SVG ("svg") of a figure's "page" drawing, kept
    until both are taken."""
    if fig not in _pages:
        _pages[fig] = dict(drawn(fig, "page"))
    got = _pages[fig]
    value = got.pop(part)
    if not got:
        del _pages[fig]
    return value


_asked: dict[tuple[Figure, str], Callable[[], Any]] = {}
_pages: dict[Figure, dict[str, Any]] = {}


def live_spec(fig: Figure) -> str:
    """The Vega spec for the page: as wide as its container, resized with the window."""
    if _has_page(fig):
        return script_json(_page_part(fig, "vega"))
    return script_json(drawer.draw("vega", vega_lite(fig, "container")))


def _has_page(fig: Figure) -> bool:
    return (fig, "page") in _asked or fig in _pages


def _shrink(svg: str) -> str:
    # coordinates to one decimal and no whitespace between tags: a third smaller, same picture
    svg = re.sub(r"(\d+\.\d)\d+", r"\1", svg)
    return re.sub(r">\s+<", "><", svg)


def static_svg(fig: Figure) -> str:
    """The chart as inline SVG that scales to the page (viewBox kept, fixed size dropped)."""
    svg = _shrink(_page_part(fig, "svg") if _has_page(fig) else drawn(fig, "svg"))
    head, rest = svg.split(">", 1)
    head = re.sub(r'\s(width|height|class)="[^"]*"', "", head)
    label = fig.caption.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'{head} role="img" aria-label="{label}" class="static">{rest}'


def png(fig: Figure, scale: float = 2.0) -> bytes:
    return drawer.draw("png", vega_lite(fig, STATIC_WIDTH), scale)


def svg_file(fig: Figure) -> str:
    return drawn(fig, "svg")


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        text = f"{value + 0.0:,.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table_rows(table: pl.DataFrame) -> dict:
    """Header and text cells of a figure's data table (missing shown as "–", never 0)."""
    return {
        "header": table.columns,
        "rows": [[_cell(v) for v in row] for row in table.iter_rows()],
    }
