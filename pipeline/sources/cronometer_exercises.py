"""Cronometer `exercises.csv`: one row per logged exercise per day.

Day,Group,Exercise,Minutes,Calories Burned
2026-07-16,Uncategorized,"Traditional Strength Training (Apple Health)",54.73635186751684,-248.57

No real file is in shared/real_exports. The header and the figures were checked against
public code that reads real exports (found with the code search, 2025): a Go client's comment
"Row data is in form Day,Group,Exercise,Minutes,Calories Burned", a Python test built from
"a REAL exported exercises.csv" (15 rows, quoted names, fractional minutes, calories written
NEGATIVE: -248.57 is 248.57 kcal burned) and a sample "matching real downloaded files"
(`Daily Activity (Garmin),107.0,-527.00`). Calories are read as their size (248.57).

- "Active Energy Balance (Apple Health)" and "Daily Activity (Garmin)" rows are a device's
  whole-day energy (0 or a day's minutes), not workouts: counted as ignored, not stored, as
  are "... calorie adjustment" rows.
- A `Time` column (Cronometer writes one in servings.csv when timestamps are on) gives the
  start where it is filled; otherwise the start is the day + a per-day ordinal in seconds
  (pipeline/sources/_exercise_log.py).
"""

from __future__ import annotations

import polars as pl

from pipeline.sources import _exercise_log as log
from pipeline.sources._parse import (
    Converted,
    ReadOptions,
    clock_time,
    convert,
    has_columns,
    iso_date,
    number,
    text,
)

NAME = "cronometer_exercises"
TABLE = "workouts"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
TITLE = "Cronometer exercises (exercises.csv)"
HOW_TO_EXPORT = "Cronometer web: More > Account > Export Data > Exercises (exercises.csv)."
REQUIRED = {"Day", "Exercise", "Minutes", "Calories Burned"}
WHOLE_DAY = r"(?i)^\s*(active energy balance|daily activity)\b|calorie adjustment\s*$"


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    whole_day = pl.col("Exercise").str.contains(WHOLE_DAY).fill_null(False)
    ignored = raw.filter(whole_day).height
    kept = log.with_content(raw.filter(~whole_day))
    conv = convert(
        kept,
        {
            # 2026-07-16,Uncategorized,"Martial Arts",50.0,-245.07
            "date": ("Day", iso_date),
            "time": ("Time", clock_time),  # "9:00 AM" when timestamps are on; else absent
            "type": ("Exercise", text),  # Martial Arts
            "duration_min": ("Minutes", number),  # 50.0
            "burned": ("Calories Burned", number),  # -245.07
            log.CONTENT: (log.CONTENT, lambda e: e),
        },
    )
    frame = conv.frame.with_columns(
        person=pl.lit(opts.person or "me"),
        start_local=pl.coalesce(
            pl.col("date").dt.combine(pl.col("time")), log.day_ordinal_start(conv.frame)
        ),
        kcal=pl.col("burned").abs(),
        distance_km=pl.lit(None, pl.Float64),
        avg_hr=pl.lit(None, pl.Float64),
    )
    warnings = log.repeats_warning(frame)
    return Converted(frame.drop(log.CONTENT, "burned"), conv.failures, ignored, tuple(warnings))
