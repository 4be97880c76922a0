"""Make sample_data/: six months of a fictional person, "Alex", in the real export formats.

    python sample_data/make_sample.py

Deterministic (fixed seed): the same files every run. Alex moves gradually along the
spectrum: steps and active minutes go up, refined carbohydrate goes down, fibre goes up, the
weight trend drifts down. There are realistic gaps: days without the tracker (worn 0 steps,
1440 sedentary minutes, as Fitbit writes them), days missing from the export, days with
nothing logged and a few half-logged days.

Formats written (see ../shared/reference/formats.md):
  fitbit/dailyActivity_merged.csv      Fitabase daily activity, CRLF, M/D/YYYY
  fitbit/hourlySteps_merged.csv        Fitabase hourly steps, M/D/YYYY h:mm:ss AM/PM
  fitbit/minuteStepsNarrow_merged.csv  Fitabase minute steps (the last month only)
  fitbit/weightLogInfo_merged.csv      Fitabase weight log
  cronometer/servings.csv              Cronometer servings with a Time column
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
START, END = dt.date(2026, 5, 1), dt.date(2026, 10, 31)
MINUTE_MONTH = dt.date(2026, 10, 1)
FITBIT_ID = "4815162342"
SEED = 20260501

# Share of the day's steps in each hour (waking hours 7-22), before noise.
HOUR_PROFILE = [
    0,
    0,
    0,
    0,
    0,
    0,
    0.01,
    0.05,
    0.08,
    0.07,
    0.06,
    0.07,
    0.1,
    0.08,
    0.06,
    0.06,
    0.07,
    0.09,
    0.08,
    0.05,
    0.04,
    0.02,
    0.01,
    0,
]

# name, amount, kcal, carbs, fibre, sugars, added sugars, fat, protein, category
FOODS = {
    "breakfast": {
        "refined": [
            (
                "White Toast with Strawberry Jam",
                "2.00 slice",
                260,
                48,
                1.6,
                14,
                10,
                4,
                7,
                "Baked Products",
            ),
            (
                "Frosted Corn Flakes with Milk",
                "1.00 bowl",
                300,
                58,
                1.0,
                30,
                22,
                4,
                9,
                "Breakfast Cereals",
            ),
            ("Croissant, butter", "1.00 medium", 270, 31, 1.7, 7, 5, 14, 5, "Baked Products"),
        ],
        "whole": [
            (
                "Rolled Oats, cooked with milk",
                "1.00 cup",
                300,
                45,
                6.0,
                12,
                0,
                8,
                12,
                "Breakfast Cereals",
            ),
            (
                "Greek Yogurt, plain, with berries",
                "1.00 bowl",
                220,
                20,
                4.0,
                15,
                0,
                6,
                20,
                "Dairy and Egg Products",
            ),
            (
                "Eggs, scrambled, on whole wheat toast",
                "1.00 serving",
                330,
                24,
                4.0,
                3,
                1,
                17,
                20,
                "Dairy and Egg Products",
            ),
        ],
    },
    "lunch": {
        "refined": [
            (
                "White Bread Sandwich, ham & cheese",
                "1.00 sandwich",
                450,
                45,
                2.0,
                6,
                3,
                18,
                25,
                "Fast Foods",
            ),
            (
                "Instant Noodles, chicken flavour",
                "1.00 package",
                380,
                52,
                2.0,
                2,
                1,
                14,
                8,
                "Soups, Sauces, and Gravies",
            ),
            (
                "White Rice with Chicken Curry",
                "1.00 plate",
                650,
                85,
                3.0,
                6,
                2,
                18,
                32,
                "Meals, Entrees, and Side Dishes",
            ),
        ],
        "whole": [
            ("Lentil Soup", "1.50 cup", 320, 45, 15.0, 6, 0, 6, 18, "Legumes and Legume Products"),
            (
                "Brown Rice, Chickpea and Vegetable Bowl",
                "1.00 bowl",
                560,
                80,
                14.0,
                9,
                0,
                16,
                20,
                "Meals, Entrees, and Side Dishes",
            ),
            (
                "Whole Wheat Wrap with Hummus and Salad",
                "1.00 wrap",
                430,
                52,
                10.0,
                5,
                1,
                16,
                15,
                "Baked Products",
            ),
        ],
    },
    "dinner": {
        "refined": [
            ("Pizza, pepperoni", "3.00 slice", 850, 95, 5.0, 10, 3, 34, 36, "Fast Foods"),
            ("Spaghetti with Tomato Sauce", "1.00 plate", 620, 105, 6.0, 12, 4, 12, 20, "Pasta"),
        ],
        "whole": [
            (
                "Salmon with Quinoa and Broccoli",
                "1.00 plate",
                620,
                50,
                9.0,
                4,
                0,
                24,
                45,
                "Finfish and Shellfish Products",
            ),
            ("Bean Chili", "1.50 cup", 520, 60, 18.0, 10, 2, 14, 30, "Legumes and Legume Products"),
            (
                "Roast Chicken, Sweet Potato & Green Beans",
                "1.00 plate",
                580,
                55,
                10.0,
                14,
                0,
                16,
                45,
                "Poultry Products",
            ),
        ],
    },
    "snacks": {
        "refined": [
            ("Cola", "355.00 ml", 140, 39, 0.0, 39, 39, 0, 0, "Beverages"),
            ("Chocolate Chip Cookies", "2.00 cookie", 160, 22, 1.0, 12, 11, 8, 2, "Sweets"),
            ("Potato Chips", "1.00 oz", 150, 15, 1.0, 0.1, 0, 10, 2, "Snacks"),
        ],
        "whole": [
            (
                "Apple, medium",
                "1.00 medium",
                95,
                25,
                4.4,
                19,
                0,
                0.3,
                0.5,
                "Fruits and Fruit Juices",
            ),
            ("Almonds", "1.00 oz", 165, 6, 3.5, 1.2, 0, 14, 6, "Nut and Seed Products"),
            (
                "Carrots with Hummus",
                "1.00 serving",
                150,
                16,
                6.0,
                5,
                0,
                8,
                5,
                "Vegetables and Vegetable Products",
            ),
        ],
    },
}
MEALS = [
    ("breakfast", "Breakfast", (7, 30)),
    ("lunch", "Lunch", (12, 30)),
    ("snacks", "Snacks", (15, 45)),
    ("dinner", "Dinner", (19, 0)),
]


def progress(day: dt.date) -> float:
    """0 on the first day, 1 on the last: how far along the gradual change Alex is."""
    return (day - START).days / (END - START).days


def days() -> list[dt.date]:
    return [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]


def us_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def us_datetime(ts: dt.datetime) -> str:
    hour12 = ts.hour % 12 or 12
    ampm = "AM" if ts.hour < 12 else "PM"
    return f"{us_date(ts.date())} {hour12}:{ts.minute:02d}:{ts.second:02d} {ampm}"


def clock(hour: int, minute: int) -> str:
    return f"{hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Split an integer total by noisy weights; parts sum exactly to `total`."""
    noisy = [w * rng.uniform(0.5, 1.5) for w in weights]
    scale = sum(noisy) or 1.0
    parts = [int(total * w / scale) for w in noisy]
    parts[max(range(len(parts)), key=lambda i: noisy[i])] += total - sum(parts)
    return parts


