"""Make sample_data/: six months of a fictional person, "Alex", in the real export formats.

    python sample_data/make_sample.py

Deterministic (fixed seeds): the same files every run. Alex moves gradually along the
spectrum: steps and active minutes go up, long sitting spells get fewer, more meals are
followed by a short walk, refined carbohydrate and ultra-processed food go down, fibre goes
up, short nights get rarer, and the weight trend and the waist drift down. There are
realistic gaps: days without the tracker (worn 0 steps, 1440 sedentary minutes, as Fitbit
writes them), days missing from the export, nights without a sleep record, days with nothing
logged and a few half-logged days.

Every day is planned first (in the export? worn? the night's sleep, meal times, which meals
are followed by a walk, long sitting spells, steps minute by minute), then all files are
written from that plan, so they agree with each other: minute steps sum to the hourly and
daily totals and are 0 inside sleep records, and the food log's meal times are the meals the
minute steps walk (or sit) after.

Formats written (see ../shared/reference/formats.md):
  fitbit/dailyActivity_merged.csv      Fitabase daily activity, CRLF, M/D/YYYY
  fitbit/hourlySteps_merged.csv        Fitabase hourly steps, M/D/YYYY h:mm:ss AM/PM
  fitbit/minuteStepsNarrow_merged.csv  Fitabase minute steps, every minute of every day
  fitbit/sleepDay_merged.csv           Fitabase sleep per night, SleepDay = the date it ends
  fitbit/minuteSleep_merged.csv        Fitabase sleep minutes (1 asleep, 2 restless, 3 awake),
                                       stamped at :30 s; September and October only (size)
  fitbit/weightLogInfo_merged.csv      Fitabase weight log
  cronometer/servings.csv              Cronometer servings with a Time column
  cronometer/biometrics.csv            Cronometer biometrics: waist in cm, LF
  notes.csv                            Alex's notes (spectrum note import): walks, a cold
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
START, END = dt.date(2026, 5, 1), dt.date(2026, 10, 31)
# Alex's notes (notes.csv): from this day Alex walks after dinner (and soon after most
# meals), so the share of meals followed by a walk rises from it ...
WALKS_FROM = dt.date(2026, 8, 17)
# ... and a week with a cold: far fewer steps, few walks, little vigorous activity
COLD = (dt.date(2026, 10, 5), dt.date(2026, 10, 11))
NOTES = (
    f"date,end,text,tag\n{WALKS_FROM},,Started walking after dinner,walks\n"
    f"{COLD[0]},{COLD[1]},A cold: stayed home most of the week,illness\n"
)
SLEEP_MINUTES_FROM = dt.date(2026, 9, 1)  # minuteSleep rows only for nights ending from here
FITBIT_ID = "4815162342"
SLEEP_LOG_ID = 11380564589  # Fitbit sleep logIds are 11-digit integers
SEED = 20260501
DAY = 1440
DESK_FROM, DESK_TO = 7 * 60, 22 * 60  # where a long zero-step run counts as sitting
MAX_STEPS = 200  # per minute

# What a minute of the plan is for.
SLEEP, SIT, QUIET, WALK, FREE = range(5)

# name: amount, kcal, carbs, fibre, sugars, added sugars, fat, protein, category (per serving)
# fmt: off
FOODS = {
    "Bread, White, Commercially Prepared, Toasted": ("2.00 slice", 162, 30.2, 1.4, 3.2, 2.6, 2.1, 5.4, "Baked Products"),
    "Strawberry Jam": ("1.00 tbsp", 56, 13.8, 0.2, 9.7, 9.0, 0.0, 0.1, "Sweets"),
    "Coffee, Brewed": ("1.00 cup", 2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, "Beverages"),
    "Frosted Flakes Cereal": ("1.00 cup", 147, 35.0, 0.8, 14.6, 14.0, 0.2, 1.3, "Breakfast Cereals"),
    "Milk, 2%": ("1.00 cup", 122, 12.0, 0.0, 12.0, 0.0, 4.8, 8.1, "Dairy and Egg Products"),
    "Croissant, Butter": ("1.00 medium", 231, 26.1, 1.5, 6.4, 4.0, 12.0, 4.7, "Baked Products"),
    "Orange Juice": ("1.00 cup", 112, 25.8, 0.5, 20.8, 0.0, 0.5, 1.7, "Fruits and Fruit Juices"),
    "Oatmeal, Rolled Oats, Cooked": ("1.00 cup", 166, 28.1, 4.0, 0.6, 0.0, 3.6, 5.9, "Breakfast Cereals"),
    "Blueberries, Fresh": ("0.50 cup", 42, 10.7, 1.8, 7.4, 0.0, 0.2, 0.5, "Fruits and Fruit Juices"),
    "Greek Yogurt, Plain, Nonfat": ("1.00 container", 100, 6.1, 0.0, 5.5, 0.0, 0.7, 17.3, "Dairy and Egg Products"),
    "Banana, Fresh": ("1.00 medium", 105, 27.0, 3.1, 14.4, 0.0, 0.4, 1.3, "Fruits and Fruit Juices"),
    "Eggs, Scrambled": ("2.00 large", 182, 2.0, 0.0, 1.6, 0.0, 13.4, 12.2, "Dairy and Egg Products"),
    "Bread, Whole Wheat": ("2.00 slice", 162, 27.4, 4.0, 4.5, 2.0, 2.2, 7.9, "Baked Products"),
    "White Rice, Steamed": ("1.00 cup", 205, 44.5, 0.6, 0.1, 0.0, 0.4, 4.3, "Cereal Grains and Pasta"),
    "Chicken Tikka Masala": ("1.00 cup", 310, 14.0, 2.0, 6.0, 2.0, 17.0, 25.0, "Meals, Entrees, and Side Dishes"),
    "Ham and Cheese Sandwich, White Bread": ("1.00 sandwich", 352, 33.0, 1.5, 5.0, 3.0, 15.5, 20.7, "Fast Foods"),
    "Potato Chips, Salted": ("1.00 oz", 152, 15.0, 1.3, 0.1, 0.0, 9.8, 1.9, "Snacks"),
    "Coca-Cola Classic": ("1.00 can", 140, 39.0, 0.0, 39.0, 39.0, 0.0, 0.0, "Beverages"),
    "Instant Ramen Noodles, Chicken Flavor": ("1.00 package", 380, 52.0, 2.0, 2.0, 1.0, 14.0, 8.0, "Soups, Sauces, and Gravies"),
    "Lentils, Boiled": ("1.00 cup", 230, 39.9, 15.6, 3.6, 0.0, 0.8, 17.9, "Legumes and Legume Products"),
    "Mixed Salad Greens": ("2.00 cup", 18, 3.5, 2.2, 0.6, 0.0, 0.2, 1.7, "Vegetables and Vegetable Products"),
    "Whole Wheat Pita": ("1.00 large", 170, 35.2, 4.7, 0.5, 0.5, 1.7, 6.3, "Baked Products"),
    "Quinoa, Cooked": ("1.00 cup", 222, 39.4, 5.2, 1.6, 0.0, 3.6, 8.1, "Cereal Grains and Pasta"),
    "Chickpeas, Boiled": ("1.00 cup", 269, 45.0, 12.5, 7.9, 0.0, 4.2, 14.5, "Legumes and Legume Products"),
    "Hummus": ("0.25 cup", 103, 8.9, 3.7, 0.2, 0.0, 6.0, 4.9, "Legumes and Legume Products"),
    "Carrots, Raw": ("1.00 cup", 52, 12.3, 3.6, 6.1, 0.0, 0.3, 1.2, "Vegetables and Vegetable Products"),
    "Apple, Fresh, With Skin": ("1.00 medium", 95, 25.1, 4.4, 18.9, 0.0, 0.3, 0.5, "Fruits and Fruit Juices"),
    "Pepperoni Pizza, Frozen": ("2.00 slice", 600, 66.0, 4.0, 8.0, 4.0, 28.0, 22.0, "Fast Foods"),
    "Spaghetti, Cooked": ("1.50 cup", 330, 64.5, 3.8, 1.2, 0.0, 1.9, 12.1, "Cereal Grains and Pasta"),
    "Pasta Sauce, Marinara, Jarred": ("0.50 cup", 66, 10.0, 2.4, 7.0, 3.0, 2.0, 2.0, "Soups, Sauces, and Gravies"),
    "Chicken Nuggets, Breaded, Frozen": ("6.00 piece", 280, 16.0, 1.0, 0.3, 0.0, 18.0, 14.0, "Poultry Products"),
    "French Fries, Fast Food": ("1.00 medium", 365, 48.0, 4.4, 0.3, 0.0, 17.0, 4.0, "Fast Foods"),
    "Salmon, Atlantic, Baked": ("5.00 oz", 291, 0.0, 0.0, 0.0, 0.0, 17.4, 31.6, "Finfish and Shellfish Products"),
    "Broccoli, Steamed": ("1.00 cup", 55, 11.2, 5.1, 2.2, 0.0, 0.6, 3.7, "Vegetables and Vegetable Products"),
    "Black Bean Chili, Homemade": ("1.50 cup", 390, 55.0, 18.0, 8.0, 0.0, 8.0, 22.0, "Legumes and Legume Products"),
    "Chicken Breast, Roasted": ("5.00 oz", 231, 0.0, 0.0, 0.0, 0.0, 5.0, 43.4, "Poultry Products"),
    "Sweet Potato, Baked, With Skin": ("1.00 medium", 103, 23.6, 3.8, 7.4, 0.0, 0.2, 2.3, "Vegetables and Vegetable Products"),
    "Chocolate Chip Cookies, Packaged": ("2.00 cookie", 160, 22.0, 1.0, 12.0, 11.0, 8.0, 2.0, "Sweets"),
    "Milk Chocolate Bar": ("1.00 bar", 235, 26.0, 1.5, 22.0, 21.0, 13.0, 3.3, "Sweets"),
    "Vanilla Ice Cream": ("0.50 cup", 137, 15.6, 0.5, 14.0, 11.0, 7.3, 2.3, "Dairy and Egg Products"),
    "Almonds, Raw": ("1.00 oz", 164, 6.1, 3.5, 1.2, 0.0, 14.2, 6.0, "Nut and Seed Products"),
}
# fmt: on

# What Alex eats: per meal group, refined and whole choices, each a list of foods logged together.
MENU = {
    "Breakfast": {
        "refined": [
            ("Bread, White, Commercially Prepared, Toasted", "Strawberry Jam", "Coffee, Brewed"),
            ("Frosted Flakes Cereal", "Milk, 2%"),
            ("Croissant, Butter", "Orange Juice"),
        ],
        "whole": [
            ("Oatmeal, Rolled Oats, Cooked", "Blueberries, Fresh"),
            ("Greek Yogurt, Plain, Nonfat", "Banana, Fresh"),
            ("Eggs, Scrambled", "Bread, Whole Wheat", "Coffee, Brewed"),
        ],
    },
    "Lunch": {
        "refined": [
            ("White Rice, Steamed", "Chicken Tikka Masala"),
            ("Ham and Cheese Sandwich, White Bread", "Potato Chips, Salted", "Coca-Cola Classic"),
            ("Instant Ramen Noodles, Chicken Flavor", "Coca-Cola Classic"),
        ],
        "whole": [
            ("Lentils, Boiled", "Mixed Salad Greens", "Whole Wheat Pita"),
            ("Quinoa, Cooked", "Chickpeas, Boiled", "Mixed Salad Greens"),
            ("Whole Wheat Pita", "Hummus", "Carrots, Raw", "Apple, Fresh, With Skin"),
        ],
    },
    "Snacks": {
        "refined": [
            ("Coca-Cola Classic",),
            ("Chocolate Chip Cookies, Packaged",),
            ("Potato Chips, Salted",),
            ("Milk Chocolate Bar",),
            ("Vanilla Ice Cream",),
        ],
        "whole": [
            ("Apple, Fresh, With Skin",),
            ("Almonds, Raw",),
            ("Carrots, Raw", "Hummus"),
            ("Banana, Fresh",),
        ],
    },
    "Dinner": {
        "refined": [
            ("Pepperoni Pizza, Frozen", "Coca-Cola Classic"),
            ("Spaghetti, Cooked", "Pasta Sauce, Marinara, Jarred"),
            ("Chicken Nuggets, Breaded, Frozen", "French Fries, Fast Food"),
        ],
        "whole": [
            ("Salmon, Atlantic, Baked", "Quinoa, Cooked", "Broccoli, Steamed"),
            ("Black Bean Chili, Homemade",),
            ("Chicken Breast, Roasted", "Sweet Potato, Baked, With Skin", "Broccoli, Steamed"),
        ],
    },
}
# Meal group, usual start (minute of the day) and spread either side; breakfast follows waking.
MEAL_TIMES = {"Lunch": (12 * 60 + 30, 30), "Snacks": (15 * 60 + 45, 40), "Dinner": (19 * 60, 40)}


@dataclass
class Night:
    """One night's sleep, belonging to the date it ends on; minutes count from that midnight."""

    day: dt.date
    start: int  # negative: the evening before
    in_bed: int
    asleep: int
    recorded: bool  # the tracker wrote a sleep record

    @property
    def end(self) -> int:
        return self.start + self.in_bed


