"""``copub mobility``: researcher mobility from OpenAlex author affiliation histories."""

from __future__ import annotations

import argparse

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.cli._analysis import add_output_options, authors_from_args, run_analysis
from copub.cli._common import (
    add_source_options,
    count_arg,
    definitions_from_args,
    load_tables_from_args,
    positive_arg,
    years_arg,
)
from copub.errors import CopubError, DataError
from copub.normalize import Tables
from copub.progress import Progress

__all__ = ["register", "run"]

HELP = """Recruitment from abroad, departures for abroad, concurrent foreign
affiliations, guests and early-career international experience, per year, from
the OpenAlex affiliation histories of the institution's authors (the authors
table that `fetch --authors` or `import` of /authors pages builds).

Definitions (N = --window, default 3): a home author in y has an affiliation
with the institution or a child unit listing y; recruited from abroad in y: the
first home year is y, with an affiliation in another country in the N years
before; left for abroad in y: a home author in y-1 and never again, with an
affiliation in another country in y or the N years after; concurrent: an
affiliation in another country in a home year; guest: at most --guest-years home
years, with foreign affiliations before and after; early career: at most
--early-career years since the first affiliation year. Shares have Wilson 95%
intervals.

OpenAlex histories come from publications (a year with no paper is invisible):
these are proxies, and every output says so.
"""
EXAMPLE = "Example:\n  python -m copub mobility --sample --years 2015-2025 --out ./mobility"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``mobility`` subcommand."""
    parser = sub.add_parser(
        "mobility",
        help="researcher mobility from author affiliation histories",
        description=HELP,
        epilog=EXAMPLE,
    )
    add_source_options(parser)
    parser.add_argument("--years", type=years_arg, help="years to report, e.g. 2015-2025")
    add_output_options(parser, out_help="write the tables, the figure and mobility.html here")
    parser.add_argument("--window", type=positive_arg, default=3, help="N years (default 3)")
    parser.add_argument(
        "--early-career", type=count_arg, default=6, help="early-career career age (default 6)"
    )
    parser.add_argument(
        "--guest-years", type=positive_arg, default=2, help="most home years of a guest (default 2)"
    )
    parser.add_argument(
        "--home-country",
        help="ISO alpha-2 country that abroad is measured from (default: "
        "the institution's own country in the data)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compute the figures, print them, and with ``--out`` write the files."""
    definitions = definitions_from_args(
        args, mobility_window=args.window, early_career_years=args.early_career,
        guest_max_years=args.guest_years, home_country=args.home_country,
    )  # fmt: skip
    progress = Progress()
    authors = authors_from_args(args, progress)
    if authors is None:
        raise DataError(
            "no authors table in the data directory: fetch with --authors, or import /authors pages"
        )
    try:
        tables = load_tables_from_args(args, progress)
    except CopubError:
        tables = Tables.empty()  # an authors table alone: no works, provenance unknown
    inputs = AnalysisInputs(tables, authors=authors)
    return run_analysis("mobility", args, inputs, definitions, ShowOptions(), progress)
