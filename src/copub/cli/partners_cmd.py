"""``copub partners``: partner countries or institutions ranked by co-publications."""

from __future__ import annotations

import argparse

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.cli._analysis import add_output_options, run_analysis
from copub.cli._common import (
    add_definition_options,
    add_source_options,
    definitions_from_args,
    load_tables_from_args,
    positive_arg,
)
from copub.progress import Progress

__all__ = ["register", "run"]

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
EXAMPLE = "Example:\n  python -m copub partners --sample --kind country --group priority"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "partners", help="rank partner countries or institutions", description=HELP,
        epilog=EXAMPLE,
    )  # fmt: skip
    add_source_options(parser)
    parser.add_argument(
        "--kind", choices=("country", "institution"), default="country",
        help="partner type (default country)",
    )  # fmt: skip
    add_definition_options(parser, register=False)
    parser.add_argument(
        "--top", type=positive_arg, default=20, help="show the first N partners (default 20)"
    )
    parser.add_argument(
        "--group", metavar="KEY",
        help="only partners in this partner group, e.g. priority, lmic, enhance, infrastructure",
    )  # fmt: skip
    add_output_options(parser, out_help="write the table and partners.html here")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    definitions = definitions_from_args(args)
    progress = Progress()
    inputs = AnalysisInputs(load_tables_from_args(args, progress))
    show = ShowOptions(top=args.top, partner_kind=args.kind, group=args.group)
    return run_analysis("partners", args, inputs, definitions, show, progress)
