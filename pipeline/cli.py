"""The command line. The only module that imports click; heavy libraries load inside commands
so that `spectrum --help` answers at once."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from pipeline.errors import DataError
from pipeline.paths import default_store


class SpectrumGroup(click.Group):
    """Turns a DataError into one `Error: ...` line and exit 1 (a traceback with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DataError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(str(exc)) from None
        except (
            click.ClickException,
            click.exceptions.Exit,
            click.exceptions.Abort,
            BrokenPipeError,  # `spectrum ... | head`: the reader left; not an error
        ):
            raise
        except Exception as exc:  # a bug, not the user's fault: still one line unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc}. Run again with --debug to see where, "
                "and report it."
            ) from None


def _store(ctx: click.Context):
    from pipeline.store import Store

    return Store(ctx.obj["store"])


def _config(ctx: click.Context):
    from pipeline.config import load_config

    return load_config(ctx.obj["store"])


def _say(message: str, as_json: bool) -> None:
    # with --json, stdout carries JSON only
    click.echo(message, err=as_json)


def _progress(items):
    """A progress bar over files on a terminal; nothing when output is piped."""
    items = list(items)
    if len(items) < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label="Reading", file=sys.stderr) as bar:
        yield from bar


@click.group(cls=SpectrumGroup)
@click.version_option(package_name="spectrum")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SPECTRUM_STORE",
    help="Folder of the local store (default: env SPECTRUM_STORE, else your data folder).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, store: Path | None, debug: bool) -> None:
    """spectrum: the direction you are moving in, from your own wearable and food-log exports.

    Everything stays on this machine. spectrum describes behaviours and their direction;
    it does not diagnose anything.

    Example:

        spectrum ingest dailyActivity_merged.csv servings.csv

        spectrum report --month 2026-10
    """
    ctx.ensure_object(dict)
    ctx.obj["store"] = store or default_store()
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--person", help="Whose data this is (default: the file's own ids, else 'me').")
@click.option("--format", "fmt", metavar="NAME", help="Skip detection (see 'spectrum formats').")
@click.option("--strict", is_flag=True, help="Any invalid row: exit 1 and write nothing.")
@click.option(
    "--weight-unit",
    type=click.Choice(["kg", "lb"]),
    default="kg",
    show_default=True,
    help="Unit of weights in exports that do not say (MyFitnessPal).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
@click.pass_context
def ingest(ctx, paths, person, fmt, strict, weight_unit, as_json) -> None:
    """Read export files (or folders of them) into the store.

    The format is detected from each file's header. Rows that fail validation are kept in
    quarantine with file, line and reason; good rows are stored. Ingesting the same file
    again changes nothing.

    Example:

        spectrum ingest ~/Downloads/servings.csv --person alex
    """
    from pipeline import ingest as ingest_mod
    from pipeline import sources
    from pipeline.sources._parse import ReadOptions

    if fmt is not None and fmt not in sources.BY_NAME:
        raise click.BadParameter(
            f"'{fmt}' is not a format; choose from {', '.join(sources.BY_NAME)}.",
            param_hint="--format",
        )
    opts = ReadOptions(person=person, weight_unit=weight_unit)
    result = ingest_mod.ingest(_store(ctx), list(paths), fmt, opts, strict, _progress)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in result.reports], indent=2))
    for r in result.reports:
        span = f"{r.first_date} to {r.last_date}" if r.first_date else "no dates"
        who = r.persons[0] if len(r.persons) == 1 else f"{len(r.persons)} people"
        who = who if r.persons else "no rows"
        stored = f"{r.rows_accepted} stored" + (f" as {r.stored_as}" if r.stored_as else "")
        ignored = f", {r.rows_ignored} ignored (not used by spectrum)" if r.rows_ignored else ""
        _say(
            f"{r.file}: {r.format}, {r.rows_read} rows read, {stored}, "
            f"{r.rows_quarantined} quarantined{ignored} ({span}; {who})",
            as_json,
        )
    for path in result.skipped:
        _say(f"{path}: skipped, not a format spectrum reads (see 'spectrum formats')", as_json)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)