@dataclass
class Meal:
    group: str
    start: int  # minute of the day
    walk: bool  # followed by a walk within the hour


@dataclass
class Day:
    day: dt.date
    exported: bool  # the day is in the Fitbit export at all
    worn: bool
    meals: list[Meal]
    steps: list[int]  # one per minute, 00:00..23:59
    very: int = 0
    fairly: int = 0
    light: int = 0
    sedentary: int = DAY


def progress(day: dt.date) -> float:
    """0 on the first day, 1 on the last: how far along the gradual change Alex is."""
    return min(max((day - START).days / (END - START).days, 0.0), 1.0)


def days() -> list[dt.date]:
    return [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]


def us_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def us_datetime(ts: dt.datetime) -> str:
    hour12 = ts.hour % 12 or 12
    ampm = "AM" if ts.hour < 12 else "PM"
    return f"{us_date(ts.date())} {hour12}:{ts.minute:02d}:{ts.second:02d} {ampm}"


def clock(minute: int) -> str:
    hour, minute = divmod(minute, 60)
    return f"{hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def spread(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Split an integer total by weights, each part at most its cap; parts sum to `total`."""
    assert 0 <= total <= sum(caps)
    scale = sum(weights)
    parts = [min(cap, int(total * w / scale)) for w, cap in zip(weights, caps, strict=True)]
    order = sorted(range(len(parts)), key=lambda i: -weights[i])
    left = total - sum(parts)
    while left:
        for i in order:
            if left and parts[i] < caps[i]:
                parts[i] += 1
                left -= 1
    return parts