def activity(rng: random.Random):
    """Daily rows, hourly rows and (last month) minute rows, consistent with each other."""
    daily, hourly, minute = [], [], []
    for day in days():
        p = progress(day)
        if rng.random() < 0.03:
            continue  # the day is missing from the export altogether
        worn = rng.random() > 0.07
        weekend = day.weekday() >= 5
        mean = 5200 + 3600 * p + (900 if weekend else 0)
        steps = max(600, int(rng.gauss(mean, 1700))) if worn else 0
        hours = split(steps, HOUR_PROFILE, rng) if worn else [0] * 24
        if worn:
            very = max(0, int(rng.gauss(4 + 22 * p, 8)))
            fairly = max(0, int(rng.gauss(6 + 10 * p, 5)))
            light = max(60, int(steps / 45 + rng.gauss(0, 25)))
            asleep = int(rng.gauss(440, 35))
            sedentary = 1440 - asleep - very - fairly - light
        else:
            very = fairly = light = 0
            sedentary = 1440
        km = round(steps * 0.00075, 2)
        daily.append((day, steps, km, very, fairly, light, sedentary, int(1700 + steps * 0.05)))
        for h, n in enumerate(hours):
            ts = dt.datetime.combine(day, dt.time(h))
            hourly.append((ts, n))
            if day >= MINUTE_MONTH:
                # steps come in walking bouts, not spread evenly over the hour
                mins = split(n, [1.0 if rng.random() < 0.3 else 0.02 for _ in range(60)], rng)
                minute.extend((ts + dt.timedelta(minutes=m), k) for m, k in enumerate(mins))
    return daily, hourly, minute


def write_lines(path: Path, lines: list[str], newline: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))


