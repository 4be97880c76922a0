"""Printing to PDF with Debian's headless Chromium: the page's own @page rule sets the paper,
its margin boxes draw the footer, and scripts run before the page is printed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.errors import DataError
from pipeline.report.pdf import find_browser, html_to_pdf

CHROMIUM = "/usr/bin/chromium"
SENTENCES = (
    "Alpha walks past the first page.",
    "Bravo eats fibre on the second page.",
    "Charlie sleeps through the third page.",
)
INSTALL = (
    "--pdf needs Chromium or Google Chrome to print; install it "
    "(Debian/Ubuntu: sudo apt install chromium; macOS: brew install --cask chromium) "
    "or set SPECTRUM_CHROMIUM to its path."
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Use exactly the browser under test, whatever else is on PATH or in the environment.
    monkeypatch.setenv("SPECTRUM_CHROMIUM", CHROMIUM)


def page(size: str = "A4", body: str = "") -> str:
    sections = "".join(
        f'<section style="break-after: page"><p>{text}</p></section>' for text in SENTENCES
    )
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><style>
@page {{
  size: {size};
  margin: 15mm 12mm 18mm;
  @bottom-left {{ content: "me · October 2026"; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); }}
}}
</style></head><body>{body or sections}</body></html>"""


def print_pdf(html: str, tmp_path: Path) -> PdfReader:
    output = tmp_path / "out" / "report.pdf"
    assert html_to_pdf(html, output) == output
    return PdfReader(output)


def test_a4_three_pages_with_footer(tmp_path: Path) -> None:
    reader = print_pdf(page("A4"), tmp_path)
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595, abs=1)
    assert float(box.height) == pytest.approx(842, abs=1)
    for number, (pdf_page, sentence) in enumerate(zip(reader.pages, SENTENCES, strict=True), 1):
        text = pdf_page.extract_text()
        assert sentence in text
        assert f"Page {number} of 3" in text
        assert "me · October 2026" in text
        # Each sentence is on its own page only.
        assert [s for s in SENTENCES if s in text] == [sentence]


def test_letter_size(tmp_path: Path) -> None:
    reader = print_pdf(page("Letter"), tmp_path)
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(612, abs=1)
    assert float(box.height) == pytest.approx(792, abs=1)


def test_env_var_pointing_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no-such-chromium"
    monkeypatch.setenv("SPECTRUM_CHROMIUM", str(missing))
    with pytest.raises(DataError) as caught:
        find_browser()
    assert str(caught.value) == (
        f"SPECTRUM_CHROMIUM is set to {missing}, which is not an executable file; "
        "point it at Chromium or Google Chrome, or unset it to search PATH."
    )


def test_no_browser_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPECTRUM_CHROMIUM")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(DataError) as caught:
        find_browser()
    assert str(caught.value) == INSTALL


def test_scripts_run_before_printing(tmp_path: Path) -> None:
    body = '<p>static text</p><script>document.body.append("drawn by script")</script>'
    reader = print_pdf(page(body=body), tmp_path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "static text" in text
    assert "drawn by script" in text
    assert "Page 1 of 1" in text


def _flat(text: str) -> str:
    """PDF text with ligatures undone and line breaks joined, to search for sentences."""
    import re
    import unicodedata

    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_demo_pdf_has_glance_first_every_caption_and_a_footer(demo_outputs):
    import html
    import re

    pdf = next(p for p in demo_outputs if p.suffix == ".pdf")
    month_html = demo_outputs[2].read_text()  # the same October report, as HTML
    reader = PdfReader(pdf)
    pages = [_flat(p.extract_text()) for p in reader.pages]
    n = len(pages)
    assert 6 <= n <= 20
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    for i, text in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in text
        assert "me · October 2026" in text or "alex · October 2026" in text
    # page 1: the title and the whole at-a-glance table
    assert "Your direction in October 2026" in pages[0]
    behaviours = ("Movement", "Sitting", "Walks after meals", "Refined carbohydrate", "Fibre",
                  "Sugars", "Ultra-processed share", "Sleep", "Weight", "Waist")  # fmt: skip
    for name in behaviours:
        assert name in pages[0], name
    everything = _flat(" ".join(pages)).replace(" ", "")
    captions = [html.unescape(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", month_html)]
    assert len(captions) == 12
    for caption in captions:  # compared without spaces: PDF text spacing is approximate
        assert _flat(caption).replace(" ", "") in everything, caption
