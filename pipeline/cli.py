"""The command line. The only module that imports click; heavy libraries load inside commands
so that `spectrum --help` answers at once."""

from __future__ import annotations

import contextlib
import json
import os
import re
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
        except BaseException as exc:  # a bug, not the user's fault: one line unless --debug
            # (BaseException: a panic in polars' or deltalake's Rust code is one, too)
            if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
                raise
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc}. Run again with --debug to see where, "
                "and report it."
            ) from None


def _store(ctx: click.Context, write: bool = False):
    """The store, converted from an older layout or recovered from a crash if need be.
    `write`: the command writes to it, which a store on object storage refuses at once
    (before any file is read)."""
    from pipeline.recovery import open_store
    from pipeline.store import Store

    store = Store(ctx.obj["store"])
    if write:
        from pipeline.txn import refuse_remote

        refuse_remote(store)
    return open_store(store, _warn)


def _warn(message: str) -> None:
    click.echo(message, err=True)


def _read_options(ctx: click.Context, person: str | None, weight_unit: str):
    from pipeline.config import person_zone
    from pipeline.sources._parse import ReadOptions

    cfg = _config(ctx)
    return ReadOptions(
        person=person,
        weight_unit=weight_unit,
        time_zone=person_zone(cfg, person),
        device_priority=cfg.device_priority,
        limits=cfg.limits(),
    )


def _config(ctx: click.Context):
    from pipeline.config import load_config, mapped_sources

    cfg = load_config(ctx.obj["store"])
    if cfg.mappings:  # the user's own formats join the known ones
        from pipeline import sources

        sources.use_mappings(mapped_sources(cfg))
    return cfg


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


@contextlib.contextmanager
def _file_bar(item):
    """A progress bar over the bytes of a large file (50 MB or more) on a terminal: yields
    the function reading calls with each chunk's size, or None."""
    from pipeline.archive import WATCHED_BYTES

    if item.size < WATCHED_BYTES or not sys.stderr.isatty():
        yield None
        return
    # a streamed file is read twice (its sha256, then its records): the bar spans both
    passes = 2 if item.path.suffix.lower() in (".xml", ".json") else 1
    label = f"Reading {item.path.name}"
    with click.progressbar(length=passes * item.size, label=label, file=sys.stderr) as bar:
        yield bar.update


@contextlib.contextmanager
def _people_bar(store, label: str):
    """A progress bar advancing per person (`--all`) on a terminal; nothing when piped.
    Yields the function the work calls with the number of people done."""
    total = len(store.persons())
    if total < 2 or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


# the commands that draw charts: the drawing process starts first (pipeline/report/drawer.py)
DRAWING = {"report", "compare", "charts", "share", "demo"}


