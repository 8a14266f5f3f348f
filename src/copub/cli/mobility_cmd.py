"""``copub mobility``: researcher mobility from OpenAlex author affiliation histories."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from copub.cli._common import add_source_options, positive_arg, settings_from_args, years_arg
from copub.indicators.mobility import MobilityDefinitions, MobilityResult, mobility_indicators
from copub.normalize import load_tables
from copub.normalize.authors import load_authors
from copub.progress import Progress
from copub.report.formats import markdown_table
from copub.report.mobility_section import flow_table, mobility_terminal, write_mobility

__all__ = ["register", "run"]

HELP = """Recruitment from abroad, departures for abroad, concurrent foreign
affiliations, guests and early-career international experience, per year, from
the OpenAlex affiliation histories of the institution's authors (the authors
table that `fetch --authors` or `import` of /authors pages builds).

Definitions (N = --window, default 3): a home author in y has an affiliation
with the institution or a child unit listing y; recruited from abroad in y: the
first home year is y, with an affiliation in another country in the N years
before; left for abroad in y: a home author in y-1 and never again, with an
affiliation in another country in y or the N years after; concurrent: an
affiliation in another country in a home year; guest: at most --guest-years home
years, with foreign affiliations before and after; early career: at most
--early-career years since the first affiliation year. Shares have Wilson 95%
intervals.

OpenAlex histories come from publications (a year with no paper is invisible):
these are proxies, and every output says so.
"""
EXAMPLE = "Example:\n  python -m copub mobility --sample --years 2015-2025 --out ./mobility"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``mobility`` subcommand."""
    parser = sub.add_parser(
        "mobility",
        help="researcher mobility from author affiliation histories",
        description=HELP,
        epilog=EXAMPLE,
    )
    add_source_options(parser)
    parser.add_argument("--years", type=years_arg, help="years to report, e.g. 2015-2025")
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json", "markdown"),
        default="table",
        help="stdout format (default table)",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="write tables and the figure here")
    parser.add_argument("--window", type=positive_arg, default=3, help="N years (default 3)")
    parser.add_argument(
        "--early-career", type=int, default=6, help="early-career career age (default 6)"
    )
    parser.add_argument(
        "--guest-years", type=positive_arg, default=2, help="most home years of a guest (default 2)"
    )
    parser.add_argument(
        "--home-country",
        help="ISO alpha-2 country that abroad is measured from (default: "
        "the institution's own country in the data)",
    )
    parser.set_defaults(run=run)


def _load(args: argparse.Namespace, progress: Progress) -> tuple[MobilityResult, bool]:
    settings = settings_from_args(args)
    definitions = MobilityDefinitions(
        window=args.window, early_career_years=args.early_career, guest_max_years=args.guest_years
    )
    if args.sample:
        from copub.sample.author_histories import load_sample_authors

        progress.note(
            f"loading the synthetic sample's authors (seed {args.seed}, scale {args.scale:g})"
        )
        authors = load_sample_authors(args.seed, args.scale, settings=settings)
        synthetic = True
    else:
        authors = load_authors(settings.data_dir)
        try:
            synthetic = load_tables(settings.data_dir).provenance.synthetic
        except Exception:
            synthetic = False
    result = mobility_indicators(
        authors,
        args.institution,
        years=args.years,
        home_country=args.home_country,
        definitions=definitions,
    )
    return result, synthetic


def run(args: argparse.Namespace) -> int:
    """Compute the figures, print them, and with ``--out`` write the files."""
    progress = Progress()
    result, synthetic = _load(args, progress)
    if synthetic:
        progress.note("WARNING: SYNTHETIC SAMPLE DATA: invented author histories")
    progress.note(result.note)
    comment = ("SYNTHETIC; " if synthetic else "") + result.note
    if args.format == "table":
        text = mobility_terminal(result, synthetic=synthetic)
    elif args.format == "csv":
        text = f"# {comment}\n" + result.yearly.write_csv()
    elif args.format == "json":
        payload = {
            "note": result.note,
            "synthetic": synthetic,
            "institution": result.institution,
            "home_country": result.home_country,
            "years": list(result.years),
            "definitions": list(result.definitions.describe()),
            "yearly": result.yearly.to_dicts(),
            "flows": flow_table(result).to_dicts(),
            "flows_by_year": result.flows.to_dicts(),
            "countries": result.countries.to_dicts(),
        }
        text = json.dumps(payload, indent=2) + "\n"
    else:
        lines = [
            f"_{comment}_",
            "",
            markdown_table(result.yearly),
            "",
            markdown_table(flow_table(result)),
        ]
        text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    sys.stdout.flush()
    if args.out is not None:
        written = write_mobility(result, args.out, synthetic=synthetic)
        progress.note(f"wrote {len(written)} files in {args.out}")
    return 0
