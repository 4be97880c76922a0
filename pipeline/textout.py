"""Plain-text rendering of a summary for the terminal."""

from __future__ import annotations

from pipeline.words import LABEL_TEXT, METRIC_LABELS, TARGET_LABELS


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _metric_lines(metrics: dict) -> list[str]:
    lines = []
    for key, value in metrics.items():
        if key == "consistency":
            for target, share in value.items():
                lines.append(f"  {TARGET_LABELS[target]:<50} {_fmt(share):>10}")
        elif key == "week_streaks":
            for target, s in value.items():
                text = f"{s['weeks_met']} of {s['weeks']} weeks, best run {s['longest_streak']}"
                lines.append(f"  {'Weeks on target: ' + target:<50} {text:>10}")
        else:
            lines.append(f"  {METRIC_LABELS.get(key, key):<50} {_fmt(value):>10}")
    return lines


def summary_text(result: dict) -> str:
    p, cov = result["period"], result["coverage"]
    lines = [
        f"spectrum summary for {result['person']}, {p['start']} to {p['end']}",
        f"Coverage: {cov['activity_valid_days']} valid activity days and "
        f"{cov['food_logged_days']} logged food days of {cov['days_in_period']}; "
        f"{cov['sleep_nights']} nights with sleep; {cov['weigh_ins']} weigh-ins; "
        f"{cov['waist_readings']} waist readings. Sources: {', '.join(cov['sources']) or 'none'}.",
        "",
        "Metrics:",
        *_metric_lines(result["metrics"]),
    ]
    if result["notes"]:
        lines += ["", "Notes:"]
        lines += [f"  {key}: {why}" for key, why in result["notes"].items()]
    lines += ["", "Direction, compared with your own last three months:"]
    for key, d in result["direction"].items():
        text = LABEL_TEXT[d["label"]]
        note = f" ({d['note']})" if d["note"] else ""
        lines.append(
            f"  {METRIC_LABELS.get(key, key):<50} {_fmt(d['baseline']):>10} -> "
            f"{_fmt(d['value']):>10}  {text}{note}"
        )
    return "\n".join(lines)
