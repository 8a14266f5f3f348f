"""``copub eu``: EU programme participation, Horizon Europe against Horizon 2020, from CORDIS."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

import polars as pl

from copub.atomic import atomic_write
from copub.errors import UsageError
from copub.eu.analysis import EuInputs, EuParticipation, eu_participation
from copub.normalize import Tables, load_tables
from copub.progress import Progress
from copub.report.eu_section import eu_goal_status, eu_html, eu_lines
from copub.report.formats import csv_frame, markdown_table, to_records, write_csv_text

__all__ = ["add_eu_options", "eu_from_args", "register", "run"]

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
Norwegian organisation number or a name), then any to compare with.

CSV and JSON carry the summary of the home organisation and its peers; --out
DIR writes every table (CSV and Parquet), the work-project links and eu.html.
"""
EXAMPLE = (
    "Example:\n  python -m copub eu --norway-grants h2020_grants_norway.csv "
    "--organisation 974767880"
)

_CSV_COLUMNS = (
    "organisation", "framework_programme", "programme_part", "label", "projects", "coordinated",
    "ec_contribution_eur", "participations",
)  # fmt: skip


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
        help="home organisation (default ntnu), then organisations to compare (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--organisations", type=Path, metavar="FILE",
        help="TOML mapping of organisations extending the default (NTNU and peers)",
    )  # fmt: skip


def eu_from_args(
    args: argparse.Namespace, *, sample: bool, seed: int = 0, tables: Tables | None = None
) -> EuParticipation | None:
    """The EU figures the options ask for; ``sample`` uses the synthetic CORDIS world."""
    cordis = tuple(args.cordis)
    if sample and not cordis and args.norway_grants is None:
        from copub.sample.cordis import SAMPLE_FOLDERS, write_cordis_sample

        with tempfile.TemporaryDirectory(prefix="copub-cordis-") as name:
            folder = write_cordis_sample(name, seed=seed, tables=tables)
            inputs = EuInputs(
                cordis=tuple(folder / sub for sub in SAMPLE_FOLDERS.values()),
                organisations=args.organisations,
                organisation=tuple(args.organisation) or ("ntnu",),
            )
            result = eu_participation(inputs)
        label = f"synthetic CORDIS world (seed {seed}), H2020 and Horizon Europe: SYNTHETIC"
        result = dataclasses.replace(result, sources=(label,))
        return result.with_links(tables) if tables is not None else result
    if not cordis and args.norway_grants is None:
        return None
    if args.organisations is not None and not args.organisations.is_file():
        raise UsageError(f"--organisations {args.organisations} does not exist")
    inputs = EuInputs(
        cordis=cordis,
        norway_grants=args.norway_grants,
        organisations=args.organisations,
        organisation=tuple(args.organisation) or ("ntnu",),
    )
    result = eu_participation(inputs)
    return result.with_links(tables) if tables is not None else result


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "eu", help="EU programme participation from CORDIS", description=HELP, epilog=EXAMPLE
    )
    parser.add_argument(
        "--sample", action="store_true",
        help="the synthetic CORDIS world, linked to the synthetic works (no network)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="sample seed (with --sample)")
    parser.add_argument(
        "--scale", type=float, default=0.1, help="size of the synthetic works (default 0.1)"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="tables built by fetch/import: link their works to projects"
    )
    add_eu_options(parser)
    parser.add_argument(
        "--format", choices=("table", "csv", "json", "markdown"), default="table",
        help="stdout format (default table)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, metavar="DIR", help="write every table and eu.html")
    parser.set_defaults(run=run)


def _write_out(result: EuParticipation, out: Path) -> list[Path]:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a directory")
    tables = dict(result.tables())
    tables["eu_goal_status"] = eu_goal_status(result)
    written = []
    for name, frame in tables.items():
        csv_path = out / f"{name}.csv"
        # Plain RFC 4180 CSV like every copub table; the synthetic column marks sample data.
        text = write_csv_text(csv_frame(frame, synthetic=result.synthetic))
        atomic_write(csv_path, text.encode("utf-8"))
        parquet = out / f"{name}.parquet"
        tmp = out / f".{name}.parquet.tmp"
        frame.write_parquet(tmp)
        tmp.replace(parquet)
        written += [csv_path, parquet]
    title = "EU programme participation" + (" (SYNTHETIC)" if result.synthetic else "")
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1>{eu_html(result)}</body></html>\n"
    )
    atomic_write(out / "eu.html", page.encode("utf-8"))
    return [*written, out / "eu.html"]


def run(args: argparse.Namespace) -> int:
    if args.sample and args.data_dir is not None:
        raise UsageError("give --sample or --data-dir, not both")
    if args.sample and (args.cordis or args.norway_grants is not None):
        raise UsageError(
            "--sample uses the synthetic CORDIS world: give --sample or --cordis/--norway-grants"
        )
    if args.organisations is not None and not args.organisations.is_file():
        raise UsageError(f"--organisations {args.organisations} does not exist")
    progress = Progress()
    tables: Tables | None = None
    if args.sample:
        from copub import load_sample

        progress.note("SYNTHETIC: the synthetic CORDIS world and works (not real projects)")
        tables = load_sample(seed=args.seed, scale=args.scale, progress=progress)
    elif args.data_dir is not None:
        tables = load_tables(args.data_dir)
    result = eu_from_args(args, sample=args.sample, seed=args.seed, tables=tables)
    if result is None:
        raise UsageError("eu: give --sample, --cordis PATH or --norway-grants FILE (see --help)")
    summary = result.summary.select(_CSV_COLUMNS)
    if args.format == "csv":
        if result.synthetic:
            print("copub: SYNTHETIC EU DATA: not real projects", file=sys.stderr)
        sys.stdout.write(write_csv_text(csv_frame(summary, synthetic=result.synthetic)))
    elif args.format == "json":
        payload = {
            "synthetic": result.synthetic,
            "home": result.home.key,
            "home_label": result.home.label,
            "sources": list(result.sources),
            "notes": list(result.notes),
            "summary": to_records(summary),
            "goals": to_records(result.goals),
            "goal_status": to_records(eu_goal_status(result)),
            "pillar2_standing": to_records(result.standing),
            "matches": to_records(result.matches),
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        print(markdown_table(summary.filter(pl.col("organisation") == result.home.key)))
        print()
        print(markdown_table(eu_goal_status(result)))
        if result.synthetic:
            print("\n_SYNTHETIC EU DATA: not real projects_")
    else:
        unicode = True
        try:
            "€…≤×".encode(sys.stdout.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            unicode = False
        print("\n".join(eu_lines(result, unicode=unicode)))
    if args.out is not None:
        written = _write_out(result, args.out)
        progress.note(f"wrote {len(written)} files to {args.out}")
    if result.synthetic:
        progress.note("reminder: these EU figures come from SYNTHETIC data")
    return 0