# --- the plan -------------------------------------------------------------------------------


class Dither:
    """Random yes/no draws whose running share follows the wanted share closely (error
    diffusion with jitter), so a month's share is not lost in coin-flip noise."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.owed = rng, 0.0

    def __call__(self, share: float) -> bool:
        self.owed += share
        hit = self.owed + self.rng.uniform(-0.5, 0.5) >= 0.5
        self.owed -= hit
        return hit


def plan_night(day: dt.date, status: dict, short_night: Dither, rng: random.Random) -> Night:
    """Short nights (under 7 h asleep) get rarer: about 55% in May, 30% in October."""
    short = short_night(0.55 - 0.27 * progress(day))
    asleep = rng.randint(360, 419) if short else rng.randint(420, 470)
    in_bed = asleep + rng.randint(15, 40)
    # lights out 22:30..00:30, up 06:00..07:30
    end = rng.randint(max(6 * 60, in_bed - 90), min(7 * 60 + 30, in_bed + 30))
    worn = status.get(day, (False, False))[1]  # never for the night after the last day
    before = status.get(day - dt.timedelta(days=1))
    off_before = before is not None and before[0] and not before[1]  # exported, not worn
    recorded = worn and not off_before and rng.random() > 0.04  # some nights not recorded
    return Night(day, end - in_bed, in_bed, asleep, recorded)


def has_cold(day: dt.date) -> bool:
    return COLD[0] <= day <= COLD[1]


def walk_share(day: dt.date) -> float:
    """The share of meals followed by a walk: about 20% until Alex starts walking after
    dinner (WALKS_FROM), then 50% rising to 65%; 10% in the week with a cold."""
    if has_cold(day):
        return 0.1
    return 0.15 + 0.1 * progress(day) if day < WALKS_FROM else 0.45 + 0.2 * progress(day)


def plan_meals(day: dt.date, wake: int, walk_after: Dither, rng: random.Random) -> list[Meal]:
    """Meal times; a share of meals (walk_share) gets a walk after."""
    walk_share_today = walk_share(day)
    starts = {"Breakfast": wake + rng.randint(20, 50)}
    for group, (usual, wobble) in MEAL_TIMES.items():
        starts[group] = usual + rng.randint(-wobble, wobble)
    return [Meal(group, start, walk_after(walk_share_today)) for group, start in starts.items()]


def free_spans(lo: int, hi: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [lo, hi) outside the `taken` intervals."""
    spans = []
    for a, b in sorted(taken):
        if a > lo:
            spans.append((lo, min(a, hi)))
        lo = max(lo, b)
    spans.append((lo, hi))
    return [(a, b) for a, b in spans if b > a]


