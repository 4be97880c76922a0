"""`make bench`: time spectrum against bare polars and pandas on large synthetic exports.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/run.py [--quick] [--no-stats] [--keep DIR]

Set-up (reported, not timed as a result): deterministic files written to a temporary folder
(tests/benchmarks/generate.py, apple_export.py): 5 years of Fitabase minute steps and their
daily activity, a year of 5-second heart rate, 5 years of Cronometer servings, a 1 GB Apple
Health export.xml, and a cohort store of 1,000 people x a year of daily activity and food
(tests/benchmarks/build.py). `--quick` uses small sizes (about a minute in all).

Each measured command runs in a subprocess of its own, 3 times (once when its first run
takes longer than the cap, said in the table's runs column): the median wall time, and the
highest peak resident memory of the runs (ru_maxrss from `os.wait4`). The targets are
ratios to the bare baselines measured in the same run, so a busy machine slows both sides.
After the table: the direction interval's calibration table (tests/stats/simulate.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tests.benchmarks import apple_export, build, generate

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PY = sys.executable


@dataclass(frozen=True)
class Sizes:
    minute_days: int  # minute steps, daily activity and servings
    heart_days: int
    apple_mb: int
    people: int
    cohort_days: int
    cohort_minute_days: int  # the cohort's last days of minute steps (a study's month)
    cap_s: float  # a command whose first run takes longer is run once
    stats_people: int
    placeholder_people: int  # the cohort loop placeholder times this many and scales


FULL = Sizes(5 * 365 + 1, 365, 1024, 1000, 365, 31, 45.0, 1000, 50)
QUICK = Sizes(122, 14, 32, 50, 122, 31, 5.0, 0, 10)


@dataclass
class Result:
    label: str
    runs: int = 0
    seconds: float | None = None
    peak_mb: float | None = None
    error: str | None = None
    note: str = ""
    out: str = ""
    times: list[float] = field(default_factory=list)


# The pandas baseline runs in an interpreter of its own (`make bench` makes .venv-pandas):
# with pandas installed beside it, pandera imports pandas too, which no user of spectrum pays
# (pandas is not one of its dependencies).
# (absolute, not resolved: a venv's python is a link to the base interpreter)
PANDAS_PY = os.path.abspath(os.environ.get("SPECTRUM_BENCH_PANDAS_PYTHON", PY))


def pandas_version() -> str:
    code = "import pandas; print(pandas.__version__)"
    out = subprocess.run([PANDAS_PY, "-c", code], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else "not installed"


def spectrum_cmd() -> list[str]:
    exe = Path(PY).parent / "spectrum"
    return [str(exe)] if exe.exists() else [PY, "-m", "pipeline"]


# The measured command is started by this small launcher, not by the runner: a child's
# ru_maxrss starts at the RSS of the process it was forked from (Linux keeps the parent's
# high-water mark across exec), and the runner holds the cohort set-up's memory.
# With `watch`, it also samples the peak memory of the processes the command starts that
# wait4 cannot see: "ray", each Ray worker (their titles begin "ray::"; not its children),
# every 0.1 s; "children", its own children that it does not wait for (the report's drawing
# process, pipeline/report/drawer.py), every 0.02 s (a high-water mark: the last sample
# holds it, give or take its last 0.02 s).
LAUNCH = """
import os, subprocess, sys, threading, time
out, err, watch = open(sys.argv[1], "wb"), open(sys.argv[2], "wb"), sys.argv[3]
workers, done = {}, threading.Event()

def ours(pid, parent):
    if watch == "ray":
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read(5).startswith(b"ray::")
    with open(f"/proc/{pid}/status") as f:
        return any(l == f"PPid:\\t{parent}\\n" for l in f)

def sample(parent):
    while not done.is_set():
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if not ours(pid, parent):
                    continue
                with open(f"/proc/{pid}/status") as f:
                    kb = next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
            except (OSError, StopIteration):
                continue
            workers[pid] = max(workers.get(pid, 0), kb)
        done.wait(0.1 if watch == "ray" else 0.02)

t = time.perf_counter()
proc = subprocess.Popen(sys.argv[4:], stdout=out, stderr=err)
if watch != "0":
    threading.Thread(target=sample, args=(proc.pid,), daemon=True).start()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t
