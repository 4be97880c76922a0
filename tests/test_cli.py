"""Every command through click's CliRunner, with the exact messages a user sees."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import DataError
from tests import fixtures as fx
from tests.conftest import ROOT, write


def test_help_lists_every_command_with_examples(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("ingest", "summary", "report", "demo", "formats"):
        assert command in result.output
        assert "Example:" in run(command, "--help").output


def test_help_imports_no_heavy_library():
    code = (
        "import sys; from click.testing import CliRunner; from pipeline.cli import cli; "
        "CliRunner().invoke(cli, ['--help']); "
        "print(sorted(m for m in ('polars', 'pandera', 'altair', 'vl_convert', 'jinja2') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_pipeline_works():
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0 and "Usage: spectrum" in out.stdout


def test_the_process_ends_with_the_command_s_exit_code_and_all_its_output(tmp_path):
    """main() ends the process without Python's teardown: the output must still be whole and
    the exit code the command's (0 done, 1 an Error line, 2 a usage mistake)."""
    daily = write(tmp_path / "dailyActivity_merged.csv", fx.FITBIT_DAILY, crlf=True)
    store = str(tmp_path / "store")

    def spectrum(*args: str) -> subprocess.CompletedProcess:
        code = "from pipeline.cli import main; main()"
        argv = [sys.executable, "-c", code, "--store", store, *args]
        return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)

    done = spectrum("ingest", str(daily), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["rows_accepted"] == 4
    wrong = spectrum("summary", "--month", "2026-13")
    assert wrong.returncode == 2
    assert wrong.stderr.endswith("Error: Invalid value for --month: '2026-13' is not a month "
                                 "like 2026-10\n")  # fmt: skip
    missing = spectrum("summary", "--month", "2026-03", "--person", "nobody")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == "Error: no data for person 'nobody' (the store holds: 111).\n"


def test_ingest_json_reports_each_file(run, tmp_path):
    daily = write(tmp_path / "dailyActivity_merged.csv", fx.FITBIT_DAILY, crlf=True)
    food = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)
    result = run("ingest", str(daily), str(food), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "file": str(daily),
            "format": "fitbit_daily_activity",
            "persons": ["111"],
            "rows_read": 4,
            "rows_accepted": 4,
            "rows_quarantined": 0,
            "rows_ignored": 0,
            "first_date": "2026-03-01",
            "last_date": "2026-03-04",
            "days_replaced": 0,
            "days_kept": 0,
            "days_held": [],
            "rows_duplicate": 0,
            "note_lines": 0,
        },
        {
            "file": str(food),
            "format": "cronometer_servings",
            "persons": ["me"],
            "rows_read": 4,
            "rows_accepted": 4,
            "rows_quarantined": 0,
            "rows_ignored": 0,
            "first_date": "2026-03-01",
            "last_date": "2026-03-02",
            "days_replaced": 0,
            "days_kept": 0,
            "days_held": [],
            "rows_duplicate": 0,
            "note_lines": 0,
        },
    ]


def test_ingest_plain_output(run, tmp_path):
    food = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)
    result = run("ingest", str(food), "--person", "alex")
    assert result.output == (
        f"{food}: cronometer_servings, 4 rows read, 4 stored, 0 quarantined "
        "(2026-03-01 to 2026-03-02; alex)\n"
    )


def test_ingest_unknown_file(run, tmp_path):
    path = write(tmp_path / "notes.csv", "Id,Note,Mood\n1,4/12/2016 7:21:00 AM,97\n")
    result = run("ingest", str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path} is not a known export (header: Id, Note, Mood); run 'spectrum "
        "formats' to see the supported files, or pass --format NAME.\n"
    )


def test_ingest_missing_file(run, tmp_path):
    result = run("ingest", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope.csv'} does not exist; check the path.\n"


def test_ingest_folder_skips_files_it_does_not_read(run, tmp_path):
    write(tmp_path / "export" / "dailyActivity_merged.csv", fx.FITBIT_DAILY)
    other = write(tmp_path / "export" / "minuteMETsNarrow_merged.csv", "Id,ActivityMinute,METs\n")
    result = run("ingest", str(tmp_path / "export"))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        f"{other}: skipped, not an export spectrum reads (header: Id, ActivityMinute, METs); "
        "see 'spectrum formats'"
    )


