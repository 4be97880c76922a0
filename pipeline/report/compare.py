"""`spectrum compare A B`: period B against period A (the reference) in one offline page.

The direction table uses A as the baseline (the same weekly method and labels as the
monthly report); charts overlay the two periods by day of period; coverage sits side by side.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.analysis import PersonDays
from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.period import Period, period_name, period_slug
from pipeline.report import events
from pipeline.report.figure import Figure
from pipeline.report.numbers import fmt
from pipeline.report.options import Options
from pipeline.report.overlay import overlay_plot, overlay_series, spec_of
from pipeline.report.page import Page, default_label, safe_name
from pipeline.report.render import render_period
from pipeline.summary import summary_from_days

# Which period figure each chart's sentence quotes.
CAPTION_METRIC = {
    "steps": "steps_mean",
    "active": "mvpa_min_per_week",
    "sitting": "long_sitting_bouts_per_day",
    "walks": "post_meal_walk_share",
    "carbs": "carbs_g_mean",
    "fiberdensity": "fiber_g_per_1000kcal",
    "refined": "refined_carbs_g_mean",
    "upf": "upf_kcal_share",
    "sleep": "sleep_min_mean",
    "weight": "weight_trend_kg",
    "waist": "waist_cm",
}
UNITS = {
    "steps_mean": " steps per valid day",
    "mvpa_min_per_week": " active minutes per week",
    "long_sitting_bouts_per_day": " sitting stretches per day",
    "post_meal_walk_share": " of meals followed by a walk",
    "carbs_g_mean": " g carbohydrate per logged day",
    "fiber_g_per_1000kcal": " g fibre per 1,000 kcal",
    "refined_carbs_g_mean": " g refined carbohydrate per logged day",
    "upf_kcal_share": " of classified energy ultra-processed",
    "sleep_min_mean": " minutes asleep per night",
    "weight_trend_kg": " kg (smoothed trend at period end)",
    "waist_cm": " cm (mean of waist readings)",
}


def _figure_value(summary: dict, which: str, metric: str) -> float | None:
    d = summary["direction"].get(metric)
    if d is not None:
        return d["baseline"] if which == "a" else d["value"]
    m = summary["reference"]["metrics"] if which == "a" else summary["metrics"]
    return m.get(metric)


def caption(key: str, summary: dict, names: list[str]) -> str:
    metric = CAPTION_METRIC[key]
    a, b = (fmt(metric, _figure_value(summary, w, metric)) for w in ("a", "b"))
    return f"{names[1]}: {b}{UNITS[metric]}; {names[0]}: {a}."


def compare_figures(
    days: PersonDays, summary: dict, a: Period, b: Period, names: list[str], with_notes: bool = True
) -> dict[str, list[Figure]]:
    """A chart per measure, both periods over each other, with the notes that fall in them
    (unless `notes` is False)."""
    notes = days.events if with_notes else None
    spans = [(a.start, a.end, names[0]), (b.start, b.end, names[1])]
    frames = {
        "activity": days.activity,
        "food": days.food,
        "sleep": days.sleep,
        "weight": days.weight,
        "waist": days.waist,
    }
    sa, sb = overlay_series(frames, a), overlay_series(frames, b)
    out: dict[str, list[Figure]] = {"activity": [], "food": [], "sleep": [], "body": []}
    for key in CAPTION_METRIC:
        if sa[key].is_empty() and sb[key].is_empty():
            continue
        spec = spec_of(key)
        plot = overlay_plot(spec, sa[key], sb[key], a, b, names, notes)
        said = caption(key, summary, names)
        if notes is not None:
            said = f"{said} {events.named(notes, spans)}".rstrip()
        out[spec.section].append(Figure(f"compare-{key}", spec.section, plot, said))
    return out


def render_compare(
    days: PersonDays, who: str, a: Period, b: Period, cfg: Config, opts: Options | None = None
) -> str:
    opts = opts or Options()
    summary = summary_from_days(days, who, b, cfg, vs=a)
    names = [period_name(a), period_name(b)]
    if names[0] == names[1]:
        raise DataError(
            f"both periods are {names[0]}; compare two different periods, "
            "e.g. spectrum compare 2026-03 2026-10."
        )
    label = opts.label or default_label(who)
    page = Page(
        label=label,
        period_name=f"{names[1]} vs {names[0]}",
        heading=f"{names[1]} compared with {names[0]}",
        meta=[
            f"{label} · period looked at: {b.start} to {b.end} ({b.days} days); reference: "
            f"{a.start} to {a.end} ({a.days} days)",
            *([opts.about] if opts.about else []),
        ],
        glance_intro=f"Each behaviour in {names[1]}, compared with {names[0]}.",
        paper=opts.paper,
    )
    return render_period(
        page,
        days,
        summary,
        b,
        cfg,
        opts,
        figures=compare_figures(days, summary, a, b, names, opts.notes),
        missing_word="pair of periods",
        columns=[
            (names[0], summary["reference"]["coverage"], summary["reference"]["metrics"]),
            (names[1], summary["coverage"], summary["metrics"]),
        ],
        glance_words=(f"in {names[0]}", f"in {names[1]}"),
        direction_intro=f"Each behaviour in {names[1]} compared with {names[0]}, its baseline.",
    )


def default_output(person: str, a: Period, b: Period, suffix: str = ".html") -> Path:
    name = f"spectrum-{safe_name(person)}-{period_slug(b)}-vs-{period_slug(a)}{suffix}"
    return Path("reports") / name
