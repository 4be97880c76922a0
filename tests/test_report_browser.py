"""The report in a real headless Chromium (Debian's package, driven by playwright; no browser
download): every chart draws, nothing goes to the network, the console stays clean."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.demo import run_demo
from pipeline.ingest import ingest
from pipeline.sources._parse import ReadOptions
from tests import fixtures as fx
from tests.conftest import write

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_report(browser, path: Path) -> dict:
    """Load the file, wait for the charts, and return what the page did."""
    page = browser.new_page()
    console, requests, errors = [], [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: errors.append(f"dialog: {d.message}") or d.dismiss())
    page.goto(path.as_uri())
    expected = page.locator("[data-spec]").count()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-drawn], .chart:not(:empty)').length >= n",
        arg=expected,
        timeout=30_000,
    )
    drawn = page.eval_on_selector_all(
        "[data-spec]",
        "els => els.map(e => e.dataset.drawn === 'true' && "
        "e.querySelectorAll('svg path, svg rect, svg circle').length > 3)",
    )
    text = page.inner_text("body")
    page.close()
    return {
        "charts": expected,
        "drawn": drawn,
        "console": console,
        "requests": [u for u in requests if u != path.as_uri()],
        "errors": errors,
        "text": text,
    }


def test_demo_report_draws_every_chart_offline(browser, tmp_path):
    path = run_demo(tmp_path)[-1]
    seen = open_report(browser, path)
    # steps, active minutes, sitting, walks after meals; carbs, carb:fibre, fibre density,
    # refined carbohydrate, ultra-processed share; sleep; weight, waist
    assert seen["charts"] == 12
    assert seen["drawn"] == [True] * 12
    assert seen["requests"] == []
    assert seen["console"] == []
    assert seen["errors"] == []
    assert "does not measure insulin sensitivity or diagnose anything" in seen["text"]


def test_food_only_report_says_what_is_missing(browser, tmp_path, store):
    from pipeline.config import Config
    from pipeline.report.render import write_report
    from pipeline.summary import month_period

    ingest(store, [write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)], None, ReadOptions(), False)
    out = write_report(store, None, month_period("2026-03"), Config(), tmp_path / "r.html")
    seen = open_report(browser, out)
    # carbs, carb:fibre, fibre density, refined carbohydrate, ultra-processed share
    assert seen["charts"] == 5 and seen["drawn"] == [True] * 5
    assert "No activity data for this month." in seen["text"]
    assert "No weight or waist data for this month." in seen["text"]
    assert "No sleep data for this month." in seen["text"]
    assert seen["requests"] == [] and seen["console"] == [] and seen["errors"] == []


def test_hostile_strings_from_files_stay_text(browser, tmp_path, store):
    from pipeline.config import Config
    from pipeline.report.render import write_report
    from pipeline.summary import month_period

    evil = "</script><img src=x onerror=alert(1)>"
    # the same string as a food name: the top refined foods table shows it
    food = fx.CRONOMETER_SERVINGS.replace('White Bread ""sliced"", toasted', f"White bread {evil}")
    path = write(tmp_path / "s.csv", food)
    ingest(store, [path], None, ReadOptions(person=evil), False)
    out = write_report(store, evil, month_period("2026-03"), Config(), tmp_path / "r.html")
    html = out.read_text()
    assert evil not in html
    assert html.count("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;") >= 2  # person, food
    seen = open_report(browser, out)
    assert evil in seen["text"]  # shown as text, not run
    assert seen["drawn"] == [True] * 5
    assert seen["requests"] == [] and seen["errors"] == []
