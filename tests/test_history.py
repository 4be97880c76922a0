"""log, undo, forget and delete: taking an ingest back leaves the reports as if it never
happened; a deleted person is gone from every file in the store."""

from __future__ import annotations

import json

from pipeline.paths import SAMPLE_DATA

FOOD = SAMPLE_DATA / "cronometer" / "servings.csv"
DAILY = SAMPLE_DATA / "fitbit" / "dailyActivity_merged.csv"
WEIGHT = SAMPLE_DATA / "fitbit" / "weightLogInfo_merged.csv"


def rounded(value):
    """Floats to 9 digits: sums done in parallel may differ in the last bit."""
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def summary(run, person: str = "alex") -> dict:
    out = run("summary", "--month", "2026-10", "--person", person, "--json")
    assert out.exit_code == 0, out.output
    return rounded(json.loads(out.output))


def log(run) -> list[dict]:
    return json.loads(run("log", "--json").output)


def test_undo_puts_the_store_back_before_the_newest_ingest(run):
    assert run("ingest", str(FOOD), "--person", "alex").exit_code == 0
    before = summary(run)
    assert run("ingest", str(DAILY), str(WEIGHT), "--person", "alex").exit_code == 0
    assert summary(run) != before
    out = run("undo")
    newest = log(run)[-1]
    assert out.output == f"Undid ingest {newest['ingest_id']} ({DAILY}, {WEIGHT}).\n"
    assert summary(run) == before
    assert [r["status"] for r in log(run)] == ["stored", "undone", "undone"]
    assert run("undo").exit_code == 0  # the food log too: the store is empty again
    out = run("summary", "--month", "2026-10", "--json")
    assert out.exit_code == 1 and "is empty; ingest an export first" in out.output
    out = run("undo")
    assert out.output == "Error: there is no ingest to undo; 'spectrum log' lists what is stored.\n"
    # an undone file can be ingested again
    again = run("ingest", str(DAILY), "--person", "alex")
    assert "177 rows read, 177 stored" in again.output


def test_forget_removes_exactly_one_ingest(run):
    assert run("ingest", str(DAILY), "--person", "alex").exit_code == 0
    only_daily = summary(run)
    assert run("undo").exit_code == 0
    assert run("ingest", str(FOOD), "--person", "alex").exit_code == 0
    assert run("ingest", str(DAILY), "--person", "alex").exit_code == 0
    food_id = log(run)[1]["ingest_id"]
    out = run("forget", food_id)
    assert out.output == f"Forgot ingest {food_id}: the rows of {FOOD} are removed.\n"
    assert summary(run) == only_daily
    out = run("forget", food_id)
    assert out.output == f"Error: ingest {food_id} was already taken back; nothing to do.\n"
    out = run("forget", "nosuchid")
    assert out.output == (
        "Error: no ingest nosuchid in this store; 'spectrum log' lists the ingest ids.\n"
    )


def test_delete_removes_a_person_from_every_file(run, store_dir):
    person = "zebra4242"  # a name that appears nowhere else
    assert run("ingest", str(FOOD), "--person", "alex").exit_code == 0
    alex = summary(run)
    assert run("ingest", str(DAILY), str(FOOD), "--person", person).exit_code == 0
    out = run("delete", "--person", person, "--yes")
    assert out.output == (
        f"Deleted all data of '{person}'; older versions were removed from disk too.\n"
    )
    assert summary(run) == alex
    assert json.loads(run("summary", "--month", "2026-10", "--json").output)["person"] == "alex"
    for path in store_dir.rglob("*"):
        assert person not in str(path)
        if path.is_file():
            assert person.encode() not in path.read_bytes(), path
    assert [r["file"] for r in log(run)] == [str(FOOD)]
    out = run("delete", "--person", person, "--yes")
    assert out.output == f"Error: no data for person '{person}' (the store holds: alex).\n"


def test_delete_asks_first(run, store_dir):
    from click.testing import CliRunner

    from pipeline.cli import cli

    assert run("ingest", str(FOOD), "--person", "alex").exit_code == 0
    args = ["--store", str(store_dir), "delete", "--person", "alex"]
    out = CliRunner().invoke(cli, args, input="n\n")
    assert out.exit_code == 1 and "Aborted!" in out.output
    assert summary(run)["person"] == "alex"


def rows_of(store_dir, table: str) -> list[tuple]:
    from pipeline.store import Store

    frame = Store(store_dir).read(table).collect()
    return sorted(frame.group_by("person").len().rows())


def test_forget_takes_back_one_ingest_of_a_file_read_twice(run, store_dir):
    assert run("ingest", str(FOOD), "--person", "alex").exit_code == 0
    assert run("ingest", str(FOOD), "--person", "bo").exit_code == 0
    bo = log(run)[-1]["ingest_id"]
    assert run("forget", bo).exit_code == 0
    assert rows_of(store_dir, "food_items") == [("alex", 1408)]


def test_delete_a_person_who_shares_a_file_with_others(run, store_dir, tmp_path):
    from tests import fixtures as fx
    from tests.conftest import write

    two = fx.FITBIT_DAILY + "\n".join(
        line.replace("111,", "222,", 1) for line in fx.FITBIT_DAILY.splitlines()[1:]
    )
    path = write(tmp_path / "dailyActivity_merged.csv", two)
    assert run("ingest", str(path)).exit_code == 0
    assert run("delete", "--person", "222", "--yes").exit_code == 0
    assert rows_of(store_dir, "activity_daily") == [("111", 4)]
    assert [r["status"] for r in log(run)] == ["stored"]
    journal = __import__("pipeline.store", fromlist=["Store"]).Store(store_dir).journal()
    assert journal.filter(journal["op"] == "ingest")["persons"].to_list() == ["111"]


def test_undo_does_not_reach_past_a_conversion(run, store_dir, tmp_path):
    import polars as pl

    from pipeline.ingest import ingest
    from pipeline.sources._parse import ReadOptions
    from pipeline.store import Store

    scratch = Store(tmp_path / "scratch")
    ingest(scratch, [FOOD], None, ReadOptions(person="alex"), strict=False)
    (store_dir / "tables").mkdir(parents=True)
    scratch.read("food_items").collect().write_parquet(store_dir / "tables" / "food_items.parquet")
    log_rows = scratch.read_side("ingest_log").rename({"at": "ingested_at"})
    log_rows.write_parquet(store_dir / "ingest_log.parquet")
    assert run("log").exit_code == 0  # converts
    out = run("undo")
    assert out.exit_code == 1 and "undo cannot reach past" in out.output
    assert rows_of(store_dir, "food_items") == [("alex", 1408)]
    assert isinstance(log_rows, pl.DataFrame)
