"""Render the monthly report: one self-contained HTML file that loads nothing from the network.

Each chart is drawn twice: as a static SVG made here (it shows with scripts blocked, in print
and in a PDF) and as a compiled Vega spec that the inlined Vega library draws live, as wide
as the page. A Content-Security-Policy forbids every network request; Vega compiles
expressions with `Function`, hence 'unsafe-eval'.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from pipeline import baseline
from pipeline.analysis import PersonDays, person_days
from pipeline.config import Config
from pipeline.metrics import periods
from pipeline.metrics.food_quality import top_refined_foods, top_upf_foods
from pipeline.report import events
from pipeline.report.blocks import chart_blocks
from pipeline.report.figure import Figure, prefetch
from pipeline.report.glance import glance_rows, part_of_behaviour
from pipeline.report.numbers import fmt, pct, signed
from pipeline.report.options import Options
from pipeline.report.page import (
    Page,
    default_label,
    figure_view,
    render,
    safe_name,
    write_text,
)
from pipeline.store import Store
from pipeline.summary import Period, baseline_of, choose_person, summary_from_days, within
from pipeline.words import LABEL_TEXT, METRIC_LABELS, TARGET_LABELS

REFERENCE_POINTS = {
    "mvpa_min_per_week": "150 min/week (WHO 2020)",
    "fiber_g_per_1000kcal": "14 g per 1,000 kcal (US adequate intake)",
    "added_sugar_pct_kcal": "under 10% of energy (WHO 2015, free sugars)",
    "sugars_pct_kcal": "WHO's under-10% point is for free sugars; this is total sugars",
    "steps_mean": "more steps per day are associated with better outcomes (no single cut-off)",
}
SECTION_TITLES = (
    ("activity", "Movement and sitting"),
    ("food", "Carbohydrate quality and fibre"),
    ("sleep", "Sleep"),
    ("body", "Weight and waist"),
    ("glucose", "Glucose"),
)
NOUNS = {"activity": "activity", "food": "food", "sleep": "sleep", "body": "weight or waist",
         "glucose": "glucose"}  # fmt: skip
HOW_TO_ADD = {
    "activity": "Add an activity export (Apple Health export.zip, Fitbit, Garmin, Google Fit, "
    "Oura or Withings): spectrum ingest FILE",
    "food": "Add a food log such as Cronometer servings.csv, MyFitnessPal "
    "Nutrition-Summary.csv or Lose It! food-logs.csv: spectrum ingest FILE",
    "sleep": "Add sleep from Apple Health, Fitbit, Oura or Withings sleep.csv: "
    "spectrum ingest FILE",
    "body": "Add weigh-ins or waist readings (Apple Health, Withings weight.csv, Fitbit, "
    "MyFitnessPal Measurement-Summary.csv or Cronometer biometrics.csv): spectrum ingest FILE",
    "glucose": "Add a Dexcom Clarity or LibreView CSV export: spectrum ingest FILE",
}
FOOD_TABLES = (
    ("refined", "Foods that gave the most refined carbohydrate", "Grams of carbohydrate"),
    ("upf", "Foods that gave the most ultra-processed energy", "kcal"),
)
COVERAGE_ROWS = (  # label, key, the part it belongs to ("" for every report)
    ("Days in the period", "days_in_period", ""),
    ("Days with activity data", "activity_days_with_data", "activity"),
    ("Valid activity days", "activity_valid_days", "activity"),
    ("Days with food logged", "food_days_with_data", "food"),
    ("Fully logged food days", "food_logged_days", "food"),
    ("Partly logged food days (left out)", "food_partial_days", "food"),
    ("Valid days with minute-level steps", "minute_level_days", "activity"),
    ("Days with heart rate", "heart_rate_days", "activity"),
    ("Workouts", "workouts", "activity"),
    ("Valid days with active minutes from workouts", "workout_days", "activity"),
    ("Nights with a sleep record", "sleep_nights", "sleep"),
    ("Weigh-ins", "weigh_ins", "weight"),
    ("Waist readings", "waist_readings", "waist"),
    ("Days with glucose readings", "glucose_days", "glucose"),
)
TABLE_PARTS = {
    "activity_daily": ("activity",),
    "activity_intraday": ("activity",),
    "heart_rate": ("activity",),
    "food_items": ("food",),
    "sleep": ("sleep",),
    "body": ("weight", "waist"),
    "glucose": ("glucose",),
}
TARGET_PARTS = {"steps": "activity", "mvpa": "activity", "fiber_density": "food",
                "added_sugar": "food"}  # fmt: skip


def part_of(metric: str) -> str:
    """Which shareable part a metric belongs to (activity, food, sleep, weight, waist)."""
    if metric in periods.MEASURES:
        return periods.MEASURES[metric].frame
    return "waist" if metric.startswith("waist") else "weight"


def part_of_figure(fig: Figure) -> str:
    return fig.id.removeprefix("compare-") if fig.section == "body" else fig.section


def grouped_notes(notes: dict[str, str], opts: Options) -> list[dict]:
    """One line per reason, naming every metric it applies to."""
    out: dict[str, list[str]] = {}
    for key, why in notes.items():
        target = key.removeprefix("consistency.")
        if key.startswith("consistency."):
            if not opts.shows(TARGET_PARTS[target]):
                continue
            label = TARGET_LABELS[target]
        elif opts.shows(part_of(key)):
            label = METRIC_LABELS[key]
        else:
            continue
        out.setdefault(why, []).append(label)
    return [{"why": why, "labels": labels} for why, labels in out.items()]


def shown_directions(directions: dict[str, dict], opts: Options) -> dict[str, dict]:
    return {k: d for k, d in directions.items() if opts.shows(part_of(k))}


def unmeasured(directions: dict[str, dict]) -> list[str]:
    """Behaviours with no data in either period: named once under the table, not as rows."""
    return [
        METRIC_LABELS[k]
        for k, d in directions.items()
        if d["value"] is None and d["baseline"] is None
    ]


def direction_rows(directions: dict[str, dict]) -> list[dict]:
    rows = []
    for key, d in directions.items():
        if d["value"] is None and d["baseline"] is None:
            continue
        ci = d["ci95"]
        rows.append(
            {
                "key": key,
                "label": METRIC_LABELS[key],
                "baseline": fmt(key, d["baseline"]),
                "value": fmt(key, d["value"]),
                "delta": signed(key, d["delta"]),
                "ci": "–" if ci is None else f"{signed(key, ci[0])} to {signed(key, ci[1])}",
                "word": d["label"],
                "text": LABEL_TEXT[d["label"]],
                "note": d["note"],
                "reference": REFERENCE_POINTS.get(key, ""),
            }
        )
    return rows


def top_foods(days: PersonDays, period: Period) -> dict[str, list[dict]]:
    """The period's foods (logged days) that gave the most refined carbohydrate (g) and the
    most ultra-processed energy (kcal), rounded, with the rule that classified each."""
    logged = within(days.food, period).filter(pl.col("logged")).select("date", "source")
    items = within(days.items, period).join(logged, on=["date", "source"])
    shown = [("refined", top_refined_foods(items)), ("upf", top_upf_foods(items))]
    return {
        kind: [
            {
                "name": f["food_name"],
                "amount": f"{f['amount']:,.0f}",
                "entries": f["entries"],
                # the classifier's own words, made readable ("ultra_processed" -> ...)
                "rule": f["rule"].replace("_", " ").replace("ultra processed", "ultra-processed"),
            }
            for f in foods
        ]
        for kind, foods in shown
    }


def target_rows(metrics: list[dict], cfg: Config, opts: Options) -> list[dict]:
    """One row per target met, with one cell per period (`metrics` of each, in order)."""
    goals = {
        "steps": f"{cfg.steps_target:,} steps",
        "mvpa": f"{cfg.mvpa_target_min_per_day:g} active minutes",
        "fiber_density": f"{cfg.fiber_target_g_per_1000kcal:g} g fibre per 1,000 kcal",
        "added_sugar": f"added sugars under {cfg.added_sugar_target_pct_kcal:g}% of energy",
    }
    return [
        {
            "label": TARGET_LABELS[t],
            "goal": goals[t],
            "cells": [
                {"share": pct(m["consistency"][t]), "weeks": m["week_streaks"][t]} for m in metrics
            ],
        }
        for t in metrics[0]["consistency"]
        if opts.shows(TARGET_PARTS[t])
    ]


def source_titles(summary: dict, opts: Options) -> str:
    from pipeline import sources
    from pipeline.metrics.daily import SPLIT_DAY_SOURCE

    named = {SPLIT_DAY_SOURCE: "Fitbit (Google Takeout)"}
    titles = [
        sources.BY_NAME[s].TITLE if s in sources.BY_NAME else named.get(s, s)
        for s in summary["coverage"]["sources"]
        if s not in sources.BY_NAME
        or any(opts.shows(p) for p in TABLE_PARTS.get(sources.BY_NAME[s].TABLE, ("",)))
    ]
    return ", ".join(titles) if titles else "none in this period"


def section_views(
    figures: dict[str, list[Figure]], opts: Options, live: bool
) -> dict[str, list[dict]]:
    """Figures as the page shows them, per section; sections left out are absent."""
    chosen = {section: [f for f in figs if shown(f, opts)] for section, figs in figures.items()}
    prefetch([f for figs in chosen.values() for f in figs], live)
    return {
        section: [figure_view(f, live) for f in figs]
        for section, figs in chosen.items()
        if shows_section(section, opts)
    }


def shows_section(section: str, opts: Options) -> bool:
    if section == "body":
        return opts.shows("weight") or opts.shows("waist")
    return opts.shows(section)


def shown(fig: Figure, opts: Options) -> bool:
    """Whether the page shows the figure (its section and its part are not left out)."""
    return shows_section(fig.section, opts) and opts.shows(part_of_figure(fig))


def missing_text(period_word: str) -> dict[str, str]:
    return {
        k: f"No {NOUNS[k]} data for this {period_word}. {HOW_TO_ADD[k]} "
        "('spectrum formats' lists every supported export)."
        for k in NOUNS
    }


def period_context(
    days: PersonDays, summary: dict, period: Period, cfg: Config, opts: Options
) -> dict:
    """What the period template needs beyond the page header, for one reported period."""
    directions = shown_directions(summary["direction"], opts)
    return {
        "rows": direction_rows(directions),
        "unmeasured": unmeasured(directions),
        "events": events.listed(events.shown_notes(days.events, events.charted(summary, period)))
        if opts.notes
        else [],
        "left_out": baseline.sentence(summary.get("baseline_left_out"), opts.notes),
        "notes": grouped_notes(summary["notes"], opts),
        "top_foods": top_foods(days, period) if opts.shows("food") else {"refined": [], "upf": []},
        "food_tables": FOOD_TABLES,
        "section_titles": SECTION_TITLES,
        "coverage_rows": [
            (label, key) for label, key, part in COVERAGE_ROWS if not part or opts.shows(part)
        ],
    }


def glance(directions: dict[str, dict], opts: Options, before: str, now: str) -> list[dict]:
    return [
        g for g in glance_rows(directions, before, now) if opts.shows(part_of_behaviour(g["slug"]))
    ]


def render_html(
    days: PersonDays, who: str, period: Period, cfg: Config, opts: Options | None = None
) -> str:
    opts = opts or Options()
    summary = summary_from_days(days, who, period, cfg)
    base = baseline_of(period, cfg.baseline_months)
    month = period.start.strftime("%B %Y")
    label = opts.label or default_label(who)
    page = Page(
        label=label,
        period_name=month,
        heading=f"Your direction in {month}",
        meta=[
            f"{label} · {period.start} to {period.end}, compared with your own last three "
            f"months ({base.start} to {base.end})",
        ],
        glance_intro="Each behaviour this month, compared with your own last three months.",
        paper=opts.paper,
    )
    return render_period(
        page,
        days,
        summary,
        period,
        cfg,
        opts,
        figures=chart_blocks(days, summary, period, cfg, opts.notes, early(opts)),
        missing_word="month",
        columns=[("This month", summary["coverage"], summary["metrics"])],
        glance_words=("over the last three months", "this month"),
        direction_intro="Each behaviour compared with your own last three months.",
        before="Last 3 months",
    )


def early(opts: Options) -> Callable[[Figure], None]:
    """Start drawing each figure the page shows as soon as it is made."""
    live = opts.paper is None
    return lambda fig: prefetch([fig], live) if shown(fig, opts) else None


def render_period(
    page: Page,
    days: PersonDays,
    summary: dict,
    period: Period,
    cfg: Config,
    opts: Options,
    *,
    figures: dict[str, list[Figure]],
    missing_word: str,
    columns: list[tuple[str, dict, dict]],
    glance_words: tuple[str, str],
    direction_intro: str,
    before: str | None = None,
) -> str:
    """The period page (a month, or B against A): `columns` are (name, coverage, metrics)
    of each period shown side by side, the period looked at last."""
    # everything but the charts first: their drawings are being made meanwhile
    context = dict(
        glance=glance(summary["direction"], opts, *glance_words),
        missing=missing_text(missing_word),
        coverage_columns=[(name, cov) for name, cov, _ in columns],
        sources=source_titles(summary, opts),
        targets=target_rows([m for _, _, m in columns], cfg, opts),
        target_columns=[name for name, _, _ in columns],
        before=before or columns[0][0],
        now=columns[-1][0],
        direction_intro=direction_intro,
        **period_context(days, summary, period, cfg, opts),
    )
    sections = section_views(figures, opts, live=opts.paper is None)
    return render("period.html", page, cfg, sections=sections, **context)


def default_output(person: str, period: Period, suffix: str = ".html") -> Path:
    return Path("reports") / f"spectrum-{safe_name(person)}-{period.start:%Y-%m}{suffix}"


def write_report(
    store: Store,
    person: str | None,
    period: Period,
    cfg: Config,
    output: Path | None,
    opts: Options | None = None,
) -> Path:
    from pipeline.summary import reading_span

    who = choose_person(store, person)
    days = person_days(store, who, cfg, reading_span(period, cfg))
    html = render_html(days, who, period, cfg, opts)
    return write_text(output or default_output(who, period), html)
