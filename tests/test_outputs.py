"""Compare, year, charts and share: periods as people write them, numbers as the report
shows them, and a share bundle that names nobody."""

from __future__ import annotations

import datetime as dt
import socket
import zipfile

import polars as pl
import pytest

from pipeline.paths import SAMPLE_DATA
from pipeline.period import Period, months_in, parse_span, period_name, period_slug
from pipeline.report.charts import segments
from pipeline.report.export import cell, summary_csv
from pipeline.report.glance import sentence
from pipeline.report.numbers import fmt, signed
from pipeline.report.options import Options
from pipeline.report.overlay import _aligned
from pipeline.report.page import css_string, default_label

FITBIT_ID = "4815162342"  # the Fitabase account id in sample_data/fitbit


def test_periods_as_people_write_them():
    assert parse_span("2026-10") == Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert parse_span("2026-01..2026-03") == Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert parse_span("2026-09-01..2026-10-27") == Period(
        dt.date(2026, 9, 1), dt.date(2026, 10, 27)
    )
    spans = ("2026-02", "2025-11..2026-02", "2026-01..2026-06")
    assert [period_name(parse_span(t)) for t in spans] == [
        "February 2026",
        "Nov 2025–Feb 2026",
        "Jan–Jun 2026",
    ]  # fmt: skip
    assert period_name(parse_span("2026-09-03..2026-09-30")) == "2026-09-03 to 2026-09-30"
    assert period_slug(parse_span("2026-01..2026-03")) == "2026-01_to_2026-03"
    assert len(months_in(parse_span("2025-11..2026-02"))) == 4
    with pytest.raises(ValueError, match="'2026-13' is not a period; write a month"):
        parse_span("2026-13")
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_span("2026-10..2026-01")


def test_numbers_round_to_what_the_data_supports():
    assert fmt("steps_mean", 8234.6) == "8,230"  # steps to 10
    assert fmt("sedentary_min_mean", 811.4) == "811"  # minutes to 1
    assert fmt("fiber_g_mean", 31.6) == "32"  # grams to 1
    assert fmt("carb_fiber_ratio", 6.54) == "6.5"  # ratios to 1 decimal
    assert fmt("upf_kcal_share", 0.344) == "34%"
    assert fmt("weight_trend_kg", -0.04) == "0.0"  # never "-0.0"
    assert signed("weight_trend_kg", -0.04) == "0.0"
    assert signed("steps_mean", -4.9) == "0"
    assert signed("refined_carbs_g_mean", -24.4) == "-24"


def test_a_label_is_never_an_account_id():
    assert default_label("4815162342") == "me"
    assert default_label("1b4e28ba-2fa1-11d2-883f-0016d3cca427") == "me"
    assert default_label("alex") == "alex"
    assert default_label("Sam 2") == "Sam 2"
    # a label in the print footer cannot end the CSS string or the <style> element
    assert css_string('Al "x" </style>') == '"Al \\000022x\\000022 \\00003c\\00002fstyle\\00003e"'


def test_glance_sentences():
    d = {"baseline": 7204.0, "value": 8236.0, "delta": 1032.0, "label": "toward", "note": None}
    assert sentence("steps_mean", d, "over the last three months", "this month") == (
        "Steps per day: 7,200 over the last three months, 8,240 this month (+1,030), a change "
        "larger than your usual ups and downs, in the supportive direction."
    )
    d = {"baseline": 0.42, "value": 0.58, "delta": 0.16, "label": "steady", "note": None}
    assert sentence("post_meal_walk_share", d, "in July 2026", "in October 2026") == (
        "Share of meals followed by a walk: 42% in July 2026, 58% in October 2026 (+16 pts, in "
        "the supportive direction), but within your usual week-to-week ups and downs."
    )


def test_compare_aligns_periods_by_day_and_week():
    frame = pl.DataFrame({"date": [dt.date(2026, 3, 1), dt.date(2026, 3, 10)], "value": [1.0, 2.0]})
    p = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert _aligned(frame, p, "March", weekly=False)["step"].to_list() == [1, 10]
    # 1 March 2026 is a Sunday: its week starts on Monday 23 February (week 1);
    # 10 March is in the week of Monday 9 March (week 3)
    assert _aligned(frame, p, "March", weekly=True)["step"].to_list() == [1, 3]


def test_lines_break_at_gaps_of_more_than_two_days():
    days = [dt.date(2026, 3, d) for d in (1, 2, 5, 9, 10)]
    frame = pl.DataFrame({"date": days, "v": [1.0, 2.0, 3.0, 4.0, 5.0]})
    # 2 -> 5 misses two days (joined); 5 -> 9 misses three (broken)
    assert segments(frame, "v")["segment"].to_list() == [0, 0, 0, 1, 1]


