"""At a glance: one row per behaviour, its direction against the person's own baseline and
one plain sentence. Reads finished directions; computes nothing."""

from __future__ import annotations

from pipeline.report.numbers import fmt, signed
from pipeline.words import METRIC_LABELS

# Each behaviour is read from the first of its metrics that has data (sitting stretches need
# minute-level steps; sedentary minutes come from daily exports).
BEHAVIOURS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("movement", "Movement", ("steps_mean", "mvpa_min_per_week")),
    ("sitting", "Sitting", ("long_sitting_bouts_per_day", "sedentary_min_mean")),
    ("walks", "Walks after meals", ("post_meal_walk_share",)),
    ("refined", "Refined carbohydrate", ("refined_carbs_g_mean",)),
    ("fibre", "Fibre", ("fiber_g_per_1000kcal", "carb_fiber_ratio")),
    ("sugars", "Sugars", ("added_sugar_pct_kcal", "sugars_pct_kcal")),
    ("upf", "Ultra-processed share", ("upf_kcal_share",)),
    ("sleep", "Sleep", ("short_sleep_share",)),
    ("weight", "Weight", ("weight_trend_kg",)),
    ("waist", "Waist", ("waist_cm",)),
)
WORDS = {
    "toward": "Toward",
    "away": "Away",
    "steady": "Steady",
    "insufficient": "Not enough data",
}


def _pick(directions: dict[str, dict], keys: tuple[str, ...]) -> str | None:
    present = [k for k in keys if k in directions]
    with_data = [k for k in present if directions[k]["value"] is not None]
    return (with_data or present or [None])[0]


def better(key: str) -> int:
    """+1 where up is supportive, -1 where down is (METRICS.md), 0 where neither."""
    from pipeline.metrics.periods import MEASURES

    if key in MEASURES:
        return MEASURES[key].better
    return -1 if key in ("weight_trend_kg", "waist_cm") else 0


def sentence(key: str, d: dict, before: str, now: str) -> str:
    """One plain sentence for a direction; `before`/`now` name the two periods."""
    label = METRIC_LABELS[key]
    was, is_ = fmt(key, d["baseline"]), fmt(key, d["value"])
    if d["value"] is None and d["baseline"] is None:
        return f"{label}: no data in either period."
    if d["label"] == "insufficient":
        why = d["note"] or "too few weeks with data"
        return f"{label}: {was} {before}, {is_} {now}; not enough data to tell ({why})."
    change = signed(key, d["delta"])
    if d["label"] == "steady":
        small = f" ({d['note']})" if d["note"] else ""
        if change in ("0", "0.0", "0 pts"):  # the change rounds to nothing
            return f"{label}: {was} {before}, {is_} {now}, no change to speak of{small}."
        way = "in the supportive direction" if d["delta"] * better(key) > 0 else "the other way"
        return (
            f"{label}: {was} {before}, {is_} {now} ({change}, {way}), but within your usual "
            f"week-to-week ups and downs{small}."
        )
    way = "in" if d["label"] == "toward" else "away from"
    return (
        f"{label}: {was} {before}, {is_} {now} ({change}), a change larger than your usual "
        f"ups and downs, {way} the supportive direction."
    )


def glance_rows(directions: dict[str, dict], before: str, now: str) -> list[dict]:
    rows = []
    for slug, name, keys in BEHAVIOURS:
        key = _pick(directions, keys)
        if key is None:  # e.g. weight switched off in config
            continue
        d = directions[key]
        measured = d["value"] is not None or d["baseline"] is not None
        rows.append(
            {
                "slug": slug,
                "behaviour": name,
                "key": key,
                "label": d["label"],
                "word": WORDS[d["label"]] if measured else "Not measured",
                "sentence": sentence(key, d, before, now),
            }
        )
    return rows


PARTS_OF_BEHAVIOURS = {
    "movement": "activity",
    "sitting": "activity",
    "walks": "activity",
    "refined": "food",
    "fibre": "food",
    "sugars": "food",
    "upf": "food",
    "sleep": "sleep",
    "weight": "weight",
    "waist": "waist",
}


def part_of_behaviour(slug: str) -> str:
    return PARTS_OF_BEHAVIOURS[slug]
