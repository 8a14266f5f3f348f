"""``copub impact``: citation impact by collaboration type."""

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
    load_tables_from_args,
)
from copub.errors import UsageError
from copub.indicators.impact import IMPACT_DEFINITIONS
from copub.progress import Progress

__all__ = ["register", "run"]

HELP = f"""Citation impact of the institution's works by collaboration type:
domestic only, international, with each partner group (priority countries,
LMIC, EU, Nordic, ENHANCE, Nordic Five Tech, infrastructures, ...),
EU-funded, and by channel level when a register is given.

Per year (or 4-year window, or the whole range) and in both counting
methods: P(top 10%), PP(top 10%) and PP(top 1%), mean FWCI and the share with
FWCI >= 1, mean citations in a fixed window after publication, and the
coverage (works without a percentile or FWCI, never counted as 0); then the
difference between two types (default international - domestic) with a
seeded bootstrap 95% interval and a test.

Definitions: {IMPACT_DEFINITIONS}; not the Leiden Ranking's (its own
micro-fields, self-citations excluded). Years whose citation window is still
open are marked *. csv prints every column of the impact table; json also
carries the differences; --out DIR writes tables/impact, impact_difference and
impact_overall (CSV and Parquet), the figure, impact.html and provenance.json.
"""
EXAMPLE = (
    "Example:\n  python -m copub impact --sample --years 2015-2024 --by international "
    "--by domestic --by priority"
)


def _pair(text: str) -> tuple[str, str]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not two different collaboration types, e.g. international,domestic"
        )
    return parts[0], parts[1]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "impact", help="citation impact by collaboration type", description=HELP, epilog=EXAMPLE
    )
    add_source_options(parser)
    add_definition_options(parser, periods=False)
    parser.add_argument(
        "--by", action="append", metavar="TYPE",
        help="collaboration type (repeat, or comma-separated): all, domestic, international, "
        "a partner group key (priority, lmic, eu, nordic, enhance, n5t, infrastructure, ...), "
        "eu_funded, level2/level1/level0/not_in_register (with a register); default every type",
    )  # fmt: skip
    parser.add_argument(
        "--periods", choices=("year", "window", "all"), default="year",
        help="single years, rolling 4-year windows, or the whole range (default year)",
    )  # fmt: skip
    parser.add_argument(
        "--citation-window", type=count_arg, default=3, metavar="N",
        help="citations in the publication year and the N years after (default 3)",
    )  # fmt: skip
    parser.add_argument(
        "--compare", type=_pair, default=("international", "domestic"), metavar="A,B",
        help="the difference A - B with its interval and test (default international,domestic)",
    )  # fmt: skip
    parser.add_argument(
        "--counting", choices=("full", "fractional"), default="full",
        help="counting shown in the table (files and csv/json carry both)",
    )  # fmt: skip
    add_bootstrap_option(parser)
    add_output_options(parser, out_help="write the tables, the figure and impact.html here")
    parser.set_defaults(run=run)


def _collaborations(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    keys = [k.strip() for v in values for k in v.split(",")]
    if not all(keys):
        raise UsageError("--by needs collaboration type keys, e.g. --by international")
    return keys


def run(args: argparse.Namespace) -> int:
    collaborations = _collaborations(args.by)
    progress = Progress()
    # The sample's own register only when a level type is asked for (it is slow to build).
    wants_levels = any(k.startswith(("level", "not_in")) for k in collaborations or [])
    register = register_from_args(args) if wants_levels or not args.sample else None
    definitions = definitions_from_args(
        args, register=register, bootstrap=args.bootstrap, counting=args.counting,
        citation_window=args.citation_window,
    )  # fmt: skip
    inputs = AnalysisInputs(load_tables_from_args(args, progress))
    show = ShowOptions(
        period=args.periods,
        collaborations=tuple(collaborations) if collaborations else None,
        compare=args.compare,
    )
    return run_analysis("impact", args, inputs, definitions, show, progress)
