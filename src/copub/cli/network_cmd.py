"""``copub network``: a co-authorship network and its files."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Literal, get_args

from copub.cli._common import (
    add_definition_options,
    add_source_options,
    definitions_from_args,
    load_tables_from_args,
    positive_arg,
)
from copub.errors import UsageError
from copub.networks import (
    ExportFormat,
    build_network_frames,
    export_networks,
    plot_country_network,
    plot_partner_network,
)
from copub.networks.normalize import Normalization
from copub.progress import Progress

__all__ = ["register", "run"]

HELP = """Build a co-authorship network of the institution's works and write it for
VOSviewer, Gephi, Pajek or any GEXF/GraphML reader.

Nodes are countries (ISO alpha-2), institutions or authors (OpenAlex ids);
the edge weight counts shared works (--counting full) or sums 1/(n-1) over
them (--counting fractional, n = nodes of the work, as VOSviewer does).
Works with more than --max-nodes-per-work nodes are skipped (default: no cap
for countries, 50 for institutions and authors). Every export also writes an
_about.txt note with the data's origin and the options.
"""
EXAMPLE = (
    "Example:\n  python -m copub network --sample --kind country --format vosviewer --out ./net"
)


def _cap(text: str) -> int | Literal["auto"] | None:
    if text.lower() == "auto":
        return "auto"
    if text.lower() in ("none", "off", "0"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--max-nodes-per-work {text!r} is not a number or 'none'") from None
    if value < 2:
        raise UsageError(f"--max-nodes-per-work must be at least 2 (or 'none'), not {value}")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "network",
        help="build a co-authorship network and export it",
        description=HELP,
        epilog=EXAMPLE,
    )
    add_source_options(parser)
    parser.add_argument(
        "--kind",
        choices=("country", "institution", "author"),
        default="country",
        help="node type (default country)",
    )
    add_definition_options(parser, periods=False, register=False)
    parser.add_argument(
        "--counting",
        choices=("full", "fractional"),
        default="full",
        help="edge weight: shared works or fractional (default full)",
    )
    parser.add_argument(
        "--normalization",
        choices=get_args(Normalization),
        help="also store this similarity index on every edge",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=get_args(ExportFormat),
        help="file format; repeat for several (default gexf)",
    )
    parser.add_argument(
        "--top", type=positive_arg, help="keep only the N nodes with most works (and home)"
    )
    parser.add_argument(
        "--max-nodes-per-work",
        type=_cap,
        default="auto",
        metavar="N|none|auto",
        help="skip works with more nodes (auto: none for countries, else 50)",
    )
    parser.add_argument(
        "--plot",
        action="store_true",
        help="also draw the network (PNG and SVG; country or institution)",
    )
    parser.add_argument(
        "--layout-seed", type=int, default=0, help="seed of the layout and the Louvain clusters"
    )
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    definitions = definitions_from_args(args)
    progress = Progress()
    tables = load_tables_from_args(args, progress)
    started = time.perf_counter()
    # Frames, not a networkx graph: every export format is written from them,
    # and an author network of millions of links would take most of the
    # command's time and memory as a graph.
    network = build_network_frames(
        tables,
        args.kind,
        definitions,
        counting=args.counting,
        normalization=args.normalization,
        max_nodes_per_work=args.max_nodes_per_work,
        progress=progress,
    )
    seconds = time.perf_counter() - started
    if args.top is not None:
        network = network.top(args.top)
    summary = network.summary()
    about = network.attributes
    progress.note(
        f"{args.kind} network: {summary.nodes} nodes, {summary.edges} edges, "
        f"{summary.components} component(s), density {summary.density:.3f}; "
        f"{about['works_in_network']} of {about['works_in_universe']} works "
        f"({about['skipped_works']} skipped by the cap); built in {seconds:.2f} s"
    )
    if tables.provenance.synthetic:
        progress.note("SYNTHETIC sample data: not real publications")
    pictures: list[Path] = []
    if args.plot:
        stem = args.out / f"{args.kind}_network"
        if args.kind == "country":
            pictures = plot_country_network(network.to_graph(), stem, seed=args.layout_seed)
        elif args.kind == "institution":
            pictures = plot_partner_network(network.to_graph(), stem, seed=args.layout_seed)
        else:
            progress.note("--plot draws country and institution networks only; skipped")
    # One _about.txt for the directory lists every file: all formats and the pictures.
    written = pictures + export_networks(
        network,
        args.out,
        args.formats or ["gexf"],
        seed=args.layout_seed,
        progress=progress,
        also_listed=pictures,
    )
    for path in dict.fromkeys(written):
        print(path)
    return 0
