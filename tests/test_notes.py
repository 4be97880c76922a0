"""Notes on what happened (spectrum note ...): added, listed, imported with a bad row
quarantined, removed and undone; drawn on the charts and named under them; the edge of a
comparison; left out of the baseline when config says so; left out of share bundles unless
asked; inert in every output."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

import polars as pl
import pytest

from pipeline import events
from pipeline.demo import DEMO_PERSON
from pipeline.paths import SAMPLE_DATA
from tests.conftest import write

FIELD = "\x1f"


def hand_id(person: str, date: str, end: str, text: str, tag: str) -> str:
    """The id as notes_csv.note_id documents it, made here independently."""
    return hashlib.sha256(FIELD.join([person, date, end, text, tag]).encode()).hexdigest()[:8]


WALK_ID = hand_id("me", "2026-03-02", "", "Started walking after dinner", "walks")
COLD_ID = hand_id("me", "2026-03-10", "2026-03-14", "A cold", "illness")

NOTES_CSV = """\
date,end,text,tag
2026-03-02,,Started walking after dinner,walks
2026-03-09,2026-03-05,Backwards range,
2026-03-10,2026-03-14,A cold,Illness
,,No date,
2026-03-10,2026-03-14,A cold,Illness
"""


def listed(run) -> list[str]:
    return run("note", "list").stdout.splitlines()


def test_add_list_import_remove_and_undo(run, tmp_path):
    made = run("note", "add", "2026-03-02", "Started walking after dinner", "--tag", "walks")
    assert made.stdout == f"Noted {WALK_ID} for me: 2026-03-02.\n"
    assert listed(run) == [f"{WALK_ID}  2026-03-02  [walks]  Started walking after dinner"]

    path = write(tmp_path / "notes.csv", NOTES_CSV)
    imported = run("note", "import", str(path))
    # 5 lines = 2 stored + 2 quarantined + 1 repeat; the walk note is the one added above
    assert imported.stdout == (
        f"{path}: notes_csv, 5 rows read, 2 stored, 2 quarantined, 1 duplicate(s) (the last "
        "one counts) (2026-03-02 to 2026-03-10; me)\n"
    )
    quarantined = json.loads(run("quarantine", "--json").stdout)
    assert [(q["line"], q["reason"]) for q in quarantined] == [
        (3, "the end date is before the start date"),
        (5, "date is empty"),
    ]
    assert listed(run) == [
        f"{WALK_ID}  2026-03-02  [walks]  Started walking after dinner",
        f"{COLD_ID}  2026-03-10..2026-03-14  [illness]  A cold",
    ]
    tagged = json.loads(run("note", "list", "--tag", "illness", "--json").stdout)
    assert [n["id"] for n in tagged] == [COLD_ID]
    window = run("note", "list", "--from", "2026-03-12", "--to", "2026-03-31", "--json").stdout
    assert [n["id"] for n in json.loads(window)] == [COLD_ID]  # a range that reaches into it

    gone = run("note", "remove", COLD_ID)
    assert gone.stdout == (
        f"Removed note {COLD_ID} (2026-03-10 to 2026-03-14); spectrum undo puts it back.\n"
    )
    assert len(listed(run)) == 1
    assert run("undo").stdout == f"Undid the removal of note {COLD_ID}: it is back.\n"
    assert len(listed(run)) == 2
    assert run("undo").stdout.startswith("Undid ingest ")  # the import
    assert listed(run) == [f"{WALK_ID}  2026-03-02  [walks]  Started walking after dinner"]
    run("undo")  # the note added first
    assert listed(run) == ['No notes. Add one: spectrum note add 2026-10-05 "A cold" --tag illness']


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-03-14..2026-03-10", "x"),
         "Error: the range 2026-03-14..2026-03-10 ends before it starts; put the earlier day "
         "first.\n"),
        (("2026-02-30", "x"),
         "Error: '2026-02-30' is not a day or a range of days; write YYYY-MM-DD or "
         "YYYY-MM-DD..YYYY-MM-DD, e.g. 2026-10-05..2026-10-11.\n"),
        (("2026-03-01", "x", "--tag", "two words"),
         "Error: the note was not stored: tag 'two words' is not a tag (one word: a-z, 0-9, - "
         "and _).\n"),
        (("2026-03-01", "   "), "Error: the note was not stored: text is empty.\n"),
        (("1999-12-31", "x"),
         "Error: the note was not stored: date '1999-12-31' is before 2000.\n"),
    ],
)  # fmt: skip
def test_a_bad_note_is_an_error_and_nothing_is_stored(run, args, message):
    result = run("note", "add", *args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert run("log", "--json").stdout.strip() == "[]"


def test_remove_names_where_ids_are(run):
    result = run("note", "remove", "0badc0de")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no note 0badc0de in this store; 'spectrum note list' shows the ids.\n"
    )


def test_note_list_csv_reads_back_and_cannot_run_in_a_spreadsheet(run, tmp_path):
    run("note", "add", "2026-03-02", '=HYPERLINK("http://x")')
    run("note", "add", "2026-03-03..2026-03-04", "Trip, with a comma", "--tag", "travel")
    text = run("note", "list", "--csv").stdout
    assert text.splitlines()[0] == "id,date,end,text,tag"
    assert '2026-03-02,,"\'=HYPERLINK(""http://x"")",\n' in text
    assert ',2026-03-03,2026-03-04,"Trip, with a comma",travel\n' in text


# --- the periods of compare --around / --since, computed by hand -------------------------


COLD = events.Note(COLD_ID, "me", dt.date(2026, 3, 10), dt.date(2026, 3, 14), "A cold", "illness")


def test_around_is_the_weeks_before_and_after_without_the_note():
    a, b = events.around(COLD, 8)
    # 56 days before 10 March: 13 January to 9 March; after 14 March: 15 March to 9 May
    assert (a.start, a.end) == (dt.date(2026, 1, 13), dt.date(2026, 3, 9))
    assert (b.start, b.end) == (dt.date(2026, 3, 15), dt.date(2026, 5, 9))


def test_since_is_everything_after_against_as_long_before():
    a, b = events.since(COLD, dt.date(2026, 3, 31))
    # 15-31 March is 17 days; the 17 days before 10 March are 21 February to 9 March
    assert (b.start, b.end, b.days) == (dt.date(2026, 3, 15), dt.date(2026, 3, 31), 17)
    assert (a.start, a.end, a.days) == (dt.date(2026, 2, 21), dt.date(2026, 3, 9), 17)
    with pytest.raises(Exception, match="no data after note"):
        events.since(COLD, dt.date(2026, 3, 14))


# --- the demo: Alex's two notes -----------------------------------------------------------


DEMO_WALK = hand_id(DEMO_PERSON, "2026-08-17", "", "Started walking after dinner", "walks")
DEMO_COLD = hand_id(
    DEMO_PERSON, "2026-10-05", "2026-10-11", "A cold: stayed home most of the week", "illness"
)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from pipeline.cli import cli

    root = tmp_path_factory.mktemp("notes-demo")
    result = CliRunner().invoke(
        cli, ["--store", str(root), "ingest", str(SAMPLE_DATA), "--person", DEMO_PERSON]
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def demo_run(demo_store):
    from click.testing import CliRunner

    from pipeline.cli import cli

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--store", str(demo_store), *args], catch_exceptions=False)

    return invoke


def test_the_demo_person_has_two_notes(demo_run):
    assert demo_run("note", "list").stdout.splitlines() == [
        f"{DEMO_WALK}  2026-08-17  [walks]  Started walking after dinner",
        f"{DEMO_COLD}  2026-10-05..2026-10-11  [illness]  A cold: stayed home most of the week",
    ]


def test_compare_around_a_note_equals_the_explicit_periods(demo_run):
    around = json.loads(demo_run("compare", "--around", DEMO_WALK, "--json").stdout)
    # 8 weeks before 17 August and 8 weeks after it
    explicit = demo_run("compare", "2026-06-22..2026-08-16", "2026-08-18..2026-10-12", "--json")
    note = around.pop("note")
    assert around == json.loads(explicit.stdout)
    assert note == {
        "id": DEMO_WALK,
        "person": DEMO_PERSON,
        "days": "2026-08-17",
        "tag": "walks",
        "text": "Started walking after dinner",
        "how": "around, 8 weeks",
        "before": {"start": "2026-06-22", "end": "2026-08-16"},
        "after": {"start": "2026-08-18", "end": "2026-10-12"},
    }
    # the demo's walks after meals rise from that day: about 20% of meals before, over half after
    walks = around["direction"]["post_meal_walk_share"]
    assert walks["baseline"] < 0.25 and walks["value"] > 0.5


def test_compare_around_names_the_note_and_both_periods(demo_run, tmp_path):
    out = tmp_path / "c.html"
    result = demo_run("compare", "--around", DEMO_COLD, "--weeks", "2", "-o", str(out))
    assert result.stdout.splitlines() == [
        f"Around note {DEMO_COLD} (2026-10-05 to 2026-10-11, illness: A cold: stayed home most "
        "of the week): 2026-09-21 to 2026-10-04 before it, against 2026-10-12 to 2026-10-25 "
        "after it.",
        f"Wrote {out}",
    ]
    assert "2026-09-21 to 2026-10-04 before it" in out.read_text()


def test_the_cold_week_is_named_under_the_steps_chart(demo_run, tmp_path):
    demo_run("charts", "--month", "2026-10", "-o", str(tmp_path / "c"))
    captions = (tmp_path / "c" / "captions.txt").read_text()
    steps = next(line for line in captions.splitlines() if line.startswith("activity-steps"))
    assert "Steps: lower from 5 to 11 October (tag: illness), a mean of " in steps
    walks = next(line for line in captions.splitlines() if line.startswith("activity-walks"))
    assert "Share of meals: higher from 17 August (tag: walks) on, a mean of " in walks


# --- the baseline without the days of some notes ------------------------------------------

DAILY_HEAD = (
    "Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,"
    "VeryActiveDistance,ModeratelyActiveDistance,LightActiveDistance,SedentaryActiveDistance,"
    "VeryActiveMinutes,FairlyActiveMinutes,LightlyActiveMinutes,SedentaryMinutes,Calories"
)
TRAVEL = (dt.date(2026, 7, 6), dt.date(2026, 7, 12))


def daily_file(path: Path) -> Path:
    """June to September, every day worn (930 minutes): 10,000 steps a day, 3,000 in the
    travel week, 11,000 in September."""
    rows = [DAILY_HEAD]
    day = dt.date(2026, 6, 1)
    while day <= dt.date(2026, 9, 30):
        steps = 3000 if TRAVEL[0] <= day <= TRAVEL[1] else 11000 if day.month == 9 else 10000
        rows.append(f"7,{day.month}/{day.day}/{day.year},{steps},7,7,0,1,1,5,0,20,10,200,700,2100")
        day += dt.timedelta(days=1)
    return write(path, "\n".join(rows))


def test_tagged_days_are_left_out_of_the_baseline(run, store_dir, tmp_path):
    run("ingest", str(daily_file(tmp_path / "dailyActivity_merged.csv")), "--person", "sam")
    run("note", "add", "2026-07-06..2026-07-12", "Holiday", "--tag", "travel")
    before = json.loads(run("summary", "--month", "2026-09", "--json").stdout)
    assert before["baseline_left_out"] is None
    assert before["direction"]["steps_mean"]["baseline"] < 10000  # the travel week pulls it down

    (store_dir / "config.toml").write_text('[baseline]\nexclude_tags = ["travel"]\n')
    after = json.loads(run("summary", "--month", "2026-09", "--json").stdout)
    assert after["baseline_left_out"] == {"days": 7, "by_tag": {"travel": 7}}
    assert after["direction"]["steps_mean"]["baseline"] == 10000.0  # every other day: 10,000
    assert after["metrics"] == before["metrics"]  # September itself is untouched

    out = tmp_path / "r.html"
    run("report", "--month", "2026-09", "-o", str(out))
    assert "7 days were left out of the baseline: notes tagged travel (7 days)." in out.read_text()


def test_exclude_tags_must_be_a_list_of_tags(run, store_dir):
    store_dir.mkdir(parents=True, exist_ok=True)
    (store_dir / "config.toml").write_text('[baseline]\nexclude_tags = "travel"\n')
    result = run("config")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {store_dir / 'config.toml'}: baseline must be a table [baseline] with "
        "exclude_tags = a list of tags (e.g. [\"illness\"]), not {'exclude_tags': 'travel'}; "
        "fix it in config.toml (default: {}).\n"
    )


# --- privacy: bundles, and notes that look like code ----------------------------------------

SECRET = "Saw Dr Who about the knee"
HOSTILE = ("<script>alert(1)</script>", "=cmd()")


def note_bytes(texts: tuple[str, ...]) -> list[bytes]:
    return [t.encode() for t in texts]


def test_a_bundle_holds_no_byte_of_the_notes_unless_asked(demo_run, tmp_path):
    demo_run("note", "add", "2026-10-20", SECRET, "--tag", "knee")
    try:
        plain = tmp_path / "plain.zip"
        result = demo_run("share", "--month", "2026-10", "-o", str(plain))
        assert result.stderr == ""
        raw = plain.read_bytes()
        with zipfile.ZipFile(plain) as z:
            unpacked = b"".join(z.read(n) for n in z.namelist())
            assert "notes.csv" not in z.namelist()
        for secret in [SECRET, "stayed home", "Started walking", "knee", "illness"]:
            assert secret.encode() not in raw and secret.encode() not in unpacked

        shared = tmp_path / "shared.zip"
        result = demo_run("share", "--month", "2026-10", "--with-notes", "-o", str(shared))
        assert result.stderr.splitlines() == [
            "The bundle will include 3 note(s):",
            "  2026-08-17 [walks]  Started walking after dinner",
            "  2026-10-05..2026-10-11 [illness]  A cold: stayed home most of the week",
            f"  2026-10-20 [knee]  {SECRET}",
        ]
        knee = hand_id(DEMO_PERSON, "2026-10-20", "", SECRET, "knee")
        with zipfile.ZipFile(shared) as z:
            assert SECRET in z.read("report.html").decode()
            assert z.read("notes.csv").decode().splitlines()[1:] == [
                f"{DEMO_WALK},2026-08-17,,Started walking after dinner,walks",
                f"{DEMO_COLD},2026-10-05,2026-10-11,A cold: stayed home most of the week,illness",
                f"{knee},2026-10-20,,{SECRET},knee",
            ]
    finally:
        demo_run("undo")


def test_a_note_that_looks_like_code_is_inert_everywhere(run, tmp_path):
    path = write(tmp_path / "dailyActivity_merged.csv", daily_file(tmp_path / "d.csv").read_text())
    run("ingest", str(path), "--person", "sam")
    run("note", "add", "2026-09-10", HOSTILE[0])
    run("note", "add", "2026-09-12..2026-09-14", HOSTILE[1])
    html = tmp_path / "r.html"
    run("report", "--month", "2026-09", "-o", str(html))
    page = html.read_text()
    assert HOSTILE[0] not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for fmt in ("svg", "html"):  # a chart's own page too: the note stays inside its JSON
        run("charts", "--month", "2026-09", "--format", fmt, "-o", str(tmp_path / fmt))
        pages = list((tmp_path / fmt).glob(f"*.{fmt}"))
        assert pages and all(HOSTILE[0] not in p.read_text() for p in pages)
        assert any("alert(1)" in p.read_text() for p in pages)  # drawn, as text
    csv_text = run("note", "list", "--csv").stdout
    assert ",'=cmd()," in csv_text and ",=cmd()," not in csv_text
    listed_json = json.loads(run("note", "list", "--json").stdout)
    assert [n["text"] for n in listed_json] == list(HOSTILE)
    shared = tmp_path / "b.zip"
    run("share", "--month", "2026-09", "--with-notes", "-o", str(shared))
    with zipfile.ZipFile(shared) as z:
        assert HOSTILE[0] not in z.read("report.html").decode()
        notes = z.read("notes.csv").decode()
        assert ",'=cmd()," in notes and ",=cmd()," not in notes


def test_notes_table_keeps_its_columns(run):
    from pipeline import layout

    assert layout.columns("events") == [
        "person", "source", "file_id", "id", "date", "end_date", "text", "tag"
    ]  # fmt: skip
    assert layout.empty("events").schema["end_date"] == pl.Date


# --- the chart side, on tables small enough to check by hand ---------------------------------


def _notes() -> pl.DataFrame:
    from pipeline import layout

    rows = [
        ("me", "notes_csv", "f", "aaaaaaaa", dt.date(2026, 3, 3), dt.date(2026, 3, 4),
         "A  cold", "illness"),
        ("me", "notes_csv", "f", "bbbbbbbb", dt.date(2026, 3, 5), None, "Walk", None),
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=layout.schema("events"), orient="row")


def test_sentences_say_what_the_measure_did_around_each_note():
    from pipeline.report.events import sentence

    days = pl.date_range(dt.date(2026, 3, 1), dt.date(2026, 3, 6), eager=True)
    table = pl.DataFrame({"Date": days, "Steps": [1000, 1000, 300, 400, 1000, 1000]})
    # the cold (3-4 March): 350 against the other four days' 1,000; the walk (5 March on):
    # 1,000 against (1,000 + 1,000 + 300 + 400) / 4 = 675 before it
    assert sentence(table, _notes()) == (
        "Steps: lower from 3 to 4 March (tag: illness), a mean of 350 against 1,000 in the "
        "other days shown. Steps: higher from 5 March (a note) on, a mean of 1,000 against 675 "
        "before it."
    )


def test_the_data_table_names_the_notes_of_each_day_week_and_month():
    from pipeline.report.events import with_note_column

    days = pl.date_range(dt.date(2026, 3, 1), dt.date(2026, 3, 6), eager=True)
    daily = with_note_column(pl.DataFrame({"Date": days, "Steps": range(6)}), _notes())
    assert daily["Note"].to_list() == [
        None,
        None,
        "A cold (illness)",
        "A cold (illness)",
        "Walk",
        None,
    ]
    weeks = pl.DataFrame({"Week of": [dt.date(2026, 2, 23), dt.date(2026, 3, 2)], "x": [1, 2]})
    assert with_note_column(weeks, _notes())["Note"].to_list() == [None, "A cold (illness); Walk"]
    months = pl.DataFrame({"Month": ["2026-02", "2026-03"], "x": ["1", "2"]})
    assert with_note_column(months, _notes())["Note"].to_list() == [None, "A cold (illness); Walk"]


def test_delete_takes_a_persons_notes_with_it(run):
    run("note", "add", "2026-03-02", "Started walking after dinner", "--person", "sam")
    run("note", "add", "2026-03-03", "Not Sam's", "--person", "kim")
    assert run("delete", "--person", "sam", "--yes").exit_code == 0
    assert [
        n["person"] for n in json.loads(run("note", "list", "--person", "kim", "--json").stdout)
    ] == ["kim"]
    assert "Started walking" not in run("note", "list", "--person", "kim", "--csv").stdout


def test_a_long_note_is_cut_to_the_chart_and_never_stretches_it():
    from pipeline.report.events import marks

    long = _notes().with_columns(end_date=pl.lit(dt.date(2027, 10, 1)))
    drawn = marks(long, dt.date(2026, 3, 1), dt.date(2026, 3, 31)).layer[0].data.values
    assert [(r["d0"], r["d1"]) for r in drawn] == [
        ("2026-03-03", "2026-04-01"),
        ("2026-03-05", "2026-04-01"),
    ]


def test_compare_around_uses_the_notes_own_person(run, tmp_path):
    path = daily_file(tmp_path / "dailyActivity_merged.csv")
    run("ingest", str(path), "--person", "sam")
    run("ingest", str(path), "--person", "kim")
    made = run("note", "add", "2026-08-01", "New shoes", "--person", "kim").stdout
    note_id = made.split()[1]
    result = run("compare", "--around", note_id, "--weeks", "4", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["person"] == "kim"
    alone = run("compare", "2026-08", "2026-09", "--weeks", "2")
    assert alone.exit_code == 2
    assert alone.stderr.endswith("Error: --weeks goes with --around NOTE_ID.\n")
