"""Withings `sleep.csv` (from "Download my data"): one row per night with its stages in
seconds, headers in the account's language.

von,bis,"leicht (s)","tief (s)","rem (s)","wach (s)",Aufwachen,...
2019-12-29T00:26:00+01:00,2019-12-29T09:45:00+01:00,18660,14160,0,720,0,...

Minutes asleep are light + deep + REM; time in bed runs from start to end. Timestamps carry
an offset: they become wall time in the person's time zone (config `time_zone`), and the
night belongs to the local date it ends on.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._parse import Converted, ReadOptions, convert, number, offset_datetime

NAME = "withings_sleep"
TABLE = "sleep"
TITLE = "Withings sleep (sleep.csv)"
HOW_TO_EXPORT = (
    "Withings (Health Mate) web: Profile > Settings > Download my data; the zip holds sleep.csv."
)

ALIASES = {
    "start": ("from", "von", "de", "desde", "da", "van", "fra"),
    "end": ("to", "bis", "à", "hasta", "a", "tot", "til"),
    "light": ("light (s)", "leicht (s)", "léger (s)", "ligero (s)", "leggero (s)", "licht (s)"),
    "deep": ("deep (s)", "tief (s)", "profond (s)", "profundo (s)", "profondo (s)", "diep (s)"),
    "rem": ("rem (s)", "REM (s)"),
}


def _find(columns: list[str], role: str) -> str | None:
    return next((c for c in columns if c in ALIASES[role]), None)


def detect(columns: list[str]) -> bool:
    return all(_find(columns, role) for role in ("start", "end", "light", "deep"))


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    cols = raw.columns

    def wall_time(e: pl.Expr) -> pl.Expr:
        # "2019-12-29T00:26:00+01:00" -> 00:26 in Europe/Berlin, 23:26 in Europe/London
        return offset_datetime(e, opts.time_zone)

    conv = convert(
        raw,
        {
            "start_local": (_find(cols, "start"), wall_time),
            "end_local": (_find(cols, "end"), wall_time),
            "light_s": (_find(cols, "light"), number),
            "deep_s": (_find(cols, "deep"), number),
            "rem_s": (_find(cols, "rem"), number),
        },
    )
    asleep = pl.col("light_s") + pl.col("deep_s") + pl.col("rem_s").fill_null(0)
    frame = conv.frame.with_columns(
        person=pl.lit(opts.person or "me"),
        date=pl.col("end_local").dt.date(),
        record=pl.col("start_local").dt.strftime("%Y-%m-%dT%H:%M"),
        asleep_min=(asleep / 60).round(0).cast(pl.Int64),
        in_bed_min=((pl.col("end_local") - pl.col("start_local")).dt.total_minutes()).cast(
            pl.Int64
        ),
    ).drop("light_s", "deep_s", "rem_s")
    return Converted(frame, conv.failures, conv.ignored, conv.warnings)
