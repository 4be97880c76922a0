"""Charts as files (`spectrum charts`) and the share bundle (`spectrum share`).

A bundle is for someone else (a coach): the report, every chart as PNG and summary.csv,
with the person named only by a label. Nothing in it names an account, a device, a file
path or this machine.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.csvout import cell, csv_text  # noqa: F401 - cell: callers import it from here
from pipeline.errors import DataError
from pipeline.report import figure as drawn
from pipeline.report.figure import Figure
from pipeline.report.numbers import is_share, places, rounded
from pipeline.report.options import Options
from pipeline.report.render import part_of, part_of_figure
from pipeline.words import LABEL_TEXT, METRIC_LABELS

FORMATS = ("png", "svg", "html")


def chart_bytes(fig: Figure, fmt: str) -> bytes:
    if fmt == "png":
        return drawn.png(fig)
    if fmt == "svg":
        return drawn.svg_file(fig).encode()
    return chart_page(fig, drawn.drawn(fig, "vega"))


def chart_page(fig: Figure, vega_spec: dict) -> bytes:
    """One offline page per chart: the chart library inlined, nothing fetched (its
    Content-Security-Policy forbids it), and the spec as JSON that no string in it can end
    early (a note's "</script>" stays text: figure.script_json)."""
    from html import escape

    from pipeline.report.bundle import vega_bundle
    from pipeline.report.page import CSP

    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{escape(fig.title)}</title></head>
<body><figure><div id="chart"></div><figcaption>{escape(fig.caption)}</figcaption></figure>
<script type="application/json" id="spec">{drawn.script_json(vega_spec)}</script>
<script>{vega_bundle()}</script>
<script>
  const spec = JSON.parse(document.getElementById("spec").textContent);
  new vega.View(vega.parse(spec), {{ renderer: "svg", container: "#chart", hover: true }})
    .runAsync();
</script>
</body></html>
""".encode()


def captions(figures: list[Figure], fmt: str) -> str:
    return "".join(f"{f.file_stem}.{fmt}: {f.title}. {f.caption}\n" for f in figures)


def write_charts(figures: list[Figure], fmt: str, out_dir: Path) -> list[Path]:
    """Every figure as `<section>-<metric>.<fmt>` plus captions.txt in `out_dir`."""
    if not figures:
        raise DataError("no charts to write: the period has no data for any chart.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for fig in figures:
            path = out_dir / f"{fig.file_stem}.{fmt}"
            path.write_bytes(chart_bytes(fig, fmt))
            written.append(path)
        (out_dir / "captions.txt").write_text(captions(figures, fmt), encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot write to {out_dir}: {exc.strerror}; pick another -o.") from exc
    return [*written, out_dir / "captions.txt"]


FOOD_COLUMNS = ("list", "food", "amount", "unit", "entries", "rule")
FOOD_LISTS = {"refined": ("refined carbohydrate", "g"), "upf": ("ultra-processed energy", "kcal")}


def foods_csv(top: dict[str, list[dict]]) -> str:
    """The report's lists of the foods that gave the most refined carbohydrate and the most
    ultra-processed energy (render.top_foods), one row per food."""
    rows = [
        (FOOD_LISTS[kind][0], f["name"], f["amount"].replace(",", ""), FOOD_LISTS[kind][1],
         f["entries"], f["rule"])
        for kind, foods in top.items()
        for f in foods
    ]  # fmt: skip
    return csv_text(FOOD_COLUMNS, rows)


SUMMARY_COLUMNS = (
    "part",
    "metric",
    "name",
    "unit",
    "period_start",
    "period_end",
    "value",
    "baseline_start",
    "baseline_end",
    "baseline",
    "change",
    "ci95_low",
    "ci95_high",
    "direction",
    "note",
)
UNITS = (  # (key contains, unit) first match wins; shares are written as percentages
    ("_share", "%"),
    ("upf_coverage", "%"),
    ("pct_kcal", "% of energy"),
    ("per_1000kcal", "g per 1,000 kcal"),
    ("ratio", "ratio"),
    ("steps", "steps per day"),
    ("per_week", "minutes per week"),
    ("_min_", "minutes per day"),
    ("bouts", "per day"),
    ("kcal", "kcal per day"),
    ("_g_", "g per day"),
    ("_kg", "kg"),
    ("_pct", "%"),
    ("cm", "cm"),
    ("days", "days"),
)


def unit_of(key: str) -> str:
    return next((unit for part, unit in UNITS if part in key), "")


def shown(key: str, value: float | None) -> float | None:
    """A value as the report rounds it; shares as percentages (0-100)."""
    if value is None:
        return None
    if is_share(key):
        return rounded(100 * value, 0)
    return rounded(value, places(key))


def summary_rows(summary: dict, opts: Options) -> list[dict]:
    """One row per period metric (directions beside the metrics that have one)."""
    p, base = summary["period"], summary["baseline_period"]
    rows = []
    scalars = {k: v for k, v in summary["metrics"].items() if not isinstance(v, dict)}
    for key in [*scalars, *(k for k in summary["direction"] if k not in scalars)]:
        part = part_of(key) if not key.endswith("_days") and key != "days_in_period" else ""
        if part and not opts.shows(part):
            continue
        d = summary["direction"].get(key)
        ci = d["ci95"] if d and d["ci95"] else (None, None)
        rows.append(
            {
                "part": part,
                "metric": key,
                "name": METRIC_LABELS.get(key, key),
                "unit": unit_of(key),
                "period_start": p["start"],
                "period_end": p["end"],
                "value": shown(key, d["value"] if d else scalars.get(key)),
                "baseline_start": base["start"] if d else "",
                "baseline_end": base["end"] if d else "",
                "baseline": shown(key, d["baseline"]) if d else None,
                "change": shown(key, d["delta"]) if d else None,
                "ci95_low": shown(key, ci[0]),
                "ci95_high": shown(key, ci[1]),
                "direction": LABEL_TEXT[d["label"]] if d else "",
                "note": (d["note"] or summary["notes"].get(key, "")) if d else "",
            }
        )
    return rows


def summary_csv(summary: dict, opts: Options) -> str:
    rows = summary_rows(summary, opts)
    return csv_text(SUMMARY_COLUMNS, [[r[c] for c in SUMMARY_COLUMNS] for r in rows])


def _entry(name: str) -> zipfile.ZipInfo:
    # a fixed date and plain permissions: the bundle says nothing about when or where
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_bundle(
    path: Path,
    html: str,
    figures: list[Figure],
    summary: dict,
    opts: Options,
    foods: dict[str, list[dict]] | None = None,
    notes: str | None = None,
) -> list[str]:
    """The zip: report.html, charts/*.png, captions.txt, summary.csv, foods.csv when the
    food part is shown (`foods`: render.top_foods), and notes.csv when the person chose to
    share their notes (`notes`: events.as_csv). Returns its names."""
    shown = [f for f in figures if opts.shows(part_of_figure(f))]
    files: dict[str, bytes] = {"report.html": html.encode()}
    files |= {f"charts/{f.file_stem}.png": drawn.png(f) for f in shown}
    files["charts/captions.txt"] = captions(shown, "png").encode()
    files["summary.csv"] = summary_csv(summary, opts).encode()
    if foods is not None and opts.shows("food"):
        files["foods.csv"] = foods_csv(foods).encode()
    if notes is not None:
        files["notes.csv"] = notes.encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w") as z:
            for name, data in files.items():
                z.writestr(_entry(name), data)
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror}; pick another file with -o.") from exc
    return list(files)
