"""Plain-text rendering of a summary for the terminal."""

from __future__ import annotations

from pipeline.words import LABEL_TEXT, METRIC_LABELS


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def summary_text(result: dict) -> str:
    p, cov = result["period"], result["coverage"]
    lines = [
        f"spectrum summary for {result['person']}, {p['start']} to {p['end']}",
        f"Coverage: {cov['activity_valid_days']} valid activity days and "
        f"{cov['food_logged_days']} logged food days of {cov['days_in_period']}; "
        f"{cov['weigh_ins']} weigh-ins. Sources: {', '.join(cov['sources']) or 'none'}.",
        "",
        "Metrics:",
    ]
    for key, value in result["metrics"].items():
        lines.append(f"  {METRIC_LABELS.get(key, key):<42} {_fmt(value):>10}")
    lines += ["", "Direction, compared with your own last three months:"]
    for key, d in result["direction"].items():
        text = LABEL_TEXT[d["label"]]
        note = f" ({d['note']})" if d["note"] else ""
        lines.append(
            f"  {METRIC_LABELS.get(key, key):<42} {_fmt(d['baseline']):>10} -> "
            f"{_fmt(d['value']):>10}  {text}{note}"
        )
    return "\n".join(lines)