done.set()
top = max(workers.values(), default=0) / 1024
print(wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), len(workers), top)
"""


def run_once(
    argv: list[str], work: Path, env: dict, watch: str = "0"
) -> tuple[float, float, int, str, str, tuple[int, float]]:
    """(wall seconds, peak RSS MB, exit code, stdout head, stderr tail, (processes watched,
    the largest one's peak MB)) of one subprocess; `watch`: see LAUNCH."""
    out_path, err_path = work / "stdout.txt", work / "stderr.txt"
    got = subprocess.run(
        [PY, "-c", LAUNCH, str(out_path), str(err_path), watch, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        check=True,
    )
    wall, peak, code, workers, top = got.stdout.split()
    head = out_path.read_text(errors="replace")[:2000]
    tail = err_path.read_text(errors="replace")[-2000:]
    return float(wall), float(peak), int(code), head, tail, (int(workers), float(top))


def measure(
    label: str,
    argv: list[str],
    work: Path,
    env: dict,
    cap: float,
    runs: int = 3,
    before=None,
    watch: str = "0",
) -> Result:
    """Run `argv` up to `runs` times (`before(i)` first, untimed), median time, max memory
    (`watch`: and the watched processes' peak memory, in the result's note; see LAUNCH)."""
    res = Result(label)
    peaks = []
    for i in range(runs):
        if before is not None:
            before(i)
        wall, peak, code, out, err, (workers, top) = run_once(argv, work, env, watch)
        if watch == "ray":
            res.note = f"{workers} Ray worker processes, the largest peaking at {top:,.0f} MB"
        elif watch == "children" and workers:
            res.note = f"its drawing process peaking at {top:,.0f} MB"
        if code:
            last = [line for line in err.strip().splitlines() if line.strip()][-1:] or ["?"]
            res.error = f"exit {code}: {last[0][:200]}"
            print(f"  FAILED {label}: {' '.join(argv)}\n{err}", flush=True)
            return res
        res.times.append(wall)
        peaks.append(peak)
        res.out = out
        if wall > cap:
            break
    res.runs = len(res.times)
    res.seconds = statistics.median(res.times)
    res.peak_mb = max(peaks)
    times = ", ".join(f"{t:.2f}" for t in res.times)
    print(f"  {label:<60} {res.seconds:7.2f} s  {res.peak_mb:7.0f} MB  ({times})", flush=True)
    return res


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GB"
    except OSError:
        pass
    pandas_v = pandas_version()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"CPU: {cpu}; {usable} cores usable ({os.cpu_count()} online); RAM {ram}",
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"polars {pl.__version__}; pandas {pandas_v}; load average {load}",
    ]


class Setup:
    """Set-up steps, each timed and printed; the total is reported apart from the results."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []

    def step(self, label: str, fn):
        t = time.perf_counter()
        out = fn()
        took = time.perf_counter() - t
        self.steps.append((label, took))
        print(f"  {label:<64} {took:6.1f} s", flush=True)
        return out

    @property
    def total(self) -> float:
        return sum(t for _, t in self.steps)


def has_option(command: str, option: str, env: dict) -> bool:
    got = subprocess.run(
        [*spectrum_cmd(), command, "--help"], capture_output=True, text=True, env=env
    )
    return option in got.stdout


def rows_of(path: Path) -> int:
    with path.open("rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 24), b"")) - 1


def fmt_n(n: int) -> str:
    return f"{n / 1e6:.1f} M" if n >= 1e6 else f"{n:,}"


@dataclass
class Check:
    baseline: str
    ratio: float | None
    target: str
    limit: float | None  # None: shown for information
    absolute: bool = False

    def met(self) -> str:
        if self.limit is None:
            return "-"
        if self.ratio is None:
            return "n/a"
        return "yes" if self.ratio <= self.limit else "NO"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def table(rows: list[tuple[Result, list[Check] | None]]) -> list[str]:
    """Markdown; one row per measured thing (its further checks on lines below it).
    Checks None: a baseline; []: shown for information."""
    head = "| measured | runs | median s | peak MB | compared with | ratio | target | met |"
    lines = [head, "|---|---:|---:|---:|---|---:|---:|:---:|"]
    for res, checks in rows:
        if res.error:
            first = f"| {res.label} | - | FAILED | - | {res.error} | | | NO |"
            lines.append(first)
            continue
        runs = f"{res.runs}" + (" (cap)" if res.runs < 3 else "")
        cells = [res.label + (f" ({res.note})" if res.note else ""), runs,
                 f"{res.seconds:.2f}", f"{res.peak_mb:,.0f}"]  # fmt: skip
        if not checks:
            what = "(baseline)" if checks is None else "-"
            lines.append("| " + " | ".join([*cells, what, "", "", ""]) + " |")
            continue
        for i, c in enumerate(checks):
            lead = cells if i == 0 else ["", "", "", ""]
            r = "" if c.absolute else ("n/a" if c.ratio is None else f"{c.ratio:.2f}x")
            lines.append("| " + " | ".join([*lead, c.baseline, r, c.target, c.met()]) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: about a minute")
    parser.add_argument("--no-stats", action="store_true", help="skip the calibration table")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SPECTRUM_STORE", None)
    # as installed, Python keeps compiled modules (__pycache__); a sandbox or CI that turns
    # that off would have every run compile spectrum's ~170 modules again (0.03-0.05 s)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print("spectrum benchmarks" + (" (--quick: small sizes)" if args.quick else ""))
    info = machine()
    print("\n".join(info))

    tmp = None
    if args.keep:
        work = args.keep.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="spectrum-bench-")
        work = Path(tmp.name)
    try:
        run_all(sizes, work, env, args, info)
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(f"\nmake bench: {time.perf_counter() - started:.0f} s end to end")


def run_all(sizes: Sizes, work: Path, env: dict, args, info: list[str]) -> None:
    sp = spectrum_cmd()
    files = work / "files"
    files.mkdir(exist_ok=True)
    month, person = generate.MONTH, generate.PERSON
    minute = files / "minuteStepsNarrow_merged.csv"
    daily = files / "dailyActivity_merged.csv"
    heart = files / "heartrate_seconds_merged.csv"
    food = files / "servings.csv"
    apple = files / "export.xml"
    years = sizes.minute_days / 365
    span = f"{years:.0f}-year" if years >= 1 else f"{sizes.minute_days}-day"

    print("\nSet-up (not measured):")
    setup = Setup()
    minutes = setup.step(
        f"write minute steps, {sizes.minute_days} days",
        lambda: generate.minute_steps(minute, sizes.minute_days),
    )
    setup.step("write matching daily activity", lambda: generate.daily_activity(daily, minutes))
    setup.step(
        f"write 5-second heart rate, {sizes.heart_days} days",
        lambda: generate.heart_rate(heart, sizes.heart_days),
    )
    servings_n = setup.step(
        f"write Cronometer servings, {sizes.minute_days} days",
        lambda: generate.servings(food, sizes.minute_days),
    )
    apple_days = setup.step(
        f"write Apple Health export.xml, {sizes.apple_mb} MB",
        lambda: apple_export.write_export(apple, sizes.apple_mb),
    )
    minute_n, heart_n = rows_of(minute), rows_of(heart)
    apple_gb = apple.stat().st_size / 2**30

    store = work / "store"  # the person's whole history: steps, daily, heart rate, food

    def build_store():
        for extra in ([str(minute), str(daily), str(heart)], [str(food), "--person", person]):
            subprocess.run(
                [*sp, "--store", str(store), "ingest", *extra],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )

    setup.step(f"ingest all of it into the {span} store (CLI)", build_store)
    cohort, ids, how = setup.step(
        f"cohort store: {sizes.people:,} people x {sizes.cohort_days} days (in-process)",
        lambda: build.cohort_store(work / "cohort", sizes.people, sizes.cohort_days),
    )
    print(f"  cohort food: {how}")
    print(f"  set-up total {setup.total:.0f} s")

    run_dir = work / "run"
    run_dir.mkdir(exist_ok=True)
    cap = sizes.cap_s

    def m(label, argv, runs=3, before=None, watch="0", **kw) -> Result:
        res = measure(label, argv, run_dir, env, cap, runs, before, watch)
        for k, v in kw.items():
            setattr(res, k, v)
        return res

    def fresh(name: str, config: str = ""):
        path = work / "stores" / name

        def reset(_: int) -> None:
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
            if config:
                (path / "config.toml").write_text(config)

        return path, reset

    print("\nMeasured (seconds per run in brackets):")
    help_ = m("`spectrum --help`", [*sp, "--help"])
    bare = [PY, str(HERE / "bare_polars.py")]
    pol_min = m(
        "bare polars: minute file, read + parse + daily sum", [*bare, "minute", str(minute)]
    )
    pol_hr = m("bare polars: heart-rate file, mean bpm per minute", [*bare, "heart", str(heart)])
    if pandas_version() != "not installed":
        bare_pd = [PANDAS_PY, str(HERE / "bare_pandas.py")]
        pd_min = m("bare pandas: minute file, read + parse + daily sum",
                   [*bare_pd, "minute", str(minute)])  # fmt: skip
        pd_hr = m("bare pandas: heart-rate file, mean bpm per minute",
                  [*bare_pd, "heart", str(heart)])  # fmt: skip
    else:
        print(f"  pandas is not installed for {PANDAS_PY}: `make bench` installs it there")
        pd_min = Result("bare pandas: minute file", error="pandas not installed")
        pd_hr = Result("bare pandas: heart-rate file", error="pandas not installed")

    path, reset = fresh("minute")
    ing_min = m(f"`ingest` minute file ({fmt_n(minute_n)} rows), fresh store",
                [*sp, "--store", str(path), "ingest", str(minute)], before=reset)  # fmt: skip
    path, reset = fresh("heart")
    ing_hr = m(f"`ingest` heart-rate file ({fmt_n(heart_n)} rows), fresh store",
               [*sp, "--store", str(path), "ingest", str(heart)], before=reset)  # fmt: skip
    path, reset = fresh("food")
    ing_food = m(f"`ingest` servings.csv ({servings_n:,} rows), fresh store",
                 [*sp, "--store", str(path), "ingest", str(food)], before=reset)  # fmt: skip
    path, reset = fresh("apple", 'time_zone = "Europe/London"\n')
    ing_apple = m(f"`ingest` Apple export.xml ({apple_gb:.2f} GB, {apple_days:,} days)",
                  [*sp, "--store", str(path), "ingest", str(apple)], before=reset)  # fmt: skip
    shutil.rmtree(work / "stores", ignore_errors=True)
    again = m("`ingest` of the unchanged minute file again",
              [*sp, "--store", str(store), "ingest", str(minute)])  # fmt: skip
    if again.out and "unchanged" not in again.out:
        again.note = "NOT skipped as unchanged"
    summ = m(f"`summary --month {month}`, {span} store",
             [*sp, "--store", str(store), "summary", "--month", month,
              "--person", person])  # fmt: skip
    rep = m(f"`report --month {month}`, {span} store",
            [*sp, "--store", str(store), "report", "--month", month, "--person", person,
             "-o", str(run_dir / "report.html")], watch="children")  # fmt: skip
    one = m(f"`summary --month {month} --json`, one person of the cohort",
            [*sp, "--store", str(cohort), "summary", "--month", month, "--person", ids[0],
             "--json"])  # fmt: skip
    if has_option("summary", "--all", env):
        everyone = m(f"`summary --all --month {month} --json`, {sizes.people:,} people",
                     [*sp, "--store", str(cohort), "summary", "--all", "--month", month,
                      "--json"])  # fmt: skip
        # the study's case: the same cohort with a month of minute steps, on each engine
        t = time.perf_counter()
        build.add_minutes(cohort, ids, sizes.cohort_minute_days)
        print(f"  (set-up, not measured: {sizes.cohort_minute_days} days of minute steps for "
              f"{sizes.people:,} people ingested in {time.perf_counter() - t:.0f} s)")  # fmt: skip
        what = f"{sizes.people:,} people with {sizes.cohort_minute_days} days of minute steps"
        one_min = m(f"`summary --month {month} --json`, one person of the cohort with minutes",
                    [*sp, "--store", str(cohort), "summary", "--month", month, "--person",
                     ids[0], "--json"])  # fmt: skip
        on_local = m(f"`summary --all --month {month} --json --engine local`, {what}",
                     [*sp, "--store", str(cohort), "summary", "--all", "--month", month,
                      "--json", "--engine", "local"])  # fmt: skip
        on_ray = m(f"the same with `--engine ray` (a local Ray instance, {os.cpu_count()} CPUs)",
                   [*sp, "--store", str(cohort), "summary", "--all", "--month", month,
                    "--json", "--engine", "ray"], watch="ray")  # fmt: skip
    else:
        k = min(sizes.placeholder_people, sizes.people)
        everyone = m(f"cohort summary, {sizes.people:,} people",
                     [PY, str(HERE / "cohort_loop.py"), str(cohort), month, str(k)])  # fmt: skip
        if everyone.seconds is not None:
            everyone.seconds *= sizes.people / k
            everyone.note = (f"PLACEHOLDER: no `--all` yet; in-process loop of `summary` over "
                             f"{k} people, time x {sizes.people // k}")  # fmt: skip
        one_min = on_local = on_ray = Result("`--engine ray`", error="no --all yet")

    def time_vs(res: Result, base: Result, name: str, limit: float | None) -> Check:
        target = "-" if limit is None else f"<= {limit:g}x"
        return Check(f"{name} time", ratio(res.seconds, base.seconds), target, limit)

    def memory_vs(res: Result, base: Result, name: str, limit: float) -> Check:
        return Check(f"{name} peak MB", ratio(res.peak_mb, base.peak_mb), f"<= {limit:g}x", limit)

    apple_budget = 1024 * max(apple_gb, 1.0)  # 1 GB of memory per GB of export, 1 GB at least
    rows: list[tuple[Result, list[Check] | None]] = [
        (pol_min, None),
        (pol_hr, None),
        (pd_min, None),
        (pd_hr, None),
        (help_, [Check("absolute", help_.seconds, "< 0.30 s", 0.3, absolute=True)]),
        (ing_min, [time_vs(ing_min, pol_min, "bare polars minute", 2),
                   time_vs(ing_min, pd_min, "bare pandas minute", 0.25),
                   memory_vs(ing_min, pol_min, "bare polars minute", 2)]),
        (ing_hr, [memory_vs(ing_hr, pol_hr, "bare polars heart-rate", 2),
                  time_vs(ing_hr, pol_hr, "bare polars heart-rate", None),
                  time_vs(ing_hr, pd_hr, "bare pandas heart-rate", None)]),
        (ing_food, []),
        (ing_apple, [Check(f"{apple_budget:,.0f} MB (1 GB per GB of file)",
                           ratio(ing_apple.peak_mb, apple_budget), "<= 1x", 1.0)]),
        (again, [time_vs(again, pol_min, "bare polars minute", 0.5)]),
        (summ, [time_vs(summ, pol_min, "bare polars minute", 0.6)]),
        (rep, [time_vs(rep, pol_min, "bare polars minute", 1.5)]),
        (one, None),
        (everyone, [time_vs(everyone, one, "one person's `summary`", 50)]),
        (one_min, None),
        (on_local, [time_vs(on_local, one_min, "one person's `summary` (with minutes)", None)]),
        (on_ray, [time_vs(on_ray, on_local, "`--engine local`", None)]),
    ]  # fmt: skip
    print("\nResults (median of 3 runs; a command whose first run took over "
          f"{cap:.0f} s ran once: `1 (cap)`; peak MB = highest of the runs):\n")  # fmt: skip
    print("\n".join(info))
    print()
    print("\n".join(table(rows)))
    checks = [c for _, cs in rows for c in cs or [] if c.limit is not None]
    met = sum(c.met() == "yes" for c in checks)
    failed = [r.label for r, _ in rows if r.error]
    print(f"\n{met} of {len(checks)} targets met; set-up took {setup.total:.0f} s (not included)")
    if failed:
        print("FAILED: " + "; ".join(failed))

    if not args.no_stats and sizes.stats_people:
        from tests.stats.simulate import table as calibration

        t = time.perf_counter()
        print("\nDirection labels with no real change (false) and with a change of 1 SD of "
              "weekly means (power),")  # fmt: skip
        print(f"{sizes.stats_people:,} simulated person-months each (tests/stats/simulate.py):")
        print("\n".join(calibration(sizes.stats_people)))
        print(f"({time.perf_counter() - t:.0f} s)")


if __name__ == "__main__":
    main()
