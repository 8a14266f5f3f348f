"""``copub network``: a co-authorship network and its files."""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, get_args

from copub.cli._common import (
    add_definition_options,
    add_source_options,
    definitions_from_args,
    load_tables_from_args,
    positive_arg,
    seed_arg,
)
from copub.errors import DataError, UsageError
from copub.networks import (
    ExportFormat,
    export_networks,
    plot_country_network,
    plot_partner_network,
)
from copub.networks.export import write_error
from copub.networks.frames import LAYOUT_MAX_NODES
from copub.networks.html_page import DEFAULT_MAX_AUTHORS, DEFAULT_MAX_LINKS, check_page_caps
from copub.networks.normalize import Normalization
from copub.networks.plot_periods import plot_ego_periods
from copub.networks.prepared import prepare_network
from copub.networks.works_export import WorksFormat, export_with_works
from copub.outdir import building, check_out_dir
from copub.progress import Progress

__all__ = ["register", "run"]

HELP = """Build a co-authorship network of the institution's works and write it for
VOSviewer, Gephi, Pajek or any GEXF/GraphML reader, as an interactive page
(--format html: one self-contained file; click a node or a link for the
works behind it), as a VOSviewer Online map (--format vosviewer-json) or as
a dynamic GEXF with one spell per year for Gephi's timeline (--format
gexf-dynamic).

Nodes are countries (ISO alpha-2), institutions or authors (OpenAlex ids);
the edge weight counts shared works (--counting full) or sums 1/(n-1) over
them (--counting fractional, n = nodes of the work, as VOSviewer does).
Works with more than --max-nodes-per-work nodes are skipped (default: no cap
for countries, 50 for institutions and authors); a network that could have
more than 20 million links is refused unless --force. The page and the
VOSviewer Online map show the author network as an ego view of the
--max-authors authors with most works, and draw home's links and the
strongest others up to --max-links. Every export also writes an _about.txt
note with the data's origin and the options.
"""
EXAMPLE = (
    "Examples:\n  python -m copub network --sample --kind country --format vosviewer --out ./net\n"
    "  python -m copub network --sample --kind institution --format html --out ./net"
)


def nodes_cap(text: str) -> int | Literal["auto"] | None:
    """argparse type of ``--max-nodes-per-work``: N (2 or more), ``none`` or ``auto``.

    argparse names the type function in its message for any other error
    than ArgumentTypeError, so only that one is raised here.
    """
    if text.lower() == "auto":
        return "auto"
    if text.lower() in ("none", "off", "0"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number, 'none' or 'auto'"
        ) from None
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"{value} is too small: a work needs at least 2 nodes to link them "
            "(give 2 or more, or 'none' for no cap)"
        )
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
        choices=(*get_args(ExportFormat), *get_args(WorksFormat)),
        help="file format; repeat for several (default gexf)",
    )
    parser.add_argument(
        "--max-authors",
        type=positive_arg,
        default=DEFAULT_MAX_AUTHORS,
        help=f"author page and VOSviewer Online map: the N authors with most works "
        f"(2-{LAYOUT_MAX_NODES}, default {DEFAULT_MAX_AUTHORS})",
    )
    parser.add_argument(
        "--max-links",
        type=positive_arg,
        default=DEFAULT_MAX_LINKS,
        help=f"page and VOSviewer Online map: home's links and the strongest others, "
        f"up to N (default {DEFAULT_MAX_LINKS:,})",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="build a network that could have more than 20 million links",
    )
    parser.add_argument(
        "--top", type=positive_arg, help="keep only the N nodes with most works (and home)"
    )
    parser.add_argument(
        "--max-nodes-per-work",
        type=nodes_cap,
        default="auto",
        metavar="N|none|auto",
        help="skip works with more nodes (auto: none for countries, else 50)",
    )
    parser.add_argument(
        "--plot",
        action="store_true",
        help="also draw the network and home's links in the baseline and plan periods "
        "(PNG and SVG; country or institution)",
    )
    parser.add_argument(
        "--layout-seed",
        type=seed_arg,
        default=0,
        help="seed of the layout and the Louvain clusters (0 to 2**32-1)",
    )
    parser.add_argument(
        "--out", type=Path, required=True,
        help="output directory (built beside and swapped in whole)",
    )  # fmt: skip
    parser.add_argument(
        "--replace", action="store_true",
        help="let --out replace a non-empty folder copub did not write",
    )  # fmt: skip
    parser.set_defaults(run=run)


@contextlib.contextmanager
def _named_as(folder: Path, final: Path) -> Iterator[None]:
    """Errors name ``--out`` (``final``), never the folder being built beside it."""
    try:
        yield
    except DataError as exc:
        raise DataError(str(exc).replace(str(folder), str(final))) from exc


def run(args: argparse.Namespace) -> int:
    definitions = definitions_from_args(args)
    check_page_caps(args.max_authors, args.max_links)
    check_out_dir(args.out, replace=args.replace)  # before any work
    progress = Progress()
    tables = load_tables_from_args(args, progress)
    started = time.perf_counter()
    # Frames, not a networkx graph: every export format is written from them,
    # and an author network of millions of links would take most of the
    # command's time and memory as a graph.
    prepared = prepare_network(
        tables,
        args.kind,
        definitions,
        counting=args.counting,
        normalization=args.normalization,
        max_nodes_per_work=args.max_nodes_per_work,
        progress=progress,
        force=args.force,
    )
    network = prepared.network
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
    final = Path(args.out)
    what = f"copub network ({args.kind})"
    if tables.provenance.synthetic:
        what += "; SYNTHETIC SAMPLE DATA: not real publications"
    with (
        building(final, replace=args.replace, what=what) as folder,
        _named_as(folder, final),
    ):
        formats = args.formats or ["gexf"]
        works_formats = [f for f in formats if f in get_args(WorksFormat)]
        pictures: list[Path] = []
        try:
            if args.plot:
                stem = folder / f"{args.kind}_network"
                if args.kind == "country":
                    pictures = plot_country_network(network.to_graph(), stem, seed=args.layout_seed)
                elif args.kind == "institution":
                    pictures = plot_partner_network(network.to_graph(), stem, seed=args.layout_seed)
                else:
                    progress.note("--plot draws country and institution networks only; skipped")
                if args.kind != "author":
                    try:
                        pictures += plot_ego_periods(
                            prepared, folder / f"{args.kind}_network_periods", seed=args.layout_seed
                        )
                    except UsageError as exc:  # no partner in the periods, say, in a small data set
                        progress.note(f"the baseline/plan picture is skipped: {exc}")
        except OSError as exc:
            raise write_error(exc, "the pictures", final) from exc
        with_works = export_with_works(
            prepared,
            folder,
            works_formats,
            max_authors=args.max_authors,
            max_links=args.max_links,
            top=args.top,
            seed=args.layout_seed,
            progress=progress,
        )
        # One _about.txt for the directory lists every file: all formats and the pictures.
        written = (
            pictures
            + with_works
            + export_networks(
                network,
                folder,
                [f for f in formats if f in get_args(ExportFormat)],
                seed=args.layout_seed,
                progress=progress,
                also_listed=pictures + with_works,
            )
        )
    # The files as they stand now, in the folder swapped into place.
    written = [final / path.relative_to(folder) for path in written]
    for path in dict.fromkeys(written):
        print(path)
    return 0
