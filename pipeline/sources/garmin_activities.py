"""Garmin Connect `Activities.csv` (the activity list's "Export CSV"): one row per activity,
headers in the account's language, the column set as the list view had it.

Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,...
Running,2022-04-16 13:33:48,false,"Eugene Running","6.09","766","01:12:28","152","170",...

- `--` is a figure the activity has not (null, never 0); numbers may carry thousands commas
  ("1,079"); durations are `hh:mm:ss`, `h:mm:ss.s` or `mm:ss`. The start is local wall time.
- Distance has no unit in the header: km or miles by the account's setting. The file says
  which through stride length (always metres): steps x stride, or cadence x stride x time,
  is about 1,000 m per km but about 1,609 m per mile. Where no row has those figures,
  distances are read as km and a warning says so. Swimming and rowing distances are
  written in metres whatever the setting ("Indoor Rowing ... 6,242"); a pool set in yards
  is read as metres too (9% long).
- A copy re-saved by a spreadsheet (Excel) is told: its dates read `5/7/2020 9:13` (month
  first unless a day above 12 shows day first; seconds lost) and a duration with tenths of
  a second was cut to `mm:ss.s` with its hours lost (`07:07.2`): that workout is stored
  with its duration unknown, and the cut value kept in the quarantine as a record.
"""

from __future__ import annotations

import polars as pl

from pipeline.sources._csv import LINE
from pipeline.sources._parse import Converted, ReadOptions, convert, number, text

NAME = "garmin_activities"
TABLE = "workouts"
TITLE = "Garmin Connect activities (Activities.csv)"
HOW_TO_EXPORT = (
    "Garmin Connect web: Activities > All Activities, scroll down until every activity you "
    "want is listed, then Export CSV (top right); ingest Activities.csv."
)
MILE_KM = 1.609344

# Header names per role, in English, German, Danish, French, Spanish and Dutch (Italian where
# known). Where each comes from:
# - English: the three real files in shared/real_exports/garmin (2019, 2022, 2023-2025).
# - Danish: a real export's header quoted in shared/reference/formats.md.
# - German: headers quoted in public Garmin-CSV readers on GitHub (two generations:
#   "Ø HF" / "Ø Herzfrequenz", "Zeit in Bewegung", "Verstrichene Zeit", "Schritte").
# - French: a public project's header constant from a French account ("Durée" is the
#   activity time there; "Temps" is kept as the brief's older wording).
# - Spanish: public parser tests ("Tipo de actividad,Fecha,Título,Distancia,Calorías,Tiempo,
#   Frecuencia cardiaca media" and the shorter "FC media").
# - Dutch: column names of a public loader for Dutch exports (Activiteittype, Datum, Afstand,
#   Calorieen, Tijd, Gem_HS, Gem_staplengte, Verstreken_tijd), spelled as Garmin writes them.
# Names not seen in any file are marked "unverified".
ALIASES = {
    "type": (
        "Activity Type",
        "Aktivitätstyp",
        "Aktivitetstype",
        "Type d'activité",
        "Tipo de actividad",
        "Activiteittype",
        "Tipo di attività",  # unverified
    ),
    "start": ("Date", "Datum", "Dato", "Fecha", "Data"),
    "distance": ("Distance", "Distanz", "Distancia", "Afstand", "Distanza"),
    "kcal": ("Calories", "Kalorien", "Kalorier", "Calorías", "Calorieën", "Calorie"),
    "time": ("Time", "Zeit", "Tid", "Durée", "Temps", "Tiempo", "Tijd", "Tempo"),
    "elapsed": (
        "Elapsed Time",
        "Verstrichene Zeit",
        "Temps écoulé",
        "Tiempo transcurrido",  # unverified
        "Verstreken tijd",
        "Forløbet tid",  # unverified
    ),
    "avg_hr": (
        "Avg HR",
        "Ø HF",
        "Ø Herzfrequenz",
        "Gennemsnitlig puls",
        "Fréquence cardiaque moyenne",
        "Frecuencia cardiaca media",
        "FC media",
        "Gem. HS",
        "Gemiddelde hartslag",  # unverified
    ),
    # read only to tell km from miles (see `metres_per_unit`)
    "stride": (
        "Avg Stride Length",
        "Ø Schrittlänge",
        "Gennemsnitlig skridtlængde",
        "Longueur moyenne des foulées",
        "Gem. staplengte",
        "Longitud media de zancada",  # unverified
    ),
    "cadence": (
        "Avg Run Cadence",
        "Ø Schrittfrequenz (Laufen)",
        "Gennemsnit kadence løb",
        "Cadence de course moyenne",
        "Cadencia de carrera media",  # unverified
        "Gem. loopcadans",  # unverified
    ),
    "steps": ("Steps", "Schritte", "Skridt", "Pas", "Pasos", "Stappen"),
}
REQUIRED = {"Activity Type", "Date", "Time"}  # the English names, for "closest format" hints

