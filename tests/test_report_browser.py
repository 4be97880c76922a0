"""The report in a real headless Chromium (Debian's package, driven by playwright; no browser
download): every chart draws, nothing goes to the network, the console stays clean."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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


def open_report(
    browser, path: Path, width: int = 1280, js: bool = True, scheme: str = "light"
) -> dict:
    """Load the file as a reader would, and return what the page did and shows."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=js, color_scheme=scheme
    )
    page = context.new_page()
    console, requests, errors = [], [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: errors.append(f"dialog: {d.message}") or d.dismiss())

    def refuse(route):  # intercept and fail: the report must not need the network
        if route.request.url != path.as_uri():
            requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", refuse)
    page.goto(path.as_uri())
    expected = page.locator("[data-spec]").count()
    if js:
        page.wait_for_function(
            "n => document.querySelectorAll('[data-drawn]').length >= n",
            arg=expected,
            timeout=30_000,
        )
    # a chart is drawn when its visible picture (live, or static without scripts) has marks
    drawn = page.eval_on_selector_all(
        "[data-spec]",
        """els => els.map(e => {
            const svg = e.dataset.drawn === 'true' ? e.querySelector('.live svg')
                                                    : e.querySelector('svg.static');
            return !!svg && svg.getBoundingClientRect().width > 100 &&
                   svg.querySelectorAll('path, rect, circle, line').length > 3;
        })""",
    )
    labels = page.eval_on_selector_all(
        "[data-spec]",
        """els => els.map(e => {
            const svg = e.dataset.drawn === 'true' ? e.querySelector('.live svg')
                                                    : e.querySelector('svg.static');
            return svg ? svg.getAttribute('aria-label') : null;
        })""",
    )
    captions = page.eval_on_selector_all(
        "figure.chart figcaption", "els => els.map(e => e.textContent)"
    )
    # the words drawn in each chart's visible picture (axis titles, labels, notes' labels)
    drawn_text = page.eval_on_selector_all(
        "[data-spec]",
        """els => els.map(e => {
            const svg = e.dataset.drawn === 'true' ? e.querySelector('.live svg')
                                                    : e.querySelector('svg.static');
            return svg ? Array.from(svg.querySelectorAll('text')).map(t => t.textContent) : [];
        })""",
    )
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    text = page.inner_text("body")
    context.close()
    return {
        "charts": expected,
        "drawn": drawn,
        "labels": labels,
        "captions": captions,
        "drawn_text": drawn_text,
        "overflow": wide,
        "background": background,
        "console": console,
        "requests": requests,
        "errors": errors,
        "text": text,
    }


def test_demo_report_draws_every_chart_offline(browser, demo_outputs):
    seen = open_report(browser, demo_outputs[2])
    # steps, active minutes, sitting, walks after meals; carbs, carb:fibre, fibre density,
    # refined carbohydrate, ultra-processed share; sleep; weight, waist
    assert seen["charts"] == 12
    assert seen["drawn"] == [True] * 12
    assert seen["labels"] == seen["captions"]  # each chart is labelled by its own sentence
    assert seen["requests"] == []
    assert seen["console"] == []
    assert seen["errors"] == []
    assert "does not measure insulin sensitivity or diagnose anything" in seen["text"]


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_the_demo_notes_are_on_every_time_chart_and_listed(browser, demo_outputs, js):
    """October's report: the day Alex started walking after dinner (a rule, in the baseline)
    and the week with a cold (a band, in October) on each of the 12 charts, live and static."""
    seen = open_report(browser, demo_outputs[2], js=js)
    assert len(seen["drawn_text"]) == 12
    for words in seen["drawn_text"]:
        assert "walks" in words and "illness" in words  # each note's label, drawn
    assert all("(tag: illness)" in c and "(tag: walks)" in c for c in seen["captions"])
    text = seen["text"]
    listed = text[text.index("What happened") :][:600]
    assert "17 August (walks): Started walking after dinner" in listed
    assert "5 to 11 October (illness): A cold: stayed home most of the week" in listed


# monthly report, compare, year
REPORTS = {"month": 2, "compare": 3, "year": 4}
CHARTS = {"month": 12, "compare": 11, "year": 10}


@pytest.mark.parametrize("kind", REPORTS)
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_report_works_everywhere(browser, demo_outputs, kind, width, js, scheme):
    seen = open_report(browser, demo_outputs[REPORTS[kind]], width, js, scheme)
    assert seen["charts"] == CHARTS[kind]
    assert seen["drawn"] == [True] * CHARTS[kind]
    assert seen["overflow"] == 0  # nothing scrolls sideways
    assert all(seen["labels"]) and "Vega visualization" not in seen["labels"]
    assert seen["requests"] == [] and seen["console"] == [] and seen["errors"] == []
    assert seen["background"] == ("rgb(22, 24, 27)" if scheme == "dark" else "rgb(255, 255, 255)")
    assert seen["text"].index("At a glance") < seen["text"].index("How the directions")


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
