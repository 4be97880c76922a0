"""Withings `activities.csv` (from "Download my data"): one row per activity the watch or the
app recorded, with its figures in a JSON blob.

von,bis,"from (manual)","to (manual)",Timezone,"Activity type",Data,GPS,Modified
2019-12-28T12:18:00+01:00,2019-12-28T12:40:00+01:00,,,Europe/Berlin,Walking,"{""calories"":107,
  ...,""hr_average"":0,...,""steps"":2225,""distance"":1918,...}",,2019-12-28T14:33:20+01:00

- Start and end carry the offset of where the activity was: they become wall time in the
  person's time zone (config `time_zone`). "from (manual)"/"to (manual)", when filled, are
  the user's corrected times and win.
- Data: `calories` kcal (`manual_calories` wins when above 0), `distance` metres
  (`manual_distance` likewise), `hr_average` bpm where 0 means not measured (unknown).
- A "Multi Sport" row whose Data is `{}` and whose start and end are another row's is the
  wrapper of that activity (every such row in the real file is): counted as ignored.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._parse import Converted, ReadOptions, convert, offset_datetime, text

NAME = "withings_activities"
TABLE = "workouts"
TITLE = "Withings activities (activities.csv)"
HOW_TO_EXPORT = (
    "Withings (Health Mate) web: Profile > Settings > Download my data; the zip holds "
    "activities.csv."
)

# The account's language renames only the first two headers in the real German file
# ("von,bis"; the rest stay English); the start/end names are withings_sleep's.
ALIASES = {
    "start": ("from", "von", "de", "desde", "da", "van", "fra"),
    "end": ("to", "bis", "à", "hasta", "a", "tot", "til"),
    "start_manual": ("from (manual)", "von (manuell)"),
    "end_manual": ("to (manual)", "bis (manuell)"),
    "type": ("Activity type", "Aktivitätstyp"),
    "data": ("Data", "Daten"),
}
REQUIRED = {"from", "to", "Activity type", "Data"}


def find(columns: list[str], role: str) -> str | None:
    return next((c for c in columns if c in ALIASES[role]), None)


def detect(columns: list[str]) -> bool:
    return all(find(columns, r) for r in ("start", "end", "type", "data"))


def json_object(e: pl.Expr) -> pl.Expr:
    # "{""calories"":107,...}" once unquoted: kept as text, its fields read below
    e = e.str.strip_chars()
    return pl.when(e.str.contains(r"^\{.*\}$")).then(e)


def _field(name: str) -> pl.Expr:
    return pl.col("data").str.json_path_match(f"$.{name}").cast(pl.Float64, strict=False)


def _positive(name: str) -> pl.Expr:
    return pl.when(_field(name) > 0).then(_field(name))


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    cols = raw.columns
    start, end, data = find(cols, "start"), find(cols, "end"), find(cols, "data")
    empty = pl.col(data).str.strip_chars().is_in(["{}", ""]) | pl.col(data).is_null()
    wrapper = empty & ((~empty).sum().over(start, end) > 0)
    ignored = raw.filter(wrapper).height
    kept = raw.filter(~wrapper)

    def timestamp(e: pl.Expr) -> pl.Expr:
        return offset_datetime(e, opts.time_zone)

    conv = convert(
        kept,
        {
            # 2019-12-28T12:18:00+01:00,2019-12-28T12:40:00+01:00,,,Europe/Berlin,Walking,...
            "auto_start": (start, timestamp),
            "auto_end": (end, timestamp),
            "manual_start": (find(cols, "start_manual"), timestamp),
            "manual_end": (find(cols, "end_manual"), timestamp),
            "type": (find(cols, "type"), text),  # Walking, "Multi Sport", "Gym class"
            "data": (data, json_object),
        },
    )
    began = pl.coalesce("manual_start", "auto_start")
    ended = pl.coalesce("manual_end", "auto_end")
    frame = conv.frame.with_columns(
        person=pl.lit(opts.person or "me"),
        start_local=began,
        duration_min=(ended - began).dt.total_seconds() / 60,
        kcal=pl.coalesce(_positive("manual_calories"), _field("calories")),
        distance_km=pl.coalesce(_positive("manual_distance"), _field("distance")) / 1000,
        avg_hr=_positive("hr_average"),  # 0: not measured
    ).drop("auto_start", "auto_end", "manual_start", "manual_end", "data")
    return Converted(frame, conv.failures, ignored)
