"""`make bench`: stream a large synthetic Apple Health export.xml, time it, and measure memory.

    PYTHONPATH=. .venv/bin/python tests/bench_apple.py [SIZE_MB]   (default 1024)

Writes an export of about SIZE_MB to a temporary folder in the real format (inline DTD, the
long escaped `device` text, MetadataEntry children; per day about 45% steps from an iPhone
and a Watch, 35% heart rate, energy, distance, exercise minutes, sleep stages, a weigh-in,
dietary records, sometimes a workout), then runs, each in a subprocess of its own:

1. `read_stream` on it, and
2. `spectrum ingest` of it into a fresh store,

and reports the wall time and the peak resident memory of each (from `wait4`). The target:
a 1 GB export read within 1 GB of peak memory. The file is deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SPECTRUM = Path(PY).parent / "spectrum"

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_US">
 <ExportDate value="2025-06-17 12:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
"""  # noqa: E501
WATCH = (
    'sourceName="Anna’s Apple Watch" sourceVersion="10.5" device="&lt;&lt;HKDevice: '
    "0x3029a1e50&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, "
    'hardware:Watch6,2, software:10.5&gt;"'
)
PHONE = (
    'sourceName="Anna’s iPhone" sourceVersion="17.5.1" device="&lt;&lt;HKDevice: '
    "0x302d1c3c0&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, "
    'hardware:iPhone14,5, software:17.5.1&gt;"'
)
APP = 'sourceName="MyFitnessPal" sourceVersion="24.10.0"'
Q = "HKQuantityTypeIdentifier"
REC = (
    ' <Record type="{t}" {src} unit="{u}" creationDate="{d} {e} +0100" '
    'startDate="{d} {s} +0100" endDate="{d} {e} +0100" value="{v}"/>\n'
)
HR = (
    ' <Record type="HKQuantityTypeIdentifierHeartRate" {src} unit="count/min" '
    'creationDate="{d} {s} +0100" startDate="{d} {s} +0100" endDate="{d} {s} +0100" '
    'value="{v}">\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
    " </Record>\n"
)
SLEEP = (
    ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" {src} creationDate="{d2} 07:00:00 '
    '+0100" startDate="{d1} {s} +0100" endDate="{d2} {e} +0100" '
    'value="HKCategoryValueSleepAnalysis{v}"/>\n'
)
WORKOUT = (
    ' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="31.5" '
    'durationUnit="min" {src} creationDate="{d} 18:40:00 +0100" startDate="{d} 18:00:00 +0100" '
    'endDate="{d} 18:31:30 +0100">\n'
    '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
    '  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" '
    'startDate="{d} 18:00:00 +0100" endDate="{d} 18:31:30 +0100" sum="310.2" unit="Cal"/>\n'
    '  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{d} 18:00:00 '
    '+0100" endDate="{d} 18:31:30 +0100" average="148" minimum="101" maximum="171" '
    'unit="count/min"/>\n </Workout>\n'
)
CLOCK = [f"{m // 60:02d}:{m % 60:02d}:00" for m in range(1440)] + ["23:59:59"]


