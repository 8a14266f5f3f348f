"""``copub peers``: the home institution beside its peers, year by year or by window."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import polars as pl

from copub.atomic import atomic_write
from copub.classify.definitions import Definitions
from copub.cli._common import (
    add_bootstrap_option,
    add_definition_options,
    add_format_option,
    add_source_options,
    count_arg,
    definitions_from_args,
    institution_arg,
    load_tables_from_args,
    settings_from_args,
)
from copub.errors import UsageError
from copub.indicators.catalogue import indicator_specs
from copub.indicators.definitions import share_column
from copub.indicators.peers import peer_group, peer_indicators
from copub.progress import Progress
from copub.report.formats import csv_frame, markdown_table, write_csv_text
from copub.report.peers_section import peers_text
from copub.sample import sample_register_path
from copub.settings import DEFAULT_INSTITUTION

__all__ = ["SYNTHETIC", "register", "register_path", "run"]

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

SYNTHETIC = "SYNTHETIC sample data: not real publications"


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
    add_format_option(parser)
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="write peers.csv, peers.parquet, shared_works.csv"
    )
    parser.set_defaults(run=run)


def register_path(args: argparse.Namespace) -> Path | None:
    """``--register``, else ``COPUB_REGISTER``, else (with ``--sample``) the sample's own."""
    settings = settings_from_args(args)
    if settings.register is not None:
        return settings.register
    if getattr(args, "sample", False):
        return sample_register_path(args.seed, args.scale, settings=settings)
    return None


def _definitions(args: argparse.Namespace) -> Definitions:
    if args.window < 1:
        raise UsageError("--window must be 1 or more years")
    home = argparse.Namespace(**{**vars(args), "institution": args.home})
    return definitions_from_args(
        home, register=register_path(args), bootstrap=args.bootstrap, window=args.window
    )


def run(args: argparse.Namespace) -> int:
    definitions = _definitions(args)
    if args.group is None and not args.institution:
        raise UsageError("peers: give --group KEY or at least one --institution ID")
    if args.group is not None:
        peer_group(args.group, definitions)  # an unknown group fails before loading data
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
    result = peer_indicators(
        tables, definitions, peers=args.institution, group=args.group, period=args.period
    )
    for missing in result.unresolved:
        progress.note(f"not in the data: {missing}")
    by = "year" if args.period == "year" else "period"
    table = result.table
    # Plain RFC 4180 CSV like every copub table; the synthetic column marks sample data.
    csv_text = write_csv_text(csv_frame(table, synthetic=synthetic))
    if synthetic:
        table = table.with_columns(synthetic=pl.lit(True))
    if args.format == "csv":
        sys.stdout.write(csv_text)
    elif args.format == "json":
        sys.stdout.write(table.write_json() + "\n")
    elif args.format == "markdown":
        share = share_column(args.indicator)
        shown = result.table.select(
            by, "institution_name", "is_home", "works", share, f"{share}_low", f"{share}_high",
            f"{share}_frac", f"{share}_rank", f"{share}_vs_home_p",
        )  # fmt: skip
        print(markdown_table(shown))
        if synthetic:
            print(f"\n_{SYNTHETIC}_")
    else:
        sys.stdout.write(peers_text(result, args.indicator))
        if synthetic:
            print(SYNTHETIC)
    if args.out is not None:
        shared = write_csv_text(csv_frame(result.shared, synthetic=synthetic))
        atomic_write(args.out / "peers.csv", csv_text.encode())
        atomic_write(args.out / "shared_works.csv", shared.encode())
        parquet = io.BytesIO()
        table.write_parquet(parquet)
        atomic_write(args.out / "peers.parquet", parquet.getvalue())
        progress.note(f"wrote peers.csv, peers.parquet and shared_works.csv to {args.out}")
    return 0
