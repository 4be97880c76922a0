"""Apple Health: the canonical tables, built from the typed records (all vectorised).

Each builder takes the records (code, source, start, end, value, `_line`, and `rank`: the
source's place in the device priority, lower first) and returns its table's rows with `_line`
(the first line behind a row) and `_n` (the records it stands for). The rules (one device per
day, one source per night, ...) are told in `apple_health`'s docstring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from pipeline import layout
from pipeline.sources._apple_records import ACTIVITY, ASLEEP, BODY, FOOD, K, typed_workouts
from pipeline.sources._apple_xml import Reader
from pipeline.sources._csv import FAILURE_SCHEMA, LINE
from pipeline.sources._food import carbohydrate_checked

N = "_n"
SLEEP_GAP_MIN = 90  # samples of one source less than this apart are one sleep
CGM = re.compile(r"(?i)dexcom|libre|eversense|guardian|medtronic|stelo|lingo|sibionics")
RankOf = Callable[[str | None, str | None], int]  # (source name, device text) -> rank


@dataclass
class Built:
    tables: dict[str, pl.DataFrame]  # canonical table -> rows with `_line` and `_n`
    failures: pl.DataFrame  # workouts' texts that do not parse
    warnings: list[str]
    nulled: pl.DataFrame  # food entries stored with their carbohydrate figures unknown
    aside: int  # activity records of lower-priority devices on the same days


def build(rec: pl.DataFrame, reader: Reader, rank_of: RankOf, name: str) -> Built:
    """Every table from the unique typed records, `ranked`, and the workouts `reader`
    collected."""
    person = reader.opts.person or "me"
    activity, aside = _activity(rec)
    food, warnings, nulled = _food(rec)
    workouts, failures = _workouts(reader, rank_of)
    made = {
        "activity_daily": activity,
        "heart_rate": _heart_rate(rec),
        "sleep": _sleep(rec),
        "body": _by_moment(rec, BODY),
        "food_items": food,
        "glucose": _glucose(rec),
        "workouts": workouts,
    }
    tables = {table: _finish(table, frame, person, name) for table, frame in made.items()}
    return Built(tables, failures, warnings, nulled, aside)


def ranked(frame: pl.DataFrame, devices: dict[str, str | None], rank_of: RankOf) -> pl.DataFrame:
    """`frame` with each source's `rank` (a record without a source ranks as no match)."""
    names = frame["source"].cast(pl.String).unique().drop_nulls().to_list()
    ranks = pl.DataFrame(
        {"source": names, "rank": [rank_of(n, devices.get(n)) for n in names]},
        schema={"source": pl.String, "rank": pl.Int32},
    ).with_columns(pl.col("source").cast(pl.Categorical))
    return frame.join(ranks, on="source", how="left").with_columns(
        pl.col("rank").fill_null(rank_of(None, None))
    )


def _finish(table: str, frame: pl.DataFrame, person: str, name: str) -> pl.DataFrame:
    """The table's canonical columns (file_id is ingest's), `_line` and `_n`, typed."""
    schema = {c: t for c, t in layout.schema(table).items() if c != "file_id"}
    frame = frame.with_columns(person=pl.lit(person), source=pl.lit(name))
    cols = [
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
        for c, t in {**schema, LINE: pl.Int64, N: pl.Int64}.items()
    ]
    return frame.select(cols)


def _counts(frame: pl.DataFrame, *by: str, **named: pl.Expr | str) -> pl.DataFrame:
    """Per group: the first line and the number of records."""
    return frame.group_by(*by, **named).agg(pl.col(LINE).min(), pl.len().alias(N))


def _best(frame: pl.DataFrame, *by: str) -> pl.DataFrame:
    """Per group, the record of the best-ranked source (then by name, then first line)."""
    order = frame.sort("rank", pl.col("source").cast(pl.String), LINE)
    return order.group_by(*by, maintain_order=True).first()


def _named(wide: pl.DataFrame, kinds: tuple[str, ...]) -> pl.DataFrame:
    """A frame pivoted on kind codes, its columns named by kind."""
    names = {str(K[k]): k for k in kinds}
    return wide.rename({c: names[c] for c in wide.columns if c in names})


