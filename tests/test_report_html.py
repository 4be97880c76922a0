"""The report file itself: one inlined Vega bundle, a CSP that forbids the network, no
external references, the disclaimer, and none of the words METRICS.md forbids."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from pipeline.demo import run_demo
from pipeline.report.figure import script_json
from pipeline.report.page import CSP


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> str:
    return run_demo(tmp_path_factory.mktemp("demo"))[2].read_text()


def test_csp_forbids_the_network(html):
    # the attribute is HTML-escaped (' -> &#39;), which the browser reads back as CSP
    assert f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">' in html
    assert CSP.startswith("default-src 'none';")
    assert "connect-src" not in CSP


def test_vega_is_inlined_once_and_nothing_is_loaded(html):
    assert html.count("window.vega=") == 1  # Vega only: charts are compiled at build time
    assert "<script src" not in html and "<link" not in html
    assert not re.search(r"(src|href)=\"https?:", html)
    assert html.count('<script type="application/json"') == 12


def test_script_json_cannot_close_its_script_tag():
    text = script_json({"name": "</script><script>alert(1)</script>", "a": "&"})
    assert "</" not in text and "<" not in text and "&" not in text
    assert text == (
        '{"name":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",'
        '"a":"\\u0026"}'
    )


def test_words(html):
    text = re.sub(r"<script.*?</script>", "", html, flags=re.S).lower()
    for word in ("insulin resistant", "prediabet", "diabetic", "cure", "reverse your",
                 "risk score", "homa", "diagnosis"):  # fmt: skip
        assert word not in text, word
    assert "compared with your own last three months" in text
    assert "it does not measure insulin sensitivity or diagnose anything" in text
    assert "talk to a clinician about medical questions" in text


def test_changes_read_without_false_precision():
    from pipeline.report.numbers import signed

    assert signed("post_meal_walk_share", 0.1612) == "+16 pts"
    assert signed("steps_mean", 862.6) == "+860"  # steps to the nearest 10
    assert signed("steps_mean", -0.4) == "0"
    assert signed("carb_fiber_ratio", -0.04) == "0.0"
    assert signed("weight_trend_kg", -0.81) == "-0.8"
    assert signed("upf_kcal_share", None) == "–"


def test_chart_specs_are_checked_in_tests():
    """Reports skip altair's schema check for speed; the tests turn it on, so a chart that
    breaks the Vega-Lite schema fails here rather than in a user's browser."""
    import altair.utils.schemapi

    from pipeline.report import figure

    assert figure.CHECK_CHARTS is True
    assert altair.utils.schemapi.DEBUG_MODE is True  # each object checked as it is made


def test_charts_are_made_of_channel_objects(tmp_path, monkeypatch):
    """A channel given as text ("date:T") or a dict (alt.value) makes altair look its class
    up with from_dict, which rebuilds a table of all its schema classes on every call: half
    of a report's chart making. Every chart of the demo's reports is made without it."""
    from altair.utils import schemapi

    from pipeline import demo

    def refused(cls, *args, **kwargs):
        raise AssertionError(f"from_dict used for {cls.__name__}: {args[:1]}")

    monkeypatch.setattr(schemapi.SchemaBase, "from_dict", classmethod(refused))
    written = demo.run_demo(tmp_path)
    assert len([p for p in written if p.suffix == ".html"]) == 5
