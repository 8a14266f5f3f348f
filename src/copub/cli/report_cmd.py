"""``copub report``: the yearly figures in the terminal, on stdout, or as a report directory."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TextIO

from copub.cli import eu_cmd
from copub.cli._common import (
    add_source_options,
    count_arg,
    load_tables_from_args,
    period_arg,
    positive_arg,
    settings_from_args,
    years_arg,
)
from copub.errors import UsageError
from copub.indicators.presets import PRESETS
from copub.progress import Progress
from copub.report.build import build_report
from copub.report.files import write_report
from copub.report.formats import render_csv, render_json, render_markdown
from copub.report.options import DEFAULT_BASELINE, DEFAULT_PLAN, ReportOptions
from copub.report.terminal import render_terminal
from copub.sample import sample_register_path

HELP = """The yearly figures a strategy office takes to its leadership.

Prints a table with one row per year (works, the international share with its
95% interval, priority-country, LMIC, alliance and level-2 shares), the plan
period against the baseline for every development goal, and a data-quality
line. --format csv|json|markdown prints every column instead. --out DIR also
writes every table (CSV and Parquet), the figures (PNG and SVG) and a
self-contained report.html.

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
    parser.add_argument("--years", type=years_arg, metavar="A-B", help="years to report")
    parser.add_argument(
        "--register", type=Path, metavar="FILE",
        help="Norwegian channel register (its export, or issn,year,level); default COPUB_REGISTER",
    )  # fmt: skip
    parser.add_argument(
        "--groups", type=Path, metavar="FILE", help="TOML partner groups extending the defaults"
    )
    parser.add_argument(
        "--baseline", type=period_arg, default=DEFAULT_BASELINE, metavar="A-B",
        help="baseline period (default 2018-2021)",
    )  # fmt: skip
    parser.add_argument(
        "--plan", type=period_arg, default=DEFAULT_PLAN, metavar="A-B",
        help="plan period (default 2022-2025)",
    )  # fmt: skip
    parser.add_argument(
        "--types", choices=("core", "all"),
        help="core: article, review, book-chapter, not retracted or paratext (default); all",
    )  # fmt: skip
    parser.add_argument(
        "--counting", choices=("full", "fractional"), default="full",
        help="counting shown in the table, goals and figures (files carry both)",
    )  # fmt: skip
    parser.add_argument(
        "--preset", choices=tuple(PRESETS), default="leiden", help="definition family"
    )
    parser.add_argument(
        "--bootstrap", type=count_arg, default=1000, metavar="N",
        help="resamples for the fractional intervals (default 1000; 0: none)",
    )  # fmt: skip
    parser.add_argument(
        "--top", type=positive_arg, default=15, metavar="N",
        help="partners listed in the report's partner review (default 15)",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=("table", "csv", "json", "markdown"), default="table",
        help="stdout format (default table)",
    )  # fmt: skip
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="write tables, figures and report.html here"
    )
    eu_cmd.add_eu_options(parser)
    parser.set_defaults(run=run)


def _supports_unicode(stream: TextIO) -> bool:
    try:
        "↑↓→–…".encode(stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def options_from_args(args: argparse.Namespace) -> ReportOptions:
    """The report options of the parsed arguments (the register from Settings too)."""
    settings = settings_from_args(args)
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} exists and is not a directory")
    return ReportOptions(
        institution=args.institution,
        years=args.years,
        baseline=args.baseline,
        plan=args.plan,
        types=args.types,
        counting=args.counting,
        preset=args.preset,
        bootstrap=args.bootstrap,
        register=settings.register,
        groups=args.groups,
        top_partners=args.top,
    )


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    progress = Progress()
    if args.sample:
        progress.note(f"loading the synthetic sample (seed {args.seed}, scale {args.scale:g})")
    tables = load_tables_from_args(args, progress)
    if args.sample and options.register is None:
        # The synthetic world has its own matching register; using it shows the
        # level-2 indicators without a download. A real register still wins.
        options = dataclasses.replace(
            options,
            register=sample_register_path(
                args.seed, args.scale, settings=settings_from_args(args)
            ),
        )
        progress.note("using the synthetic world's channel register (--register to override)")
    if tables.provenance.synthetic:
        progress.note("WARNING: SYNTHETIC SAMPLE DATA: these are not real publications")
    data = build_report(
        tables, options, scope="files" if args.out is not None else "table", progress=progress
    )
    eu = eu_cmd.eu_from_args(args, sample=args.sample, seed=args.seed, tables=tables)
    data = data.with_(eu=eu)
    renderers = {"csv": render_csv, "json": render_json, "markdown": render_markdown}
    if args.format == "table":
        text = render_terminal(data, unicode=_supports_unicode(sys.stdout))
    else:
        text = renderers[args.format](data)
    sys.stdout.write(text)
    sys.stdout.flush()
    if args.out is not None:
        write_report(data, args.out, progress=progress)
    if data.synthetic:
        progress.note("reminder: the numbers above come from SYNTHETIC sample data")
    return 0
