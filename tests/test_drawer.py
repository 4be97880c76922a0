"""Charts drawn by the drawing process (pipeline/report/drawer.py) are the charts vl-convert
draws in this process: the same SVG, the same compiled Vega, the same PNG, the same error
for a bad spec, and every drawing made here when the process is gone."""

from __future__ import annotations

import threading

import pytest
import vl_convert

from pipeline.demo import DEMO_PERSON, SAMPLE_DATA
from pipeline.report import drawer

DAYS = [{"day": f"2026-10-{d:02d}", "steps": 1000 * d} for d in range(1, 29)]
SPEC = {
    "data": {"values": DAYS},
    "mark": "bar",
    "encoding": {
        "x": {"field": "day", "type": "temporal"},
        "y": {"field": "steps", "type": "quantitative"},
    },
}


@pytest.fixture
def started(monkeypatch):
    """A drawing process of the test's own."""
    one = drawer._Drawer()
    monkeypatch.setattr(drawer, "_drawer", one)
    yield one
    one.proc.kill()
    one.proc.wait()


def test_drawings_are_those_made_here(started):
    assert drawer.draw("svg", SPEC) == vl_convert.vegalite_to_svg(SPEC)
    assert drawer.draw("vega", SPEC) == vl_convert.vegalite_to_vega(SPEC)
    assert drawer.draw("png", SPEC, 1.0) == vl_convert.vegalite_to_png(SPEC, scale=1.0)
    live = {**SPEC, "width": "container"}
    assert drawer.draw("page", live, width=640) == {
        "vega": vl_convert.vegalite_to_vega(live),
        "svg": vl_convert.vegalite_to_svg({**SPEC, "width": 640}),
    }
    assert started.proc.poll() is None  # drawn there: the process is still running


def test_a_page_drawing_is_each_chart_drawn_apart(tmp_path, monkeypatch):
    # a live page's chart is compiled once, as wide as its container; its static SVG is
    # drawn from that compile made 640 wide: the SVG a compile for 640 draws, every chart
    from pipeline import demo
    from pipeline.report import figure

    checked = []
    real = drawer._here

    def both_ways(kind, spec, scale=2.0, width=0):
        got = real(kind, spec, scale, width)
        if kind == "page":
            assert drawer.fixed_width(got["vega"], width) is not None  # no fallback taken
            assert got["svg"] == vl_convert.vegalite_to_svg({**spec, "width": width})
            checked.append(spec)
        return got

    monkeypatch.setattr(drawer, "_here", both_ways)
    monkeypatch.setattr(drawer, "_drawer", None)  # drawn here (an earlier test may start one)
    demo.run_demo(tmp_path)
    assert len(checked) >= 12 + 12 + 12 + 12  # three months, the compare and the year
    assert figure.STATIC_WIDTH == 640


def test_a_bad_spec_raises_vl_converts_own_error(started):
    bad = {"mark": "no-such-mark", "data": {"values": []}}
    with pytest.raises(ValueError) as here:
        vl_convert.vegalite_to_svg(bad)
    with pytest.raises(ValueError) as there:
        drawer.draw("svg", bad)
    assert str(there.value) == str(here.value)
    assert drawer.draw("svg", SPEC) == vl_convert.vegalite_to_svg(SPEC)  # it draws on


def test_drawings_asked_of_a_stopped_process_are_made_here(started):
    started.proc.kill()
    started.proc.wait()
    assert drawer.draw("svg", SPEC) == vl_convert.vegalite_to_svg(SPEC)
    assert drawer.draw("svg", SPEC) == vl_convert.vegalite_to_svg(SPEC)  # and after


def test_many_large_drawings_at_once_do_not_hold_each_other_up(started):
    # 40 specs of ~300 KB each, asked before any answer is read: more than a pipe holds
    # either way, which a writer and a reader on one thread would deadlock on
    big = {**SPEC, "data": {"values": DAYS * 200}}
    waits = [drawer.ask("vega", big) for _ in range(40)]
    done: list = []
    worker = threading.Thread(target=lambda: done.extend(w() for w in waits), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert len(done) == 40
    assert done[-1] == vl_convert.vegalite_to_vega(big)


def test_a_report_drawn_there_is_the_report_drawn_here(started, tmp_path):
    from pipeline.analysis import person_days
    from pipeline.config import Config
    from pipeline.ingest import ingest
    from pipeline.period import month_period
    from pipeline.report import render
    from pipeline.sources._parse import ReadOptions
    from pipeline.store import Store

    store, cfg = Store(tmp_path / "store"), Config()
    ingest(store, [SAMPLE_DATA], None, ReadOptions(person=DEMO_PERSON), strict=True)
    days = person_days(store, DEMO_PERSON, cfg)
    there = render.render_html(days, DEMO_PERSON, month_period("2026-10"), cfg)
    assert started.next_id == 12  # 12 charts: one drawing each (its spec and its SVG)
    drawer._drawer = None
    here = render.render_html(days, DEMO_PERSON, month_period("2026-10"), cfg)
    assert there == here


def test_ctrl_c_is_the_commands_not_the_drawing_processes(started):
    # the terminal sends SIGINT to the whole process group: the drawing process goes on
    # (and ends when the command does, its input closed) instead of printing a traceback
    import os
    import signal
    import time

    drawer.draw("svg", SPEC)  # started: its engine is up and it reads its requests
    os.kill(started.proc.pid, signal.SIGINT)
    time.sleep(0.2)
    assert started.proc.poll() is None
    assert drawer.draw("svg", SPEC) == vl_convert.vegalite_to_svg(SPEC)