def test_csv_cells_cannot_run_in_a_spreadsheet():
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("@x") == "'@x" and cell("-2+3") == "'-2+3" and cell("+A1") == "'+A1"
    assert cell("\tx") == "'\tx" and cell("\r=1") == "'\r=1" and cell("-") == "'-"
    # a plain number written as text is a number to a spreadsheet too: left as it is
    assert [cell(t) for t in ("+1", "-0.8", "-.5", "+1.5e3", "12")] == [
        "+1",
        "-0.8",
        "-.5",
        "+1.5e3",
        "12",
    ]
    assert cell(-0.8) == -0.8 and cell("steady") == "steady"


def test_reports_stay_under_one_and_a_half_megabytes(demo_outputs):
    for path in demo_outputs:
        if path.suffix == ".html":
            assert path.stat().st_size < 1_500_000, path.name


def test_compare_json_uses_a_as_the_baseline(run):
    assert run("ingest", str(SAMPLE_DATA), "--person", "alex").exit_code == 0
    out = run("compare", "2026-07", "2026-10", "--json")
    assert out.exit_code == 0
    result = __import__("json").loads(out.output)
    ref = result["reference"]
    assert ref["period"] == {"start": "2026-07-01", "end": "2026-07-31"}
    assert result["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    steps = result["direction"]["steps_mean"]
    assert steps["baseline"] == pytest.approx(ref["metrics"]["steps_mean"])
    assert steps["value"] == pytest.approx(result["metrics"]["steps_mean"])
    same = run("summary", "--month", "2026-10", "--vs", "2026-07", "--json")
    vs = __import__("json").loads(same.output)["direction"]
    # the same numbers (parallel sums may differ in the last bit) and the same labels
    assert {k: d["label"] for k, d in vs.items()} == {
        k: d["label"] for k, d in result["direction"].items()
    }
    assert vs["refined_carbs_g_mean"]["ci95"] == pytest.approx(
        result["direction"]["refined_carbs_g_mean"]["ci95"]
    )


def test_cli_says_how_to_fix_bad_requests(run, tmp_path):
    assert run("ingest", str(SAMPLE_DATA / "cronometer"), "--person", "alex").exit_code == 0
    out = run("compare", "2026-07", "last-spring")
    assert out.exit_code == 2
    assert (
        "Invalid value for B: 'last-spring' is not a period; write a month (2026-10), "
        "months (2026-01..2026-06) or days (2026-09-01..2026-10-27)"
    ) in out.output
    out = run("report", "--month", "2026-08..2026-10", "-o", str(tmp_path / "r.html"))
    assert out.exit_code == 2
    assert "3 months make 3 files; give -o a folder." in out.output
    out = run("share", "--month", "2026-10", "--sections", "food,steps", "-o", "x.zip")
    assert "'steps' is not a section; choose from activity, food, sleep, weight, waist" in (
        out.output
    )
    out = run("share", "--month", "2026-10", "-o", str(tmp_path / "x.tar"))
    assert out.exit_code == 1
    assert f"Error: {tmp_path / 'x.tar'} does not end in .zip" in out.output
    out = run("compare", "2026-10", "2026-10")
    assert out.output == (
        "Error: both periods are October 2026; compare two different periods, e.g. "
        "spectrum compare 2026-03 2026-10.\n"
    )


def test_several_months_write_one_file_each(run, tmp_path):
    assert run("ingest", str(SAMPLE_DATA / "cronometer"), "--person", "alex").exit_code == 0
    out = run("report", "--month", "2026-08..2026-09", "--month", "2026-10", "-o", str(tmp_path))
    assert out.exit_code == 0
    names = sorted(p.name for p in tmp_path.glob("*.html"))
    assert names == [f"spectrum-alex-2026-{m}.html" for m in ("08", "09", "10")]
    out = run("report", "--year", "2026", "-o", str(tmp_path / "y.html"))
    assert out.output == f"Wrote {tmp_path / 'y.html'}\n"
    assert "Your year 2026, month by month" in (tmp_path / "y.html").read_text()


def test_charts_are_named_by_section_and_metric(run, tmp_path):
    assert run("ingest", str(SAMPLE_DATA / "cronometer"), "--person", "alex").exit_code == 0
    out = run("charts", "--month", "2026-10", "--format", "svg", "-o", str(tmp_path / "c"))
    assert out.output == f"Wrote 6 charts and captions.txt to {tmp_path / 'c'}\n"
    files = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert files == [
        "body-waist.svg",
        "captions.txt",
        "food-carbfiber.svg",
        "food-carbs.svg",
        "food-fiberdensity.svg",
        "food-refined.svg",
        "food-upf.svg",
    ]
    captions = (tmp_path / "c" / "captions.txt").read_text().splitlines()
    assert captions[0].startswith(
        "food-carbs.svg: Daily carbohydrate, fibre and sugars (logged days). Per logged day: "
    )
    assert (tmp_path / "c" / "food-carbs.svg").read_text().startswith("<svg")


@pytest.mark.parametrize("how", [("--month", "2026-10"), ("--compare", "2026-07", "2026-10")])
def test_share_bundle_names_nobody(run, store_dir, tmp_path, how):
    # no --person: the Fitbit files' own account id becomes the stored person
    assert run("ingest", str(SAMPLE_DATA / "fitbit")).exit_code == 0
    bundle = tmp_path / "coach" / "share.zip"
    out = run("share", *how, "--sections", "activity,sleep,waist", "-o", str(bundle))
    assert out.exit_code == 0, out.output
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        blobs = [z.read(n) for n in names]
    assert "report.html" in names and "summary.csv" in names
    assert not any(n.startswith(("charts/body-weight", "charts/food")) for n in names)
    forbidden = [FITBIT_ID, str(store_dir), str(SAMPLE_DATA), str(tmp_path), socket.gethostname()]
    for name, blob in zip(names, blobs, strict=True):
        for secret in forbidden:
            assert secret.encode() not in blob, (name, secret)
    report = blobs[names.index("report.html")].decode()
    assert "<title>spectrum · me ·" in report
    assert "Weight trend (kg)" not in report and 'id="chart-weight"' not in report
    rows = blobs[names.index("summary.csv")].decode().splitlines()
    assert rows[0] == (
        "part,metric,name,unit,period_start,period_end,value,baseline_start,baseline_end,"
        "baseline,change,ci95_low,ci95_high,direction,note"
    )
    assert not any(",weight," in r or r.startswith(("food,", "weight,")) for r in rows[1:])


def test_summary_csv_rows_hold_directions():
    summary = {
        "period": {"start": "2026-10-01", "end": "2026-10-31"},
        "baseline_period": {"start": "2026-07-01", "end": "2026-09-30"},
        "metrics": {"steps_mean": 8236.0, "kcal_mean": 2100.4},
        "notes": {},
        "direction": {
            "steps_mean": {
                "baseline": 7204.0,
                "value": 8236.0,
                "delta": 1032.0,
                "ci95": [-1130.0, 3210.0],
                "label": "steady",
                "note": None,
            }
        },
    }
    # rounded as the report shows them: steps to the nearest 10, kcal to 1
    assert summary_csv(summary, Options()).splitlines()[1:] == [
        "activity,steps_mean,Steps per day,steps per day,2026-10-01,2026-10-31,8240.0,"
        "2026-07-01,2026-09-30,7200.0,1030.0,-1130.0,3210.0,steady,",
        "food,kcal_mean,Energy per day (kcal),kcal per day,2026-10-01,2026-10-31,2100.0,,,,,,,,",
    ]


def test_a_reference_without_data_is_an_error(run):
    assert run("ingest", str(SAMPLE_DATA / "cronometer"), "--person", "alex").exit_code == 0
    out = run("compare", "2025-01", "2026-10")
    assert out.exit_code == 1
    assert out.output == (
        "Error: no data for alex in the reference period 2025-01-01 to 2025-01-31 (their data "
        "runs from 2026-05-01 to 2026-10-31); pick a reference period that has data.\n"
    )


def test_html_charts_carry_their_own_chart_library(run, tmp_path):
    assert run("ingest", str(SAMPLE_DATA / "cronometer"), "--person", "alex").exit_code == 0
    out = run("charts", "--month", "2026-10", "--format", "html", "--sections", "waist",
              "-o", str(tmp_path))  # fmt: skip
    assert out.output == f"Wrote 1 chart and captions.txt to {tmp_path}\n"
    page = (tmp_path / "body-waist.html").read_text()
    assert "<script src" not in page and "vega.View" in page
    assert "default-src 'none'" in page  # nothing may be fetched
    assert (tmp_path / "captions.txt").read_text().startswith("body-waist.html: Waist readings.")


def test_pdf_without_a_browser_says_how_to_install_one(run, tmp_path, monkeypatch):
    assert run("ingest", str(SAMPLE_DATA / "cronometer"), "--person", "alex").exit_code == 0
    monkeypatch.delenv("SPECTRUM_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser anywhere on it
    out = run("report", "--month", "2026-10", "--pdf", "-o", str(tmp_path / "r.pdf"))
    assert out.exit_code == 1
    assert out.output == (
        "Error: --pdf needs Chromium or Google Chrome to print; install it (Debian/Ubuntu: "
        "sudo apt install chromium; macOS: brew install --cask chromium) or set "
        "SPECTRUM_CHROMIUM to its path.\n"
    )
    assert not (tmp_path / "r.pdf").exists()