def write_fitbit(rng: random.Random) -> None:
    daily, hourly, minute = activity(rng)
    head = (
        "Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,"
        "VeryActiveDistance,ModeratelyActiveDistance,LightActiveDistance,"
        "SedentaryActiveDistance,VeryActiveMinutes,FairlyActiveMinutes,"
        "LightlyActiveMinutes,SedentaryMinutes,Calories"
    )
    rows = [head]
    for day, steps, km, very, fairly, light, sed, kcal in daily:
        vd, md = round(km * very / 90, 2), round(km * fairly / 90, 2)
        ld = round(max(km - vd - md, 0), 2)
        rows.append(
            f"{FITBIT_ID},{us_date(day)},{steps},{km},{km},0,{vd},{md},{ld},0,"
            f"{very},{fairly},{light},{sed},{kcal}"
        )
    fitbit = HERE / "fitbit"
    write_lines(fitbit / "dailyActivity_merged.csv", rows, "\r\n")
    write_lines(
        fitbit / "hourlySteps_merged.csv",
        ["Id,ActivityHour,StepTotal"] + [f"{FITBIT_ID},{us_datetime(ts)},{n}" for ts, n in hourly],
        "\r\n",
    )
    write_lines(
        fitbit / "minuteStepsNarrow_merged.csv",
        ["Id,ActivityMinute,Steps"] + [f"{FITBIT_ID},{us_datetime(ts)},{n}" for ts, n in minute],
        "\r\n",
    )


def write_weight(rng: random.Random) -> None:
    rows = ["Id,Date,WeightKg,WeightPounds,Fat,BMI,IsManualReport,LogId"]
    for day in days():
        if rng.random() > 0.55:
            continue  # Alex weighs in on about half the days
        kg = 92.0 - 3.2 * progress(day) + rng.gauss(0, 0.6) + (0.4 if day.weekday() == 0 else 0)
        ts = dt.datetime.combine(day, dt.time(7, rng.randint(0, 40), rng.randint(0, 59)))
        fat = f"{rng.uniform(27, 29):.0f}" if rng.random() < 0.2 else ""
        log_id = int(ts.replace(tzinfo=dt.UTC).timestamp() * 1000)
        rows.append(
            f"{FITBIT_ID},{us_datetime(ts)},{kg:.13g},{kg * 2.20462262:.15g},{fat},"
            f"{kg / 1.78**2:.13g},False,{log_id}"
        )
    write_lines(HERE / "fitbit" / "weightLogInfo_merged.csv", rows, "\r\n")


def quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def serving_row(day: dt.date, time: str, group: str, food: tuple, rng: random.Random) -> str:
    name, amount, kcal, carbs, fib, sug, added, fat, prot, cat = food
    k = rng.uniform(0.85, 1.15)  # portions vary
    nums = [
        kcal * k,
        carbs * k,
        fib * k,
        max(carbs - fib - sug, 0) * k,
        sug * k,
        added * k,
        (carbs - fib) * k,
        fat * k,
        prot * k,
    ]
    cells = ",".join(f"{v:.2f}" for v in nums)
    return f"{day},{time},{quote(group)},{quote(name)},{quote(amount)},{cells},{quote(cat)}"


def write_servings(rng: random.Random) -> None:
    rows = [
        "Day,Time,Group,Food Name,Amount,Energy (kcal),Carbs (g),Fiber (g),Starch (g),"
        "Sugars (g),Added Sugars (g),Net Carbs (g),Fat (g),Protein (g),Category"
    ]
    for day in days():
        r = rng.random()
        if r < 0.10:
            continue  # nothing logged
        meals = MEALS[:1] if r < 0.14 else MEALS  # a half-logged day: breakfast only
        whole_share = 0.25 + 0.5 * progress(day)
        for key, group, (hour, minute) in meals:
            n_items = 2 if key == "snacks" and rng.random() < 0.5 else 1
            for _ in range(n_items):
                kind = "whole" if rng.random() < whole_share else "refined"
                food = rng.choice(FOODS[key][kind])
                mins = hour * 60 + minute + rng.randint(-30, 30)
                rows.append(serving_row(day, clock(mins // 60, mins % 60), group, food, rng))
    write_lines(HERE / "cronometer" / "servings.csv", rows, "\n")


def main() -> None:
    write_fitbit(random.Random(SEED))
    write_weight(random.Random(SEED + 1))
    write_servings(random.Random(SEED + 2))
    assert math.isclose(progress(END), 1.0)


if __name__ == "__main__":
    main()