def plan_steps(day: dt.date, wake: int, bedtime: int, meals: list[Meal], rng: random.Random):
    """Steps for every minute of a worn day: walks after meals, desk spells, short bouts."""
    p = progress(day)
    weekend = day.weekday() >= 5
    target = max(600, int(rng.gauss(5200 + 3600 * p + (900 if weekend else 0), 1700)))
    if has_cold(day):  # at home with a cold
        target = max(600, int(target * 0.4))
    awake_to = min(bedtime, DAY)
    label = [SLEEP] * wake + [FREE] * (awake_to - wake) + [SLEEP] * (DAY - awake_to)
    steps = [0] * DAY

    for meal in meals:
        if meal.walk:  # 1000-1800 steps at ~100-120 steps/min, starting 5-20 min after eating
            total = rng.randint(1100, 1700)
            length = min(15, max(10, round(total / rng.uniform(100, 120))))
            first = meal.start + rng.randint(5, 20)
            weights = [rng.uniform(0.85, 1.15) for _ in range(length)]
            for m, k in enumerate(spread(total, weights, [MAX_STEPS] * length), first):
                steps[m], label[m] = k, WALK
        else:  # sitting on after the meal: a few steps to the kitchen, well under 300 in the hour
            for m in range(meal.start - 2, meal.start + 62):
                label[m] = QUIET
            for lo, hi in ((8, 18), (30, 42), (50, 58)):
                first = meal.start + rng.randint(lo, hi)
                for m in range(first, first + rng.randint(1, 2)):
                    steps[m] = rng.randint(4, 30)

    # Long desk spells (60-110 zero minutes): about 3.5 a day in May, 1.5 in October.
    mean_spells = 3.6 - 2.1 * p
    n_spells = int(mean_spells) + (rng.random() < mean_spells % 1)
    taken = [(meal.start - 10, meal.start + 65) for meal in meals]
    spans = free_spans(max(DESK_FROM, wake + 15), min(DESK_TO, bedtime - 15), taken)
    margin = 5
    for _ in range(n_spells):
        length = rng.randint(63, 110)
        fits = [s for s in spans if s[1] - s[0] >= length + 2 * margin]
        if not fits:
            length = 63
            fits = [s for s in spans if s[1] - s[0] >= length + 2 * margin]
            if not fits:
                continue
        a, b = rng.choice(fits)
        first = rng.randint(a + margin, b - margin - length)
        spans.remove((a, b))
        spans += [(a, first - margin), (first + length + margin, b)]
        for m in range(first, first + length):
            label[m] = SIT
        steps[first - 1] = rng.randint(10, 40)  # getting up and sitting down are steps
        steps[first + length] = rng.randint(10, 40)

    # Short bouts (1-3 minutes) at most 30 minutes apart whenever Alex is up and not at the
    # desk, starting with getting up.
    since, gap, bout = 0, 0, 0
    for m in range(wake, awake_to):
        if label[m] == FREE and (bout or since >= gap):
            if not bout:
                bout, gap = rng.randint(1, 3), rng.randint(4, 30)
            steps[m] = steps[m] or rng.randint(3, 25)
            bout -= 1
        since = 0 if steps[m] or label[m] == SIT else since + 1

    # The rest of the day's steps: purposeful walks (errands, commuting, exercise).
    rest = max(target - sum(steps), 100)
    need = math.ceil(rest / rng.uniform(95, 120))
    walk: list[int] = []
    walk_to = min(awake_to, 21 * 60 + 30)
    while need > 0:
        runs, run = [], []
        for m in range(wake, walk_to):
            if label[m] == FREE:
                run.append(m)
            elif run:
                runs.append(run)
                run = []
        runs = [r for r in runs + [run] if len(r) >= 3]
        if not runs:
            break
        length = min(need, rng.randint(6, 35))
        fits = [r for r in runs if len(r) >= length] or [max(runs, key=len)]
        run = rng.choice(fits)
        length = min(length, len(run))
        first = rng.randint(0, len(run) - length)
        for m in run[first : first + length]:
            label[m] = WALK
            walk.append(m)
        need -= length
    weights = [rng.uniform(0.8, 1.2) for _ in walk]
    for m, k in zip(walk, spread(rest, weights, [MAX_STEPS - steps[m] for m in walk]), strict=True):
        steps[m] += k
    return steps


