"""``copub breakdown``: the figures per OpenAlex field, domain, subfield or unit."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import polars as pl

from copub.cli._common import (
    add_bootstrap_option,
    add_definition_options,
    add_format_option,
    add_source_options,
    count_arg,
    definitions_from_args,
    institution_arg,
    load_tables_from_args,
    positive_arg,
)
from copub.cli.peers_cmd import SYNTHETIC, register_path
from copub.errors import UsageError
from copub.fetch.atomic import atomic_write
from copub.indicators.breakdown import breakdown_indicators, where_we_stand
from copub.indicators.catalogue import indicator_specs
from copub.indicators.definitions import share_column
from copub.progress import Progress
from copub.report.formats import markdown_table
from copub.report.peers_section import breakdown_text

__all__ = ["register", "run"]

HELP = """Break the institution's figures down by OpenAlex field, domain or subfield
(from each work's primary topic; works without one are the 'unknown' group)
or by unit (the child institutions in OpenAlex lineage, e.g. faculties or
departments; works that name no unit below the top are 'no_unit').

The terminal table shows each group over all the requested years: works,
the share (--indicator, default intl) in full counting with its 95% interval
and in fractional counting; groups with fewer than --min-works works are
marked 'small', never hidden. Then "where we stand": the groups with the
highest and lowest shares. csv, json and --out carry the yearly (or
--period window) table with every column. A work on two units counts in
both (full) and half in each (fractional).
"""
EXAMPLE = "Example:\n  python -m copub breakdown --sample --by field --years 2018-2021"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "breakdown", help="the figures per field or unit", description=HELP, epilog=EXAMPLE
    )
    add_source_options(parser)
    parser.add_argument(
        "--by", choices=("field", "domain", "subfield", "unit"), default="field",
        help="break down by OpenAlex field (default), domain, subfield, or unit",
    )  # fmt: skip
    parser.add_argument(
        "--unit", type=institution_arg, action="append", default=[], metavar="ID",
        help="with --by unit: only this unit (repeatable; must be a child of --institution)",
    )  # fmt: skip
    add_definition_options(parser, periods=False)
    parser.add_argument(
        "--period", choices=("year", "window"), default="year",
        help="rows of the csv/json/--out table: per year (default) or per window",
    )  # fmt: skip
    parser.add_argument(
        "--window", type=positive_arg, default=4, metavar="N", help="window size (default 4)"
    )
    parser.add_argument(
        "--min-works", type=count_arg, default=30, metavar="N",
        help="groups with fewer works are flagged small (default 30)",
    )  # fmt: skip
    parser.add_argument("--indicator", default="intl", metavar="KEY", help="default intl")
    parser.add_argument(
        "--top", type=positive_arg, default=5, metavar="N",
        help="groups at each end of 'where we stand' (default 5)",
    )  # fmt: skip
    add_bootstrap_option(parser)
    add_format_option(parser)
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="write breakdown.csv, .parquet, standing.csv"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.unit and args.by != "unit":
        raise UsageError("--unit needs --by unit")
    definitions = definitions_from_args(
        args, register=register_path(args), bootstrap=args.bootstrap, window=args.window
    )
    stems = [s.name for s in indicator_specs(definitions)]
    if args.indicator not in stems:
        raise UsageError(
            f"--indicator {args.indicator!r} is not a share; known: {', '.join(stems)}"
        )
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} exists and is not a directory")
    progress = Progress()
    tables = load_tables_from_args(args, progress)
    synthetic = tables.provenance.synthetic
    if synthetic:
        progress.note(f"WARNING: {SYNTHETIC}")
    result = breakdown_indicators(
        tables,
        definitions,
        by=args.by,
        period=args.period,
        units=args.unit or None,
        min_works=args.min_works,
    )
    table = result.table.with_columns(synthetic=pl.lit(True)) if synthetic else result.table
    if args.format == "csv":
        sys.stdout.write(table.write_csv())
    elif args.format == "json":
        sys.stdout.write(table.write_json() + "\n")
    elif args.format == "markdown":
        share = share_column(args.indicator)
        shown = result.pooled.select(
            "group_id", "group_name", "small", "works", share, f"{share}_low", f"{share}_high",
            f"{share}_frac",
        )  # fmt: skip
        print(markdown_table(shown))
        if synthetic:
            print(f"\n_{SYNTHETIC}_")
    else:
        sys.stdout.write(breakdown_text(result, args.indicator, args.top))
        if synthetic:
            print(SYNTHETIC)
    if args.out is not None:
        stand = where_we_stand(result, args.indicator, args.top)
        if synthetic:
            stand = stand.with_columns(synthetic=pl.lit(True))
        atomic_write(args.out / "breakdown.csv", table.write_csv().encode())
        atomic_write(args.out / "standing.csv", stand.write_csv().encode())
        parquet = io.BytesIO()
        table.write_parquet(parquet)
        atomic_write(args.out / "breakdown.parquet", parquet.getvalue())
        progress.note(f"wrote breakdown.csv, breakdown.parquet and standing.csv to {args.out}")
    return 0
