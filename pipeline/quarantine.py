"""What the quarantine says about a file: rejected lines with a plain reason, the fields set
unknown in stored rows, and the days of lines that failed (such a day keeps its stored rows)."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

import polars as pl

from pipeline.sources._csv import LINE, Rows
from pipeline.sources._parse import ReadOptions

if TYPE_CHECKING:
    from pipeline.prepare import Prepared


def days_of_unparsed(
    source: ModuleType, rows: Rows, failed: pl.DataFrame, opts: ReadOptions
) -> pl.DataFrame | None:
    """The days of lines that failed before they were rows (a cell that does not parse, a
    wrong number of fields), read from their date cell: such a day keeps its stored rows."""
    spec = getattr(source, "SPEC", {})
    src, parse = spec.get("date", (None, None))
    names = [c for c in rows.frame.columns if c != LINE]
    if src is None or src not in names:
        return None
    cells = rows.frame.join(failed.select(LINE).unique(), on=LINE, how="semi").select(
        LINE, day=pl.col(src), who=pl.col("Id") if "Id" in names else pl.lit(None, pl.String)
    )
    if rows.bad_cells is not None and rows.bad_cells.height:
        at = names.index(src)
        who = names.index("Id") if "Id" in names else None
        cells = pl.concat(
            [
                cells,
                rows.bad_cells.select(
                    LINE,
                    day=pl.col("cells").list.get(at, null_on_oob=True),
                    who=pl.col("cells").list.get(who, null_on_oob=True)
                    if who is not None
                    else pl.lit(None, pl.String),
                ),
            ]
        )
    person = pl.lit(opts.person) if opts.person else pl.col("who").fill_null("me")
    days = cells.select(
        person=person.str.strip_chars(), source=pl.lit(source.NAME), date=parse(pl.col("day"))
    ).drop_nulls()
    return days.unique() if days.height else None


VALUE_CHARS = 200
# checks of rows that were stored with a field set unknown (Converted.nulled): records kept
# beside the rejected lines, so that `quarantine` can tell the two apart
STORED_WITH_UNKNOWN = frozenset({"carbs_set_unknown", "duration_cut_by_spreadsheet"})


def quarantine_rows(prep: Prepared) -> pl.DataFrame:
    """Rejected lines, and the record of fields set unknown in rows that were stored."""
    kept = [prep.failures]
    if prep.nulled is not None and prep.nulled.height:
        kept.append(prep.nulled.select(prep.failures.columns))
    return pl.concat(kept).select(
        file_id=pl.lit(prep.file_id),
        file=pl.lit(prep.report.file),
        format=pl.lit(prep.source.NAME),
        table=pl.lit(prep.source.TABLE),
        line=pl.col(LINE),
        column=pl.col("column"),
        check=pl.col("check"),
        # a cell of 50 MB (a damaged or hostile file) is kept as an excerpt, not whole
        value=pl.col("value").str.slice(0, VALUE_CHARS),
        reason=plain_reason().str.slice(0, 2 * VALUE_CHARS),
    )


def plain_reason() -> pl.Expr:
    """Why a row was rejected, in words: "Fiber (g) 'inf' is not a number"."""
    check, value = pl.col("check"), pl.col("value")
    bound = check.str.extract(r"\((.*)\)$")
    said = pl.format("{} '{}' ", "column", "value")
    return (
        pl.when(check == "fields_match_header")
        .then(pl.format("the line {}", value))
        .when(check.is_in(["carbs_set_unknown", "line_complete"]))
        .then(value)
        .when(check.str.starts_with("parses_as_number"))
        .then(pl.concat_str(said, pl.lit("is not a number")))
        .when(check.str.starts_with("parses_as_integer"))
        .then(pl.concat_str(said, pl.lit("is not a whole number")))
        .when(check.str.starts_with("parses_as_"))
        .then(
            pl.concat_str(
                said,
                pl.lit("is not a "),
                # parses_as_us_datetime_day -> "datetime", parses_as_clock_time -> "clock time"
                check.str.strip_prefix("parses_as_")
                .str.replace(r"^(iso|us)_", "")
                .str.replace(r"_day$", "")
                .str.replace_all("_", " "),
            )
        )
        .when(check.str.starts_with("less_than_or_equal_to"))
        .then(pl.concat_str(said, pl.lit("is above the most possible, "), bound))
        .when(check.str.starts_with("greater_than_or_equal_to"))
        .then(pl.concat_str(said, pl.lit("is below the least possible, "), bound))
        .when(check == "not_in_future")
        .then(pl.concat_str(said, pl.lit("is in the future")))
        .when(check == "not_before_2000")
        .then(pl.concat_str(said, pl.lit("is before 2000")))
        .when(check == "not_nullable")
        .then(pl.format("{} is empty", "column"))
        .when(check == "within_a_year_from_today")
        .then(pl.concat_str(said, pl.lit("is more than a year ahead")))
        .when(check == "end_not_before_start")  # a note's range (schemas/events.py)
        .then(pl.lit("the end date is before the start date"))
        .when(check.str.starts_with("str_length"))
        .then(pl.concat_str(said, pl.lit("is empty or longer than "), bound))
        .when(check.str.starts_with("str_matches") & (pl.col("column") == "tag"))
        .then(pl.concat_str(said, pl.lit("is not a tag (one word: a-z, 0-9, - and _)")))
        .when(check == "element_shape")  # a JSON export's item (Fitbit Takeout)
        .then(pl.format("the item {}", value))
        .when(check == "duration_cut_by_spreadsheet")
        .then(
            pl.concat_str(
                said,
                pl.lit("was cut by a spreadsheet (its hours are lost): the duration is unknown"),
            )
        )
        .otherwise(
            pl.concat_str(said, pl.lit("breaks the rule: "), check.str.replace_all("_", " "))
        )
    )