# swimming and rowing distances are pool/erg metres ("Indoor Rowing ... 6,242")
METRES_TYPES = (
    r"(?i)swim|schwimm|svøm|natation|natación|zwem|nuoto|rowing|rudern|roning|aviron|"
    r"\bremo\b|roeien|canottaggio"
)
MISSING = r"^\s*--(:--)*\s*$"  # "--", "--:--:--" (Moving Time of an activity without one)
SPREADSHEET_DATE = r"^\s*(\d{1,2})/(\d{1,2})/(\d{4}) \d{1,2}:\d{2}(:\d{2})?\s*$"
CUT_DURATION = r"^\s*\d{1,2}:\d{2}\.\d+\s*$"  # "07:07.2": Excel's mm:ss.0, hours dropped


def find(columns: list[str], role: str) -> str | None:
    return next((c for c in columns if c in ALIASES[role]), None)


def detect(columns: list[str]) -> bool:
    core = all(find(columns, r) for r in ("type", "start", "time"))
    return core and bool(find(columns, "distance") or find(columns, "kcal"))


def number_with_commas(e: pl.Expr) -> pl.Expr:
    # "1,079" (thousands comma, quoted) -> 1079; "5,25" is no number Garmin writes: it fails
    e = e.str.strip_chars()
    grouped = e.str.contains(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
    return number(pl.when(grouped).then(e.str.replace_all(",", "")).otherwise(e))


def duration(e: pl.Expr) -> pl.Expr:
    """Minutes of "01:12:28", "0:30:05", "00:07:43.2" or "35:20" (minutes:seconds)."""
    e = e.str.strip_chars()
    hms = e.str.extract_groups(r"^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")
    ms = e.str.extract_groups(r"^(\d+):([0-5]?\d(?:\.\d+)?)$")

    def part(groups: pl.Expr, i: str) -> pl.Expr:
        return groups.struct.field(i).cast(pl.Float64, strict=False)

    return pl.coalesce(
        part(hms, "1") * 60 + part(hms, "2") + part(hms, "3") / 60,
        part(ms, "1") + part(ms, "2") / 60,
    )


def _datetime_parser(day_first: bool):
    spreadsheet = "%d/%m/%Y %H:%M" if day_first else "%m/%d/%Y %H:%M"

    def datetime(e: pl.Expr) -> pl.Expr:
        # "2022-04-16 13:33:48" (Garmin), "5/7/2020 9:13" (a spreadsheet's copy)
        e = e.str.strip_chars()
        return pl.coalesce(
            e.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False),
            e.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False),
            e.str.strptime(pl.Datetime("us"), spreadsheet + ":%S", strict=False),
            e.str.strptime(pl.Datetime("us"), spreadsheet, strict=False),
        )

    return datetime


def _spreadsheet_dates(raw: pl.DataFrame, col: str | None) -> tuple[int, bool, bool]:
    """(cells written like 5/7/2020 9:13, whether a day above 12 comes first, whether the
    order is unknown because no day is above 12)."""
    if col is None:
        return 0, False, False
    parts = raw.select(pl.col(col).str.extract_groups(SPREADSHEET_DATE).alias("g")).unnest("g")
    parts = parts.select(a=pl.col("1").cast(pl.Int64), b=pl.col("2").cast(pl.Int64)).drop_nulls()
    first_big, second_big = (parts["a"] > 12).any(), (parts["b"] > 12).any()
    return parts.height, bool(first_big and not second_big), not (first_big or second_big)


def metres_per_unit(raw: pl.DataFrame, distance: pl.Series, minutes: pl.Series) -> float | None:
    """Median metres per distance unit, from stride length (m) x steps, or x cadence x time:
    about 1,000 for km, 1,609 for miles; None when no row has the figures."""
    cols = raw.columns

    def col(role: str) -> pl.Expr:
        src = find(cols, role)
        return number_with_commas(pl.col(src)) if src else pl.lit(None, pl.Float64)

    est = raw.select(
        metres=pl.coalesce(
            col("steps") * col("stride"), col("cadence") * col("stride") * pl.lit(minutes)
        ),
        dist=pl.lit(distance),
    ).filter((pl.col("dist") > 0) & (pl.col("metres") > 0))
    return est.select((pl.col("metres") / pl.col("dist")).median()).item() if est.height else None