def _period(month: str | None, start, end):
    from pipeline.summary import Period, month_period

    if month and (start or end):
        raise click.UsageError("give either --month or --from/--to, not both.")
    if month:
        try:
            return month_period(month)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--month") from None
    if not (start and end):
        raise click.UsageError("give --month YYYY-MM, or both --from DATE and --to DATE.")
    if end < start:
        raise click.BadParameter("--to is before --from.", param_hint="--to")
    return Period(start.date(), end.date())


@cli.command()
@click.option("--month", metavar="YYYY-MM", help="A calendar month.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option("--person", help="Whose summary (default: the only person in the store).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@click.pass_context
def summary(ctx, month, start, end, person, as_json) -> None:
    """Metrics for a period and their direction against your previous three months.

    Example:

        spectrum summary --month 2026-10 --json
    """
    from pipeline.summary import summarize
    from pipeline.textout import summary_text

    result = summarize(_store(ctx), person, _period(month, start, end), _config(ctx))
    click.echo(json.dumps(result, indent=2) if as_json else summary_text(result))


@cli.command()
@click.option("--month", metavar="YYYY-MM", required=True, help="The month to report.")
@click.option("--person", help="Whose report (default: the only person in the store).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write."
)
@click.pass_context
def report(ctx, month, person, output) -> None:
    """Write one self-contained, offline HTML report for a month.

    Default file: reports/spectrum-<person>-<month>.html

    Example:

        spectrum report --month 2026-10 -o october.html
    """
    from pipeline.report.render import write_report

    period = _period(month, None, None)
    path = write_report(_store(ctx), person, period, _config(ctx), output)
    click.echo(f"Wrote {path}")


@cli.command()
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=True, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for the demo's reports.",
)
def demo(out_dir: Path) -> None:
    """Ingest sample_data/ into a fresh temporary store and write the demo's reports.

    Example:

        spectrum demo -o /tmp/spectrum-demo
    """
    from pipeline.demo import run_demo

    for path in run_demo(out_dir):
        click.echo(str(path))


@cli.command()
def formats() -> None:
    """List the supported exports, the table each feeds and how to export it.

    Example:

        spectrum formats
    """
    from pipeline import sources

    for s in sources.SOURCES:
        click.echo(f"{s.NAME}  ->  {s.TABLE}\n  {s.TITLE}\n  How: {s.HOW_TO_EXPORT}\n")


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--carbs", type=click.FloatRange(min=0), help="Grams of carbohydrate in the serving (optional)."
)
@click.option(
    "--fiber", type=click.FloatRange(min=0), help="Grams of fibre in the serving (optional)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@click.pass_context
def classify(ctx, names, carbs, fiber, as_json) -> None:
    """Show how food names are classified (refined carbohydrate, ultra-processed) and why.

    Each label is true, false or unknown; the rule that decided it is named. Your own rules
    in config.toml ([food_rules]) come before the built-in ones.

    Example:

        spectrum classify "Bread, white, commercial" "Hafer Flocken" --json
    """
    from pipeline.food_rules import load_rules
    from pipeline.metrics.food_class import classify as decide

    rules = load_rules(_config(ctx).food_rules)
    decisions = [decide(name, rules, carbs, fiber).as_dict() for name in names]
    if as_json:
        click.echo(json.dumps(decisions, indent=2, ensure_ascii=False))
        return
    shown = {True: "yes", False: "no", None: "unknown"}
    for d in decisions:
        click.echo(
            f"{d['name']}: refined {shown[d['refined']]}, "
            f"ultra-processed {shown[d['ultra_processed']]} ({d['rule']})"
        )


@cli.command("config")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@click.pass_context
def config_cmd(ctx, as_json) -> None:
    """Print the effective settings and where each came from (default or config.toml).

    Settings live in config.toml in the store folder; each line says what the key means.

    Example:

        spectrum config
    """
    from pipeline.config import describe

    rows = describe(ctx.obj["store"])
    if as_json:
        out = {r["key"]: {"value": r["value"], "source": r["source"]} for r in rows}
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"Settings for the store at {ctx.obj['store']} (file: config.toml)")
    width = max(len(r["key"]) for r in rows)
    for r in rows:
        click.echo(f"  {r['key']:<{width}}  {r['shown']}  ({r['source']}): {r['help']}")


def main() -> None:
    try:
        cli(prog_name="spectrum")
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at /dev/null
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    sys.exit(main())
