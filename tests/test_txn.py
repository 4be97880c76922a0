"""The store never loses a row: ingests killed with SIGKILL at every write step (and at
random moments) leave the store as it was before or after; concurrent ingests all land;
an old Parquet store converts without loss. Real subprocesses, real kills."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from pipeline.ingest import ingest
from pipeline.recovery import open_store
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from pipeline.txn import RECOVERED
from tests import fixtures as fx
from tests.conftest import ROOT, write

TABLES = ("activity_daily", "activity_intraday", "food_items", "body", "sleep")


def minutes(person: str, day: dt.date, n: int) -> str:
    """A Fitabase minute-steps export: `n` minutes from 06:00 on `day`."""
    start = dt.datetime.combine(day, dt.time(6))
    rows = [
        f"{person},{(start + dt.timedelta(minutes=i)):%-m/%-d/%Y %-I:%M:%S %p},{i % 120}"
        for i in range(n)
    ]
    return "\n".join(["Id,ActivityMinute,Steps", *rows])


def snapshot(root: Path) -> dict[str, list]:
    """Every table's rows, as a reader sees them after the store has been opened."""
    store = open_store(Store(root))
    return {t: sorted(store.read(t).collect().rows(), key=repr) for t in TABLES}


def referenced(table_dir: Path) -> set[str]:
    """Every data file any version of a Delta table has added."""
    names = set()
    for commit in (table_dir / "_delta_log").glob("*.json"):
        for line in commit.read_text().splitlines():
            action = json.loads(line)
            if "add" in action:
                names.add(Path(action["add"]["path"]).name)
    return names


def leftovers(root: Path) -> list[str]:
    """Files no version of any table knows about, temporary files and the write marker."""
    found = [p.name for p in root.rglob("*.tmp")]
    found += [".writing"] if (root / ".writing").exists() else []
    for log in root.rglob("_delta_log"):
        known = referenced(log.parent)
        found += [
            str(f.relative_to(root))
            for f in log.parent.rglob("*.parquet")
            if "_delta_log" not in f.parts and f.name not in known
        ]
    return found


def spectrum(root: Path, *args: str, kill_at: int | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if kill_at is not None:
        env["SPECTRUM_KILL_AT"] = str(kill_at)
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--store", str(root), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_while_writing(root: Path, proc: subprocess.Popen, delay: float) -> None:
    """SIGKILL `proc` `delay` seconds after it starts writing the store (its write marker
    appears), so the kill lands inside the write: between or in the middle of commits."""
    while not (root / ".writing").exists() and proc.poll() is None:
        time.sleep(0.002)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    """Three ingests, each into a store holding earlier data: (name, base store, args, the
    store's tables before, and after an uninterrupted run)."""
    tmp = tmp_path_factory.mktemp("scenarios")
    files = {
        "daily": write(tmp / "dailyActivity_merged.csv", fx.FITBIT_DAILY),
        "food": write(tmp / "servings.csv", fx.CRONOMETER_SERVINGS),
        "weight": write(tmp / "weightLogInfo_merged.csv", fx.FITBIT_WEIGHT),
        "minutes": write(
            tmp / "minuteStepsNarrow_merged.csv", minutes("111", dt.date(2026, 3, 1), 3000)
        ),
        "bad": write(
            tmp / "b" / "dailyActivity_merged.csv",
            fx.FITBIT_DAILY.replace("111,3/2/2026,6000", "111,3/2/2026,600000"),
        ),
    }
    out = []
    cases = {
        "one file into an empty store": ([], ["minutes"]),
        "three files into a store": (["daily"], ["food", "weight", "minutes"]),
        "a file with a bad row": (["food"], ["bad"]),
    }
    for name, (first, then) in cases.items():
        base = tmp / name.replace(" ", "-")
        base.mkdir()
        store = Store(base)
        if first:
            ingest(store, [files[f] for f in first], None, ReadOptions(), strict=False)
        before = snapshot(base)
        done = tmp / (base.name + "-done")
        shutil.copytree(base, done)
        args = ("ingest", *(str(files[f]) for f in then))
        run = spectrum(done, *args)
        assert run.wait(120) == 0, run.stderr.read()
        after = snapshot(done)
        assert after != before
        out.append((name, base, args, before, after))
    return out


def test_killed_at_every_write_step_and_at_random_moments(scenarios, tmp_path):
    rng = random.Random(7)
    trials = []
    for name, base, args, before, after in scenarios:
        # every step the ingest takes (and past the last: it finishes), then random moments
        kills = [("step", n) for n in range(1, 9)]
        kills += [("mid-write", rng.uniform(0.0, 0.08)) for _ in range(10)]
        trials += [(name, base, args, before, after, how, when) for how, when in kills]
    outcomes = {"before": 0, "after": 0}
    killed = 0
    for i in range(0, len(trials), 8):  # eight trials side by side, each in its own store
        batch = []
        for name, base, args, before, after, how, when in trials[i : i + 8]:
            root = tmp_path / f"{base.name}-{how}-{when:.4f}-{len(batch)}"
            shutil.copytree(base, root)
            proc = spectrum(root, *args, kill_at=when if how == "step" else None)
            batch.append((name, root, proc, before, after, how, when))
        killers = [
            threading.Thread(target=kill_while_writing, args=(root, proc, when))
            for _n, root, proc, _b, _a, how, when in batch
            if how == "mid-write"
        ]
        for k in killers:
            k.start()
        for k in killers:
            k.join()
        for name, root, proc, before, after, how, when in batch:
            code = proc.wait(120)
            killed += code == -signal.SIGKILL
            state = snapshot(root)  # the next command: recovers the store
            assert state in (before, after), f"{name}, killed at {how} {when}"
            outcomes["before" if state == before else "after"] += 1
            assert leftovers(root) == [], f"{name}, killed at {how} {when}"
    print(f"\n{len(trials)} trials, {killed} killed by SIGKILL, store afterwards: {outcomes}")
    assert len(trials) == 54 and killed >= 30, killed
    assert outcomes["before"] >= 10 and outcomes["after"] >= 9, outcomes


def test_the_next_command_says_the_store_was_put_back(tmp_path):
    path = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)
    root = tmp_path / "store"
    proc = spectrum(root, "ingest", str(path), kill_at=3)  # after the food table's commit
    assert proc.wait(120) == -signal.SIGKILL
    nxt = spectrum(root, "ingest", str(path))
    out, err = nxt.communicate(timeout=120)
    assert nxt.returncode == 0
    assert err.splitlines()[0] == RECOVERED
    assert "4 rows read, 4 stored" in out
    assert leftovers(root) == []


