"""``copub peers``: the home institution beside its peers, year by year or by window."""

from __future__ import annotations

import argparse

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.classify.definitions import Definitions
from copub.cli._analysis import add_output_options, register_from_args, run_analysis
from copub.cli._common import (
    add_bootstrap_option,
    add_definition_options,
    add_source_options,
    count_arg,
    definitions_from_args,
    institution_arg,
    load_tables_from_args,
)
from copub.errors import UsageError
from copub.indicators.catalogue import indicator_specs
from copub.indicators.peers import peer_group
from copub.progress import Progress
from copub.settings import DEFAULT_INSTITUTION

__all__ = ["register", "run"]

HELP = """Compare the home institution with its peers: one row per institution and
year (--period window: per rolling window), with the same shares and
intervals as `copub report`, each institution's rank among them (1 =
highest) and a mark where a peer differs from the home institution
(two-proportion z-test, p < 0.05: '*'). The home institution is marked
'(home)'. Below, the shares of each institution's works that it shares with
each of the others.

Peers come from --group (n5t, enhance, norway_universities, or a group of
your --groups file) or from --institution (repeatable). Group members that do
not occur in the data are listed, never silently dropped. The table shows
one share (--indicator, default intl); csv, json and --out carry every column.
"""
EXAMPLE = "Example:\n  python -m copub peers --sample --group n5t --years 2016-2019 --period window"

def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "peers", help="the home institution beside its peers", description=HELP, epilog=EXAMPLE
    )
    add_source_options(parser, institution=False)
    parser.add_argument(
        "--home", type=institution_arg, default=DEFAULT_INSTITUTION, metavar="ID",
        help=f"the home institution (default {DEFAULT_INSTITUTION}, NTNU)",
    )  # fmt: skip
    parser.add_argument(
        "--institution", type=institution_arg, action="append", default=[], metavar="ID",
        help="a peer institution (repeatable)",
    )  # fmt: skip
    parser.add_argument("--group", metavar="KEY", help="an institution group, e.g. n5t")
    add_definition_options(parser, periods=False)
    parser.add_argument(
        "--period", choices=("year", "window"), default="year",
        help="rows per year (default) or per rolling window of --window years",
    )  # fmt: skip
    parser.add_argument(
        "--window", type=count_arg, default=4, metavar="N", help="window size (default 4)"
    )
    parser.add_argument(
        "--indicator", default="intl", metavar="KEY",
        help="the share the terminal table shows (default intl)",
    )  # fmt: skip
    add_bootstrap_option(parser)
    add_output_options(parser, out_help="write the tables (peers, peers_shared_works), the figure "
                       "and peers.html here")  # fmt: skip
    parser.set_defaults(run=run)


def check_indicator(indicator: str, definitions: Definitions) -> None:
    """Fail early on a ``--indicator`` that names no share of these definitions."""
    stems = [s.name for s in indicator_specs(definitions)]
    if indicator not in stems:
        raise UsageError(f"--indicator {indicator!r} is not a share; known: {', '.join(stems)}")


def run(args: argparse.Namespace) -> int:
    if args.group is None and not args.institution:
        raise UsageError("peers: give --group KEY or at least one --institution ID")
    home = argparse.Namespace(**{**vars(args), "institution": args.home})
    definitions = definitions_from_args(
        home, register=register_from_args(args), bootstrap=args.bootstrap,
        period_window=args.window, peer_group=args.group, peers=tuple(args.institution),
    )  # fmt: skip
    if args.group is not None:
        peer_group(args.group, definitions)  # an unknown group fails before loading data
    check_indicator(args.indicator, definitions)
    progress = Progress()
    inputs = AnalysisInputs(load_tables_from_args(args, progress))
    show = ShowOptions(indicator=args.indicator, period=args.period)
    return run_analysis("peers", args, inputs, definitions, show, progress)