def _day_order(per: pl.DataFrame) -> pl.DataFrame:
    """(date, source, order): each day's devices, best first: rank, most steps that day,
    then name."""
    steps = (
        per.filter(pl.col("code") == K["steps"])
        .select("date", "source", day_steps="total")
        .unique(["date", "source"])
    )
    return (
        per.select("date", "source", "rank")
        .unique()
        .join(steps, on=["date", "source"], how="left")
        .with_columns(day_steps=pl.col("day_steps").fill_null(0))
        .sort(
            "date",
            "rank",
            pl.col("day_steps"),
            pl.col("source").cast(pl.String),
            descending=[False, False, True, False],
        )
        .with_columns(order=pl.int_range(pl.len()).over("date"))
        .select("date", "source", "order")
    )


def _activity(rec: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """One row per local day from the day's best device (`_day_order`), each measure from the
    best device that has it; (rows, records of other devices set aside)."""
    kinds = [K[k] for k in ACTIVITY]
    acts = rec.filter(pl.col("code").is_in(kinds)).with_columns(date=pl.col("start").dt.date())
    if acts.is_empty():
        return acts, 0
    per = acts.group_by("date", "source", "code").agg(
        total=pl.col("value").sum(), n=pl.len(), rank=pl.col("rank").first()
    )
    chosen = (
        per.join(_day_order(per), on=["date", "source"])
        .sort("order")
        .group_by("date", "code", maintain_order=True)
        .first()
    )
    wide = _named(chosen.pivot("code", index="date", values="total"), ACTIVITY)
    out = _counts(acts, "date").join(wide, on="date", how="left")
    whole = [
        pl.col(k).round(0).cast(pl.Int64) for k in ("steps", "moderate_min") if k in wide.columns
    ]
    aside = acts.height - int(chosen["n"].sum() or 0)
    return out.with_columns(whole).sort("date"), aside


def _heart_rate(rec: pl.DataFrame) -> pl.DataFrame:
    hr = rec.filter(pl.col("code") == K["bpm"])
    return (
        hr.group_by(ts_local=pl.col("start").dt.truncate("1m"))
        .agg(
            bpm=pl.col("value").mean(),
            samples=pl.len(),
            _line=pl.col(LINE).min(),
            _n=pl.len(),
        )
        .sort("ts_local")
    )


def _union(frame: pl.DataFrame, keys: list[str], gap_min: int = 0) -> pl.DataFrame:
    """Intervals (start, end) per `keys` -> merged pieces: (keys, piece, start, end).
    Intervals less than `gap_min` minutes apart join into one piece."""
    gap = pl.duration(minutes=gap_min)
    return (
        frame.sort([*keys, "start"])
        .with_columns(reach=pl.col("end").cum_max().shift(1).over(keys))
        .with_columns(
            piece=(pl.col("reach").is_null() | (pl.col("start") > pl.col("reach") + gap))
            .cum_sum()
            .over(keys)
        )
    )


def _minutes(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    pieces = (
        _union(frame, keys).group_by(*keys, "piece").agg(pl.col("start").min(), pl.col("end").max())
    )
    return pieces.group_by(keys).agg(
        ((pl.col("end") - pl.col("start")).dt.total_seconds().sum() / 60).alias("minutes")
    )


def _sleeps(s: pl.DataFrame) -> pl.DataFrame:
    """Each source's sleeps: its samples less than SLEEP_GAP_MIN apart, with minutes asleep
    (the union of its asleep samples) and in bed (the union of all its samples)."""
    s = _union(s, ["source"], SLEEP_GAP_MIN).rename({"piece": "sleep"}).drop("reach")
    keys = ["source", "sleep"]
    spans = s.group_by(keys).agg(
        start_local=pl.col("start").min(),
        end_local=pl.col("end").max(),
        _line=pl.col(LINE).min(),
        _n=pl.len(),
        rank=pl.col("rank").first(),
    )
    asleep = _minutes(s.filter(pl.col("value") == ASLEEP), keys).rename({"minutes": "asleep"})
    in_bed = _minutes(s, keys).rename({"minutes": "in_bed"})
    return (
        spans.with_columns(date=pl.col("end_local").dt.date())
        .join(asleep, on=keys, how="left")
        .join(in_bed, on=keys, how="left")
    )


def _night_source(spans: pl.DataFrame) -> pl.DataFrame:
    """(date, source) of the source with the most minutes asleep that date (then rank, name)."""
    return (
        spans.group_by("date", "source")
        .agg(total=pl.col("asleep").fill_null(0).sum(), rank=pl.col("rank").first())
        .sort(
            "date",
            "total",
            "rank",
            pl.col("source").cast(pl.String),
            descending=[False, True, False, False],
        )
        .group_by("date", maintain_order=True)
        .first()
        .select("date", "source")
    )


def _sleep(rec: pl.DataFrame) -> pl.DataFrame:
    """One row per sleep of the chosen source of each date (see the module docstring)."""
    s = rec.filter(pl.col("code") == K["sleep"]).with_columns(end=pl.max_horizontal("start", "end"))
    if s.is_empty():
        return s
    spans = _sleeps(s)
    best = _night_source(spans)
    # the other sources' records of that date count in the date's first kept sleep
    aside = spans.join(best, on=["date", "source"], how="anti").group_by("date")
    first = pl.int_range(pl.len()).over("date") == 0
    kept = (
        spans.join(best, on=["date", "source"], how="semi")
        .sort("start_local")
        .join(aside.agg(extra=pl.col(N).sum()), on="date", how="left")
        .with_columns(_n=pl.col(N) + pl.when(first).then(pl.col("extra").fill_null(0)).otherwise(0))
    )
    return kept.select(
        "date",
        record=pl.col("start_local").dt.strftime("%Y-%m-%dT%H:%M"),
        start_local="start_local",
        end_local="end_local",
        asleep_min=pl.col("asleep").fill_null(0).round(0).cast(pl.Int64),
        in_bed_min=pl.col("in_bed").round(0).cast(pl.Int64),
        _line=LINE,
        _n=N,
    ).sort("date", "start_local")


def _by_moment(rec: pl.DataFrame, kinds: tuple[str, ...]) -> pl.DataFrame:
    """One row per moment (start): each measure from the best-ranked source that has it."""
    part = rec.filter(pl.col("code").is_in([K[k] for k in kinds]))
    if part.is_empty():
        return part
    chosen = _best(part, "start", "code").pivot("code", index="start", values="value")
    chosen = _named(chosen, kinds).rename({"start": "ts_local"})
    return _counts(part, ts_local="start").join(chosen, on="ts_local", how="left").sort("ts_local")


def _glucose(rec: pl.DataFrame) -> pl.DataFrame:
    g = rec.filter(pl.col("code") == K["mg_dl"])
    if g.is_empty():
        return g
    sensor = pl.col("source").cast(pl.String).str.contains(CGM.pattern)
    best = _best(g, "start").select(
        ts_local="start",
        mg_dl=pl.col("value").round(1),
        kind=pl.when(sensor).then(pl.lit("sensor")),
    )
    return _counts(g, ts_local="start").join(best, on="ts_local").sort("ts_local")


def _food(rec: pl.DataFrame) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """One entry per app and moment: (entries, warnings, entries whose carbohydrate figures
    are set unknown, as FAILURE_SCHEMA rows)."""
    f = rec.filter(pl.col("code").is_in([K[k] for k in FOOD]))
    f = f.with_columns(pl.col("source").cast(pl.String))
    if f.is_empty():
        return f, [], pl.DataFrame(schema=FAILURE_SCHEMA)
    keys = ["source", "start"]
    sums = f.group_by(*keys, "code").agg(pl.col("value").sum())
    sums = _named(sums.pivot("code", index=keys, values="value"), FOOD)
    entries = (
        _counts(f, *keys)
        .join(sums, on=keys)
        .with_columns(
            [pl.lit(None, pl.Float64).alias(k) for k in FOOD if k not in sums.columns],
            date=pl.col("start").dt.date(),
            time=pl.col("start").dt.time(),
            entry_id=pl.format("{} {}", pl.col("start").dt.strftime("%H:%M:%S"), "source"),
            granularity=pl.lit("item"),
        )
        .sort("start", "source")
    )
    cleared, warnings, nulled = carbohydrate_checked(entries)
    return cleared, warnings, nulled.select(FAILURE_SCHEMA.keys()).cast(FAILURE_SCHEMA)


def _workouts(reader: Reader, rank_of: RankOf) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per start: the best-ranked source's workout; (rows, failures)."""
    if not reader.workouts:
        return pl.DataFrame(), pl.DataFrame(schema=FAILURE_SCHEMA)
    good, failures = typed_workouts(reader.workouts, reader.opts.time_zone)
    good = ranked(good, reader.devices, rank_of)
    cols = ("type", "duration_min", "distance_km", "kcal", "avg_hr")
    best = _best(good, "start_local").select("start_local", *cols)
    rows = _counts(good, "start_local").join(best, on="start_local").sort("start_local")
    return rows, failures
