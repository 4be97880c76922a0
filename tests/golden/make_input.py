"""Write tests/golden/input/: one person's week in real export formats, small enough that every
expected figure in tests/golden/expected_*.csv and expected_period.json is worked out by hand
in tests/golden/README.md.

    python tests/golden/make_input.py

The minute files are long (1440 lines a day) but follow the few walking spans listed below:
every minute outside a span has 0 steps.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent / "input"
ID = "777"

# day -> [(start "HH:MM", minutes, steps per minute)]
WALKS = {
    dt.date(2026, 3, 2): [
        ("07:00", 10, 50),
        ("08:15", 10, 110),  # after breakfast (08:00): 1,100 steps within the hour
        ("09:30", 5, 20),
        ("12:00", 10, 40),
        ("13:10", 10, 20),  # after lunch (12:30): only 200 steps
        ("18:00", 30, 100),
        ("19:40", 12, 100),  # after dinner (19:15): 1,200 steps
        ("21:30", 10, 30),
    ],
    dt.date(2026, 3, 3): [
        ("07:00", 20, 50),
        ("09:00", 10, 100),
        ("12:45", 15, 100),  # after lunch (12:40): 1,500 steps
        ("17:00", 60, 100),
    ],
}
HR_DAY = dt.date(2026, 3, 3)  # one heart-rate sample at hh:30 for hours 07..20 (14 hours)
HOURLY_DAY = dt.date(2026, 3, 4)  # hourly steps only: 500 an hour from 08:00 to 17:00


def us(ts: dt.datetime) -> str:
    h12 = ts.hour % 12 or 12
    ampm = "AM" if ts.hour < 12 else "PM"
    return f"{ts.month}/{ts.day}/{ts.year} {h12}:{ts.minute:02d}:{ts.second:02d} {ampm}"


def write(name: str, lines: list[str], newline: str = "\r\n") -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    (HERE / name).write_bytes((newline.join(lines) + newline).encode())


def minute_steps() -> list[str]:
    rows = ["Id,ActivityMinute,Steps"]
    for day, walks in WALKS.items():
        steps = [0] * 1440
        for start, n, per_min in walks:
            h, m = map(int, start.split(":"))
            for i in range(h * 60 + m, h * 60 + m + n):
                steps[i] = per_min
        midnight = dt.datetime.combine(day, dt.time())
        rows += [f"{ID},{us(midnight + dt.timedelta(minutes=i))},{s}" for i, s in enumerate(steps)]
    return rows


def minute_sleep() -> list[str]:
    rows = ["Id,date,value,logId"]
    # night ending 3 March: 23:00 to 06:59, 480 minutes in bed; 10 restless + 20 awake -> 450 asleep
    start = dt.datetime(2026, 3, 2, 23, 0, 30)
    for i in range(480):
        value = 2 if 60 <= i < 70 else 3 if 300 <= i < 320 else 1
        rows.append(f"{ID},{us(start + dt.timedelta(minutes=i))},{value},1001")
    # a nap on 2 March, 10:30 to 10:59, inside a zero-step stretch: it splits the stretch
    nap = dt.datetime(2026, 3, 2, 10, 30, 30)
    rows += [f"{ID},{us(nap + dt.timedelta(minutes=i))},1,1002" for i in range(30)]
    return rows


def main() -> None:
    write("minuteStepsNarrow_merged.csv", minute_steps())
    write(
        "hourlySteps_merged.csv",
        ["Id,ActivityHour,StepTotal"]
        + [
            f"{ID},{us(dt.datetime.combine(HOURLY_DAY, dt.time(h)))},{500 if 8 <= h <= 17 else 0}"
            for h in range(24)
        ],
    )
    write(
        "heartrate_seconds_merged.csv",
        ["Id,Time,Value"]
        + [
            f"{ID},{us(dt.datetime.combine(HR_DAY, dt.time(h, 30)))},{70 + h}" for h in range(7, 21)
        ],
    )
    write("minuteSleep_merged.csv", minute_sleep())


if __name__ == "__main__":
    main()
