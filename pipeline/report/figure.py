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


def ask(fig: Figure, kind: str, width: int | str = STATIC_WIDTH) -> None:
    """Start drawing `fig` ("svg", or "vega": its compiled spec) in the drawing process, if
    one was started (pipeline/report/drawer.py); `drawn` then takes the drawing."""
    if (fig, kind, width) not in _asked:
        _asked[fig, kind, width] = drawer.ask(kind, vega_lite(fig, width))


def prefetch(figures: Iterable[Figure], live: bool) -> None:
    """Hand every figure's drawings over at once, in the order the page shows them: each is
    drawn while the next spec is made and the page is put together."""
    for fig in figures:
        ask(fig, "svg")
        if live:
            ask(fig, "vega", "container")


def drawn(fig: Figure, kind: str, width: int | str = STATIC_WIDTH) -> Any:
    wait = _asked.pop((fig, kind, width), None) or drawer.ask(kind, vega_lite(fig, width))
    return wait()


_asked: dict[tuple[Figure, str, int | str], Callable[[], Any]] = {}


def live_spec(fig: Figure) -> str:
    """The Vega spec for the page: as wide as its container, resized with the window."""
    return script_json(drawn(fig, "vega", "container"))


def _shrink(svg: str) -> str:
    # coordinates to one decimal and no whitespace between tags: a third smaller, same picture
    svg = re.sub(r"(\d+\.\d)\d+", r"\1", svg)
    return re.sub(r">\s+<", "><", svg)


def static_svg(fig: Figure) -> str:
    """The chart as inline SVG that scales to the page (viewBox kept, fixed size dropped)."""
    svg = _shrink(drawn(fig, "svg"))
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
