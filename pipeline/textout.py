"""Plain-text rendering of a summary for the terminal."""

from __future__ import annotations

from pipeline.report.numbers import fmt, pct
from pipeline.words import LABEL_TEXT, METRIC_LABELS, TARGET_LABELS


def _fmt(value: float | int | None, key: str = "") -> str:
    """As the report shows it (steps to 10, grams and minutes to 1, ...), "-" for missing."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    if key == "consistency":
        return pct(value)
    return fmt(key, value)


def _metric_lines(metrics: dict) -> list[str]:
    lines = []
    for key, value in metrics.items():
        if key == "consistency":
            for target, share in value.items():
                lines.append(f"  {TARGET_LABELS[target]:<50} {_fmt(share, key):>10}")
        elif key == "week_streaks":
            for target, s in value.items():
                text = f"{s['weeks_met']} of {s['weeks']} weeks, best run {s['longest_streak']}"
                label = TARGET_LABELS[target].replace("Days", "Weeks", 1)
                lines.append(f"  {label:<50} {text:>10}")
        else:
            lines.append(f"  {METRIC_LABELS.get(key, key):<50} {_fmt(value, key):>10}")
    return lines


def _optional(cov: dict) -> str:
    """The coverage of tables only some people have, when they have them."""
    days, workouts = cov.get("glucose_days", 0), cov.get("workouts", 0)
    return (f"; {workouts} workouts" if workouts else "") + (
        f"; {days} days with glucose readings" if days else ""
    )


def summary_text(result: dict) -> str:
    p, cov = result["period"], result["coverage"]
    lines = [
        f"spectrum summary for {result['person']}, {p['start']} to {p['end']}",
        f"Coverage: {cov['activity_valid_days']} valid activity days and "
        f"{cov['food_logged_days']} logged food days of {cov['days_in_period']}; "
        f"{cov['sleep_nights']} nights with sleep; {cov['weigh_ins']} weigh-ins; "
        f"{cov['waist_readings']} waist readings{_optional(cov)}. "
        f"Sources: {', '.join(cov['sources']) or 'none'}.",
        "",
        "Metrics:",
        *_metric_lines(result["metrics"]),
    ]
    if result["notes"]:
        lines += ["", "Notes:"]
        lines += [f"  {key}: {why}" for key, why in result["notes"].items()]
    ref = result.get("reference")
    against = (
        f"{ref['period']['start']} to {ref['period']['end']}"
        if ref
        else "your own last three months"
    )
    lines += ["", f"Direction, compared with {against}:"]
    if left := result.get("baseline_left_out"):
        from pipeline.baseline import sentence

        lines.append(f"  ({sentence(left)})")
    empty = []
    for key, d in result["direction"].items():
        if d["value"] is None and d["baseline"] is None:
            empty.append(METRIC_LABELS.get(key, key))
            continue
        text = LABEL_TEXT[d["label"]]
        note = f" ({d['note']})" if d["note"] else ""
        lines.append(
            f"  {METRIC_LABELS.get(key, key):<50} {_fmt(d['baseline'], key):>10} -> "
            f"{_fmt(d['value'], key):>10}  {text}{note}"
        )
    if empty:
        lines.append(f"  No data in either period: {', '.join(empty)} (see Notes).")
    return "\n".join(lines)


COHORT_COLUMNS = (  # (metric, column heading): the behaviours a coach scans first
    ("steps_mean", "steps/day"),
    ("mvpa_min_per_week", "MVPA min/wk"),
    ("sedentary_min_mean", "sedentary min"),
    ("fiber_g_per_1000kcal", "fibre g/1000kcal"),
    ("carb_fiber_ratio", "carbs:fibre"),
    ("short_sleep_share", "short nights"),
)
MARKS = {"toward": "+", "away": "-", "steady": "=", "insufficient": "?"}


def _cohort_cell(result: dict, key: str) -> str:
    d = result["direction"].get(key)
    value = d["value"] if d else result["metrics"].get(key)
    return f"{_fmt(value, key)} {MARKS[d['label']] if d else ' '}"


def cohort_text(results: list[dict]) -> str:
    """`summary --all`: one line per person with the key metrics and their directions."""
    width = max([6, *(len(r["person"]) for r in results)])
    heads = [h for _, h in COHORT_COLUMNS]
    sizes = [max(len(h), 12) for h in heads]
    lines = [
        f"{'person':<{width}}  {'days':>9}  "
        + "  ".join(f"{h:>{n}}" for h, n in zip(heads, sizes, strict=True))
    ]
    for r in results:
        if "no_data" in r or "error" in r:
            lines.append(f"{r['person']:<{width}}  {r.get('no_data') or r['error']}")
            continue
        cov = r["coverage"]
        days = f"{cov['activity_valid_days']}/{cov['food_logged_days']}"
        cells = [_cohort_cell(r, key) for key, _ in COHORT_COLUMNS]
        lines.append(
            f"{r['person']:<{width}}  {days:>9}  "
            + "  ".join(f"{c:>{n}}" for c, n in zip(cells, sizes, strict=True))
        )
    lines += [
        "",
        "days: valid activity / logged food days. Direction against each person's own last "
        "three months: + toward the supportive direction, - away, = steady, ? not enough data.",
    ]
    return "\n".join(lines)
