"""``copub import FILE… --data-dir DIR``."""

from __future__ import annotations

import argparse
from pathlib import Path

from copub.cli._common import settings_from_args
from copub.normalize import read_works
from copub.progress import Progress

HELP = """Build tables from OpenAlex JSON you already have.

Takes list-response pages ({"meta": …, "results": […]}) or JSON Lines with one
work per line (the OpenAlex snapshot's format); gzip is allowed. The tables are
written as parquet under DIR/tables.
"""
EXAMPLE = "Example:\n  python -m copub import works_*.json snapshot.jsonl.gz --data-dir ./ntnu"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import", help="build tables from OpenAlex JSON files", description=HELP, epilog=EXAMPLE
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--data-dir", type=Path, help="where the tables go")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    progress = Progress()
    progress.note(f"reading {len(args.files)} file(s)")
    tables = read_works(args.files)
    out = tables.write(settings.data_dir)
    counts = tables.provenance.counts
    progress.note(
        f"{counts['works']} works, {counts['authorships']} authorships from "
        f"{counts['records']} records ({counts['duplicates_removed']} duplicates removed); "
        f"tables in {out}"
    )
    return 0
