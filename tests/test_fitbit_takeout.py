"""Fitbit Takeout `Global Export Data/*.json`: hand-written files in the documented layout
(Jackson's pretty printer: `[{`, one key per line, `},{` between items), read with `to_rows`
+ `read`, through `ingest.prepare`, and through the CLI on a Takeout folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.errors import DataError
from pipeline.sources import (
    _fitbit_takeout,
    fitbit_takeout_heart_rate,
    fitbit_takeout_sleep,
    fitbit_takeout_steps,
    fitbit_takeout_weight,
)
from pipeline.sources._parse import ReadOptions
from pipeline.sources.fitbit_takeout_minutes import KINDS, LIGHT, MODERATE, VIGOROUS
from pipeline.sources.fitbit_takeout_minutes import SEDENTARY as SEDENTARY_KIND
from tests import fixtures as fx

MINUTE_KINDS = KINDS
TAKEOUT = (
    fitbit_takeout_steps,
    fitbit_takeout_heart_rate,
    fitbit_takeout_sleep,
    fitbit_takeout_weight,
    *MINUTE_KINDS,
)


def fitbit_json(items: list) -> str:
    """Items laid out as Fitbit writes them: `[{` + `  "key" : value` lines + `},{` + `}]`."""
    return "[" + ",".join(json.dumps(i, indent=2, separators=(",", " : ")) for i in items) + "]"


def rows_of(source, text: str, name: str = "x.json"):
    return source.to_rows(text.encode(), Path(name))


def read(source, text: str, **opts):
    rows = rows_of(source, text)
    return rows, source.read(rows.frame, ReadOptions(**opts))


# -- steps -----------------------------------------------------------------------------------

STEPS = [
    {"dateTime": "01/15/26 05:00:00", "value": "0"},  # 05:00 UTC = 00:00 in New York (EST)
    {"dateTime": "01/15/26 05:01:00", "value": "12"},
    {"dateTime": "01/15/26 05:02:00", "value": "lots"},  # not a number: quarantined
    {"dateTime": "01/15/26 05:03:00"},  # no value: not a row
    {"dateTime": "01/15/26 17:30:00", "value": "95"},  # 17:30 UTC = 12:30 EST
]


def test_steps_are_utc_minutes_made_local_with_failures_on_their_lines():
    rows, conv = read(fitbit_takeout_steps, fitbit_json(STEPS), time_zone="America/New_York")
    # each item is 4 lines ("{", dateTime, value, "},{"), sharing the "},{" line: item k
    # starts on line 3k - 2 (1, 4, 7, 10, 13); the one without a value has 3 lines
    assert rows.frame["_line"].to_list() == [1, 4, 7, 12]
    assert rows.failures.rows() == [(10, "(row)", "element_shape", "has no value")]
    assert conv.failures.rows() == [(7, "value", "parses_as_integer", "lots")]
    assert conv.frame.drop("_line").rows() == [
        ("me", dt.datetime(2026, 1, 15, 0, 0), 0, 1),
        ("me", dt.datetime(2026, 1, 15, 0, 1), 12, 1),
        ("me", dt.datetime(2026, 1, 15, 12, 30), 95, 1),
    ]
    assert conv.frame.schema["interval_min"] == pl.Int32


def test_steps_in_summer_time_and_under_a_person():
    items = [{"dateTime": "07/01/26 03:59:00", "value": "7"}]  # EDT is UTC-4: 23:59 on 30 Jun
    _, conv = read(
        fitbit_takeout_steps, fitbit_json(items), time_zone="America/New_York", person="al"
    )
    assert conv.frame.select("person", "ts_local").row(0) == (
        "al",
        dt.datetime(2026, 6, 30, 23, 59),
    )


# -- heart rate ------------------------------------------------------------------------------

HEART = [
    {"dateTime": "01/15/26 07:00:05", "value": {"bpm": 60, "confidence": 2}},
    {"dateTime": "01/15/26 07:00:20", "value": {"bpm": 70, "confidence": 3}},
    {"dateTime": "01/15/26 07:00:50", "value": {"bpm": 80, "confidence": 1}},
    {"dateTime": "01/15/26 07:01:10", "value": {"bpm": "n/a", "confidence": 0}},
    {"dateTime": "01/15/26 07:01:30", "value": {"bpm": 90, "confidence": 2}},
    {"dateTime": "01/15/26 07:02:00", "value": 88},  # value is not an object: not a row
]


def test_heart_rate_seconds_become_local_minutes():
    rows, conv = read(fitbit_takeout_heart_rate, fitbit_json(HEART), time_zone="Europe/Berlin")
    # each item is 7 lines and shares its last ("},{") with the next: item k on 6k - 5
    assert rows.frame["_line"].to_list() == [1, 7, 13, 19, 25]
    assert rows.failures.rows() == [(31, "(row)", "element_shape", "has no value.bpm")]
    assert conv.failures.rows() == [(19, "value.bpm", "parses_as_number", "n/a")]
    minutes = fitbit_takeout_heart_rate.collapse(
        conv.frame.drop("_line").with_columns(source=pl.lit("s"), file_id=pl.lit("f"))
    )
    # 07:00 UTC is 08:00 in Berlin (CET, UTC+1); (60 + 70 + 80) / 3 = 70 over 3 samples;
    # 08:01 holds the one good sample, 90 (the "n/a" one is quarantined)
    assert minutes.select("ts_local", "bpm", "samples").rows() == [
        (dt.datetime(2026, 1, 15, 8, 0), 70.0, 3),
        (dt.datetime(2026, 1, 15, 8, 1), 90.0, 1),
    ]


# -- sleep -----------------------------------------------------------------------------------

SLEEP = [
    {
        "logId": 26590084532,
        "dateOfSleep": "2026-01-15",
        "startTime": "2026-01-14T23:30:00.000",
        "endTime": "2026-01-15T07:00:00.000",
        "duration": 27000000,
        "minutesAsleep": 410,
        "minutesAwake": 40,
        "timeInBed": 450,
        "efficiency": 93,
        "type": "stages",
        "levels": {"summary": {"deep": {"count": 4, "minutes": 80}}, "data": []},
        "mainSleep": True,
    },
    {
        "logId": 26590084533,
        "dateOfSleep": "2026-01-15",
        "startTime": "2026-01-15T14:00:00.000",
        "endTime": "2026-01-15T14:45:00.000",
        "minutesAsleep": 40,
        "timeInBed": 45,
        "mainSleep": False,
    },
    {
        "logId": 26590084534,
        "dateOfSleep": "2026-01-16",
        "startTime": "2026-01-15T23:00:00.000",
        "endTime": "not-a-time",
        "minutesAsleep": 400,
        "timeInBed": 430,
    },
    {"logId": 26590084535, "dateOfSleep": "2026-01-17", "startTime": "2026-01-16T23:00:00.000"},
]


def test_sleep_one_row_per_log_in_local_time():
    rows, conv = read(fitbit_takeout_sleep, fitbit_json(SLEEP), time_zone="Asia/Tokyo")
    assert rows.failures["value"].to_list() == ["has no endTime, minutesAsleep, timeInBed"]
    assert conv.failures.select("column", "check", "value").rows() == [
        ("endTime", "parses_as_local_datetime", "not-a-time")
    ]
    # startTime/endTime are local: the zone does not move them; the nap is a record too
    assert conv.frame.drop("_line").rows() == [
        (
            "me",
            "26590084532",
            dt.date(2026, 1, 15),
            dt.datetime(2026, 1, 14, 23, 30),
            dt.datetime(2026, 1, 15, 7, 0),
            410,
            450,
        ),
        (
            "me",
            "26590084533",
            dt.date(2026, 1, 15),
            dt.datetime(2026, 1, 15, 14, 0),
            dt.datetime(2026, 1, 15, 14, 45),
            40,
            45,
        ),
    ]
    assert conv.frame.columns == [
        "_line", "person", "record", "date", "start_local", "end_local", "asleep_min",
        "in_bed_min",
    ]  # fmt: skip


# -- weight ----------------------------------------------------------------------------------

WEIGHT_LB = [
    {
        "logId": 1757668406000,
        "weight": 198.1,
        "bmi": 30.04,
        "fat": 28.74,
        "date": "09/12/25",
        "time": "09:13:26",
        "source": "Aria",
    },
    {"logId": 1757754806000, "weight": 197.5, "bmi": 29.95, "date": "09/13/25", "time": "07:00:00"},
    {
        "logId": 1757841206000,
        "weight": "heavy",
        "bmi": 29.9,
        "date": "09/14/25",
        "time": "07:00:00",
    },
]


def test_weight_in_pounds_with_the_option():
    rows, conv = read(fitbit_takeout_weight, fitbit_json(WEIGHT_LB), weight_unit="lb")
    assert conv.failures.select("column", "value").rows() == [("weight", "heavy")]
    # 198.1 lb x 0.45359237 = 89.8566... kg; 197.5 x 0.45359237 = 89.5845...; fat absent: unknown
    assert conv.frame.drop("_line").rows() == [
        ("me", dt.datetime(2025, 9, 12, 9, 13, 26), pytest.approx(89.856649), 28.74, None),
        ("me", dt.datetime(2025, 9, 13, 7, 0), pytest.approx(89.584493), None, None),
    ]
    assert conv.warnings == ()


def test_weight_unit_mistakes_are_told_from_fitbits_bmi():
    _, as_kg = read(fitbit_takeout_weight, fitbit_json(WEIGHT_LB))
    # as kg: sqrt(198.1 / 30.04) = 2.568 m and sqrt(197.5 / 29.95) = 2.568 m tall; as lb the
    # heights are sqrt(0.45359237) = 0.6735 times that: 1.73 m, the likelier
    assert as_kg.warnings == (
        "the weights and Fitbit's BMI fit a height of 2.57 m in kg, 1.73 m in lb; if your "
        "Fitbit account uses pounds, ingest the file again with --weight-unit lb (it "
        "replaces these rows).",
    )
    kilos = [{"logId": 1, "weight": 80.0, "bmi": 26.12, "date": "09/12/25", "time": "07:00:00"}]
    assert read(fitbit_takeout_weight, fitbit_json(kilos))[1].warnings == ()  # 1.75 m
    assert read(fitbit_takeout_weight, fitbit_json(kilos), weight_unit="lb")[1].warnings == (
        "the weights and Fitbit's BMI fit a height of 1.18 m in lb, 1.75 m in kg; if your "
        "Fitbit account uses kilograms, ingest the file again without --weight-unit lb (it "
        "replaces these rows).",
    )
    no_bmi = [{"logId": 1, "weight": 175.5, "date": "09/12/25", "time": "07:00:00", "fat": 0}]
    _, conv = read(fitbit_takeout_weight, fitbit_json(no_bmi))
    assert conv.warnings == (
        "the weights have a median of 175.5 kg; if your Fitbit account uses pounds, ingest "
        "the file again with --weight-unit lb (it replaces these rows).",
    )
    assert conv.frame["fat_pct"].to_list() == [None]  # a fat of 0 is unknown


# -- the four daily minute files ----------------------------------------------------------

FUTURE = (dt.date.today() + dt.timedelta(days=3)).strftime("%m/%d/%y 00:00:00")
SEDENTARY = [
    {"dateTime": "01/15/26 00:00:00", "value": "720"},
    {"dateTime": "01/16/26 00:00:00", "value": "1440"},  # not worn: ignored
    {"dateTime": "01/17/26 00:00:00", "value": "about 700"},  # quarantined
    {"dateTime": FUTURE, "value": "1440"},  # Takeout's padding past the export: ignored
]


def test_sedentary_minutes_fill_their_column_only():
    _, conv = read(SEDENTARY_KIND, fitbit_json(SEDENTARY))
    assert conv.ignored == 2
    assert conv.failures.select("_line", "column", "value").rows() == [(7, "value", "about 700")]
    assert conv.frame.drop("_line").rows() == [
        ("me", dt.date(2026, 1, 15), None, None, 720, None, None, None, None, None)
    ]


@pytest.mark.parametrize(
    ("source", "column"),
    [
        (SEDENTARY_KIND, "sedentary_min"),
        (LIGHT, "light_min"),
        (MODERATE, "moderate_min"),
        (VIGOROUS, "vigorous_min"),
    ],
)
def test_each_minute_kind_is_its_own_source_and_column(source, column):
    items = [{"dateTime": "01/15/26 00:00:00", "value": "30"}, {"dateTime": FUTURE, "value": "0"}]
    _, conv = read(source, fitbit_json(items))
    assert conv.ignored == 1  # the future day
    row = conv.frame.drop("_line", "person", "date").row(0, named=True)
    assert {k: v for k, v in row.items() if v is not None} == {column: 30}
    assert source.NAME.removeprefix("fitbit_takeout_") + "-" == source.PREFIX


# -- recognising and refusing files -------------------------------------------------------


def test_the_name_tells_same_shaped_files_apart():
    head = fitbit_json(STEPS[:1]).encode()
    found = {
        name: [s.NAME for s in TAKEOUT if s.sniff(head, name)]
        for name in (
            "steps-2026-01-01.json",
            "sedentary_minutes-2026-01-01.json",
            "very_active_minutes-2026-01-01.json",
            "calories-2026-01-01.json",
        )
    }
    assert found == {
        "steps-2026-01-01.json": ["fitbit_takeout_steps"],
        "sedentary_minutes-2026-01-01.json": ["fitbit_takeout_sedentary_minutes"],
        "very_active_minutes-2026-01-01.json": ["fitbit_takeout_very_active_minutes"],
        "calories-2026-01-01.json": [],
    }
    assert [s.NAME for s in TAKEOUT if s.sniff(fitbit_json(HEART).encode(), "hr.json")] == [
        "fitbit_takeout_heart_rate"
    ]
    assert [s.NAME for s in TAKEOUT if s.sniff(fitbit_json(SLEEP).encode(), "s.json")] == [
        "fitbit_takeout_sleep"
    ]
    assert [s.NAME for s in TAKEOUT if s.sniff(fitbit_json(WEIGHT_LB).encode(), "w.json")] == [
        "fitbit_takeout_weight"
    ]
    assert fitbit_takeout_steps.sniff(b"\xef\xbb\xbf[ ]", "steps-2026-02-01.json")


def test_no_csv_is_taken_for_a_takeout_file():
    texts = [v for k, v in vars(fx).items() if k.isupper() and isinstance(v, str)]
    for text in texts:
        columns = text.splitlines()[0].split(",")
        head = text.encode()
        assert not any(s.detect(columns) for s in TAKEOUT)
        assert not any(s.sniff(head, n) for s in TAKEOUT for n in ("steps-1.json", "a.csv"))


def test_a_file_cut_off_keeps_the_items_before_the_cut():
    text = fitbit_json(STEPS[:2])[:-30]  # ends inside the second item
    rows = rows_of(fitbit_takeout_steps, text)
    assert rows.frame["_line"].to_list() == [1]
    assert rows.failures.rows() == [(4, "(row)", "line_complete", "the file ends inside this item")]
    assert rows.notices == ["the file looks truncated (its list is never closed with ']')"]


def test_a_file_on_one_line_numbers_its_items():
    text = json.dumps(STEPS[:2] + [7, "x"] + STEPS[4:])
    rows = rows_of(fitbit_takeout_steps, text)
    assert rows.frame["_line"].to_list() == [1, 2, 5]
    assert rows.failures.select("_line", "value").rows() == [
        (3, "is 7, not an object"),
        (4, 'is "x", not an object'),
    ]


def test_files_that_are_not_takeout_lists_are_refused(monkeypatch):
    with pytest.raises(DataError, match=r"does not start with '\['"):
        rows_of(fitbit_takeout_steps, '{"dateTime": "01/15/26 05:00:00"}', "steps-1.json")
    with pytest.raises(DataError, match="is not valid JSON at line 2"):
        rows_of(fitbit_takeout_steps, '[{"dateTime": "x",\n "value": 1 oops}]')
    monkeypatch.setattr(_fitbit_takeout, "MAX_BYTES", 100)
    with pytest.raises(DataError, match="more than any Fitbit Takeout file .* at most"):
        rows_of(fitbit_takeout_steps, fitbit_json(STEPS), "steps-1.json")
    assert rows_of(fitbit_takeout_steps, "[]").frame.height == 0


# -- through ingest and the CLI ------------------------------------------------------------


def takeout_folder(root: Path) -> Path:
    """A Takeout with one file of each kind, plus one spectrum does not read (calories)."""
    folder = root / "Takeout" / "Fitbit" / "Global Export Data"
    folder.mkdir(parents=True)
    very = [{"dateTime": "01/15/26 00:00:00", "value": "30"}]
    for name, items in [
        ("steps-2026-01-01.json", STEPS),
        ("heart_rate-2026-01-15.json", HEART),
        ("sleep-2026-01-01.json", SLEEP),
        ("weight-2025-09-01.json", WEIGHT_LB),
        ("sedentary_minutes-2026-01-01.json", SEDENTARY),
        ("very_active_minutes-2026-01-01.json", very),
        ("calories-2026-01-01.json", [{"dateTime": "01/15/26 00:00:00", "value": "1.2"}]),
    ]:
        (folder / name).write_text(fitbit_json(items))
    return folder


def test_prepare_reads_a_takeout_file(tmp_path):
    from pipeline.ingest import prepare

    folder = takeout_folder(tmp_path)
    prep = prepare(folder / "heart_rate-2026-01-15.json", None, ReadOptions())
    r = prep.report
    assert (r.format, r.rows_read, r.rows_accepted, r.rows_quarantined) == (
        "fitbit_takeout_heart_rate", 6, 4, 2,
    )  # fmt: skip
    # UTC stays UTC under the default zone; 4 samples stored as 2 minutes
    assert prep.accepted.select("ts_local", "bpm", "samples").rows() == [
        (dt.datetime(2026, 1, 15, 7, 0), 70.0, 3),
        (dt.datetime(2026, 1, 15, 7, 1), 90.0, 1),
    ]
    assert prep.failures["_line"].to_list() == [19, 31]
    sed = prepare(folder / "sedentary_minutes-2026-01-01.json", None, ReadOptions()).report
    assert (sed.rows_read, sed.rows_accepted, sed.rows_quarantined, sed.rows_ignored) == (
        4, 1, 1, 2,
    )  # fmt: skip


def test_ingest_a_takeout_folder(run, store_dir, tmp_path, store):
    store_dir.mkdir()
    (store_dir / "config.toml").write_text('time_zone = "America/New_York"\n')
    folder = takeout_folder(tmp_path)
    result = run("ingest", str(tmp_path / "Takeout"), "--weight-unit", "lb", "--json")
    assert result.exit_code == 0
    got = {
        Path(r["file"]).name: (
            r["format"], r["rows_read"], r["rows_accepted"], r["rows_quarantined"],
            r["rows_duplicate"], r["rows_ignored"],
        )
        for r in json.loads(result.stdout)
    }  # fmt: skip
    # read = accepted + quarantined + duplicate + ignored, file by file
    assert got == {
        "steps-2026-01-01.json": ("fitbit_takeout_steps", 5, 3, 2, 0, 0),
        "heart_rate-2026-01-15.json": ("fitbit_takeout_heart_rate", 6, 4, 2, 0, 0),
        "sleep-2026-01-01.json": ("fitbit_takeout_sleep", 4, 2, 2, 0, 0),
        "weight-2025-09-01.json": ("fitbit_takeout_weight", 3, 2, 1, 0, 0),
        "sedentary_minutes-2026-01-01.json": ("fitbit_takeout_sedentary_minutes", 4, 1, 1, 0, 2),
        "very_active_minutes-2026-01-01.json": (
            "fitbit_takeout_very_active_minutes",
            1,
            1,
            0,
            0,
            0,
        ),
    }
    assert f"{folder / 'calories-2026-01-01.json'}: skipped" in result.stderr
    assert "Warning" not in result.stderr  # pounds were said
    # each minute kind keeps its own row of the day (the key holds the source)
    daily = store.read("activity_daily").collect().sort("source")
    assert daily.select("source", "sedentary_min", "vigorous_min").rows() == [
        ("fitbit_takeout_sedentary_minutes", 720, None),
        ("fitbit_takeout_very_active_minutes", None, 30),
    ]
    # New York is UTC-5 in January: 05:00 UTC steps are midnight, 07:00 UTC heart rate 02:00
    steps = store.read("activity_intraday").collect().sort("ts_local")
    assert steps.select("ts_local", "steps").rows() == [
        (dt.datetime(2026, 1, 15, 0, 0), 0),
        (dt.datetime(2026, 1, 15, 0, 1), 12),
        (dt.datetime(2026, 1, 15, 12, 30), 95),
    ]
    heart = store.read("heart_rate").collect().sort("ts_local")
    assert heart.select("ts_local", "bpm").rows() == [
        (dt.datetime(2026, 1, 15, 2, 0), 70.0),
        (dt.datetime(2026, 1, 15, 2, 1), 90.0),
    ]
    body = store.read("body").collect().sort("ts_local")
    assert body["weight_kg"].to_list() == [pytest.approx(89.856649), pytest.approx(89.584493)]
    assert store.read("sleep").collect()["record"].sort().to_list() == [
        "26590084532",
        "26590084533",
    ]