def plan(rng: random.Random) -> tuple[list[Day], dict[dt.date, Night]]:
    """Decide every day and night first; the files are written from this plan."""
    status = {}
    for day in days():
        exported = rng.random() >= 0.03  # else the day is missing from the export altogether
        status[day] = (exported, exported and rng.random() > 0.07)
    nights, short_night, walk_after = {}, Dither(rng), Dither(rng)
    for i in range(len(status) + 1):
        day = START + dt.timedelta(days=i)
        nights[day] = plan_night(day, status, short_night, rng)
    plans = []
    for day in days():
        exported, worn = status[day]
        night, next_night = nights[day], nights[day + dt.timedelta(days=1)]
        meals = plan_meals(day, night.end, walk_after, rng)
        d = Day(day, exported, worn, meals, [0] * DAY)
        if worn:
            bedtime = next_night.start + DAY
            d.steps = plan_steps(day, night.end, bedtime, meals, rng)
            p = progress(day)
            d.very = max(0, int(rng.gauss(4 + 22 * p, 8)))
            d.fairly = max(0, int(rng.gauss(6 + 10 * p, 5)))
            if has_cold(day):
                d.very, d.fairly = d.very // 5, d.fairly // 3
            d.light = max(60, int(sum(d.steps) / 45 + rng.gauss(0, 25)))
            in_bed = (night.end if night.recorded else 0) + (
                max(DAY - bedtime, 0) if next_night.recorded else 0
            )
            d.sedentary = DAY - in_bed - d.very - d.fairly - d.light
        plans.append(d)
    return plans, nights