@pytest.mark.parametrize("writers", [2, 3, 4])
def test_concurrent_ingests_all_land(tmp_path, writers):
    root = tmp_path / "store"
    files = [
        write(tmp_path / f"p{i}" / "minuteStepsNarrow_merged.csv",
              minutes(f"{i}00", dt.date(2026, 3, 1 + i), 2000))
        for i in range(writers)
    ]  # fmt: skip
    food = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)
    procs = [spectrum(root, "ingest", str(f)) for f in files]
    procs.append(spectrum(root, "ingest", str(food), "--person", "100"))
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    store = Store(root)
    steps = store.read("activity_intraday").collect()
    assert steps.group_by("person").len().sort("person").rows() == [
        (f"{i}00", 2000) for i in range(writers)
    ]
    assert store.read("food_items").collect().height == 4
    assert store.read_side("ingest_log").height == writers + 1


def test_an_unchanged_file_is_skipped_before_parsing(run, tmp_path):
    path = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)
    assert run("ingest", str(path)).exit_code == 0
    again = run("ingest", str(path))
    assert again.exit_code == 0
    assert again.output.startswith(f"{path}: already ingested (")
    assert again.output.endswith("), unchanged; nothing to do\n")
    # read differently (another person): not the same ingest
    other = run("ingest", str(path), "--person", "sam")
    assert "4 rows read, 4 stored" in other.output


def test_a_store_written_by_the_parquet_layout_converts_without_loss(tmp_path):
    # the layout spectrum wrote before Delta Lake: one Parquet file per table, and the log
    scratch = Store(tmp_path / "scratch")
    files = [
        write(tmp_path / "d.csv", fx.FITBIT_DAILY),
        write(tmp_path / "s.csv", fx.CRONOMETER_SERVINGS.replace("300.00,54.00", "x,54.00")),
    ]
    ingest(scratch, files, None, ReadOptions(), strict=False)
    old = tmp_path / "old"
    (old / "tables").mkdir(parents=True)
    for t in ("activity_daily", "food_items"):
        scratch.read(t).collect().write_parquet(old / "tables" / f"{t}.parquet")
    scratch.read_side("quarantine").write_parquet(old / "quarantine.parquet")
    log = scratch.read_side("ingest_log").rename({"at": "ingested_at"})
    log.write_parquet(old / "ingest_log.parquet")
    messages = []
    store = open_store(Store(old), messages.append)
    assert messages == [
        f"Converted the store at {old} to the Delta Lake layout (once); nothing lost."
    ]
    for t in ("activity_daily", "food_items"):
        assert (
            store.read(t).collect().sort(pl.all()).equals(scratch.read(t).collect().sort(pl.all()))
        )
    assert store.read_side("quarantine").height == 1
    assert sorted(store.read_side("ingest_log")["file_id"]) == sorted(log["file_id"])
    assert not list(old.rglob("*.parquet.tmp")) and not (old / "ingest_log.parquet").exists()
    # the old log did not record how files were read, so they are read again: same rows
    kept = {t: store.read(t).collect().sort(pl.all()) for t in ("activity_daily", "food_items")}
    again = ingest(store, files, None, ReadOptions(), strict=False)
    assert len(again.reports) == 2 and again.unchanged == []
    for t, frame in kept.items():
        assert store.read(t).collect().sort(pl.all()).equals(frame)


def test_a_second_writer_waits_then_gives_up_with_an_error(tmp_path):
    from pipeline.txn import store_lock

    root = tmp_path / "store"
    path = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SPECTRUM_LOCK_TIMEOUT": "1"}
    with store_lock(root):  # another ingest is writing
        out = subprocess.run(
            [sys.executable, "-m", "pipeline", "--store", str(root), "ingest", str(path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "Waiting for another ingest into this store to finish...",
        f"Error: another spectrum command has been writing to {root} for over 1 s; try "
        "again when it has finished.",
    ]
    assert Store(root).pins() == {}


def test_store_files_are_readable_by_their_owner_only(run, store_dir, tmp_path):
    path = write(tmp_path / "servings.csv", fx.CRONOMETER_SERVINGS)
    assert run("ingest", str(path)).exit_code == 0
    made = [p for p in store_dir.rglob("*")]
    assert len(made) > 10
    assert [str(p) for p in made if p.stat().st_mode & 0o077] == []
