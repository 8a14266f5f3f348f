"""``copub fetch --institution ID --years A-B --data-dir DIR [--api-url URL]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from copub.classify import home_authorships
from copub.cli._common import institution_arg, settings_from_args, years_arg
from copub.fetch import fetch_works
from copub.fetch.authors import fetch_authors
from copub.normalize import Tables, load_tables
from copub.progress import Progress
from copub.settings import DEFAULT_INSTITUTION

__all__ = ["register", "run"]

HELP = """Download an institution's works from OpenAlex, then build the tables.

One cursor chain per publication year (the institution is matched by lineage,
so child units count), a few years at a time. Raw pages are stored atomically
under DIR/raw with a manifest; the tables go to DIR/tables. Failed requests are
retried with backoff. If OpenAlex answers 429 (daily budget spent) the command
stops with exit code 1 and keeps everything fetched: run it again later and it
resumes where it stopped. The API key comes from OPENALEX_API_KEY.

The new tables replace the old in one step. If they would hold fewer works
than the tables already in DIR (a narrower --years, say), the old tables are
kept and the command exits 1, unless --replace is given. An institution with
no works is exit 1, with no tables written.

With --authors it then fetches the /authors record (the affiliation history) of
every author who appears with the institution in the works, 50 ids a request,
resumable the same way, into the authors table (for `copub mobility`).
"""
EXAMPLE = (
    "Example:\n  python -m copub fetch --institution I204778367 --years 2012-2025 --data-dir ./ntnu"
    " --authors"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fetch`` subcommand."""
    parser = sub.add_parser(
        "fetch",
        help="download works from OpenAlex and build tables",
        description=HELP,
        epilog=EXAMPLE,
    )
    parser.add_argument(
        "--institution",
        type=institution_arg,
        default=DEFAULT_INSTITUTION,
        help=f"OpenAlex institution id (default {DEFAULT_INSTITUTION}, NTNU)",
    )
    parser.add_argument(
        "--years", type=years_arg, required=True, help="publication years, e.g. 2012-2025"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="where raw pages and tables go (default: COPUB_DATA_DIR)"
    )
    parser.add_argument(
        "--api-url", help="OpenAlex base URL or a mirror (default: COPUB_OPENALEX_URL or OpenAlex)"
    )
    parser.add_argument(
        "--authors",
        action="store_true",
        help="also fetch the /authors records of the institution's authors (for `mobility`)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace the tables in DIR even if the new ones hold fewer works",
    )
    parser.set_defaults(run=run)


def _home_author_ids(tables: Tables, institution: str) -> list[str]:
    """Authors with at least one authorship at the institution or a child unit."""
    home = home_authorships(tables, institution).filter("is_home")
    authorships = tables.authorships.join(home, on=["work_id", "position"])
    return authorships.drop_nulls("author_id")["author_id"].unique().sort().to_list()


def run(args: argparse.Namespace) -> int:
    """Fetch, build the tables, print the summary on stderr."""
    settings = settings_from_args(args)
    progress = Progress()
    fetch_works(
        args.institution, args.years, settings=settings, progress=progress, replace=args.replace
    )
    if getattr(args, "authors", False):
        ids = _home_author_ids(load_tables(settings.data_dir), args.institution)
        fetch_authors(ids, args.institution, settings=settings, progress=progress)
    return 0
