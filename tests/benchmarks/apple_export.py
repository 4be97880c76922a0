"""A large synthetic Apple Health export.xml in the real format (moved from tests/bench_apple.py).

The inline DTD, the long escaped `device` text, MetadataEntry children; per day about 45%
steps from an iPhone and a Watch, 35% heart rate, energy, distance, exercise minutes, sleep
stages, a weigh-in, dietary records, sometimes a workout. Deterministic: seeded, and the days
run back from a fixed date.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

LAST_DAY = dt.date(2026, 10, 31)

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
 <ExportDate value="2026-11-01 12:00:00 +0100"/>
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


def write_export(path: Path, size_mb: int, last_day: dt.date = LAST_DAY) -> int:
    """Write about `size_mb` MB of days running back from `last_day`; returns the number
    of days (about 5,000 for 1 GB)."""
    rng, target = random.Random(1), size_mb * 1024 * 1024
    days, written = 0, 0
    with path.open("w", encoding="utf-8", buffering=1 << 22) as f:
        written += f.write(HEAD)
        while written < target:
            # newest day first is fine: the export's order is by type, not date, anyway
            written += f.write(day_text(last_day - dt.timedelta(days=days), rng))
            days += 1
        f.write("</HealthData>\n")
    return days