def _unit(raw: pl.DataFrame, distance: pl.Series, minutes: pl.Series) -> tuple[float, str | None]:
    """(km per distance unit, a warning when the unit is not shown by the file)."""
    ratio = metres_per_unit(raw, distance, minutes)
    if ratio is not None and 850 <= ratio <= 1250:
        return 1.0, None
    if ratio is not None and 1350 <= ratio <= 1900:
        return MILE_KM, None
    if not (distance.drop_nulls() > 0).any():
        return 1.0, None
    why = (
        "no row has the stride length that would tell km from miles"
        if ratio is None
        else f"the stride lengths give {ratio:,.0f} m per unit, neither km nor miles"
    )
    return 1.0, (
        f"distances were read as km: Garmin writes no unit, and {why}; if your Garmin "
        "account shows miles, these distances are 1.6 times too short"
    )


def _cut_durations(raw: pl.DataFrame, cols: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A spreadsheet's mm:ss.s durations (hours lost) set unknown, and the record of them."""
    cut = {c: pl.col(c).str.contains(CUT_DURATION).fill_null(False) for c in cols}
    nulled = pl.concat(
        [
            raw.filter(is_cut).select(
                pl.col(LINE),
                column=pl.lit(c),
                check=pl.lit("duration_cut_by_spreadsheet"),
                value=pl.col(c),
            )
            for c, is_cut in cut.items()
        ]
    )
    cleared = raw.with_columns(
        pl.when(is_cut).then(None).otherwise(pl.col(c)).alias(c) for c, is_cut in cut.items()
    )
    return cleared, nulled


def read(raw: pl.DataFrame, opts: ReadOptions) -> Converted:
    cols = raw.columns
    # "--" is a figure the activity has not: unknown, not a cell that fails
    raw = raw.with_columns(
        pl.when(pl.col(c).str.contains(MISSING)).then(None).otherwise(pl.col(c)).alias(c)
        for c in cols
        if c != LINE
    )
    start = find(cols, "start")
    sheet_dates, day_first, order_unknown = _spreadsheet_dates(raw, start)
    times = [c for c in (find(cols, "time"), find(cols, "elapsed")) if c]
    nulled = None
    if sheet_dates and times:
        raw, nulled = _cut_durations(raw, times)
    conv = convert(
        raw,
        {
            # Running,2022-04-16 13:33:48,false,"Eugene Running","6.09","766","01:12:28","152",...
            "type": (find(cols, "type"), text),  # "Running", "Løb", "Indoor Rowing"
            "start_local": (start, _datetime_parser(day_first)),  # or "5/7/2020 9:13"
            "distance_raw": (find(cols, "distance"), number_with_commas),  # "6.09", "6,242" m
            "kcal": (find(cols, "kcal"), number_with_commas),  # "766", "1,079"
            "time_min": (find(cols, "time"), duration),  # "01:12:28", "0:30:05"
            "elapsed_min": (find(cols, "elapsed"), duration),  # "01:12:28", absent in 2019
            "avg_hr": (find(cols, "avg_hr"), number_with_commas),  # "152", "--"
        },
    )
    frame = conv.frame
    minutes = frame.select(pl.coalesce("time_min", "elapsed_min")).to_series()
    good = raw.join(frame.select(LINE), on=LINE, how="semi")
    km_per_unit, unit_warning = _unit(good, frame["distance_raw"], minutes)
    in_metres = pl.col("type").str.contains(METRES_TYPES).fill_null(False)
    frame = frame.with_columns(
        person=pl.lit(opts.person or "me"),
        duration_min=minutes,
        distance_km=pl.when(in_metres)
        .then(pl.col("distance_raw") / 1000)
        .otherwise(pl.col("distance_raw") * km_per_unit),
    ).drop("distance_raw", "time_min", "elapsed_min")
    warnings = [unit_warning] if unit_warning else []
    if nulled is not None:  # recorded only where the workout's duration stayed unknown
        unknown = frame.filter(pl.col("duration_min").is_null()).select(LINE)
        nulled = nulled.join(unknown, on=LINE, how="semi").unique(LINE, keep="first").sort(LINE)
    if sheet_dates:
        example = raw.filter(pl.col(start).str.contains(SPREADSHEET_DATE))[start][0].strip()
        warnings.append(_spreadsheet_warning(example, day_first, order_unknown, nulled))
    return Converted(frame, conv.failures, 0, tuple(warnings), nulled)


def _spreadsheet_warning(
    example: str, day_first: bool, order_unknown: bool, nulled: pl.DataFrame | None
) -> str:
    order = "day/month/year" if day_first else "month/day/year"
    if order_unknown:
        order += " (no day above 12 shows the order; US spreadsheets write the month first)"
    said = (
        f"this file was re-saved by a spreadsheet (dates like {example}): start times were "
        f"read as {order}, to the minute (the seconds are lost)"
    )
    if nulled is not None and nulled.height:
        said += (
            f"; {nulled.height} duration(s) the spreadsheet cut to minutes:seconds, losing "
            f"the hours (e.g. {nulled['value'][0].strip()}), are stored as unknown"
        )
    return said + "; export Activities.csv again from Garmin Connect for exact figures"
