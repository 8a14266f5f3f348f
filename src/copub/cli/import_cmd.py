"""``copub import FILE… --data-dir DIR``."""

from __future__ import annotations

import argparse
from pathlib import Path

from copub.cli._common import settings_from_args
from copub.errors import DataError
from copub.locking import directory_lock, writable_dir
from copub.normalize import read_works
from copub.progress import Progress

HELP = """Build tables from OpenAlex JSON you already have.

Takes list-response pages ({"meta": …, "results": […]}) or JSON Lines with one
work per line (the OpenAlex snapshot's format), or a single work; gzip is
allowed. The tables are written as parquet under DIR/tables, replacing the old
ones in one step. Files with no works are an error (exit 1); tables with fewer
works than those already in DIR need --replace.
"""
EXAMPLE = "Example:\n  python -m copub import works_*.json snapshot.jsonl.gz --data-dir ./ntnu"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import", help="build tables from OpenAlex JSON files", description=HELP, epilog=EXAMPLE
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--data-dir", type=Path, help="where the tables go")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace the tables in DIR even if the new ones hold fewer works",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    progress = Progress()
    data_dir = writable_dir(settings.data_dir, "--data-dir")
    progress.note(f"reading {len(args.files)} file(s)")
    # The same lock as fetch: no other copub writes these tables meanwhile.
    with directory_lock(data_dir):
        tables = read_works(args.files)
        if tables.works.height == 0:
            raise DataError(
                f"no works in {', '.join(str(f) for f in args.files[:3])}"
                f"{' …' if len(args.files) > 3 else ''}: nothing to import, "
                "the tables in the data directory are unchanged"
            )
        out = tables.write(data_dir, replace=args.replace)
    counts = tables.provenance.counts
    progress.note(
        f"{counts['works']} works, {counts['authorships']} authorships from "
        f"{counts['records']} records ({counts['duplicates_removed']} duplicates removed); "
        f"tables in {out}"
    )
    return 0
