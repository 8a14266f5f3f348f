"""``copub partners``: the partner review table."""

from __future__ import annotations

import argparse
import json
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
from copub.render import fmt
from copub.render.tables import csv_frame, markdown_table, to_records, write_csv_text

__all__ = ["WIDTH", "register", "run", "summary_columns", "terminal_table"]

HELP = """List the institution's partner countries or institutions, ranked by
co-publications, with counts per year, full and fractional counts, the share
of the institution's works, the change from the baseline to the plan period
(two-proportion z-test) and group memberships (priority, LMIC, development
partner, alliance, infrastructure).

table (100 columns wide) and markdown show the main columns; csv and json
carry every column, including works_YYYY per year. csv is plain CSV with one
header row (from the synthetic sample, a last column 'synthetic' says so on
every row); json is an object with the provenance and the rows. The home
country and the home institution are never partners.
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


#: The terminal table's width, as the report's.
WIDTH = 100


def terminal_table(table: pl.DataFrame, kind: str) -> str:
    """The ranked partners as a plain table of at most :data:`WIDTH` columns.

    Examples
    --------
    >>> table = pl.DataFrame({"rank": [1], "partner_id": ["US"], "label": ["United States"],
    ...     "groups": [["priority"]], "works": [120], "share": [0.1], "baseline_share": [0.09],
    ...     "plan_share": [0.11], "share_change": [0.02], "p_value": [0.004]})
    >>> line = terminal_table(table, "country").splitlines()[2]
    >>> line.split()[:5], len(line) <= WIDTH
    (['1', 'United', 'States', '(US)', 'priority'], True)
    >>> line.split()[5:]
    ['120', '10.0%', '9.0%', '11.0%', '+2.0', 'pp', '0.004']
    """
    name = "Institution" if kind == "institution" else "Country"
    header = (
        f"{'#':>3} {name:<30} {'Groups':<18} {'Works':>6} {'Share':>6} {'Base':>6} "
        f"{'Plan':>6} {'Change':>8} {'p':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in table.iter_rows(named=True):
        label = str(row["label"] or row["partner_id"])
        if kind == "country":
            label = f"{label} ({row['partner_id']})"
        label = label if len(label) <= 30 else label[:29] + "…"
        groups = ", ".join(row.get("groups") or [])
        groups = groups if len(groups) <= 18 else groups[:17] + "…"
        lines.append(
            f"{row['rank']:>3} {label:<30} {groups:<18} {fmt.count(row['works']):>6} "
            f"{fmt.percent(row['share']):>6} {fmt.percent(row['baseline_share']):>6} "
            f"{fmt.percent(row['plan_share']):>6} {fmt.change(row['share_change']):>8} "
            f"{fmt.p_value(row['p_value']):>6}"
        )
    lines.append(
        "Share: of the institution's works; Base/Plan: baseline and plan period; Change: plan minus"
    )
    lines.append("baseline (two-proportion z-test p). csv/json give every column.")
    return "\n".join(lines) + "\n"


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
    synthetic = tables.provenance.synthetic
    if args.format == "csv":
        sys.stdout.write(write_csv_text(csv_frame(table, synthetic=synthetic)))
        progress.note(f"source: {tables.provenance.describe()}")
    elif args.format == "json":
        document = {
            "synthetic": synthetic,
            "warning": _SYNTHETIC if synthetic else None,
            "kind": args.kind,
            "provenance": tables.provenance.to_dict(),
            "partners": to_records(table),
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        shown = summary_columns(table).with_columns(
            pl.selectors.float().exclude("p_value").round(4),
            _p_text(pl.col("p_value")).alias("p_value"),
        )
        if synthetic:
            print(f"_{_SYNTHETIC}_\n")
        print(markdown_table(shown))
        if synthetic:
            print(f"\n_{_SYNTHETIC}_")
    else:
        if synthetic:
            print(_SYNTHETIC.center(WIDTH, "="))
        sys.stdout.write(terminal_table(table, args.kind))
        if synthetic:
            print(_SYNTHETIC)
    return 0