@click.group(cls=SpectrumGroup)
@click.version_option(package_name="spectrum")
@click.option(
    "--store",
    metavar="DIR|URI",
    envvar="SPECTRUM_STORE",
    help="Folder of the store (default: env SPECTRUM_STORE, else your data folder), or a "
    "store on object storage to read: s3://bucket/prefix (also gs://, az://).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, debug: bool) -> None:
    """spectrum: the direction you are moving in, from your own wearable and food-log exports.

    Everything stays on this machine. spectrum describes behaviours and their direction;
    it does not diagnose anything.

    Example:

        spectrum ingest dailyActivity_merged.csv servings.csv

        spectrum report --month 2026-10
    """
    from pipeline.paths import is_remote

    ctx.ensure_object(dict)
    ctx.obj["store"] = store if store and is_remote(store) else Path(store or default_store())
    ctx.obj["debug"] = debug
    if ctx.invoked_subcommand in DRAWING and not {"--all", "--json", "--help"} & set(sys.argv):
        # the drawing process's engine starts now, beside this one's imports (polars, the
        # command's modules): a tenth of a second sooner than from the command itself
        from pipeline.report import drawer

        drawer.start()


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
@click.option(
    "--replace",
    is_flag=True,
    help="Let this export's days replace stored ones even where it ends earlier.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per file.")
@click.option("--verbose", is_flag=True, help="Also list the columns spectrum does not use.")
@click.pass_context
def ingest(ctx, paths, person, fmt, strict, weight_unit, replace, as_json, verbose) -> None:
    """Read export files (or folders of them) into the store.

    The format is detected from each file's header. Rows that fail validation are kept in
    quarantine with file, line and reason; good rows are stored. Ingesting the same file
    again changes nothing.

    Example:

        spectrum ingest ~/Downloads/servings.csv --person alex
    """
    from pipeline import ingest as ingest_mod
    from pipeline import sources

    person = _person_name(person)
    opts = _read_options(ctx, person, weight_unit)
    if fmt is not None and fmt not in sources.BY_NAME:  # after config: mapped formats count
        raise click.BadParameter(
            f"'{fmt}' is not a format; choose from {', '.join(sources.BY_NAME)}.",
            param_hint="--format",
        )
    result = ingest_mod.ingest(
        _store(ctx, write=True),
        list(paths),
        fmt,
        opts,
        strict,
        _progress,
        _warn,
        replace,
        _file_bar,
    )
    _report_files(result, as_json, verbose)


def _person_name(person: str | None) -> str | None:
    if person is not None and not re.fullmatch(r"[\w .@-]+", person.strip()):
        raise click.BadParameter(
            f"'{person}' is not a name spectrum can store; use letters, digits, spaces and "
            "- _ . @ (e.g. --person alex).",
            param_hint="--person",
        )
    return person.strip() if person else None


SKIPS_LISTED = 30


def _report_files(result, as_json: bool, verbose: bool = False, dry: bool = False) -> None:
    """One line per file: rows read = stored + quarantined + duplicates + note lines (+ lines
    spectrum does not use), then what it did to stored days."""
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in result.reports], indent=2))
    for r in result.reports:
        span = f"{r.first_date} to {r.last_date}" if r.first_date else "no dates"
        who = r.persons[0] if len(r.persons) == 1 else f"{len(r.persons)} people"
        who = who if r.persons else "no rows"
        verb = "would be stored" if dry else "stored"  # validate writes nothing
        stored = f"{r.rows_accepted} {verb}" + (f" as {r.stored_as}" if r.stored_as else "")
        ignored = f", {r.rows_ignored} ignored (not used by spectrum)" if r.rows_ignored else ""
        notes = r.note_lines - r.rows_ignored  # note_lines holds the ignored rows too
        if r.rows_duplicate:
            ignored += f", {r.rows_duplicate} duplicate(s) (the last one counts)"
        if notes:
            ignored += f", {notes} note line(s)"
        _say(
            f"{r.file}: {r.format}, {r.rows_read} rows read, {stored}, "
            f"{r.rows_quarantined} quarantined{ignored} ({span}; {who}){_days(r)}",
            as_json,
        )
        if verbose and r.columns_unused:
            _say(f"  columns not used: {', '.join(r.columns_unused)}", as_json)
    for path, when in result.unchanged:
        _say(f"{path}: already ingested ({when}), unchanged; nothing to do", as_json)
    for path, why in result.skipped[:SKIPS_LISTED]:
        _say(f"{path}: skipped, {why}", as_json)
    if len(result.skipped) > SKIPS_LISTED:  # an Apple Health zip holds a route per workout
        more = len(result.skipped) - SKIPS_LISTED
        _say(f"... and {more} more files skipped (not exports spectrum reads)", as_json)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)


@cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--person", help="As for ingest.")
@click.option("--format", "fmt", metavar="NAME", help="As for ingest.")
@click.option("--weight-unit", type=click.Choice(["kg", "lb"]), default="kg", help="As for ingest.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per file.")
@click.pass_context
def validate_cmd(ctx, paths, person, fmt, weight_unit, as_json) -> None:
    """Check files exactly as ingest would, and write nothing. Exit status 1 when any row
    would be quarantined.

    Example:

        spectrum validate ~/Downloads/servings.csv
    """
    from pipeline import ingest as ingest_mod

    opts = _read_options(ctx, person, weight_unit)
    result = ingest_mod.ingest(None, list(paths), fmt, opts, strict=False)
    _report_files(result, as_json, dry=True)
    bad = sum(r.rows_quarantined for r in result.reports)
    _say(
        f"Nothing was written. {bad} row(s) would be quarantined."
        if bad
        else "Nothing was written. Every row would be stored.",
        as_json,
    )
    if bad:
        sys.exit(1)


