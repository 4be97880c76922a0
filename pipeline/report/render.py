"""Render the monthly report: one self-contained HTML file that loads nothing from the network.

Vega, Vega-Lite and vega-embed are inlined once (vl-convert's bundle); each chart is a JSON
spec in its own <script type="application/json">. A Content-Security-Policy forbids every
network request; Vega compiles expressions with `Function`, hence 'unsafe-eval'.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

import jinja2

from pipeline.config import Config
from pipeline.report import charts
from pipeline.store import Store
from pipeline.summary import (
    Period,
    PersonDays,
    baseline_of,
    choose_person,
    person_days,
    summary_from_days,
)
from pipeline.words import DISCLAIMER, LABEL_TEXT, METRIC_LABELS

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
HOW_TO_ADD = {
    "activity": "Add a Fitbit export such as dailyActivity_merged.csv: "
    "spectrum ingest dailyActivity_merged.csv",
    "food": "Add a food log such as Cronometer servings.csv or MyFitnessPal "
    "Nutrition-Summary.csv: spectrum ingest servings.csv",
    "weight": "Add weigh-ins such as Fitbit weightLogInfo_merged.csv or MyFitnessPal "
    "Measurement-Summary.csv: spectrum ingest FILE",
}


@cache
def vega_bundle() -> str:
    import vl_convert

    # "</script" inside the bundle would end the inline script early.
    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


def script_json(obj: object) -> str:
    """JSON safe inside <script>: `<`, `>` and `&` escaped, so no user string can close it."""
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _fmt(key: str, value: float | None) -> str:
    if value is None:
        return "–"
    if key in ("steps_mean", "sedentary_min_mean", "mvpa_min_per_week", "kcal_mean"):
        return f"{value:,.0f}"
    if key.endswith("_share"):
        return f"{100 * value:.0f}%"
    return f"{value:,.1f}"


def direction_rows(directions: dict[str, dict]) -> list[dict]:
    rows = []
    for key, d in directions.items():
        ci = d["ci95"]
        rows.append(
            {
                "key": key,
                "label": METRIC_LABELS[key],
                "baseline": _fmt(key, d["baseline"]),
                "value": _fmt(key, d["value"]),
                "delta": "–" if d["delta"] is None else f"{d['delta']:+,.1f}",
                "ci": "–" if ci is None else f"{ci[0]:+,.1f} to {ci[1]:+,.1f}",
                "word": d["label"],
                "text": LABEL_TEXT[d["label"]],
                "note": d["note"],
                "reference": REFERENCES.get(key, ""),
            }
        )
    return rows


def _chart(chart_id: str, chart, description: str) -> dict:
    return {"id": chart_id, "spec": script_json(chart.to_dict()), "description": description}


def chart_blocks(days: PersonDays, summary: dict, period: Period, cfg: Config) -> dict:
    """Charts per section; a section without data gets none (the template says what to add)."""
    base = baseline_of(period, cfg.baseline_months)
    start, end, m0 = base.start, period.end, period.start
    m, cov = summary["metrics"], summary["coverage"]
    window = days.activity.filter(days.activity["date"].is_between(start, end))
    food = days.food.filter(days.food["date"].is_between(start, end))
    weight = days.weight.filter(days.weight["date"].is_between(start, end))
    out: dict[str, list[dict]] = {"activity": [], "food": [], "weight": []}
    if cov["activity_days_with_data"]:
        out["activity"] = [
            _chart(
                "steps",
                charts.steps_chart(window, start, end, m0),
                f"Steps averaged {_fmt('steps_mean', m['steps_mean'])} per valid day this "
                f"month over {cov['activity_valid_days']} valid days.",
            ),
            _chart(
                "active",
                charts.weekly_active_chart(window, start, end, m0, cfg.mvpa_reference_min_per_week),
                f"Moderate-to-vigorous activity came to "
                f"{_fmt('mvpa_min_per_week', m['mvpa_min_per_week'])} minutes per week this "
                f"month; the WHO 2020 reference point is {cfg.mvpa_reference_min_per_week}.",
            ),
        ]
    if cov["food_logged_days"]:
        out["food"] = [
            _chart(
                "carbs",
                charts.carbs_chart(food, start, end, m0),
                f"Per logged day: {_fmt('c', m['carbs_g_mean'])} g carbohydrate, "
                f"{_fmt('f', m['fiber_g_mean'])} g fibre, {_fmt('s', m['sugars_g_mean'])} g "
                "sugars.",
            ),
            _chart(
                "carbfiber",
                charts.carb_fiber_chart(food, start, end, m0),
                f"Carbohydrate to fibre over the month: {_fmt('r', m['carb_fiber_ratio'])} : 1.",
            ),
            _chart(
                "fiberdensity",
                charts.fiber_density_chart(
                    food, start, end, m0, cfg.fiber_reference_g_per_1000kcal
                ),
                f"Fibre density: {_fmt('d', m['fiber_g_per_1000kcal'])} g per 1,000 kcal "
                f"(reference point {cfg.fiber_reference_g_per_1000kcal:g}).",
            ),
        ]
    if cov["weigh_ins"]:
        out["weight"] = [
            _chart(
                "weight",
                charts.weight_chart(weight, start, end, m0),
                f"Smoothed weight at month end: {_fmt('w', m['weight_trend_kg'])} kg, "
                f"a change of {_fmt('w', m['weight_trend_change_kg'])} kg over the month.",
            )
        ]
    return out


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
            sections=chart_blocks(days, summary, period, cfg),
            how_to_add=HOW_TO_ADD,
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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