def test_ingest_strict_exits_1_and_writes_nothing(run, tmp_path, store_dir):
    bad = fx.CRONOMETER_SERVINGS.replace("300.00,54.00", "12000.00,54.00")
    path = write(tmp_path / "servings.csv", bad)
    result = run("ingest", str(path), "--strict")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: 1 row(s) failed validation under --strict (first: {path} line 2, "
        "kcal = '12000.0' fails less_than_or_equal_to(10000)); nothing was written. "
        "Fix the rows, or drop --strict to quarantine them.\n"
    )
    assert not (store_dir / "tables").exists()


def test_ingest_unknown_format_name_is_a_usage_error(run, tmp_path):
    path = write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)
    result = run("ingest", str(path), "--format", "garmin")
    assert result.exit_code == 2
    assert "Invalid value for --format: 'garmin' is not a format; choose from" in result.output


def test_unreadable_bytes_give_one_line_and_debug_gives_a_traceback(run, tmp_path, store_dir):
    path = tmp_path / "servings.csv"
    path.write_bytes(b'Day,Group,Food Name,Energy (kcal),Carbs (g)\n2026-03-01,"a\n')
    result = run("ingest", str(path))
    assert result.exit_code == 0  # the cut line is quarantined, and said to be
    assert result.output.splitlines() == [
        f"{path}: cronometer_servings, 1 rows read, 0 stored, 1 quarantined (no dates; no rows)",
        f"Warning: {path}: the file looks truncated: a quote opened on line 2 is never closed",
    ]
    binary = tmp_path / "dailyActivity_merged.csv"
    binary.write_bytes(fx.FITBIT_DAILY.encode() + b"111,3/5/2026,\x00\x00\xff\x13\n")
    result = run("ingest", str(binary))
    assert result.exit_code == 1
    assert (
        result.output == f"Error: {binary} is damaged at line 6 (binary data); export it again.\n"
    )
    with pytest.raises(DataError):  # --debug: the exception itself, with its traceback
        run("--debug", "ingest", str(binary))


