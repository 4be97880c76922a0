"""MyFitnessPal `Exercise-Summary-*.csv`: one row per logged exercise per day, no clock time.

Date,Exercise,Type,Exercise Calories,Exercise Minutes,Sets,Reps Per Set,Kilograms,Steps,Note
2019-05-02,"Rowing, stationary, moderate effort",Cardio,126.0,11,,,,,

- Newer exports wrap names in literal quotes (`"Walking, 3.5 mph, brisk pace"` once read):
  they are taken off.
- "Health Connect calorie adjustment" (and any "... calorie adjustment") rows are the app's
  energy top-ups from a phone or watch (1 minute, a day's steps), not workouts: counted as
  ignored, not stored.
- Starts are the day + a per-day ordinal in seconds (pipeline/sources/_exercise_log.py).
- Column 8 is `Kilograms` or `Pounds` (weight lifted, not used); Note is free text.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources import _exercise_log as log
from pipeline.sources._parse import Converted, ReadOptions, convert, has_columns, iso_date, number

NAME = "mfp_exercise"
TABLE = "workouts"
ENDS_WITH_NEWLINE = True  # its exports end every line: a last line without one was cut
FREE_TEXT_LAST = True  # Note: raw commas and line breaks (pipeline/sources/_csv.py)
TITLE = "MyFitnessPal exercise (Exercise-Summary-*.csv)"
HOW_TO_EXPORT = (
    "MyFitnessPal (Premium): Settings > Export Data; unzip and ingest Exercise-Summary-*.csv."
)
REQUIRED = {"Date", "Exercise", "Exercise Calories", "Exercise Minutes"}
ADJUSTMENT = r"(?i)calorie adjustment\s*$"  # "Health Connect calorie adjustment"


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def exercise_name(e: pl.Expr) -> pl.Expr:
    # 2024-07-03,"""Walking, 3.5 mph, brisk pace""",Cardio,178.0,18,,,,,  (2026 export)
    # read by the csv module as "Walking, 3.5 mph, brisk pace" with its quotes: they go
    return e.str.strip_chars().str.strip_chars('"').str.strip_chars()


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    adjustment = exercise_name(pl.col("Exercise")).str.contains(ADJUSTMENT).fill_null(False)
    ignored = raw.filter(adjustment).height
    kept = log.with_content(raw.filter(~adjustment))
    conv = convert(
        kept,
        {
            # 2019-05-02,"Rowing, stationary, moderate effort",Cardio,126.0,11,,,,,
            "date": ("Date", iso_date),
            "type": ("Exercise", exercise_name),
            "kcal": ("Exercise Calories", number),  # 126.0
            "duration_min": ("Exercise Minutes", number),  # 11
            log.CONTENT: (log.CONTENT, lambda e: e),
        },
    )
    frame = conv.frame.with_columns(
        person=pl.lit(opts.person or "me"),
        start_local=log.day_ordinal_start(conv.frame),
        distance_km=pl.lit(None, pl.Float64),
        avg_hr=pl.lit(None, pl.Float64),
    )
    warnings = log.repeats_warning(frame)
    return Converted(frame.drop(log.CONTENT), conv.failures, ignored, tuple(warnings))
