"""``copub breakdown``: the figures per OpenAlex field, domain, subfield or unit."""

from __future__ import annotations

import argparse

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.cli._analysis import add_output_options, register_from_args, run_analysis
from copub.cli._common import (
    add_bootstrap_option,
    add_definition_options,
    add_source_options,
    count_arg,
    definitions_from_args,
    institution_arg,
    load_tables_from_args,
    positive_arg,
)
from copub.cli.peers_cmd import check_indicator
from copub.errors import UsageError
from copub.progress import Progress

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
    add_output_options(parser, out_help="write the tables (breakdown_BY, standing_BY), the figure "
                       "and breakdown.html here")  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.unit and args.by != "unit":
        raise UsageError("--unit needs --by unit")
    definitions = definitions_from_args(
        args, register=register_from_args(args), bootstrap=args.bootstrap,
        period_window=args.window, breakdown_by=args.by, breakdown_units=tuple(args.unit),
        min_works=args.min_works,
    )  # fmt: skip
    check_indicator(args.indicator, definitions)
    progress = Progress()
    inputs = AnalysisInputs(load_tables_from_args(args, progress))
    show = ShowOptions(indicator=args.indicator, top=args.top, period=args.period)
    return run_analysis("breakdown", args, inputs, definitions, show, progress)