# --- the files ------------------------------------------------------------------------------


def write_lines(path: Path, lines: list[str], newline: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))


def write_fitbit(plans: list[Day]) -> None:
    head = (
        "Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,"
        "VeryActiveDistance,ModeratelyActiveDistance,LightActiveDistance,"
        "SedentaryActiveDistance,VeryActiveMinutes,FairlyActiveMinutes,"
        "LightlyActiveMinutes,SedentaryMinutes,Calories"
    )
    daily, hourly, minute = [head], ["Id,ActivityHour,StepTotal"], ["Id,ActivityMinute,Steps"]
    for d in (d for d in plans if d.exported):
        steps = sum(d.steps)
        km = round(steps * 0.00075, 2)
        vd, md = round(km * d.very / 90, 2), round(km * d.fairly / 90, 2)
        ld = round(max(km - vd - md, 0), 2)
        daily.append(
            f"{FITBIT_ID},{us_date(d.day)},{steps},{km},{km},0,{vd},{md},{ld},0,"
            f"{d.very},{d.fairly},{d.light},{d.sedentary},{int(1700 + steps * 0.05)}"
        )
        midnight = dt.datetime.combine(d.day, dt.time())
        for h in range(24):
            ts = midnight + dt.timedelta(hours=h)
            hourly.append(f"{FITBIT_ID},{us_datetime(ts)},{sum(d.steps[h * 60 : h * 60 + 60])}")
        for m, n in enumerate(d.steps):
            minute.append(f"{FITBIT_ID},{us_datetime(midnight + dt.timedelta(minutes=m))},{n}")
    fitbit = HERE / "fitbit"
    write_lines(fitbit / "dailyActivity_merged.csv", daily, "\r\n")
    write_lines(fitbit / "hourlySteps_merged.csv", hourly, "\r\n")
    write_lines(fitbit / "minuteStepsNarrow_merged.csv", minute, "\r\n")


