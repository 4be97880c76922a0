"""What every report page shares: the template environment, the inlined chart library, the
person's label, the print footer, figures as the page shows them, and writing the file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.report.bundle import vega_bundle
from pipeline.report.figure import Figure, live_spec, static_svg, table_rows
from pipeline.report.references import REFERENCES
from pipeline.words import DISCLAIMER

TEMPLATES = Path(__file__).parent / "templates"
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:"
)


@dataclass(frozen=True)
class Page:
    label: str  # who the report is about, as shown: never an account id unless asked
    period_name: str  # "October 2026", "Sep 2026 vs Jan 2026"
    heading: str
    meta: list[str]
    glance_intro: str
    paper: str | None = None  # "A4" or "letter" for a PDF; None: the printer's own paper
    live: bool = True  # inline the chart library and draw live charts
    kind: str = "period"  # "period" (month or compare) or "year": the page's layout
    csp: str = CSP

    @property
    def footer_css(self) -> str:
        return css_string(f"{self.label} · {self.period_name}")


def css_string(text: str) -> str:
    """`text` as a CSS string literal: every character outside a safe set is a hex escape, so
    a label can neither end the string nor the <style> element."""
    safe = re.compile(r"[A-Za-z0-9 .,·:()-]")
    return '"' + "".join(c if safe.match(c) else f"\\{ord(c):06x}" for c in text) + '"'


ID_LIKE = re.compile(r"(?=(?:.*\d){4})[0-9A-Fa-f-]{6,}|\d{6,}")


def default_label(person: str) -> str:
    """The stored person name, unless it is an export's account id (e.g. Fitbit's
    1503960366): then "me", so a report never shows an id nobody asked for."""
    return "me" if ID_LIKE.fullmatch(person) else person


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every string from a user's file is escaped
        undefined=jinja2.StrictUndefined,
    )


def figure_view(fig: Figure, live: bool) -> dict:
    # the table first: its drawings may still be being made (pipeline/report/drawer.py)
    table = table_rows(fig.plot.table)
    return {
        "id": fig.id,
        "title": fig.title,
        "caption": fig.caption,
        "svg": static_svg(fig),
        "spec": live_spec(fig) if live else "",
        "table": table,
    }


def render(template: str, page: Page, cfg: Config, **context) -> str:
    return (
        environment()
        .get_template(template)
        .render(
            page=page,
            cfg=cfg,
            references=REFERENCES,
            disclaimer=DISCLAIMER,
            generated=dt.date.today().isoformat(),
            bundle=vega_bundle() if page.live else "",
            **context,
        )
    )


def write_text(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror}; pick another file with -o.") from exc
    return path


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)
