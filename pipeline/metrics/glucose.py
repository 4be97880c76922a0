"""Glucose, described: the day's profile by hour, and how far glucose rose after meals.

Pure polars, no I/O. Nothing here judges a value: no range is called normal or high, no
rise is called anything but a rise (METRICS.md "Words"); the report shows medians and spreads.

- Profile: the median and the middle half (25th to 75th percentile, linear interpolation) of
  the readings by hour of day. Only the sensor's automatic readings count when there are
  any: scans and finger-prick strips are taken at moments a person chooses (often after a
  meal), which would tilt an hour's median.
- Rise after a meal: the highest reading in the `WINDOW_MIN` (120) minutes after the meal's
  start minus the reading at the start or just before it (at most `BEFORE_MIN` = 20 minutes
  before: a 15-minute Libre sensor's readings are 15-16 minutes apart). A meal needs that
  start reading and at least `MIN_READINGS` (4, one per half hour) readings in the window;
  otherwise its rise is unknown, never 0.
- Refined share of a meal: the part of its carbohydrate from foods classified as refined
  (food_quality's refined_carbs_g, summed over the meal's entries): "low" under 1/3, "medium"
  1/3 to under 2/3, "high" 2/3 or more. Meals under `LITTLE_CARBS_G` (10 g) carbohydrate are
  their own group "little" (a share of almost no carbohydrate says little); meals whose
  carbohydrate or refined part is unknown are in no group.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

WINDOW_MIN = 120
BEFORE_MIN = 20
MIN_READINGS = 4
LITTLE_CARBS_G = 10.0
SHARE_GROUPS = ("high", "medium", "low", "little")  # the order the report lists them in


def regular_readings(readings: pl.DataFrame) -> pl.DataFrame:
    """The sensor's automatic readings, or every reading when there are none (strips only)."""
    sensor = readings.filter(pl.col("kind") == "sensor")
    return sensor if sensor.height else readings


def hourly_profile(readings: pl.DataFrame) -> pl.DataFrame:
    """Per hour of day with readings: hour (0-23), readings, median_mg_dl, q1_mg_dl, q3_mg_dl."""
    v = pl.col("mg_dl")
    return (
        regular_readings(readings)
        .group_by(hour=pl.col("ts_local").dt.hour().cast(pl.Int64))
        .agg(
            readings=pl.len(),
            median_mg_dl=v.median(),
            q1_mg_dl=v.quantile(0.25, "linear"),
            q3_mg_dl=v.quantile(0.75, "linear"),
        )
        .sort("hour")
    )


def share_group(carbs: pl.Expr, refined: pl.Expr) -> pl.Expr:
    """ "high"/"medium"/"low" refined share of a meal's carbohydrate, "little" under 10 g."""
    share = refined / carbs
    return (
        pl.when(carbs.is_null() | refined.is_null())
        .then(None)
        .when(carbs < LITTLE_CARBS_G)
        .then(pl.lit("little"))
        .when(share >= 2 / 3)
        .then(pl.lit("high"))
        .when(share >= 1 / 3)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )


def meal_rises(
    meals: pl.DataFrame,
    readings: pl.DataFrame,
    window_min: int = WINDOW_MIN,
    before_min: int = BEFORE_MIN,
    min_readings: int = MIN_READINGS,
) -> pl.DataFrame:
    """One row per meal (person, meal_start, carbs_g, refined_carbs_g from
    intraday.meal_starts): start_mg_dl, peak_mg_dl, readings (in the window), rise_mg_dl
    (null with too few readings) and group (share_group).

    Meant for a report period: every meal meets every reading of its person."""
    r = regular_readings(readings).select("person", "ts_local", "mg_dl").sort("ts_local")
    m = (
        meals.select("person", "meal_start", "carbs_g", "refined_carbs_g")
        .sort("meal_start")
        .with_row_index("meal_id")
    )
    start = m.join_asof(
        r.rename({"mg_dl": "start_mg_dl"}),
        left_on="meal_start",
        right_on="ts_local",
        by="person",
        strategy="backward",
        tolerance=dt.timedelta(minutes=before_min),
        check_sortedness=False,  # sorted by time above; polars cannot check within `by`
    ).drop("ts_local")
    ts, begin = pl.col("ts_local"), pl.col("meal_start")
    after = (
        m.select("meal_id", "person", "meal_start")
        .join(r, on="person")
        .filter((ts > begin) & (ts <= begin + dt.timedelta(minutes=window_min)))
        .group_by("meal_id")
        .agg(peak_mg_dl=pl.col("mg_dl").max(), readings=pl.len())
    )
    enough = pl.col("start_mg_dl").is_not_null() & (pl.col("readings") >= min_readings)
    return (
        start.join(after, on="meal_id", how="left")
        .with_columns(pl.col("readings").fill_null(0).cast(pl.Int64))
        .with_columns(
            rise_mg_dl=pl.when(enough).then(pl.col("peak_mg_dl") - pl.col("start_mg_dl")),
            group=share_group(pl.col("carbs_g"), pl.col("refined_carbs_g")),
        )
        .sort("meal_start", "meal_id")
        .drop("meal_id")
    )


def rise_by_group(rises: pl.DataFrame) -> pl.DataFrame:
    """Per refined-share group with measured meals, in SHARE_GROUPS order: group, meals,
    median_rise_mg_dl, q1_rise_mg_dl, q3_rise_mg_dl."""
    v = pl.col("rise_mg_dl")
    order = pl.DataFrame({"group": SHARE_GROUPS}).with_row_index("order")
    return (
        rises.filter(v.is_not_null() & pl.col("group").is_not_null())
        .group_by("group")
        .agg(
            meals=pl.len(),
            median_rise_mg_dl=v.median(),
            q1_rise_mg_dl=v.quantile(0.25, "linear"),
            q3_rise_mg_dl=v.quantile(0.75, "linear"),
        )
        .join(order, on="group")
        .sort("order")
        .drop("order")
    )
