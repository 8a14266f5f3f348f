"""``copub report``: the yearly figures in the terminal, on stdout, or as a report directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from copub.classify.definitions import Definitions
from copub.cli import eu_cmd
from copub.cli._common import (
    add_bootstrap_option,
    add_definition_options,
    add_format_option,
    add_source_options,
    definitions_from_args,
    load_tables_from_args,
    positive_arg,
    settings_from_args,
)
from copub.errors import DataError, UsageError
from copub.indicators.breakdown import breakdown_indicators
from copub.indicators.mobility import MobilityResult, mobility_indicators
from copub.indicators.peers import peer_group, peer_indicators
from copub.normalize import Tables
from copub.normalize.authors import authors_path, load_authors
from copub.progress import Progress
from copub.report.build import build_report
from copub.report.files import check_out_dir, write_report
from copub.report.formats import comment_line, render_csv, render_json, render_markdown
from copub.report.mobility_section import mobility_terminal
from copub.report.options import ReportOptions
from copub.report.peers_section import (
    ExtraSection,
    breakdown_section,
    peers_section,
)
from copub.report.terminal import render_terminal
from copub.sample import sample_register_path

HELP = """The yearly figures a strategy office takes to its leadership.

Prints a table with one row per year (works, the international share with its
95% interval, priority-country, LMIC, alliance and level-2 shares), the plan
period against the baseline for every development goal, and a data-quality
line. --format csv|json|markdown prints every column instead (csv is plain
CSV with one header row; its provenance goes to stderr). --out DIR also
writes every table (CSV, Parquet and report.xlsx), the figures (PNG and SVG)
and a self-contained report.html.

