"""Oura web "trends" export (`oura_<dates>_trends.csv`): one row per day with that day's
activity, the sleep of the night ending on it, and readiness.

date,Sleep Score,...,Total Bedtime,Total Sleep Time,...,Sleep Timing,Sleep Timing,Bedtime Start,
  Bedtime End,...,Activity Burn,Total Burn,Target Calories,Steps,Daily Movement,Inactive Time,
  Rest Time,Low Activity Time,Medium Activity Time,High Activity Time,Non-wear Time,...
2020-03-04,74,...,27300,24690,...,13170,,2020-03-03T22:14:42-08:00,2020-03-04T05:49:42-08:00,...,
  278,2545,350,5703,4799,690,504,234,12,0,0,...

(header and row as documented in a third-party README; no real file was seen.) The export
writes `Sleep Timing` twice: the reader names the second copy "Sleep Timing (2)"
(pipeline/sources/_csv.py TOLERATED_DUPLICATES); neither is used.

Units: sleep durations are SECONDS (Total Sleep Time 24690 s = 6 h 51 min, inside the
7 h 35 min from 22:14 to 05:49). Activity times are MINUTES: in the example Inactive 690 +
Rest 504 + Low 234 + Medium 12 + High 0 + Non-wear 0 = 1440, one whole day in minutes (in
seconds they would cover 24 minutes). A file in seconds would hold values above 1440 and
fail the activity_daily checks line by line, never be stored.

A line feeds `activity_daily` when it holds any activity figure and `sleep` when it holds
any sleep figure. Inactive Time (awake and still) is sedentary_min; Rest Time (lying down,
sleep included) is not sedentary. Wear is the minutes the ring classified (inactive + rest +
low + medium + high), which is 1440 - Non-wear Time on a whole day and stays right on a
partial last day; without those five, 1440 - Non-wear Time. Bedtime Start/End carry the
offset of where the night was slept: they become wall time in the person's zone, and the
night belongs to the local date it ends on (a night without a start is the day's one
record, "day", on the row's date). `Daily Movement` (an "equivalent walking distance" that
counts non-walking movement) is not a distance walked: distance_km stays unknown.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._csv import LINE
from pipeline.sources._parse import (
    Converted,
    ReadOptions,
    convert,
    has_columns,
    integer,
    iso_date,
    number,
    offset_datetime,
)

NAME = "oura_trends"
TABLE = "activity_daily"
TITLE = "Oura trends (oura_*_trends.csv)"
HOW_TO_EXPORT = (
    "cloud.ouraring.com: Trends, choose the dates, then Download (CSV) at the bottom of "
    "the page (oura_<dates>_trends.csv)."
)
EXTRA_TABLES = ("sleep",)

REQUIRED = {"date", "Total Sleep Time", "Bedtime Start", "Steps", "Inactive Time"}
CLASSIFIED = ("inactive", "rest", "low", "medium", "high")


def detect(columns: list[str]) -> bool:
    return has_columns(columns, REQUIRED)


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    def wall_time_in_zone(e: pl.Expr) -> pl.Expr:
        return offset_datetime(e, opts.time_zone)

    conv = convert(
        raw,
        {
            "date": ("date", iso_date),  # 2020-03-04
            "steps": ("Steps", integer),  # 5703
            "active_kcal": ("Activity Burn", number),  # 278 (Total Burn 2545 is total)
            "inactive": ("Inactive Time", integer),  # 690 minutes
            "rest": ("Rest Time", integer),  # 504 minutes
            "low": ("Low Activity Time", integer),  # 234 minutes
            "medium": ("Medium Activity Time", integer),  # 12 minutes
            "high": ("High Activity Time", integer),  # 0 minutes
            "non_wear": ("Non-wear Time", integer),  # 0 minutes
            "asleep_s": ("Total Sleep Time", number),  # 24690 seconds
            "in_bed_s": ("Total Bedtime", number),  # 27300 seconds
            "start_local": ("Bedtime Start", wall_time_in_zone),  # 2020-03-03T22:14:42-08:00
            "end_local": ("Bedtime End", wall_time_in_zone),  # 2020-03-04T05:49:42-08:00
        },
    )
    frame = conv.frame
    person = pl.lit(opts.person or "me").alias("person")
    figures = ("steps", "active_kcal", *CLASSIFIED, "non_wear")
    classified = pl.sum_horizontal(*CLASSIFIED)
    all_classified = pl.all_horizontal(pl.col(c).is_not_null() for c in CLASSIFIED)
    activity = frame.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in figures)).select(
        pl.col(LINE),
        person,
        pl.col("date"),
        pl.col("steps"),
        pl.lit(None, pl.Float64).alias("distance_km"),
        pl.col("inactive").alias("sedentary_min"),
        pl.col("low").alias("light_min"),
        pl.col("medium").alias("moderate_min"),
        pl.col("high").alias("vigorous_min"),
        pl.col("active_kcal"),
        pl.when(all_classified)
        .then(classified)
        .otherwise(1440 - pl.col("non_wear"))
        .cast(pl.Int64)
        .alias("wear_min"),
    )
    night = ("asleep_s", "in_bed_s", "start_local", "end_local")
    sleep = frame.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in night)).select(
        pl.col(LINE),
        person,
        pl.coalesce(pl.col("end_local").dt.date(), pl.col("date")).alias("date"),
        pl.coalesce(pl.col("start_local").dt.strftime("%Y-%m-%dT%H:%M"), pl.lit("day")).alias(
            "record"
        ),
        pl.col("start_local"),
        pl.col("end_local"),
        (pl.col("asleep_s") / 60).round(0).cast(pl.Int64).alias("asleep_min"),
        (pl.col("in_bed_s") / 60).round(0).cast(pl.Int64).alias("in_bed_min"),
    )
    return Converted(activity, conv.failures, extra={"sleep": sleep})
