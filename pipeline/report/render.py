"""Render the monthly report: one self-contained HTML file that loads nothing from the network.

Vega, Vega-Lite and vega-embed are inlined once (vl-convert's bundle); each chart is a JSON
spec in its own <script type="application/json">. A Content-Security-Policy forbids every
network request; Vega compiles expressions with `Function`, hence 'unsafe-eval'.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import jinja2
import polars as pl

from pipeline.analysis import PersonDays, person_days
from pipeline.config import Config
from pipeline.errors import DataError
from pipeline.metrics.food_quality import top_refined_foods, top_upf_foods
from pipeline.report.blocks import chart_blocks
from pipeline.report.numbers import fmt, pct, signed
from pipeline.store import Store
from pipeline.summary import Period, baseline_of, choose_person, summary_from_days, within
from pipeline.words import DISCLAIMER, LABEL_TEXT, METRIC_LABELS, TARGET_LABELS

TEMPLATES = Path(__file__).parent / "templates"
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:"
)
REFERENCES = {
    "mvpa_min_per_week": "150 min/week (WHO 2020)",
    "fiber_g_per_1000kcal": "14 g per 1,000 kcal (US adequate intake)",
    "added_sugar_pct_kcal": "under 10% of energy (WHO 2015, free sugars)",
    "sugars_pct_kcal": "WHO's under-10% point is for free sugars; this is total sugars",
    "steps_mean": "more steps per day are associated with better outcomes (no single cut-off)",
}
NOUNS = {"activity": "activity", "food": "food", "sleep": "sleep", "body": "weight or waist"}
HOW_TO_ADD = {
    "activity": "Add a Fitbit export such as dailyActivity_merged.csv: "
    "spectrum ingest dailyActivity_merged.csv",
    "food": "Add a food log such as Cronometer servings.csv or MyFitnessPal "
    "Nutrition-Summary.csv: spectrum ingest servings.csv",
    "sleep": "Add sleep such as Fitbit sleepDay_merged.csv or minuteSleep_merged.csv: "
    "spectrum ingest sleepDay_merged.csv",
    "body": "Add weigh-ins or waist readings such as Fitbit weightLogInfo_merged.csv, "
    "MyFitnessPal Measurement-Summary.csv or Cronometer biometrics.csv: spectrum ingest FILE",
}


@cache
def vega_bundle() -> str:
    import vl_convert

    # "</script" inside the bundle would end the inline script early.
    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


def grouped_notes(notes: dict[str, str]) -> list[dict]:
    """One line per reason, naming every metric it applies to."""
    out: dict[str, list[str]] = {}
    for key, why in notes.items():
        target = key.removeprefix("consistency.")
        label = TARGET_LABELS[target] if key.startswith("consistency.") else METRIC_LABELS[key]
        out.setdefault(why, []).append(label)
    return [{"why": why, "labels": labels} for why, labels in out.items()]


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
                "reference": REFERENCES.get(key, ""),
            }
        )
    return rows


def top_foods(days: PersonDays, period: Period) -> dict[str, list[dict]]:
    """The month's foods (logged days) that gave the most refined carbohydrate (g) and the
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
                "rule": f["rule"],
            }
            for f in foods
        ]
        for kind, foods in shown
    }


def target_rows(summary: dict, cfg: Config) -> list[dict]:
    m = summary["metrics"]
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
            "share": pct(share),
            "weeks": m["week_streaks"][t],
        }
        for t, share in m["consistency"].items()
    ]


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every string from a user's file is escaped
        undefined=jinja2.StrictUndefined,
    )


def render_html(days: PersonDays, who: str, period: Period, cfg: Config) -> str:
    from pipeline import sources

    summary = summary_from_days(days, who, period, cfg)
    titles = [
        sources.BY_NAME[s].TITLE if s in sources.BY_NAME else s
        for s in summary["coverage"]["sources"]
    ]
    return (
        _environment()
        .get_template("report.html")
        .render(
            csp=CSP,
            cfg=cfg,
            baseline=baseline_of(period, cfg.baseline_months),
            person=who,
            month=period.start.strftime("%B %Y"),
            summary=summary,
            sources=titles,
            rows=direction_rows(summary["direction"]),
            unmeasured=unmeasured(summary["direction"]),
            notes=grouped_notes(summary["notes"]),
            sections=chart_blocks(days, summary, period, cfg),
            top_foods=top_foods(days, period),
            targets=target_rows(summary, cfg),
            how_to_add=HOW_TO_ADD,
            nouns=NOUNS,
            labels=METRIC_LABELS,
            disclaimer=DISCLAIMER,
            generated=dt.date.today().isoformat(),
            bundle=vega_bundle(),
        )
    )


def default_output(person: str, period: Period) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", person)
    return Path("reports") / f"spectrum-{safe}-{period.start:%Y-%m}.html"


def write_report(
    store: Store, person: str | None, period: Period, cfg: Config, output: Path | None
) -> Path:
    who = choose_person(store, person)
    html = render_html(person_days(store, who, cfg), who, period, cfg)
    path = output or default_output(who, period)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror}; pick another file with -o.") from exc
    return path