Output made from --sample says on stderr and in every file that the data is
synthetic. The register also comes from COPUB_REGISTER.
"""
EXAMPLE = "Example:\n  python -m copub report --sample --out ./report --register channels.csv"


# argparse shows an ArgumentTypeError's own words; a ValueError's (UsageError's) it hides.


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "report", help="the yearly figures, goals and report files", description=HELP,
        epilog=EXAMPLE,
    )  # fmt: skip
    add_source_options(parser)
    add_definition_options(parser)
    parser.add_argument(
        "--counting", choices=("full", "fractional"), default="full",
        help="counting shown in the table, goals and figures (files carry both)",
    )  # fmt: skip
    add_bootstrap_option(parser)
    parser.add_argument(
        "--full-interval", choices=("wilson", "bootstrap"), default="wilson",
        help="interval of the full-counting shares: Wilson (default) or the Leiden bootstrap",
    )  # fmt: skip
    parser.add_argument(
        "--top", type=positive_arg, default=15, metavar="N",
        help="partners listed in the report's partner review (default 15)",
    )  # fmt: skip
    add_format_option(parser)
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="write tables, figures and report.html here"
    )
    eu_cmd.add_eu_options(parser)
    parser.add_argument(
        "--peers", metavar="GROUP",
        help="add a section beside the members of an institution group, e.g. n5t",
    )  # fmt: skip
    parser.add_argument(
        "--by", choices=("field", "domain", "subfield", "unit"),
        help="add a section broken down by OpenAlex field, domain, subfield or unit",
    )  # fmt: skip
    parser.set_defaults(run=run)


def _supports_unicode(stream: TextIO) -> bool:
    try:
        "↑↓→–…".encode(stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _register_path(args: argparse.Namespace) -> tuple[Path | None, bool]:
    """``--register``, else ``COPUB_REGISTER``, else (with ``--sample``) the sample's own.

    The flag says whether the sample's own register is used.
    """
    settings = settings_from_args(args)
    if settings.register is not None:
        return settings.register, False
    if getattr(args, "sample", False):
        # The synthetic world has its own matching register; using it shows the
        # level-2 indicators without a download. A real register still wins.
        return sample_register_path(args.seed, args.scale, settings=settings), True
    return None, False


def options_from_args(args: argparse.Namespace, progress: Progress | None = None) -> ReportOptions:
    """The report options of the parsed arguments: one :class:`Definitions`, built once."""
    if args.out is not None:
        check_out_dir(args.out)  # before anything is computed or printed
    register_path, own = _register_path(args)
    definitions = definitions_from_args(
        args,
        register=register_path,
        bootstrap=args.bootstrap,
        counting=args.counting,
        full_interval=args.full_interval,
    )
    if own and progress is not None:
        progress.note("using the synthetic world's channel register (--register to override)")
    return ReportOptions(
        definitions=definitions,
        types=args.types,
        register=register_path,
        groups=args.groups,
        top_partners=args.top,
    )


def _mobility(
    args: argparse.Namespace, institution: str, progress: Progress
) -> MobilityResult | None:
    """The mobility section's figures when author histories are at hand, else None.

    The section is optional: when the authors table cannot give it (no author of
    the institution in it, say), the report says why on stderr and goes on.
    """
    settings = settings_from_args(args)
    if args.sample:
        from copub.sample.author_histories import load_sample_authors

        authors = load_sample_authors(args.seed, args.scale, settings=settings)
    elif authors_path(settings.data_dir).is_file():
        authors = load_authors(settings.data_dir)
    else:
        return None
    if authors.height == 0:
        return None
    try:
        return mobility_indicators(authors, institution, years=getattr(args, "years", None))
    except (UsageError, DataError) as exc:
        progress.note(f"researcher mobility left out of the report: {exc}")
        return None


def _extra_sections(
    args: argparse.Namespace, tables: Tables, definitions: Definitions, progress: Progress
) -> list[ExtraSection]:
    """The ``--peers`` and ``--by`` sections (none without those options)."""
    sections = []
    synthetic = tables.provenance.synthetic
    if args.peers is not None:
        progress.note(f"computing the figures beside the members of {args.peers}")
        result = peer_indicators(tables, definitions, group=args.peers)
        for missing in result.unresolved:
            progress.note(f"not in the data: {missing}")
        sections.append(peers_section(result, synthetic=synthetic))
    if args.by is not None:
        progress.note(f"breaking the figures down by {args.by}")
        breakdown = breakdown_indicators(tables, definitions, by=args.by)
        sections.append(breakdown_section(breakdown, synthetic=synthetic))
    return sections


def run(args: argparse.Namespace) -> int:
    progress = Progress()
    options = options_from_args(args, progress)
    if args.peers is not None:
        peer_group(args.peers, options.defs)  # an unknown group fails before loading
    if args.sample:
        progress.note(f"loading the synthetic sample (seed {args.seed}, scale {args.scale:g})")
    tables = load_tables_from_args(args, progress)
    if tables.provenance.synthetic:
        progress.note("WARNING: SYNTHETIC SAMPLE DATA: these are not real publications")
    data = build_report(
        tables, options, scope="files" if args.out is not None else "table", progress=progress
    )
    eu = eu_cmd.eu_from_args(args, sample=args.sample, seed=args.seed, tables=tables)
    data = data.with_(eu=eu)
    sections = _extra_sections(args, tables, options.defs, progress)
    renderers = {"csv": render_csv, "json": render_json, "markdown": render_markdown}
    if args.format == "table":
        text = render_terminal(data, unicode=_supports_unicode(sys.stdout))
    else:
        text = renderers[args.format](data)
    mobility = _mobility(args, options.institution, progress)
    if mobility is not None and args.format == "table":
        text += mobility_terminal(mobility, synthetic=data.synthetic)
    sys.stdout.write(text)
    if args.format == "table":
        for section in sections:
            sys.stdout.write(f"\n{section.title}\n{section.text}")
    sys.stdout.flush()
    if args.format == "csv":
        # The CSV itself is plain (one header row): its provenance goes to stderr.
        progress.note(comment_line(data).removeprefix("# "))
    if args.out is not None:
        write_report(data, args.out, progress=progress, mobility=mobility, sections=sections)
    if data.synthetic:
        progress.note("reminder: the numbers above come from SYNTHETIC sample data")
    return 0
