"""``copub points``: Norwegian publication points (NVI), as the national system computes them."""

from __future__ import annotations

import argparse

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.cli._analysis import add_output_options, register_from_args, run_analysis
from copub.cli._common import (
    add_definition_options,
    add_source_options,
    definitions_from_args,
    institution_arg,
    load_tables_from_args,
)
from copub.progress import Progress

__all__ = ["register", "run"]

HELP = """Publication points of the Norwegian Publication Indicator (NVI), per year,
computed from OpenAlex records with the national research-documentation
system's rules (BIBSYSDEV/nva-nvi): base points by publication type and channel
level (journal article or review: level 1 -> 1, level 2 -> 3; monograph 5 / 8;
chapter in a series 1 / 3), times 1.3 for international co-authorship, times the
square root of the institution's share of the author shares, rounded to 4
decimals half-up.

Levels come from the channel register for the work's year (--register, or
COPUB_REGISTER; --sample uses the synthetic world's own). Without a register
the points are unavailable, never zero. --peers GROUP or --peer ID adds the
peers' points beside the home's. Every output says where OpenAlex data
differs from the national system's (authors without affiliation, channel
types, which publication types count).
"""
EXAMPLE = "Example:\n  python -m copub points --sample --years 2018-2024 --out ./points"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "points", help="Norwegian publication points (NVI) per year", description=HELP,
        epilog=EXAMPLE,
    )  # fmt: skip
    add_source_options(parser)
    add_definition_options(parser, periods=False)
    parser.add_argument("--peers", metavar="GROUP", help="add the members of a group, e.g. n5t")
    parser.add_argument(
        "--peer", type=institution_arg, action="append", default=[], metavar="ID",
        help="add a peer institution (repeatable)",
    )  # fmt: skip
    add_output_options(parser, out_help="write the tables, the figure and points.html here")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    definitions = definitions_from_args(
        args, register=register_from_args(args), peer_group=args.peers, peers=tuple(args.peer),
        bootstrap=0,
    )  # fmt: skip
    if args.peers is not None:
        from copub.indicators.peers import peer_group

        peer_group(args.peers, definitions)  # an unknown group fails before loading
    progress = Progress()
    inputs = AnalysisInputs(load_tables_from_args(args, progress))
    return run_analysis("points", args, inputs, definitions, ShowOptions(), progress)