@cli.command("quarantine")
@click.option("--person", help="Only rows of files holding this person.")
@click.option("--file", "name", help="Only files whose path contains NAME.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Print CSV (for a spreadsheet; no cell runs as a formula).",
)
@click.pass_context
def quarantine_cmd(ctx, person, name, as_json, as_csv) -> None:
    """List the rows ingest rejected: file, line, column, rule, value and why.

    Example:

        spectrum quarantine --file servings.csv

        spectrum quarantine --csv > rejected.csv
    """
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both.")
    import polars as pl

    from pipeline.store import LOG, QUARANTINE

    store = _store(ctx)
    rows = store.read_side(QUARANTINE)
    columns = ("file", "line", "column", "check", "value", "reason")
    if rows is None or rows.is_empty():
        rows = pl.DataFrame(schema=dict.fromkeys(("file_id", *columns), pl.String))
        if not (as_json or as_csv):
            click.echo("Nothing in quarantine.")
            return
    files = store.read_side(LOG)
    if person is not None and files is not None:
        theirs = [
            r["file_id"] for r in files.iter_rows(named=True)
            if person in (r["persons"] or "").split(",")
        ]  # fmt: skip
        rows = rows.filter(rows["file_id"].is_in(theirs))
    if name is not None:
        rows = rows.filter(rows["file"].str.contains(name, literal=True))
    rows = rows.sort("file", "line")
    shown = rows.select(columns).to_dicts()
    if as_json:
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    if as_csv:
        from pipeline.csvout import csv_text

        click.echo(csv_text(columns, [r.values() for r in shown]), nl=False)
        return
    for r in shown:
        click.echo(f"{r['file']}:{r['line']}  {r['column']}  {r['check']}  {r['reason']}")
    from pipeline.quarantine import STORED_WITH_UNKNOWN

    kept = sum(r["check"] in STORED_WITH_UNKNOWN for r in shown)
    # rows stored with a figure left unknown are records here, not rejected lines: ingest
    # counts them as stored, and the two counts must read alike
    also = f" ({kept} of them stored, with a figure left unknown)" if kept else ""
    click.echo(f"{len(shown)} row(s) in quarantine{also}.")


def _days(r) -> str:
    """What the export did to days already stored (the rule is in the README)."""
    out = []
    if r.days_replaced:
        out.append(f"replaced {r.days_replaced} stored day(s)")
    if r.days_kept:
        out.append(
            f"left {r.days_kept} stored day(s) as they were (this export ends earlier than "
            "theirs, or it is its last, possibly partial day; --replace overrides)"
        )
    if r.days_held:
        out.append(
            f"kept the stored rows of {', '.join(r.days_held)} (a row of this export for "
            "that day failed validation)"
        )
    return "; " + "; ".join(out) if out else ""


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