def day_text(day: dt.date, rng: random.Random) -> str:
    d = day.isoformat()
    d0 = (day - dt.timedelta(days=1)).isoformat()
    out = []
    add = out.append
    # steps: ~150 Watch and ~120 iPhone samples (45%)
    for src, n in ((WATCH, 150), (PHONE, 120)):
        for m in sorted(rng.sample(range(6 * 60, 23 * 60), n)):
            add(REC.format(t=Q + "StepCount", src=src, u="count", d=d, s=CLOCK[m],
                           e=CLOCK[m + 1], v=rng.randint(5, 120)))  # fmt: skip
    # heart rate: ~210 samples (35%)
    for m in sorted(rng.sample(range(1440), 210)):
        add(HR.format(src=WATCH, d=d, s=CLOCK[m], v=rng.randint(52, 150)))
    for m in sorted(rng.sample(range(6 * 60, 23 * 60), 50)):
        add(REC.format(t=Q + "ActiveEnergyBurned", src=WATCH, u="Cal", d=d, s=CLOCK[m],
                       e=CLOCK[m + 1], v=round(rng.random() * 4, 3)))  # fmt: skip
    for m in sorted(rng.sample(range(6 * 60, 23 * 60), 25)):
        add(REC.format(t=Q + "DistanceWalkingRunning", src=PHONE, u="km", d=d, s=CLOCK[m],
                       e=CLOCK[m + 1], v=round(rng.random() / 10, 4)))  # fmt: skip
    for m in sorted(rng.sample(range(6 * 60, 23 * 60), 8)):
        add(REC.format(t=Q + "AppleExerciseTime", src=WATCH, u="min", d=d, s=CLOCK[m],
                       e=CLOCK[m + 1], v=1))  # fmt: skip
    stages = [("AsleepCore", "23:10:00", "01:00:00"), ("AsleepDeep", "01:00:00", "02:00:00"),
              ("AsleepREM", "02:00:00", "03:00:00"), ("Awake", "03:00:00", "03:10:00"),
              ("AsleepCore", "03:10:00", "06:40:00")]  # fmt: skip
    for stage, s, e in stages:
        same = s < "12"
        add(SLEEP.format(src=WATCH, d1=d if same else d0, d2=d, s=s, e=e, v=stage))
    add(REC.format(t=Q + "BodyMass", src=APP, u="lb", d=d, s="07:05:00", e="07:05:00",
                   v=round(150 + rng.random() * 5, 1)))  # fmt: skip
    for meal in ("08:00:00", "12:30:00", "19:00:00"):
        for t, u, v in (("DietaryEnergyConsumed", "kcal", 600), ("DietaryCarbohydrates", "g", 70),
                        ("DietaryFiber", "g", 8), ("DietarySugar", "g", 15)):  # fmt: skip
            add(REC.format(t=Q + t, src=APP, u=u, d=d, s=meal, e=meal, v=v))
    if rng.random() < 0.3:
        add(WORKOUT.format(src=WATCH, d=d))
    return "".join(out)


def write_export(path: Path, size_mb: int) -> int:
    """Write about `size_mb` MB; returns the number of days."""
    rng, target = random.Random(1), size_mb * 1024 * 1024
    start = dt.date.today() - dt.timedelta(days=1)
    days, written = 0, 0
    with path.open("w", encoding="utf-8", buffering=1 << 22) as f:
        written += f.write(HEAD)
        while written < target:
            # newest day first is fine: the export's order is by type, not date, anyway
            written += f.write(day_text(start - dt.timedelta(days=days), rng))
            days += 1
        f.write("</HealthData>\n")
    return days


READ = """
import json, sys, time
from pathlib import Path
from pipeline.sources import apple_health
from pipeline.sources._parse import ReadOptions
path = Path(sys.argv[1])
t = time.perf_counter()
with path.open("rb") as f:
    got = apple_health.read_stream(f, path, ReadOptions(time_zone="Europe/London"))
print(json.dumps({
    "seconds": time.perf_counter() - t,
    "rows_read": got.rows_read,
    "duplicate": got.duplicate,
    "ignored": got.ignored,
    "failures": got.failures.height,
    "tables": {k: v.height for k, v in got.tables.items()},
}))
"""


def measured(args: list[str], env: dict) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of a subprocess."""
    t = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"{args[0]} failed:\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="bench_apple_") as tmp:
        path = Path(tmp) / "export.xml"
        t = time.perf_counter()
        days = write_export(path, size_mb)
        size = path.stat().st_size
        print(f"wrote {size / 1e6:,.0f} MB ({days:,} days) in {time.perf_counter() - t:.1f} s")
        wall, rss, out = measured([PY, "-c", READ, str(path)], env)
        got = json.loads(out)
        print(
            f"read_stream: {got['rows_read']:,} records in {got['seconds']:.1f} s "
            f"({got['rows_read'] / got['seconds']:,.0f}/s; process {wall:.1f} s), "
            f"peak RSS {rss:,.0f} MB; tables {got['tables']}"
        )
        if SPECTRUM.exists():
            store = Path(tmp) / "store"
            store.mkdir()
            (store / "config.toml").write_text('time_zone = "Europe/London"\n')
            wall, rss, out = measured(
                [str(SPECTRUM), "--store", str(store), "ingest", str(path)], env
            )
            print(f"spectrum ingest: {wall:.1f} s, peak RSS {rss:,.0f} MB")
            print("  " + out.strip().replace("\n", "\n  "))
        target = "within" if rss <= 1024 * max(size / 2**30, 1) else "ABOVE"
        print(f"peak memory {target} the 1 GB per GB target")


if __name__ == "__main__":
    main()
