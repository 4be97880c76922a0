"""`make bench`: time ingest, summary and report on a year of minute-level data.

Speed is measured here, never asserted in tests. Writes a year of Fitabase-format minute
steps (525,600 rows) plus daily rows to a temporary folder and times each stage.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from pipeline.config import Config
from pipeline.ingest import ingest
from pipeline.report.render import render_html
from pipeline.sources._parse import ReadOptions
from pipeline.store import Store
from pipeline.summary import month_period, person_days, summary_from_days
from tests.stats.simulate import table

START = dt.date(2025, 1, 1)
DAYS = 365


def us(ts: dt.datetime) -> str:
    return f"{ts.month}/{ts.day}/{ts.year} {ts.hour % 12 or 12}:{ts.minute:02d}:00 " + (
        "AM" if ts.hour < 12 else "PM"
    )


def make_files(folder: Path) -> list[Path]:
    rng = random.Random(1)
    minute = folder / "minuteStepsNarrow_merged.csv"
    with minute.open("w", newline="") as f:
        f.write("Id,ActivityMinute,Steps\r\n")
        t0 = dt.datetime.combine(START, dt.time())
        for i in range(DAYS * 1440):
            f.write(f"1,{us(t0 + dt.timedelta(minutes=i))},{rng.choice((0, 0, 0, 12, 90))}\r\n")
    daily = folder / "dailyActivity_merged.csv"
    with daily.open("w", newline="") as f:
        f.write(
            "Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,"
            "VeryActiveDistance,ModeratelyActiveDistance,LightActiveDistance,"
            "SedentaryActiveDistance,VeryActiveMinutes,FairlyActiveMinutes,"
            "LightlyActiveMinutes,SedentaryMinutes,Calories\r\n"
        )
        for d in range(DAYS):
            day = START + dt.timedelta(days=d)
            f.write(
                f"1,{day.month}/{day.day}/{day.year},{rng.randint(2000, 14000)},5,5,0,1,1,3,0,"
                f"{rng.randint(0, 40)},{rng.randint(0, 30)},200,700,2000\r\n"
            )
    return [minute, daily]


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    print(f"{label:<40} {time.perf_counter() - t:8.2f} s")
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = timed("write 1 year of minute steps (525,600 rows)", lambda: make_files(folder))
        store = Store(folder / "store")
        timed(
            "ingest (parse, validate, store)",
            lambda: ingest(store, files, None, ReadOptions(), False),
        )
        timed(
            "ingest again (idempotent upsert)",
            lambda: ingest(store, files, None, ReadOptions(), False),
        )
        cfg = Config()
        days = timed("daily frames for the person", lambda: person_days(store, "1", cfg))
        timed(
            "summary for a month",
            lambda: summary_from_days(days, "1", month_period("2025-10"), cfg),
        )
        timed(
            "report HTML for a month", lambda: render_html(days, "1", month_period("2025-10"), cfg)
        )
    print()
    print("Direction labels with no real change (false) and with a change of 1 SD of weekly")
    print("means (power), 1,000 simulated person-months each (tests/stats/simulate.py):")
    print("\n".join(table()))


if __name__ == "__main__":
    main()