def _span(text: str, hint: str):
    from pipeline.period import parse_span

    try:
        return parse_span(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None


def _options(label: str | None, sections: str | None = None):
    """Report options: the person's label and the parts kept (--sections)."""
    from pipeline.report.options import PARTS, Options

    if sections is None:
        return Options(label=label)
    kept = {s.strip().lower() for s in sections.split(",") if s.strip()}
    unknown = sorted(kept - set(PARTS))
    if unknown or not kept:
        raise click.BadParameter(
            f"'{', '.join(unknown) or sections}' is not a section; choose from "
            f"{', '.join(PARTS)} (comma-separated).",
            param_hint="--sections",
        )
    return Options(label=label, hidden=frozenset(set(PARTS) - kept))


def _check_suffix(output: Path | None, pdf: bool) -> None:
    """A report file is .html (or .pdf with --pdf): anything else would open as the wrong
    kind of file."""
    wanted = (".pdf",) if pdf else (".html", ".htm")
    if output is not None and not output.is_dir() and output.suffix.lower() not in wanted:
        raise click.BadParameter(
            f"{output} does not end in {' or '.join(wanted)}; name the file like "
            f"report{wanted[0]}.",
            param_hint="-o",
        )


LABEL_HELP = "Name shown for the person (default: the stored name; an account id shows as 'me')."
PDF_HELP = "Write a PDF instead of HTML (needs Chromium or Google Chrome)."
PAPER = click.Choice(["a4", "letter"])


def _cohort_options(command):
    """--engine, --ray-address and --batch-size: where the batches of --all are computed."""
    command = click.option(
        "--batch-size",
        type=click.IntRange(1, 100_000),
        help="With --all: people per batch (default 200 for summary, at most 25 for report).",
    )(command)
    command = click.option(
        "--ray-address",
        metavar="ADDRESS",
        help="With --engine ray: the cluster (default: RAY_ADDRESS, else a Ray instance "
        "started on this machine for the command).",
    )(command)
    return click.option(
        "--engine",
        type=click.Choice(["local", "ray"]),
        default="local",
        show_default=True,
        help="With --all: compute batches of people here, or on Ray (pip install -e '.[cluster]').",
    )(command)


def _cluster(everyone: bool, engine: str, ray_address: str | None, batch_size: int | None):
    """The engine's settings, which only --all uses."""
    if not everyone and (engine != "local" or ray_address or batch_size):
        raise click.UsageError("--engine, --ray-address and --batch-size go with --all.")
    if ray_address and engine != "ray":
        raise click.UsageError("--ray-address goes with --engine ray.")
    return {"engine": engine, "address": ray_address, "batch_size": batch_size}


@cli.command()
@click.option("--month", metavar="YYYY-MM", help="A calendar month.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option(
    "--vs", metavar="PERIOD", help="Compare with this period instead of the last three months."
)
@click.option("--person", help="Whose summary (default: the only person in the store).")
@click.option("--all", "everyone", is_flag=True, help="Everyone in the store, in one pass.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@click.option("--csv", "as_csv", is_flag=True, help="With --all: CSV, a row per person and metric.")
@_cohort_options
@click.pass_context
def summary(
    ctx, month, start, end, vs, person, everyone, as_json, as_csv, engine, ray_address, batch_size
) -> None:
    """Metrics for a period and their direction against your previous three months (or
    against --vs: 2026-03, 2026-01..2026-03 or 2026-01-05..2026-02-20).

    --all summarises every person in the store at once: --json prints a list of the
    summaries, --csv one row per person and metric, plain text a line per person.

    Example:

        spectrum summary --month 2026-10 --json

        spectrum summary --from 2026-09-01 --to 2026-10-27 --vs 2026-03

        spectrum summary --all --month 2026-10 --csv > cohort.csv
    """
    from pipeline.summary import summarize
    from pipeline.textout import summary_text

    cluster = _cluster(everyone, engine, ray_address, batch_size)
    if everyone or as_csv:
        _summary_all(
            ctx, _period(month, start, end), vs, person, everyone, as_json, as_csv, cluster
        )
        return
    reference = _span(vs, "--vs") if vs else None
    result = summarize(_store(ctx), person, _period(month, start, end), _config(ctx), reference)
    click.echo(json.dumps(result, indent=2) if as_json else summary_text(result))


def _summary_all(ctx, period, vs, person, everyone, as_json, as_csv, cluster) -> None:
    from pipeline import cohort
    from pipeline.textout import cohort_text

    if not everyone:
        raise click.UsageError("--csv is for --all (every person); add --all.")
    if person or vs:
        raise click.UsageError(
            f"--all summarises everyone; drop {'--person' if person else '--vs'}."
        )
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both.")
    store, cfg = _store(ctx), _config(ctx)
    size = cluster["batch_size"] or cohort.SUMMARY_BATCH
    # a line per batch when there is no progress bar (piped, a cluster's job log)
    say = None if sys.stderr.isatty() else _warn
    with _people_bar(store, "Summarising") as progress:
        results = cohort.summaries(
            store, period, cfg, progress, cluster["engine"], size, cluster["address"], say
        )
    if as_json:
        click.echo(json.dumps(results, indent=2))
    elif as_csv:
        click.echo(cohort.summaries_csv(results), nl=False)
    else:
        click.echo(cohort_text(results))
    for r in results if (as_json or as_csv) else []:
        if "no_data" in r or "error" in r:
            click.echo(f"{r['person']}: {r.get('no_data') or r['error']}", err=True)


@cli.command()
@click.option(
    "--month",
    "months",
    metavar="YYYY-MM",
    multiple=True,
    help="A month to report; repeat it, or give a range 2026-01..2026-06 (one file each).",
)
@click.option("--year", type=click.IntRange(1900, 2999), help="Twelve months, month by month.")
@click.option("--person", help="Whose report (default: the only person in the store).")
@click.option("--all", "everyone", is_flag=True, help="One report per person in the store.")
@click.option("--label", help=LABEL_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (a folder when several months are reported, or with --all).",
)
@click.option("--pdf", is_flag=True, help=PDF_HELP)
@click.option("--paper", type=PAPER, default="a4", show_default=True, help="Paper for --pdf.")
@_cohort_options
@click.pass_context
def report(
    ctx, months, year, person, everyone, label, output, pdf, paper, engine, ray_address, batch_size
) -> None:
    """Write one self-contained, offline report per month (or one for a year).

    Default file: reports/spectrum-<person>-<month>.html. With --all, one report per person
    in the store, -o DIR/<person>-<month>.html, written by parallel processes.

    Example:

        spectrum report --month 2026-10 -o october.html

        spectrum report --month 2026-01..2026-06 --pdf -o reports/

        spectrum report --year 2026

        spectrum report --all --month 2026-10 -o cohort/
    """
    from pipeline.period import months_in, period_name

    cluster = _cluster(everyone, engine, ray_address, batch_size)
    if everyone:
        _report_all(ctx, months, year, person, label, output, pdf, cluster)
        return
    if bool(months) == bool(year):
        raise click.UsageError("give --month YYYY-MM (one or more) or --year YYYY.")
    _start_drawing()
    from pipeline.report import outputs

    opts = outputs.paper_options(_options(label), pdf, paper)
    store, cfg = _store(ctx), _config(ctx)
    if year:
        _check_suffix(output, pdf)
        click.echo(f"Wrote {outputs.write_year(store, person, year, cfg, output, opts, pdf)}")
        return
    spans = [_span(text, "--month") for text in months]
    for text, span in zip(months, spans, strict=True):
        if period_name(span).count(" to "):  # days, not whole months
            raise click.BadParameter(
                f"'{text}' is not whole months; a report is per month (2026-10 or "
                "2026-01..2026-06). For any span of days use summary --from/--to or compare.",
                param_hint="--month",
            )
    periods = [m for span in spans for m in months_in(span)]
    if len(periods) == 1:
        _check_suffix(output, pdf)
    if len(periods) > 1 and output is not None and output.suffix:
        raise click.BadParameter(
            f"{len(periods)} months make {len(periods)} files; give -o a folder.",
            param_hint="-o",
        )
    for path in outputs.write_months(store, person, periods, cfg, output, opts, pdf):
        click.echo(f"Wrote {path}")


def _report_all(ctx, months, year, person, label, output, pdf, cluster) -> None:
    from pipeline import cohort
    from pipeline.report.options import Options

    if len(months) != 1 or year or person or label or pdf:
        raise click.UsageError(
            "--all takes one --month YYYY-MM and -o DIR (no --year, --person, --label or --pdf)."
        )
    if output is None or output.suffix:
        raise click.UsageError("--all writes one file per person; give -o a folder (-o cohort/).")
    period = _period(months[0], None, None)
    store, cfg = _store(ctx), _config(ctx)
    with _people_bar(store, "Writing reports") as progress:
        written = cohort.write_reports(
            store, period, cfg, output, Options(), progress, cluster["engine"],
            cluster["batch_size"], cluster["address"], None if sys.stderr.isatty() else _warn,
        )  # fmt: skip
    for w in written:
        click.echo(f"Wrote {w.path}" if w.path else f"Skipped {w.person}: {w.why}")


@cli.command()
@click.argument("reference", metavar="[A", required=False)
@click.argument("period", metavar="B]", required=False)
@click.option(
    "--around", "around_id", metavar="NOTE_ID", help="The weeks before a note vs after it."
)
@click.option(
    "--since", "since_id", metavar="NOTE_ID", help="Everything since a note vs as long before."
)
@click.option(
    "--weeks", type=click.IntRange(1, 104), default=8, show_default=True, help="With --around."
)
@click.option("--person", help="Whose data (default: the only person in the store).")
@click.option("--label", help=LABEL_HELP)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON only.")
@click.option("--pdf", is_flag=True, help=PDF_HELP)
@click.option("--paper", type=PAPER, default="a4", show_default=True, help="Paper for --pdf.")
@click.pass_context
def compare(
    ctx, reference, period, around_id, since_id, weeks, person, label, output, as_json, pdf, paper
) -> None:
    """Compare period B with period A (the reference): directions with A as the baseline,
    charts of both periods by day of period, coverage side by side.

    A and B are months (2026-03), month ranges (2026-01..2026-03) or days
    (2026-09-01..2026-10-27). Instead of A and B, --around NOTE_ID compares the --weeks weeks
    before a note with as many after it (the note's own days in neither), and --since NOTE_ID
    everything after the note with as many days before it ('spectrum note list' shows ids).

    Example:

        spectrum compare 2026-03 2026-10

        spectrum compare 2026-01..2026-03 2026-09-01..2026-10-27 --json

        spectrum compare --around 858df12e --weeks 6
    """
    from pipeline.summary import summarize

    if as_json and pdf:
        raise click.UsageError("--json prints to the terminal; drop --json to write the --pdf.")
    _check_suffix(output, pdf)
    if not as_json:
        _start_drawing()
    store, cfg = _store(ctx), _config(ctx)
    about = None
    if around_id or since_id:
        a, b, about = _note_periods(store, reference, around_id, since_id, weeks, person)
        person = about["person"]  # the note's own person
    elif weeks_given(ctx):
        raise click.UsageError("--weeks goes with --around NOTE_ID.")
    elif reference is None or period is None:
        raise click.UsageError("give two periods A B (e.g. 2026-03 2026-10), or --around NOTE_ID.")
    else:
        a, b = _span(reference, "A"), _span(period, "B")
    if a != b and a.start <= b.end and b.start <= a.end:
        click.echo(
            "Warning: the two periods overlap, so their shared days count in both.", err=True
        )
    if as_json:
        made = summarize(store, person, b, cfg, a)
        click.echo(json.dumps({**made, "note": about} if about else made, indent=2))
        return
    from dataclasses import replace

    from pipeline import events
    from pipeline.report import outputs  # charts (altair) only when a file is drawn

    opts = outputs.paper_options(_options(label), pdf, paper)
    if about:
        opts = replace(opts, about=events.compared_words(about))
        click.echo(events.compared_words(about))
    click.echo(f"Wrote {outputs.write_compare(store, person, a, b, cfg, output, opts, pdf)}")


def _start_drawing() -> None:
    """Charts are drawn by vl-convert in a process of its own, started now: its engine
    starts while this one imports and reads the store (pipeline/report/drawer.py); the
    modules that make the charts are imported meanwhile, in a thread."""
    from pipeline.report import drawer

    drawer.start()
    from pipeline.report import outputs  # reads the store without importing the drawing

    outputs.preload_drawing()


def _note_periods(store, given, around_id, since_id, weeks, person):
    """The two periods of compare --around / --since, and what they are around."""
    from pipeline import events
    from pipeline.summary import choose_person

    if given is not None or (around_id and since_id):
        raise click.UsageError("give either two periods A B, or --around (or --since) NOTE_ID.")
    note = events.find(store, around_id or since_id)
    if person is not None and person != note.person:
        raise click.BadParameter(
            f"note {note.id} is {note.person}'s, not {person}'s.", param_hint="--person"
        )
    who = choose_person(store, note.person)
    last = events.last_data_day(store, who)
    if around_id:
        a, b = events.around(note, weeks)
        how = f"around, {weeks} weeks"
        if last is not None and b.end > last:
            _warn(
                f"Warning: the {weeks} weeks after the note run to {b.end}, past {who}'s last "
                f"day with data ({last}); the days after it count as without data."
            )
    else:
        a, b = events.since(note, last)
        how = "since"
    return a, b, events.compared(note, a, b, how)


def weeks_given(ctx: click.Context) -> bool:
    """Whether --weeks was typed (not its default)."""
    from click.core import ParameterSource

    return ctx.get_parameter_source("weeks") == ParameterSource.COMMANDLINE


SECTIONS_HELP = (
    "Parts to include, comma-separated: activity,food,sleep,weight,waist,glucose (default all)."
)


@cli.command()
@click.option("--month", metavar="YYYY-MM", help="A calendar month.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option("--person", help="Whose charts (default: the only person in the store).")
@click.option(
    "--format", "fmt", type=click.Choice(["png", "svg", "html"]), default="png", show_default=True
)
@click.option("--sections", help=SECTIONS_HELP)
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
    help="Folder for the chart files.",
)  # fmt: skip
@click.pass_context
def charts(ctx, month, start, end, person, fmt, sections, output) -> None:
    """Write every chart of the report as its own file, named by section and metric, plus
    captions.txt with the sentence under each chart. Offline (no browser needed).

    Example:

        spectrum charts --month 2026-10 --format png -o charts/
    """
    period = _period(month, start, end)
    _start_drawing()
    from pipeline.report import outputs

    written = outputs.write_charts(
        _store(ctx), person, period, _config(ctx), fmt, output, _options(None, sections)
    )
    n = len(written) - 1
    click.echo(f"Wrote {n} chart{'s' if n != 1 else ''} and captions.txt to {output}")


@cli.command()
@click.option("--month", metavar="YYYY-MM", help="The month to share.")
@click.option(
    "--compare", "pair", nargs=2, metavar="A B", help="Share a comparison of B with A instead."
)
@click.option("--person", help="Whose data (default: the only person in the store).")
@click.option("--label", help="Name shown for the person in the bundle (default: me).")
@click.option("--sections", help=SECTIONS_HELP)
@click.option(
    "--with-notes", is_flag=True, help="Include your notes (listed before the bundle is written)."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help="The .zip to write.",
)  # fmt: skip
@click.pass_context
def share(ctx, month, pair, person, label, sections, with_notes, output) -> None:
    """Make a bundle to send to a coach: the report, every chart as PNG and summary.csv.
    Nothing in it names an account, a device, a file path or this machine; the person is
    --label. Leave parts out with --sections. Your notes are left out unless --with-notes.

    Example:

        spectrum share --month 2026-10 --label Sam --sections activity,food -o october.zip
    """
    from dataclasses import replace

    from pipeline.report import outputs

    if month and pair:
        raise click.UsageError("give either --month or --compare, not both.")
    if not (month or pair):
        raise click.UsageError("give --month YYYY-MM or --compare A B.")
    a, b = (None, _span(month, "--month")) if month else (_span(pair[0], "A"), _span(pair[1], "B"))
    _start_drawing()
    store = _store(ctx)
    opts = replace(_options(label, sections), notes=with_notes)
    names = outputs.write_share(store, person, b, a, _config(ctx), output, opts, _list_shared_notes)
    click.echo(
        f"Wrote {output}: {', '.join(n for n in names if not n.startswith('charts/'))} "
        f"and {sum(n.endswith('.png') for n in names)} charts"
    )


def _list_shared_notes(notes) -> None:
    """Before a bundle with notes is written: the notes it will hold, word for word."""
    from pipeline import events

    if notes.is_empty():
        click.echo("No notes fall on the bundle's charts; it holds none.", err=True)
        return
    click.echo(f"The bundle will include {notes.height} note(s):", err=True)
    for n in notes.iter_rows(named=True):
        tag = f" [{n['tag']}]" if n["tag"] else ""
        click.echo(f"  {events.days_span(n)}{tag}  {events.one_line(n['text'])}", err=True)


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
    """Ingest sample_data/ into a fresh temporary store and write every kind of output: monthly
    reports, a compare, a year report, a chart folder, a share bundle and a PDF.

    Example:

        spectrum demo -o /tmp/spectrum-demo
    """
    _start_drawing()
    from pipeline.demo import run_demo

    for path in run_demo(out_dir, say=lambda m: click.echo(m, err=True)):
        click.echo(str(path))


@cli.command()
@click.pass_context
def formats(ctx) -> None:
    """List the supported exports, the table each feeds and how to export it.

    Example:

        spectrum formats
    """
    from pipeline import sources

    _config(ctx)  # the user's own mapped formats are listed too
    for s in [*sources.SOURCES, *sources.MAPPED]:
        tables = ", ".join((s.TABLE, *getattr(s, "EXTRA_TABLES", ())))
        click.echo(f"{s.NAME}  ->  {tables}\n  {s.TITLE}\n  How: {s.HOW_TO_EXPORT}\n")


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
    from pipeline.config import describe, settings_file

    rows = describe(ctx.obj["store"])
    if as_json:
        out = {r["key"]: {"value": r["value"], "source": r["source"]} for r in rows}
        click.echo(json.dumps(out, indent=2))
        return
    where = settings_file(ctx.obj["store"])
    local = isinstance(ctx.obj["store"], Path) and where == ctx.obj["store"] / "config.toml"
    click.echo(
        f"Settings for the store at {ctx.obj['store']} (file: {where.name if local else where})"
    )
    width = max(len(r["key"]) for r in rows)
    for r in rows:
        click.echo(f"  {r['key']:<{width}}  {r['shown']}  ({r['source']}): {r['help']}")


@cli.command("log")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@click.pass_context
def log_cmd(ctx, as_json) -> None:
    """List every ingest: id, time, file, sha256, format, rows, and whether it still counts.

    Example:

        spectrum log
    """
    from pipeline.history import log_rows

    rows = log_rows(_store(ctx))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("Nothing ingested yet: spectrum ingest FILE")
    for r in rows:
        kept = "" if r["days_kept"] is None else f", {r['days_kept']} days kept"
        click.echo(
            f"{r['ingest_id']}  {r['at']}  {r['status']:<9}  {r['file']}  ({r['format']}, "
            f"{r['rows_read']} read, {r['rows_accepted']} stored, "
            f"{r['rows_quarantined']} quarantined{kept}; sha256 {r['sha256'][:12]})"
        )


@cli.command()
@click.pass_context
def undo(ctx) -> None:
    """Put the store back to how it was before the newest ingest (or note added or removed).

    Example:

        spectrum undo
    """
    from pipeline.history import undo as undo_last

    done = undo_last(_store(ctx, write=True), _warn)
    if done["note"]:
        click.echo(f"Undid the removal of note {done['note']}: it is back.")
        return
    click.echo(f"Undid ingest {done['ingest_id']} ({', '.join(done['files'])}).")


@cli.command()
@click.argument("ingest_id")
@click.pass_context
def forget(ctx, ingest_id) -> None:
    """Remove exactly the rows one ingest stored (see 'spectrum log' for ids).

    Example:

        spectrum forget 3f2a9c1b7e40
    """
    from pipeline.history import forget as forget_ingest

    done = forget_ingest(_store(ctx, write=True), ingest_id, _warn)
    click.echo(f"Forgot ingest {ingest_id}: the rows of {', '.join(done['files'])} are removed.")


@cli.command()
@click.option("--person", required=True, help="Whose data to delete.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete(ctx, person, yes) -> None:
    """Delete all of a person's data from the store, old versions included, so it is gone
    from disk. This cannot be undone.

    Example:

        spectrum delete --person 1503960366
    """
    from pipeline.history import delete_person

    store = _store(ctx, write=True)
    if not yes:
        click.confirm(
            f"Delete every row of '{person}' from {store.root}? This cannot be undone",
            abort=True,
        )
    delete_person(store, person, _warn)
    click.echo(f"Deleted all data of '{person}'; older versions were removed from disk too.")


@cli.group(cls=SpectrumGroup)
def note() -> None:
    """Notes on what happened (a cold, a new job, walks after dinner): drawn on every chart,
    listed in the report, and usable as the edge of a comparison (compare --around ID).

    Example:

        spectrum note add 2026-10-05..2026-10-11 "A cold" --tag illness
    """


@note.command("add")
@click.argument("days", metavar="DATE[..DATE]")
@click.argument("text")
@click.option("--tag", help="One word to group notes by (illness, travel, ...).")
@click.option("--person", help="Whose note (default: the only person in the store).")
@click.pass_context
def note_add(ctx, days, text, tag, person) -> None:
    """Note what happened on a day, or over a range of days.

    Example:

        spectrum note add 2026-09-14 "Started walking after dinner" --tag walks
    """
    from pipeline import events

    store = _store(ctx, write=True)
    who = events.note_person(store, _person_name(person))
    _new_person_warning(store, who)
    made = events.add(store, who, days, text, tag, _warn)
    click.echo(f"Noted {made.id} for {who}: {events.days_text(made)}.")


@note.command("list")
@click.option("--person", help="Whose notes (default: the only person in the store).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (note import reads it back).")
@click.pass_context
def note_list(ctx, person, start, end, tag, as_json, as_csv) -> None:
    """List notes: id, days, tag and text.

    Example:

        spectrum note list --from 2026-10-01 --tag illness
    """
    from pipeline import events

    store = _store(ctx)
    who = events.note_person(store, person) if store.persons() else None
    notes = events.listing(
        store, who, start.date() if start else None, end.date() if end else None, tag
    )
    if as_json:
        click.echo(json.dumps(events.as_json(notes), indent=2, ensure_ascii=False))
        return
    if as_csv:
        click.echo(events.as_csv(notes), nl=False)
        return
    if notes.is_empty():
        click.echo('No notes. Add one: spectrum note add 2026-10-05 "A cold" --tag illness')
    for n in notes.iter_rows(named=True):
        tagged = f"  [{n['tag']}]" if n["tag"] else ""
        click.echo(f"{n['id']}  {events.days_span(n)}{tagged}  {events.one_line(n['text'])}")


@note.command("remove")
@click.argument("note_id", metavar="ID")
@click.pass_context
def note_remove(ctx, note_id) -> None:
    """Remove a note ('spectrum undo' puts it back).

    Example:

        spectrum note remove 3f2a9c1d
    """
    from pipeline import events

    gone = events.remove(_store(ctx, write=True), note_id, _warn)
    click.echo(f"Removed note {gone.id} ({events.days_text(gone)}); spectrum undo puts it back.")


@note.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--person", help="Whose notes (default: the only person in the store).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per file.")
@click.pass_context
def note_import(ctx, path, person, as_json) -> None:
    """Import notes from a CSV file with columns date, text and optionally end and tag.
    Lines that fail are quarantined (see 'spectrum quarantine').

    Example:

        spectrum note import notes.csv --person alex
    """
    from pipeline import events
    from pipeline import ingest as ingest_mod

    store = _store(ctx, write=True)
    who = events.note_person(store, _person_name(person))
    _new_person_warning(store, who)
    try:
        result = ingest_mod.ingest(
            store, [path], "notes_csv", _read_options(ctx, who, "kg"), False, say=_warn
        )
    except DataError as exc:  # the format was not the user's choice: say what a notes file is
        raise DataError(
            str(exc).replace(
                "check the file or drop --format.",
                "a notes file has the columns date and text, and optionally end and tag.",
            )
        ) from None
    _report_files(result, as_json)


def _new_person_warning(store, who: str) -> None:
    """A note for someone without data yet is allowed (a coach notes ahead), but a typo in
    --person would make a new person: say so."""
    people = store.persons()
    if people and who not in people:
        _warn(
            f"Warning: '{who}' has nothing else in this store (it holds: {', '.join(people)}); "
            "the note is stored for them."
        )


def main() -> None:
    # polars' allocator (jemalloc) keeps freed memory a while (polars sets 0.5 s dirty and
    # 1 s "muzzy", still counted as resident); a large ingest frees hundreds of MB of
    # intermediate columns far faster. Handing memory back after 0.3 s, muzzy pages at once,
    # lowers a minute file's peak by a quarter at no cost in time. Read when polars loads,
    # which every command does after this line; set, not defaulted, because a parent
    # process that imported polars passes polars' own setting down in the environment.
    os.environ["_RJEM_MALLOC_CONF"] = "dirty_decay_ms:300,muzzy_decay_ms:0"
    # deltalake's object-store layer logs every credential source it tries ("failed to load
    # region from IMDS", several long lines) before the one-line Error says what failed; its
    # warnings stay unless the user asks for them (RUST_LOG=warn)
    os.environ.setdefault("RUST_LOG", "error")
    try:
        cli(prog_name="spectrum")
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at /dev/null
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except SystemExit as done:  # click ends every command this way
        _leave(done.code)


def _leave(code: int | str | None) -> None:
    """End the process without the interpreter's teardown, which frees every object one by
    one (the food rules, polars' and Delta's state): about 0.1 s on every command, for
    nothing. By now each command has closed its files and finished its writes (every one is
    a with-block or a Delta commit), so only the standard streams need flushing."""
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 0
    os._exit(code or 0)


if __name__ == "__main__":
    sys.exit(main())
