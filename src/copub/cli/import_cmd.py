"""``copub import FILE… --data-dir DIR [--kind auto|works|authors]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from copub.cli._common import settings_from_args
from copub.locking import directory_lock, writable_dir
from copub.normalize import build_tables, expand_inputs
from copub.normalize.authors import read_authors, record_kind, write_authors
from copub.progress import Progress
from copub.provenance import SYNTHETIC_ID

#: What ``import`` says of pages from copub's synthetic world.
SYNTHETIC_IMPORT = "SYNTHETIC SAMPLE DATA imported: copub's invented works, not real publications"

HELP = """Build tables from OpenAlex JSON you already have.

Takes list-response pages ({"meta": …, "results": […]}) or JSON Lines with one
work per line (the OpenAlex snapshot's format), or a single work; gzip is
allowed. A folder stands for the works files under it, including the snapshot's
layout (data/works/updated_date=…/part_*.gz). XPAC works (is_xpac: true) are
dropped and counted, as the API leaves them out by default; --include-xpac keeps
them. The tables are written as parquet under DIR/tables, replacing the old ones
in one step. Files with no works are an error (exit 1); tables that would lose
works, years or institutions of those already in DIR need --replace. A snapshot
folder is checked against its manifest; an impossible year is refused naming
the file and record.

OpenAlex /authors list pages and single author records (/authors/A…) are
accepted too: they build the authors table (one row per author x institution x
year) that `copub mobility` reads. By default each file's kind is told from its
first record's id (W… or A…); --kind works or --kind authors insists, and a file
of the other kind is refused, naming it.
"""
EXAMPLE = (
    "Examples:\n  python -m copub import works_*.json snapshot.jsonl.gz --data-dir ./ntnu\n"
    "  python -m copub import openalex-snapshot/ --data-dir ./snapshot\n"
    "  python -m copub import authors_*.json --kind authors --data-dir ./ntnu"
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
    parser.add_argument(
        "--kind",
        choices=("auto", "works", "authors"),
        default="auto",
        help="what the files hold (default auto: told from each file's first record)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help=(
            "replace the tables (or the authors table) in DIR even if the new ones would lose "
            "works, years, institutions or authors"
        ),
    )
    parser.set_defaults(run=run)


def _split(files: list[Path], kind: str) -> tuple[list[Path], list[Path]]:
    if kind == "works":
        return files, []
    if kind == "authors":
        return [], files
    works: list[Path] = []
    authors: list[Path] = []
    for path in files:
        is_author = path.is_file() and record_kind(path) == "authors"
        (authors if is_author else works).append(path)
    return works, authors


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    progress = Progress()
    data_dir = writable_dir(settings.data_dir, "--data-dir")
    work_files, author_files = _split(expand_inputs(args.files), getattr(args, "kind", "auto"))
    progress.note(f"reading {len(work_files)} works file(s), {len(author_files)} authors file(s)")
    synthetic = False
    if work_files:
        # The same lock as fetch: no other copub writes these tables meanwhile.
        with directory_lock(data_dir):
            built = build_tables(
                work_files,
                data_dir,
                include_xpac=args.include_xpac,
                replace=args.replace,
                progress=progress,
            )
        counts = built.provenance.counts
        # The provenance knows the generator's ids, however the pages arrived: say it at once.
        synthetic = built.provenance.synthetic
        if synthetic:
            progress.note(
                f"WARNING: {SYNTHETIC_IMPORT} ({counts.get('synthetic_works', 0)} works with "
                "the generator's ids)"
            )
        progress.note(
            f"{counts['works']} works, {counts['authorships']} authorships from "
            f"{counts['records']} records ({counts['duplicates_removed']} duplicates removed); "
            f"tables in {built.path}"
        )
        if counts["xpac_dropped"]:
            progress.note(
                f"{counts['xpac_dropped']} XPAC works dropped (is_xpac: true; the API leaves "
                "them out by default, so counts match it); --include-xpac keeps them"
            )
    if author_files:
        authors = read_authors(author_files)
        invented = int(authors["author_id"].str.contains(SYNTHETIC_ID).sum())
        if invented:
            synthetic = True
            progress.note(
                f"WARNING: {SYNTHETIC_IMPORT} ({invented} author rows with the generator's ids)"
            )
        path = write_authors(authors, data_dir, replace=args.replace)
        progress.note(
            f"{authors['author_id'].n_unique()} authors with affiliations, {authors.height} rows "
            f"(author x institution x year); authors table in {path}"
        )
    if synthetic:
        progress.note(f"reminder: {SYNTHETIC_IMPORT}")
    return 0
