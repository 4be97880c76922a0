"""Everyone at once (`summary --all`, `report --all`): the same numbers as one person at a time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re

import pytest

from pipeline.metrics.direction import direction_of_weeks, interval, weekly_values
from pipeline.metrics.vector_direction import interval_figures
from tests.conftest import write

MONTH = "2026-04"
PEOPLE = ("111", "222", "333")
DAILY_HEADER = (
    "Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,"
    "VeryActiveDistance,ModeratelyActiveDistance,LightActiveDistance,SedentaryActiveDistance,"
    "VeryActiveMinutes,FairlyActiveMinutes,LightlyActiveMinutes,SedentaryMinutes,Calories"
)


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def cohort_files(tmp_path, people=PEOPLE, start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 30)):
    """A Fitabase export of several people (activity, sleep, weight; every value drawn from
    a seeded generator) and one Cronometer food log, with grams that do not add up evenly."""
    rng = random.Random(7)
    daily, sleep, weight = [DAILY_HEADER], ["Id,SleepDay,TotalSleepRecords,"
                                           "TotalMinutesAsleep,TotalTimeInBed"], [
        "Id,Date,WeightKg,WeightPounds,Fat,BMI,IsManualReport,LogId"
    ]  # fmt: skip
    for n, who in enumerate(people):
        level = 6000 + 2500 * n
        for day in _days(start, end):
            if rng.random() < 0.1:
                continue  # a day not worn
            lift = 1500 * n if day.month == 4 else 0  # April: 222 and 333 walk more
            steps = max(0, int(rng.gauss(level + lift, 2500)))
            fairly, very = rng.randint(0, 40), rng.randint(0, 30)
            sedentary = rng.randint(500, 900)
            d = f"{day.month}/{day.day}/{day.year}"
            daily.append(f"{who},{d},{steps},5,5,0,1,1,3,0,{very},{fairly},200,{sedentary},2000")
            if rng.random() < 0.8:
                asleep = rng.randint(330, 500)
                sleep.append(f"{who},{d} 12:00:00 AM,1,{asleep},{asleep + 30}")
            if n != 2 and rng.random() < 0.4:
                kg = round(80 - 5 * n + rng.gauss(0, 0.6) - (day.month - 1) * 0.3 * n, 1)
                weight.append(f"{who},{d} 7:00:00 AM,{kg},{kg * 2.2046:.2f},,25,True,{n}{day:%j}")
    food = [
        "Day,Time,Group,Food Name,Amount,Energy (kcal),Carbs (g),Fiber (g),Sugars (g),"
        "Added Sugars (g),Net Carbs (g),Fat (g),Protein (g),Category"
    ]
    for day in _days(start, end):
        for time, group, name in (("8:00 AM", "Breakfast", "Oats, rolled"),
                                  ("12:30 PM", "Lunch", "White bread"),
                                  ("7:00 PM", "Dinner", "Lentil soup")):  # fmt: skip
            kcal, carbs = round(rng.uniform(250, 900), 2), round(rng.uniform(20, 110), 2)
            fiber, sugars = round(rng.uniform(0.1, 9.9), 2), round(rng.uniform(0.1, 15.3), 2)
            food.append(
                f'{day},{time},"{group}","{name}","1.00 serving",{kcal},{carbs},{fiber},'
                f"{sugars},{sugars / 3:.2f},{carbs - fiber:.2f},7.10,12.30,Other"
            )
    return [
        write(tmp_path / "dailyActivity_merged.csv", "\n".join(daily)),
        write(tmp_path / "sleepDay_merged.csv", "\n".join(sleep)),
        write(tmp_path / "weightLogInfo_merged.csv", "\n".join(weight)),
    ], write(tmp_path / "servings.csv", "\n".join(food))


@pytest.fixture
def cohort_store(run, tmp_path):
    fitabase, food = cohort_files(tmp_path / "in")
    assert run("ingest", *map(str, fitabase)).exit_code == 0
    assert run("ingest", str(food), "--person", "222").exit_code == 0
    return run


def test_summary_all_json_equals_each_person_summary(cohort_store):
    result = cohort_store("summary", "--all", "--month", MONTH, "--json")
    assert result.exit_code == 0, result.output
    cohort = json.loads(result.stdout)
    assert [s["person"] for s in cohort] == list(PEOPLE)
    labels = set()
    for entry in cohort:
        one = cohort_store("summary", "--person", entry["person"], "--month", MONTH, "--json")
        alone = json.loads(one.stdout)
        for key, value in alone["metrics"].items():
            assert entry["metrics"][key] == value, (entry["person"], key)
        for key, d in alone["direction"].items():
            assert entry["direction"][key] == d, (entry["person"], key)
            labels.add(d["label"])
        assert entry == alone  # coverage, notes and periods too, to the last digit
    # the fixture exercises real intervals, not only "not enough data"
    assert {"toward", "steady"} <= labels
    assert cohort[1]["metrics"]["fiber_g_per_1000kcal"] is not None  # 222's food log


def test_summary_all_csv_header_and_formula_names(run, tmp_path):
    daily = [DAILY_HEADER] + [
        f"{who},4/{d}/2026,{7000 + d},5,5,0,1,1,3,0,10,10,200,700,2000"
        for who in ("=HYPERLINK(1)", "@evil", "plain")
        for d in range(1, 29)
    ]
    path = write(tmp_path / "dailyActivity_merged.csv", "\n".join(daily))
    assert run("ingest", str(path)).exit_code == 0
    result = run("summary", "--all", "--month", MONTH, "--csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "person,metric,unit,value,baseline,change,low,high,direction"
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    people = {r["person"] for r in rows}
    assert people == {"'=HYPERLINK(1)", "'@evil", "plain"}
    steps = next(r for r in rows if r["person"] == "plain" and r["metric"] == "steps_mean")
    assert steps["unit"] == "steps per day"
    assert steps["value"] == "7010.0"  # 7001..7028: mean 7014.5, shown to 10 steps as share does
    assert steps["direction"] == "not enough data to tell"  # no baseline months


def test_person_without_data_in_the_month_is_listed(run, tmp_path):
    daily = [DAILY_HEADER] + [
        f"{who},{m}/{d}/2026,{8000 + d},5,5,0,1,1,3,0,10,10,200,700,2000"
        for who, m in (("111", 4), ("222", 1))
        for d in range(1, 29)
    ]
    assert run("ingest", str(write(tmp_path / "d.csv", "\n".join(daily)))).exit_code == 0
    result = run("summary", "--all", "--month", MONTH)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("222"))
    assert "no data between 2026-04-01 and 2026-04-30 (their data runs from 2026-01-01 to " \
        "2026-01-28)" in line  # fmt: skip
    as_json = json.loads(run("summary", "--all", "--month", MONTH, "--json").stdout)
    assert as_json[1] == {
        "person": "222",
        "period": {"start": "2026-04-01", "end": "2026-04-30"},
        "no_data": "no data between 2026-04-01 and 2026-04-30 (their data runs from "
        "2026-01-01 to 2026-01-28)",
    }
    assert as_json[0]["metrics"]["steps_mean"] == pytest.approx(8014.5)


def test_empty_store_is_an_error(run):
    result = run("summary", "--all", "--month", MONTH)
    assert result.exit_code == 1
    assert "is empty; ingest an export first" in result.output


def test_report_all_writes_one_file_per_person(cohort_store, tmp_path):
    out = tmp_path / "cohort"
    result = cohort_store("report", "--all", "--month", MONTH, "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"{who}-{MONTH}.html" for who in PEOPLE]
    assert result.stdout.count("Wrote ") == 3
    for who in PEOPLE:
        alone = tmp_path / f"alone-{who}.html"
        cohort_store("report", "--month", MONTH, "--person", who, "-o", str(alone))
        assert _glance(out / f"{who}-{MONTH}.html") == _glance(alone)
        assert _glance(alone)  # the at-a-glance rows are there


def _glance(path) -> str:
    """The at-a-glance section as text (the report's direction of each behaviour)."""
    html = path.read_text(encoding="utf-8")
    start = html.index("At a glance")
    section = html[start : html.index("</section>", start)]
    return re.sub(r"<[^>]+>|\s+", " ", section)


def test_report_all_skips_people_without_data(run, tmp_path):
    daily = [DAILY_HEADER] + [
        f"{who},{m}/{d}/2026,{8000 + d},5,5,0,1,1,3,0,10,10,200,700,2000"
        for who, m in (("a b", 4), ("222", 1))
        for d in range(1, 29)
    ]
    assert run("ingest", str(write(tmp_path / "d.csv", "\n".join(daily)))).exit_code == 0
    out = tmp_path / "reports"
    result = run("report", "--all", "--month", MONTH, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [f"a_b-{MONTH}.html"]  # made safe
    assert "Skipped 222: no data between 2026-04-01 and 2026-04-30" in result.stdout


def test_report_all_needs_a_folder(cohort_store, tmp_path):
    result = cohort_store("report", "--all", "--month", MONTH, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert "give -o a folder" in result.output


def test_vectorised_interval_equals_single_person_function():
    """Hand-made weekly sums for many groups: the cohort's vectorised intervals must equal
    direction_of_weeks / interval for each group, exactly (==, not approx)."""
    rng = random.Random(11)
    monday = dt.date(2026, 1, 5)
    rows, groups = [], {}
    for g in range(400):
        scale, min_days = rng.choice([1.0, 7.0, 400.0, 1000.0]), rng.choice([1, 4])
        sides = {}
        for side, first, count in (("base", 0, rng.randint(0, 14)), ("now", 13, rng.randint(0, 5))):
            weeks = []
            for i in range(count):
                if rng.random() < 0.2:
                    continue  # a week without data
                num = round(rng.gauss(8000, 3000), 2)
                den = (
                    float(rng.randint(1, 7))
                    if rng.random() < 0.5
                    else round(rng.uniform(5, 3e3), 1)
                )
                weeks.append((monday + dt.timedelta(days=7 * (first + i)), num, den,
                              rng.randint(1, 7)))  # fmt: skip
            sides[side] = weeks
            rows += [(g, side, *w, scale, min_days) for w in weeks]
        groups[g] = (sides, scale, min_days)
    cols = ["g", "side", "week", "num", "den", "days", "scale", "min_days"]
    import polars as pl

    frame = pl.DataFrame(rows, schema=cols, orient="row")
    got = {r["g"]: r for r in interval_figures(frame, ["g"]).iter_rows(named=True)}
    intervals = 0
    for g, (sides, scale, min_days) in groups.items():
        now, base = sides["now"], sides["base"]
        d = direction_of_weeks(now, base, scale, 1, 2, 0.0, min_days)
        if not now and not base:
            assert g not in got
            continue
        r = got[g]
        assert (r["value"], r["baseline"]) == (d["value"], d["baseline"])
        now_w, base_w = weekly_values(now, scale, min_days), weekly_values(base, scale, min_days)
        assert (r["n_now"], r["n_base"]) == (len(now_w), len(base_w))
        expected = None
        if d["value"] is not None and d["baseline"] is not None:
            expected = interval(d["value"] - d["baseline"], now_w, base_w)
        assert (None if r["low"] is None else (r["low"], r["high"])) == expected, g
        if d["ci95"] is not None:
            assert [r["low"], r["high"]] == d["ci95"]
            intervals += 1
    assert intervals > 150  # most groups have an interval to compare
