"""``copub partners``: the partner review table."""

from __future__ import annotations

import argparse
import sys

import polars as pl

from copub.cli._common import (
    add_definition_options,
    add_source_options,
    definitions_from_args,
    load_tables_from_args,
    positive_arg,
)
from copub.errors import UsageError
from copub.networks import partner_table
from copub.progress import Progress
from copub.report.formats import markdown_table

__all__ = ["register", "run", "summary_columns"]

HELP = """List the institution's partner countries or institutions, ranked by
co-publications, with counts per year, full and fractional counts, the share
of the institution's works, the change from the baseline to the plan period
(two-proportion z-test) and group memberships (priority, LMIC, development
partner, alliance, infrastructure).

table and markdown show the main columns; csv and json carry every column,
including works_YYYY per year. The home country and the home institution are
never partners.
"""
EXAMPLE = "Example:\n  python -m copub partners --sample --kind country --group priority"

_SYNTHETIC = "SYNTHETIC sample data: not real publications"
_SUMMARY = (
    "rank",
    "partner_id",
    "label",
    "groups",
    "works",
    "works_frac",
    "share",
    "baseline_share",
    "plan_share",
    "share_change",
    "p_value",
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "partners",
        help="rank partner countries or institutions",
        description=HELP,
        epilog=EXAMPLE,
    )
    add_source_options(parser)
    parser.add_argument(
        "--kind",
        choices=("country", "institution"),
        default="country",
        help="partner type (default country)",
    )
    add_definition_options(parser, register=False)
    parser.add_argument(
        "--top", type=positive_arg, default=20, help="show the first N partners (default 20)"
    )
    parser.add_argument(
        "--group",
        metavar="KEY",
        help="only partners in this partner group, e.g. priority, lmic, enhance, infrastructure",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json", "markdown"),
        default="table",
        help="output format (default table)",
    )
    parser.set_defaults(run=run)


def summary_columns(table: pl.DataFrame) -> pl.DataFrame:
    """The columns a person reads: rank, partner, groups, counts, shares and the change test."""
    return table.select(c for c in _SUMMARY if c in table.columns).with_columns(
        pl.col("groups").list.join(", ")
    )


def _p_text(p: pl.Expr) -> pl.Expr:
    """p-values as a person reads them: three decimals, or ``<0.001``."""
    return (
        pl.when(p.is_null())
        .then(pl.lit("n/a"))
        .when(p < 0.001)
        .then(pl.lit("<0.001"))
        .otherwise(p.round(3).cast(pl.String))
    )


def _flat(table: pl.DataFrame) -> pl.DataFrame:
    return table.with_columns(pl.col("groups").list.join("; "))


def run(args: argparse.Namespace) -> int:
    definitions = definitions_from_args(args)
    known = definitions.partner_groups.keys()
    if args.group is not None and args.group not in known:
        raise UsageError(
            f"--group {args.group!r} is not a partner group; known: {', '.join(known)}"
        )
    progress = Progress()
    tables = load_tables_from_args(args, progress)
    table = partner_table(tables, args.kind, definitions)
    if args.group is not None:
        table = table.filter(pl.col("groups").list.contains(args.group))
    table = table.head(args.top)
    if tables.provenance.synthetic:
        progress.note(_SYNTHETIC)
    if args.format == "csv":
        sys.stdout.write(_flat(table).write_csv())
    elif args.format == "json":
        sys.stdout.write(table.write_json() + "\n")
    else:
        shown = summary_columns(table).with_columns(
            pl.selectors.float().exclude("p_value").round(4),
            _p_text(pl.col("p_value")).alias("p_value"),
        )
        if args.format == "markdown":
            print(markdown_table(shown))
        else:
            with pl.Config(
                tbl_formatting="UTF8_FULL_CONDENSED",
                tbl_hide_column_data_types=True,
                tbl_hide_dataframe_shape=True,
                tbl_rows=-1,
                tbl_cols=-1,
                tbl_width_chars=200,
                fmt_str_lengths=60,
            ):
                print(shown)
        if tables.provenance.synthetic:
            print(f"\n_{_SYNTHETIC}_" if args.format == "markdown" else _SYNTHETIC)
    return 0
