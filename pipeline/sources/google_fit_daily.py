"""Google Fit Takeout `Daily activity metrics.csv`: one row per local day, holding the day's
activity and, on days with a weigh-in, the day's average weight.

Date,Average weight (kg),...,Calories (kcal),Heart Points,Heart Minutes,...,Step count,
  Distance (m),...,Move Minutes count,...,Inactive duration (ms),Walking duration (ms),...
2018-04-03,72.0,72.0,72.0,1484.9,7.0,7,...,1627,852.1890783309937,...,19,,17532243,1236016,...

The column set and order follow the data the user has (activity-type durations appear only
for activities they did) and the account's language: columns are found by name through an
alias table, never by position. A line feeds `activity_daily` when it holds any activity
figure and `body` when it holds a weight; a line with neither (only calories) feeds nothing
and is counted as ignored.

Decisions (METRICS.md):
- `Calories (kcal)` is the day's TOTAL energy (resting included: 1473.25 kcal on days with
  no steps at all), not active energy: active_kcal stays unknown.
- `Heart Minutes` are minutes of moderate-or-vigorous activity: stored as moderate_min with
  vigorous_min unknown, so that moderate + vigorous (what mvpa counts) is exact. `Heart
  Points` (1 a moderate minute, 2 a vigorous one) are not minutes and are not used, not even
  when Heart Minutes is absent.
- `Move Minutes count` counts every moving minute, light ones included, overlapping Heart
  Minutes: not stored (light_min would count the moderate minutes twice).
- `Inactive duration (ms)` is the time the phone or watch saw the person still (sleep
  included, as in Fitabase's SedentaryMinutes): sedentary_min, in whole minutes. There is
  no wear figure (wear_min unknown): a day is valid by its steps.
- `Average weight (kg)` is the day's mean weigh-in without a clock time: one body row at
  00:00 of that day (the start of the day: a time that never moves it to another day and
  claims no time of weighing). Max/Min weight are not used.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._csv import LINE
from pipeline.sources._parse import Converted, ReadOptions, convert, integer, iso_date, number

NAME = "google_fit_daily"
TABLE = "activity_daily"
TITLE = "Google Fit daily activity metrics (Daily activity metrics.csv)"
HOW_TO_EXPORT = (
    "takeout.google.com: select Fit, export; the zip holds Takeout/Fit/Daily activity "
    "metrics/Daily activity metrics.csv (ingest that file, not the one-per-day files)."
)
EXTRA_TABLES = ("body",)

# English as exported (kaustubhgupta/google-fit-data-analysis, real_exports); German from a
# public generator that copies a German Takeout header ("Schrittzahl", "Kardiominuten",
# "Distanz (m)", "Durchschnittsgewicht (kg)", "Anzahl der Aktivitätsminuten"); Spanish from a
# public schema comment quoting a Spanish Takeout ("Fecha", "Recuento de pasos", "Distancia
# (m)", "Peso medio (kg)", "Recuento de Minutos Activos", "<actividad> duración (ms)") and a
# dashboard using "Minutos de cardio"/"Puntos Cardio". French follows the French app's words
# ("Nombre de pas", "Minutes cardio", "Points cardio", "Poids moyen (kg)"): no French export
# was seen. "Datum" and "Inactivo duración (ms)" are inferred from each language's pattern;
# no German or French name of the inactive duration was found: there sedentary_min stays
# unknown until one is seen.
ALIASES = {
    "date": ("Date", "Datum", "Fecha"),
    "steps": ("Step count", "Schrittzahl", "Recuento de pasos", "Nombre de pas"),
    "distance": ("Distance (m)", "Distanz (m)", "Distancia (m)"),
    "heart_minutes": ("Heart Minutes", "Kardiominuten", "Minutos de cardio", "Minutes cardio"),
    "heart_points": (
        "Heart Points",
        "Kardiopunkte",
        "Puntos cardio",
        "Puntos Cardio",
        "Points cardio",
    ),
    "move_minutes": (
        "Move Minutes count",
        "Anzahl der Aktivitätsminuten",
        "Recuento de Minutos Activos",
        "Minutes actives",
    ),
    "inactive": ("Inactive duration (ms)", "Inactivo duración (ms)"),
    "weight": (
        "Average weight (kg)",
        "Durchschnittsgewicht (kg)",
        "Peso medio (kg)",
        "Poids moyen (kg)",
    ),
}
# Columns only Google Fit writes: a header with a date and two of them is this export.
DISTINCT = ("steps", "heart_minutes", "heart_points", "move_minutes", "weight")
REQUIRED = {"Date", "Step count", "Heart Minutes", "Move Minutes count"}


def _find(columns: list[str], role: str) -> str | None:
    return next((c for c in columns if c in ALIASES[role]), None)


def detect(columns: list[str]) -> bool:
    found = sum(_find(columns, role) is not None for role in DISTINCT)
    return _find(columns, "date") is not None and found >= 2


ACTIVITY = ("steps", "distance_m", "heart_min", "inactive_ms")


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    cols = raw.columns
    conv = convert(
        raw,
        {
            "date": (_find(cols, "date"), iso_date),  # 2018-04-03
            "steps": (_find(cols, "steps"), integer),  # Step count 1627
            "distance_m": (_find(cols, "distance"), number),  # Distance (m) 852.1890783309937
            "heart_min": (_find(cols, "heart_minutes"), integer),  # Heart Minutes 7
            "inactive_ms": (_find(cols, "inactive"), number),  # Inactive duration (ms) 17532243
            "weight": (_find(cols, "weight"), number),  # Average weight (kg) 72.0
        },
    )
    person = pl.lit(opts.person or "me")
    frame = conv.frame
    heart = pl.col("heart_min")
    if _find(cols, "heart_minutes") is not None:
        # Google Fit leaves Heart Minutes empty on a day without any ("2,413 steps, 29 Move
        # Minutes, Heart Minutes empty"): a day it counted steps for had none, 0 not unknown
        heart = pl.when(pl.col("steps").is_not_null()).then(heart.fill_null(0)).otherwise(heart)
    activity = frame.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in ACTIVITY)).select(
        pl.col(LINE),
        person.alias("person"),
        pl.col("date"),
        pl.col("steps"),
        (pl.col("distance_m") / 1000).alias("distance_km"),
        (pl.col("inactive_ms") / 60_000).round(0).cast(pl.Int64).alias("sedentary_min"),
        pl.lit(None, pl.Int64).alias("light_min"),  # Move Minutes overlap Heart Minutes
        heart.alias("moderate_min"),  # moderate or vigorous: see above
        pl.lit(None, pl.Int64).alias("vigorous_min"),
        pl.lit(None, pl.Float64).alias("active_kcal"),  # Calories (kcal) is total energy
        pl.lit(None, pl.Int64).alias("wear_min"),
    )
    body = frame.filter(pl.col("weight").is_not_null()).select(
        pl.col(LINE),
        person.alias("person"),
        pl.col("date").cast(pl.Datetime("us")).alias("ts_local"),  # 00:00 of the day
        pl.col("weight").alias("weight_kg"),
        pl.lit(None, pl.Float64).alias("fat_pct"),
        pl.lit(None, pl.Float64).alias("waist_cm"),
    )
    return Converted(activity, conv.failures, extra={"body": body})
