"""``copub import FILE… --data-dir DIR``."""

from __future__ import annotations

import argparse
from pathlib import Path

from copub.cli._common import settings_from_args
from copub.normalize import expand_inputs, read_works
from copub.progress import Progress

HELP = """Build tables from OpenAlex JSON you already have.

Takes list-response pages ({"meta": …, "results": […]}) or JSON Lines with one
work per line (the OpenAlex snapshot's format); gzip is allowed. A folder stands
for the works files under it, including the snapshot's layout
(data/works/updated_date=…/part_*.gz). XPAC works (is_xpac: true) are dropped
and counted, as the API leaves them out by default; --include-xpac keeps them.
The tables are written as parquet under DIR/tables.
"""
EXAMPLE = (
    "Examples:\n  python -m copub import works_*.json snapshot.jsonl.gz --data-dir ./ntnu\n"
    "  python -m copub import openalex-snapshot/ --data-dir ./snapshot"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import", help="build tables from OpenAlex JSON files", description=HELP, epilog=EXAMPLE
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE|FOLDER")
    parser.add_argument(
        "--include-xpac",
        action="store_true",
        help="keep XPAC works (is_xpac: true), which the API leaves out by default",
    )
    parser.add_argument("--data-dir", type=Path, help="where the tables go")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    progress = Progress()
    files = expand_inputs(args.files)
    progress.note(f"reading {len(files)} file(s)")
    tables = read_works(files, include_xpac=args.include_xpac)
    out = tables.write(settings.data_dir)
    counts = tables.provenance.counts
    progress.note(
        f"{counts['works']} works, {counts['authorships']} authorships from "
        f"{counts['records']} records ({counts['duplicates_removed']} duplicates removed); "
        f"tables in {out}"
    )
    if counts["xpac_dropped"]:
        progress.note(
            f"{counts['xpac_dropped']} XPAC works dropped (is_xpac: true; the API leaves them "
            "out by default, so counts match it); --include-xpac keeps them"
        )
    return 0
