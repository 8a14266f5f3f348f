"""``copub report``: the yearly figures in the terminal, on stdout, or as a report directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.cli import eu_cmd
from copub.cli._analysis import (
    authors_from_args,
    eu_inputs_from_args,
    register_from_args,
    supports_unicode,
)
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
from copub.indicators.peers import peer_group
from copub.outdir import check_out_dir
from copub.progress import Progress
from copub.report.build import build_report
from copub.report.files import write_report
from copub.report.formats import comment_line, render_csv, render_json, render_markdown
from copub.report.options import ReportOptions
from copub.report.terminal import render_terminal

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
    parser.add_argument(
        "--replace", action="store_true",
        help="let --out replace a non-empty folder copub did not write",
    )  # fmt: skip
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


def options_from_args(args: argparse.Namespace, progress: Progress | None = None) -> ReportOptions:
    """The report options of the parsed arguments: one :class:`Definitions`, built once."""
    if args.out is not None:
        check_out_dir(args.out, replace=args.replace)  # before anything is computed or printed
    definitions = definitions_from_args(
        args,
        register=register_from_args(args),
        bootstrap=args.bootstrap,
        counting=args.counting,
        full_interval=args.full_interval,
        peer_group=args.peers,
        breakdown_by=args.by,
        eu_organisation=eu_cmd.eu_organisation(args),
    )
    if progress is not None and args.sample and settings_from_args(args).register is None:
        progress.note("using the synthetic world's channel register (--register to override)")
    return ReportOptions(definitions, top_partners=args.top)


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
    unicode = supports_unicode(sys.stdout)
    with eu_inputs_from_args(args, tables, progress) as eu:
        inputs = AnalysisInputs(tables, authors=authors_from_args(args, progress), eu=eu)
        data = build_report(
            tables, options, scope="files" if args.out is not None else "table",
            progress=progress, inputs=inputs, show=ShowOptions(unicode=unicode),
        )  # fmt: skip
    renderers = {"csv": render_csv, "json": render_json, "markdown": render_markdown}
    if args.format == "table":
        text = render_terminal(data, unicode=unicode)
    else:
        text = renderers[args.format](data)
    sys.stdout.write(text)
    sys.stdout.flush()
    if args.format == "csv":
        # The CSV itself is plain (one header row): its provenance goes to stderr.
        progress.note(comment_line(data).removeprefix("# "))
    if args.out is not None:
        write_report(data, args.out, progress=progress)
    if data.synthetic:
        progress.note("reminder: the numbers above come from SYNTHETIC sample data")
    return 0