def sleep_values(night: Night, rng: random.Random) -> list[int]:
    """Minute values of one record: falling asleep, short restless spells, getting up."""
    awake = night.in_bed - night.asleep
    latency = rng.randint(5, 12)
    final = rng.randint(1, min(4, awake - latency))
    spells = []
    left = awake - latency - final
    while left:
        n = min(left, rng.randint(1, 3))
        spells.append([2 if rng.random() < 0.75 else 3] * n)
        left -= n
    at = sorted(rng.sample(range(10, night.asleep - 10), len(spells)))
    values = [3] * (latency // 2) + [2] * (latency - latency // 2)
    done = 0
    for pos, spell in zip(at, spells, strict=True):
        values += [1] * (pos - done) + spell
        done = pos
    values += [1] * (night.asleep - done) + [3] * final
    assert len(values) == night.in_bed and values.count(1) == night.asleep
    return values


def write_sleep(nights: dict[dt.date, Night], rng: random.Random) -> None:
    daily = ["Id,SleepDay,TotalSleepRecords,TotalMinutesAsleep,TotalTimeInBed"]
    minute = ["Id,date,value,logId"]
    for night in nights.values():
        if not night.recorded:
            continue
        daily.append(
            f"{FITBIT_ID},{us_date(night.day)} 12:00:00 AM,1,{night.asleep},{night.in_bed}"
        )
        values = sleep_values(night, rng)
        if night.day < SLEEP_MINUTES_FROM:
            continue
        log_id = SLEEP_LOG_ID + (night.day - START).days * 137_531
        first = dt.datetime.combine(night.day, dt.time()) + dt.timedelta(minutes=night.start)
        for i, value in enumerate(values):
            ts = first + dt.timedelta(minutes=i, seconds=30)  # Fitbit stamps sleep minutes at :30
            minute.append(f"{FITBIT_ID},{us_datetime(ts)},{value},{log_id}")
    write_lines(HERE / "fitbit" / "sleepDay_merged.csv", daily, "\r\n")
    write_lines(HERE / "fitbit" / "minuteSleep_merged.csv", minute, "\r\n")


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


def serving_row(day: dt.date, time: str, group: str, name: str, rng: random.Random) -> str:
    amount, kcal, carbs, fib, sug, added, fat, prot, cat = FOODS[name]
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


def write_servings(plans: list[Day], rng: random.Random) -> None:
    rows = [
        "Day,Time,Group,Food Name,Amount,Energy (kcal),Carbs (g),Fiber (g),Starch (g),"
        "Sugars (g),Added Sugars (g),Net Carbs (g),Fat (g),Protein (g),Category"
    ]
    for d in plans:
        r = rng.random()
        if r < 0.10:
            continue  # nothing logged
        meals = d.meals[:1] if r < 0.14 else d.meals  # a half-logged day: breakfast only
        whole_share = 0.25 + 0.5 * progress(d.day)
        for meal in meals:
            choices = MENU[meal.group]
            foods = list(rng.choice(choices["whole" if rng.random() < whole_share else "refined"]))
            if meal.group == "Snacks" and rng.random() < 0.4:
                foods += rng.choice(choices["whole" if rng.random() < whole_share else "refined"])
            # the first entry at the meal's start, the rest logged within a few minutes
            times = [meal.start] + sorted(meal.start + rng.randint(0, 4) for _ in foods[1:])
            for name, minute in zip(foods, times, strict=True):
                rows.append(serving_row(d.day, clock(minute), meal.group, name, rng))
    write_lines(HERE / "cronometer" / "servings.csv", rows, "\n")


def write_biometrics(rng: random.Random) -> None:
    """Waist on the 1st, the last day and every Sunday in between: slowly down, 101 -> 97 cm."""
    rows = ["Day,Group,Metric,Unit,Amount"]
    for day in days():
        last = (day + dt.timedelta(days=1)).month != day.month
        if day.day == 1 or last or day.weekday() == 6:
            cm = 101.0 - 4.0 * progress(day) + rng.uniform(-0.6, 0.6)
            rows.append(f'{day},Uncategorized,"Waist",cm,{cm:.1f}')
    write_lines(HERE / "cronometer" / "biometrics.csv", rows, "\n")


def main() -> None:
    plans, nights = plan(random.Random(SEED))
    write_fitbit(plans)
    write_weight(random.Random(SEED + 1))
    write_servings(plans, random.Random(SEED + 2))
    write_sleep(nights, random.Random(SEED + 3))
    write_biometrics(random.Random(SEED + 4))
    (HERE / "notes.csv").write_text(NOTES, encoding="utf-8")
    assert math.isclose(progress(END), 1.0)


if __name__ == "__main__":
    main()
