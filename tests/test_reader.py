"""The reader accounts for every line: damaged rows are quarantined with their physical line
and a plain reason, damaged files are refused whole, and text in any common encoding or
line ending reads the same."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.errors import DataError
from pipeline.ingest import prepare
from pipeline.sources._parse import ReadOptions
from tests import fixtures as fx
from tests.conftest import write

ME = ReadOptions()
FOOD = fx.CRONOMETER_SERVINGS


def failures(prep) -> list[tuple]:
    return prep.failures.select("_line", "column", "check", "value").rows()


def counts(prep) -> tuple:
    r = prep.report
    assert r.rows_read == (r.rows_accepted + r.rows_quarantined + r.rows_duplicate + r.note_lines)
    return r.rows_read, r.rows_accepted, r.rows_quarantined, r.rows_duplicate


def test_a_row_with_a_stray_comma_is_quarantined_not_shifted(tmp_path):
    text = FOOD.replace('"Apple","1.00 medium"', "Apple, Gala,1.00 medium")
    prep = prepare(write(tmp_path / "servings.csv", text), None, ME)
    assert failures(prep) == [
        (5, "(row)", "fields_match_header", "has 15 fields, the header has 14")
    ]
    assert counts(prep) == (4, 3, 1, 0)


def test_a_file_cut_mid_number_quarantines_its_last_line(tmp_path):
    data = fx.FITBIT_DAILY.encode()
    cut = data[: data.rindex(b"8000") + 2]  # "111,3/4/2026,80" and no more
    path = tmp_path / "dailyActivity_merged.csv"
    path.write_bytes(cut)
    prep = prepare(path, None, ME)
    assert failures(prep) == [
        (5, "(row)", "fields_match_header", "has 3 fields, the header has 15")
    ]
    assert prep.warnings == [f"{path}: the file looks truncated (its last line, 5, is cut off)"]
    assert counts(prep) == (4, 3, 1, 0)


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"], ids=["crlf", "cr-only"])
def test_line_endings_read_the_same(tmp_path, ending):
    path = tmp_path / "dailyActivity_merged.csv"
    path.write_bytes(fx.FITBIT_DAILY.encode().replace(b"\n", ending))
    assert counts(prepare(path, None, ME)) == (4, 4, 0, 0)


def test_utf16_and_windows_1252_text(tmp_path):
    name = "Crème brûlée"
    text = FOOD.replace('"Apple"', f'"{name}"')
    utf16 = tmp_path / "a" / "servings.csv"
    utf16.parent.mkdir()
    utf16.write_bytes(text.encode("utf-16"))
    prep = prepare(utf16, None, ME)
    assert name in prep.accepted["food_name"].to_list() and prep.warnings == []
    latin = tmp_path / "b" / "servings.csv"
    latin.parent.mkdir()
    latin.write_bytes(text.encode("cp1252"))
    prep = prepare(latin, None, ME)
    assert name in prep.accepted["food_name"].to_list()
    assert prep.warnings == [
        f"{latin}: it is not UTF-8 text; it was read as Windows-1252 (check accented names)"
    ]


def test_binary_bytes_refuse_the_whole_file(tmp_path):
    path = tmp_path / "servings.csv"
    path.write_bytes(FOOD.encode() + b"\x00\x00\x00garbage\n")
    with pytest.raises(DataError) as err:
        prepare(path, None, ME)
    assert str(err.value) == f"{path} is damaged at line 6 (binary data); export it again."


@pytest.mark.parametrize("one_read", [True, False])
def test_binary_bytes_megabytes_into_a_file_refuse_it_at_their_line(
    tmp_path, monkeypatch, one_read
):
    # a file is read in one piece once its first megabyte is checked, and the rest checked
    # megabyte by megabyte after it; a file larger than archive.ONE_READ is read a chunk at
    # a time, each checked as it comes. Either way the line is the line of the bad byte.
    from pipeline import archive

    if not one_read:
        monkeypatch.setattr(archive, "ONE_READ", 1024**2)
    path = tmp_path / "minuteStepsNarrow_merged.csv"
    row = b"1503960366,4/12/2016 12:00:00 AM,0\r\n"
    rows = 3 * 1024**2 // len(row)
    path.write_bytes(b"Id,ActivityMinute,Steps\r\n" + row * rows + b"1503960366,\x00,0\r\n" + row)
    with pytest.raises(DataError) as err:
        prepare(path, None, ReadOptions())
    assert str(err.value) == f"{path} is damaged at line {rows + 2} (binary data); export it again."


def test_a_duplicated_header_column_is_refused(tmp_path):
    text = FOOD.replace("Carbs (g),Fiber (g)", "Carbs (g),Carbs (g)", 1)
    path = write(tmp_path / "servings.csv", text)
    with pytest.raises(DataError) as err:
        prepare(path, None, ME)
    assert str(err.value) == (
        f"{path} has the column 'Carbs (g)' twice; export it again (or delete the copy)."
    )


@pytest.mark.parametrize("bad", ["inf", "NaN", "1e999", "-inf"])
def test_non_finite_numbers_are_cells_that_do_not_parse(tmp_path, run, bad):
    text = FOOD.replace("100.00,25.00,4.00,19.00", f"100.00,25.00,{bad},19.00")
    path = write(tmp_path / "servings.csv", text)
    prep = prepare(path, None, ME)
    assert failures(prep) == [(5, "Fiber (g)", "parses_as_number", bad)]
    assert run("ingest", str(path)).exit_code == 0
    out = run("summary", "--month", "2026-03", "--json")
    json.loads(out.output)  # valid JSON: no Infinity anywhere
    assert "Infinity" not in out.output and "NaN" not in out.output


def test_dates_before_2000_are_quarantined(tmp_path):
    prep = prepare(write(tmp_path / "servings.csv", FOOD.replace("2026-03-02", "1900-03-02")),
                   None, ME)  # fmt: skip
    assert failures(prep) == [(5, "date", "not_before_2000", "1900-03-02")]


def test_a_24_hour_clock_time_reads(tmp_path):
    prep = prepare(write(tmp_path / "servings.csv", FOOD.replace("7:00 PM", "19:00")), None, ME)
    assert failures(prep) == []
    assert str(prep.accepted.sort("time")["time"].to_list()[-1]) == "19:00:00"


def test_duplicate_keys_in_one_file_are_counted(tmp_path):
    line = fx.FITBIT_DAILY.splitlines()[2]
    text = fx.FITBIT_DAILY + line.replace(",6000,", ",6500,") + "\n"
    prep = prepare(write(tmp_path / "dailyActivity_merged.csv", text), None, ME)
    assert counts(prep) == (5, 4, 0, 1)
    assert prep.accepted.filter(prep.accepted["date"].dt.day() == 2)["steps"].to_list() == [6500]


def test_validate_is_a_dry_run_and_quarantine_lists_the_rows(run, tmp_path, store_dir):
    text = FOOD.replace("100.00,25.00,4.00,19.00", "100.00,25.00,inf,19.00").replace(
        "2026-03-01,12:30 PM", "2026-03-01,25:99 PM"
    )
    path = write(tmp_path / "servings.csv", text)
    out = run("validate", str(path))
    assert out.exit_code == 1
    assert out.output.splitlines()[-1] == "Nothing was written. 2 row(s) would be quarantined."
    assert not store_dir.exists()
    assert run("validate", str(write(tmp_path / "ok.csv", FOOD))).exit_code == 0
    assert run("ingest", str(path)).exit_code == 0
    out = run("quarantine", "--file", "servings")
    assert out.output.splitlines() == [
        f"{path}:3  Time  parses_as_clock_time  Time '25:99 PM' is not a clock time",
        f"{path}:5  Fiber (g)  parses_as_number  Fiber (g) 'inf' is not a number",
        "2 row(s) in quarantine.",
    ]
    assert run("quarantine", "--person", "nobody").output == "0 row(s) in quarantine.\n"


@pytest.mark.parametrize("name", ["", "   ", "a/b", "x;rm"])
def test_person_must_be_a_plain_name(run, tmp_path, name):
    out = run("ingest", str(write(tmp_path / "servings.csv", FOOD)), "--person", name)
    assert out.exit_code == 2
    assert f"'{name}' is not a name spectrum can store" in out.output


def test_folders_take_csv_files_whatever_the_case(run, tmp_path):
    write(tmp_path / "in" / "FOOD.CSV", FOOD)
    out = run("ingest", str(tmp_path / "in"))
    assert "4 rows read, 4 stored" in out.output


def test_store_problems_are_one_error_line(run, tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = CliRunner().invoke(
        cli, ["--store", str(blocker / "store"), "ingest", str(write(tmp_path / "s.csv", FOOD))]
    )
    assert out.output == (
        f"Error: cannot use {blocker / 'store'} as the store (Not a directory); choose "
        "another folder with --store DIR.\n"
    )


def test_fields_set_unknown_are_recorded_but_the_row_is_stored(run, tmp_path):
    # 12 g fibre in 5 g carbohydrate: beyond rounding, so the carbohydrate figures are
    # unknown; the 400 kcal still count, and the quarantine says what was done
    text = FOOD.replace("100.00,25.00,4.00,19.00", "400.00,5.00,12.00,1.00")
    path = write(tmp_path / "servings.csv", text)
    out = run("ingest", str(path))
    assert f"{path}: cronometer_servings, 4 rows read, 4 stored, 0 quarantined" in out.output
    shown = run("quarantine").output.splitlines()
    assert shown == [
        f"{path}:5  carbohydrate, fibre, sugars  carbs_set_unknown  stored with carbohydrate, "
        "fibre and sugars unknown: fibre 12.0 g, sugars 1.0 g, carbohydrate 5.0 g (more than "
        "rounding allows); energy, protein and fat count",
        "1 row(s) in quarantine (1 of them stored, with a figure left unknown).",
    ]


def test_verbose_lists_the_columns_spectrum_does_not_use(run, tmp_path):
    out = run("ingest", "--verbose", str(write(tmp_path / "servings.csv", FOOD)))
    assert out.output.splitlines()[1] == "  columns not used: Amount, Net Carbs (g), Category"


def test_a_whole_row_rule_quarantines_the_offending_cell(run, tmp_path):
    text = "Id,ActivityMinute,Steps\n111,3/1/2026 1:00:00 PM,80\n111,3/1/2026 1:01:00 PM,950\n"
    path = write(tmp_path / "minuteStepsNarrow_merged.csv", text)
    assert run("ingest", str(path)).exit_code == 0
    assert run("quarantine").output.splitlines()[0] == (
        f"{path}:3  steps  steps_at_most_300_per_minute  steps '950' breaks the rule: steps at "
        "most 300 per minute"
    )


def test_a_number_cut_short_in_the_last_column_is_not_stored(tmp_path):
    # the export always ends its lines: "...,2000" cut to "...,20" would still parse
    data = fx.FITBIT_DAILY.encode().rstrip(b"\n")[:-2]
    path = tmp_path / "dailyActivity_merged.csv"
    path.write_bytes(data)
    prep = prepare(path, None, ME)
    assert failures(prep) == [(5, "(row)", "line_complete", "the file ends inside this line")]
    assert prep.warnings == [f"{path}: the file looks truncated (its last line, 5, is cut off)"]
    assert counts(prep) == (4, 3, 1, 0)


def test_a_day_beyond_30000_kcal_is_held_back(tmp_path):
    rows = [FOOD.splitlines()[0]] + [
        f'2026-03-04,8:00 AM,"Meal","Cake {i}","1",9000,100,1,50,40,99,100,50,"C"' for i in range(4)
    ]
    text = FOOD + "\n".join(rows[1:]) + "\n"
    prep = prepare(write(tmp_path / "servings.csv", text), None, ME)
    found = {(c, k) for _, c, k, _ in failures(prep)}
    assert found == {("kcal", "kcal_at_most_30000_a_day")}
    assert counts(prep) == (8, 4, 4, 0)


def test_a_day_whose_new_line_does_not_parse_keeps_its_stored_rows(run, tmp_path, store_dir):
    from pipeline.store import Store

    first = write(tmp_path / "a" / "servings.csv", FOOD)
    assert run("ingest", str(first)).exit_code == 0
    newer = (
        FOOD.replace("300.00,54.00", "x,54.00").replace(  # 1 March: a cell fails
            '"Apple","1.00 medium"',
            "Apple, Gala,1.00 medium",  # 2 March: a field too many
        )
        + '2026-03-04,8:00 AM,"Breakfast","Egg","1",80,1,0,0,0,1,5,6,"E"\n'
    )
    out = run("ingest", str(write(tmp_path / "b" / "servings.csv", newer)))
    assert "kept the stored rows of 2026-03-01 (" in out.output  # 2 March: no new rows
    food = Store(store_dir).read("food_items").collect()
    assert sorted(food.group_by("date").len().rows())[:2] == [
        (dt.date(2026, 3, 1), 3),
        (dt.date(2026, 3, 2), 1),
    ]


def test_a_header_only_or_all_bad_file_beside_others_is_fine(run, tmp_path):
    assert run("ingest", str(write(tmp_path / "a" / "servings.csv", FOOD))).exit_code == 0
    empty = write(tmp_path / "b" / "servings.csv", FOOD.splitlines()[0])
    daily = write(tmp_path / "dailyActivity_merged.csv", fx.FITBIT_DAILY)
    out = run("ingest", str(daily), str(empty))
    assert out.exit_code == 0, out.output
    assert "4 rows read, 4 stored" in out.output


def test_a_long_quoted_field_is_a_field(tmp_path):
    text = FOOD.replace('"Apple"', '"' + "A" * 200_000 + '"')
    assert counts(prepare(write(tmp_path / "servings.csv", text), None, ME)) == (4, 4, 0, 0)


def test_reading_a_file_again_cleanly_clears_its_quarantine(run, tmp_path):
    path = write(tmp_path / "Measurement-Summary.csv", "Date,Weight\n2026-03-01,400.0\n")
    assert "1 quarantined" in run("ingest", str(path)).output
    assert "1 stored, 0 quarantined" in run("ingest", str(path), "--weight-unit", "lb").output
    assert run("quarantine").output == "Nothing in quarantine.\n"


def test_lines_of_only_commas_are_blank(tmp_path):
    text = fx.FITBIT_DAILY + ",,,,,,,,,,,,,,\n"
    path = write(tmp_path / "dailyActivity_merged.csv", text)
    assert counts(prepare(path, None, ME)) == (4, 4, 0, 0)


def test_an_unknown_file_names_the_closest_format(tmp_path):
    path = write(tmp_path / "steps.csv", "Id,ActivityDate,Total Steps\n111,3/1/2026,5000\n")
    with pytest.raises(DataError) as err:
        prepare(path, None, ME)
    assert str(err.value) == (
        f"{path} is not a known export (header: Id, ActivityDate, Total Steps); the closest known "
        "format is fitbit_daily_activity, which also needs SedentaryMinutes, TotalSteps, "
        "VeryActiveMinutes; run 'spectrum "
        "formats' to see the supported files, or pass --format NAME."
    )


def test_quick_parsers_read_what_the_full_ones_read(monkeypatch):
    # convert() reads a column with a parser's quicker twin first (_parse.QUICK), and with
    # the parser itself when the twin leaves a cell unread: the same values and failures
    import polars as pl

    from pipeline.sources import _parse, fitbit_minute_steps

    stamps = ["4/12/2016 1:00:00 AM", " 4/12/2016 1:01:00 AM ", "4/12/2016  1:02:00 AM",
              "12/31/2016 11:59:00 PM", None, "4/12/2016", "13/1/2016 1:00:00 AM"]  # fmt: skip
    steps = ["12", " 7 ", "3.0", "1e2", None, "x", "99999999999999999999"]
    raw = pl.DataFrame(
        {"Id": ["1"] * 7, "ActivityMinute": stamps, "Steps": steps, "_line": range(2, 9)},
        schema_overrides={"_line": pl.Int64},
    )
    quick = fitbit_minute_steps.read(raw, ReadOptions())
    monkeypatch.setattr(_parse, "QUICK", {})
    full = fitbit_minute_steps.read(raw, ReadOptions())
    assert quick.frame.equals(full.frame)
    assert quick.failures.sort("_line", "column").equals(full.failures.sort("_line", "column"))
    assert quick.frame["steps"].to_list() == [12, 7, 3, 100, None]  # lines 2 to 6
    assert quick.failures.select("_line", "column").rows() == [
        (7, "ActivityMinute"), (8, "ActivityMinute"), (7, "Steps"), (8, "Steps"),
    ]  # fmt: skip