def test_summary_json_keys_and_values(run, tmp_path):
    run("ingest", str(write(tmp_path / "d.csv", fx.FITBIT_DAILY)), "--person", "me")
    run("ingest", str(write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)))
    result = run("summary", "--month", "2026-03", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {
        "person",
        "period",
        "baseline_period",
        "baseline_left_out",
        "coverage",
        "metrics",
        "notes",
        "direction",
    }
    assert data["baseline_left_out"] is None  # no [baseline] exclude_tags
    assert data["person"] == "me"
    assert data["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert data["metrics"]["steps_mean"] == 8000.0
    assert data["metrics"]["food_logged_days"] == 1
    assert data["metrics"]["kcal_mean"] == 1200.0
    assert data["coverage"]["food_partial_days"] == 1
    assert data["direction"]["steps_mean"]["label"] == "insufficient"
    assert data["direction"]["steps_mean"]["note"] == (
        "too little data: 0 week(s) with 4+ days now, 0 in the baseline; needs 2 in each"
    )
    # every metric of the contract is a key, null with a reason where the data cannot tell
    assert data["metrics"]["long_sitting_bouts_per_day"] is None
    assert data["notes"]["long_sitting_bouts_per_day"] == (
        "needs minute-level steps covering the waking day (hourly or daily steps cannot "
        "show a 60-minute run)"
    )
    assert data["notes"]["sleep_min_mean"] == (
        "no sleep record in the period (ingest a sleep export: see spectrum formats)"
    )


def test_summary_from_to_period(run, tmp_path):
    run("ingest", str(write(tmp_path / "d.csv", fx.FITBIT_DAILY)))
    result = run("summary", "--from", "2026-03-02", "--to", "2026-03-04", "--json")
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["steps_mean"] == 7000.0  # 6000 and 8000; 3 March was not worn
    assert metrics["days_in_period"] == 3


def test_summary_errors(run, tmp_path, store_dir):
    assert run("summary", "--month", "2026-03").output == (
        f"Error: the store at {store_dir} is empty; ingest an export first: spectrum ingest FILE\n"
    )
    run("ingest", str(write(tmp_path / "d.csv", fx.FITBIT_DAILY)))
    run("ingest", str(write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)), "--person", "sam")
    several = run("summary", "--month", "2026-03")
    assert several.exit_code == 1
    assert several.output == (
        "Error: the store holds several people (111, sam); pick one with --person ID.\n"
    )
    empty = run("summary", "--month", "2025-01", "--person", "sam")
    assert empty.exit_code == 1
    assert empty.output == (
        "Error: no data for sam between 2025-01-01 and 2025-01-31 (their data runs from "
        "2026-03-01 to 2026-03-02); ingest an export that covers it (spectrum ingest FILE) or "
        "pick another period.\n"
    )
    unknown = run("summary", "--month", "2026-03", "--person", "kim")
    assert unknown.output == "Error: no data for person 'kim' (the store holds: 111, sam).\n"


def test_summary_usage_errors_exit_2(run):
    bad_month = run("summary", "--month", "2026-13")
    assert bad_month.exit_code == 2
    assert "Invalid value for --month: '2026-13' is not a month like 2026-10" in bad_month.output
    neither = run("summary")
    assert neither.exit_code == 2
    assert "Error: give --month YYYY-MM, or both --from DATE and --to DATE." in neither.output


def test_summary_text_output(run, tmp_path):
    run("ingest", str(write(tmp_path / "d.csv", fx.FITBIT_DAILY)))
    out = run("summary", "--month", "2026-03").output
    assert out.splitlines()[0] == "spectrum summary for 111, 2026-03-01 to 2026-03-31"
    assert "Steps per day" in out and "8,000" in out


def test_report_writes_the_default_file(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("ingest", str(write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)), "--person", "alex")
    result = run("report", "--month", "2026-03")
    assert result.exit_code == 0
    assert result.output == "Wrote reports/spectrum-alex-2026-03.html\n"
    html = (tmp_path / "reports" / "spectrum-alex-2026-03.html").read_text()
    assert "No activity data for this month." in html


def test_report_to_a_chosen_file(run, tmp_path):
    run("ingest", str(write(tmp_path / "d.csv", fx.FITBIT_DAILY)))
    out = tmp_path / "coach" / "march.html"
    result = run("report", "--month", "2026-03", "-o", str(out))
    assert result.output == f"Wrote {out}\n"
    assert "No food data for this month." in out.read_text()


def test_formats_lists_every_source(run):
    from pipeline import sources

    out = run("formats").output
    for s in sources.SOURCES:
        assert f"{s.NAME}  ->  {s.TABLE}" in out and s.HOW_TO_EXPORT in out


def test_demo_writes_reports_and_prints_their_paths(run, tmp_path):
    result = run("demo", "-o", str(tmp_path / "demo"))
    assert result.exit_code == 0
    paths = result.output.splitlines()
    names = [
        *(f"spectrum-alex-{m}.html" for m in ("2026-08", "2026-09", "2026-10")),
        "spectrum-alex-2026-10-vs-2026-07.html",
        "spectrum-alex-2026.html",
        "charts-2026-10",
        "share-2026-10.zip",
        "spectrum-alex-2026-10.pdf",
    ]
    assert paths == [str(tmp_path / "demo" / n) for n in names]
    assert all(Path(p).exists() for p in paths)


def test_store_from_environment(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pipeline.cli import cli

    monkeypatch.setenv("SPECTRUM_STORE", str(tmp_path / "envstore"))
    path = write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)
    result = CliRunner().invoke(cli, ["ingest", str(path)])
    assert result.exit_code == 0
    assert (tmp_path / "envstore" / "tables" / "food_items" / "_delta_log").is_dir()


def test_debug_shows_the_traceback(store_dir, tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    args = ["--store", str(store_dir), "--debug", "ingest", str(tmp_path / "nope.csv")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "DataError"


def test_pounds_stored_as_kg_get_a_warning(tmp_path, store_dir):
    from click.testing import CliRunner

    from pipeline.cli import cli

    path = write(tmp_path / "Measurement-Summary.csv", fx.MFP_MEASUREMENT)
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(store_dir), "ingest", str(path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["format"] == "mfp_measurement"
    assert result.stderr.splitlines()[-1] == (
        f"Warning: {path}: the weights have a median of 175.5 kg; if your MyFitnessPal "
        "account uses pounds, ingest the file again with --weight-unit lb (it replaces "
        "these rows)."
    )
    again = runner.invoke(
        cli, ["--store", str(store_dir), "ingest", str(path), "--weight-unit", "lb"]
    )
    assert "Warning" not in again.output


def test_binary_file_is_refused_in_one_line(run, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x08\x00\r\x00\x00\xff\xfe")  # a zip's first bytes
    result = run("ingest", str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path} is not a readable zip (File is not a zip file); export it again.\n"
    )
    path.write_bytes(b"Day,Time\n\x00\x01\x02\n")
    result = run("ingest", str(path))
    assert result.output == f"Error: {path} is damaged at line 2 (binary data); export it again.\n"


def test_header_only_file_stores_nothing_and_says_so(run, tmp_path):
    path = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS.splitlines()[0])
    result = run("ingest", str(path))
    assert result.exit_code == 0
    assert result.output == (
        f"{path}: cronometer_servings, 0 rows read, 0 stored, 0 quarantined (no dates; no rows)\n"
    )


def test_a_stray_latin1_byte_does_not_sink_the_file(run, tmp_path):
    path = tmp_path / "servings.csv"
    head = "Day,Group,Food Name,Amount,Energy (kcal),Carbs (g),Fiber (g),Sugars (g)\n"
    path.write_bytes(head.encode() + b'2026-03-01,"B","Caf\xe9 latte","1",120,10,0,9\n')
    result = run("ingest", str(path), "--json")
    assert json.loads(result.stdout)[0]["rows_accepted"] == 1


def test_classify_explains_each_name(run):
    out = run("classify", "Coca-Cola 330ml", "Grandma's Special Surprise").output
    assert out.splitlines() == [
        "Coca-Cola 330ml: refined yes, ultra-processed yes (refined: name 'coca cola' "
        "(soft_drink); ultra_processed: name 'coca cola' (soft_drink))",
        "Grandma's Special Surprise: refined unknown, ultra-processed unknown (refined: no rule "
        "matched; needs carbs and fibre; ultra_processed: no rule matched (unknown))",
    ]
    as_json = json.loads(run("classify", "Hafer Flocken", "--json").stdout)
    assert as_json == [
        {
            "name": "Hafer Flocken",
            "refined": False,
            "ultra_processed": False,
            "rule": "refined: name 'hafer flocken' (whole_grain_plain), no carbs/fibre given; "
            "ultra_processed: name 'hafer flocken' (whole_grain_plain)",
        }
    ]
    # with a serving's nutrients the ratio decides a name no rule knows: 60 / 3 = 20 > 10
    ratio = json.loads(
        run(
            "classify", "Grandma's Special Surprise", "--carbs", "60", "--fiber", "3", "--json"
        ).stdout
    )
    assert ratio[0]["refined"] is True
    assert ratio[0]["rule"].startswith("refined: carbs:fibre 20.0 > 10")


def test_user_food_rules_change_the_classification_and_the_metric(run, tmp_path, store_dir):
    run("ingest", str(write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS)))
    before = json.loads(run("summary", "--month", "2026-03", "--json").stdout)["metrics"]
    # 1 March is the one logged day: the white bread's 90 g are its refined carbohydrate
    assert before["refined_carbs_g_mean"] == 90.0
    (store_dir / "config.toml").write_text('[food_rules]\n"white bread" = "not_refined"\n')
    after = json.loads(run("summary", "--month", "2026-03", "--json").stdout)["metrics"]
    assert after["refined_carbs_g_mean"] == 0.0
    rule = json.loads(run("classify", "White Bread", "--json").stdout)[0]["rule"]
    assert rule.startswith("refined: name 'white bread' (config: white bread)")
