"""``copub eu``: EU programme participation, Horizon Europe against Horizon 2020, from CORDIS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.cli._analysis import (
    add_output_options,
    eu_inputs_from_args,
    run_analysis,
    supports_unicode,
)
from copub.cli._common import add_source_options, definitions_from_args, load_tables_from_args
from copub.errors import UsageError
from copub.normalize import Tables
from copub.progress import Progress

__all__ = ["add_eu_options", "eu_organisation", "register", "run"]

HELP = """EU projects won: per framework programme (H2020, Horizon Europe) and
programme part (ERC, MSCA, infrastructures, FET / EIC Pathfinder, Pillar 2
clusters or H2020 industrial leadership and societal challenges, widening),
the home organisation's projects, coordinated projects and EC contribution;
the Horizon Europe / H2020 ratios for the plan's "double" goals, raw and
pro-rated by year (Horizon Europe is still running); the Pillar 2 ranking of
higher-education participants (activityType HES).

--cordis takes a CORDIS download as downloaded (zip) or unpacked (folder with
project.csv, organization.csv, legalBasis.csv, topics.csv), a folder of only
legalBasis.csv and topics.csv (classifies other inputs' projects), or a
participation-summary CSV; give it once per file. --organisation names the
home organisation (a key of the mapping such as ntnu, a PIC, a VAT number, a
Norwegian organisation number or a name), then any to compare with; by
default the home organisation is the one the packaged mapping gives for
--institution (NTNU's for NTNU), and an institution with no mapping gets a
clear message, never another organisation's figures.

CSV and JSON carry the summary of the home organisation and its peers; --out
DIR writes every table (CSV and Parquet), the work-project links and eu.html.
"""
EXAMPLE = (
    "Example:\n  python -m copub eu --norway-grants h2020_grants_norway.csv "
    "--organisation 974767880"
)

def add_eu_options(parser: argparse.ArgumentParser) -> None:
    """``--cordis``, ``--norway-grants``, ``--organisation``, ``--organisations``."""
    parser.add_argument(
        "--cordis", type=Path, action="append", default=[], metavar="PATH",
        help="a CORDIS zip or folder, or a participation-summary CSV (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--norway-grants", type=Path, metavar="FILE",
        help="the Research Council of Norway's H2020 grants file (;-separated)",
    )  # fmt: skip
    parser.add_argument(
        "--organisation", action="append", default=[], metavar="ID",
        help="home organisation (default: the mapping's for --institution), then organisations "
        "to compare (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--organisations", type=Path, metavar="FILE",
        help="TOML mapping of organisations extending the default (NTNU and peers)",
    )  # fmt: skip


def eu_organisation(args: argparse.Namespace) -> str | None:
    """The home organisation ``--organisation`` names first, if any (else the mapping's)."""
    organisations = list(getattr(args, "organisation", []))
    if organisations and not organisations[0].strip():
        raise UsageError("--organisation must not be empty")
    return organisations[0] if organisations else None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "eu", help="EU programme participation from CORDIS", description=HELP, epilog=EXAMPLE
    )
    add_source_options(parser)
    add_eu_options(parser)
    add_output_options(parser, out_help="write every table and eu.html here")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.sample and (args.cordis or args.norway_grants is not None):
        raise UsageError(
            "--sample uses the synthetic CORDIS world: give --sample or --cordis/--norway-grants"
        )
    if not args.sample and not args.cordis and args.norway_grants is None:
        raise UsageError("eu: give --sample, --cordis PATH or --norway-grants FILE (see --help)")
    definitions = definitions_from_args(args, eu_organisation=eu_organisation(args))
    progress = Progress()
    # Works are linked to projects when there are tables: the sample's, or --data-dir's.
    tables = (
        load_tables_from_args(args, progress)
        if args.sample or args.data_dir is not None
        else Tables.empty()
    )
    show = ShowOptions(unicode=supports_unicode(sys.stdout))
    with eu_inputs_from_args(args, tables, progress) as eu:
        inputs = AnalysisInputs(tables, eu=eu)
        return run_analysis("eu", args, inputs, definitions, show, progress)
