"""``copub fetch (--institution ID… | --group KEY) --years A-B --data-dir DIR [--api-url URL]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from copub.classify import home_authorships
from copub.classify.definitions import Definitions
from copub.cli._common import institution_arg, settings_from_args, years_arg
from copub.errors import UsageError
from copub.fetch import fetch_works
from copub.fetch.authors import fetch_authors
from copub.fetch.institutions import openalex_ids_by_ror
from copub.indicators.peers import group_member_ids, peer_group
from copub.normalize import Tables, load_tables
from copub.progress import Progress
from copub.settings import DEFAULT_INSTITUTION, Settings

__all__ = ["register", "run"]

HELP = """Download the works of one institution or several from OpenAlex, then build
the tables.

One cursor chain per publication year (the institution is matched by lineage,
so child units count), a few years at a time. Raw pages are stored atomically
under DIR/raw/openalex/<institution> with a manifest; the tables go to
DIR/tables. Failed requests are retried with backoff. If OpenAlex answers 429
(daily budget spent) the command stops with exit code 1 and keeps everything
fetched: run it again later and it resumes where it stopped. The API key comes
from OPENALEX_API_KEY.

Several institutions (--institution repeated, or --group) are fetched one
after the other, each into its own raw directory and manifest; the tables are
then built once from all of them, so a work two of them share is one row and
each institution's figures (`copub report --institution ID`, `copub peers`)
come from the same tables. --group takes an institution group (n5t, enhance,
norway_universities, or one of your --groups file). A member given by ROR
alone is looked up at OpenAlex (/institutions/ror:...); a member with no id at
all, or a ROR OpenAlex does not know, is skipped and named on stderr (before
the fetch and again at the end): add its openalex_id in a --groups file to
fetch it too.

The new tables replace the old in one step. If they would lose works, years
or institutions of the tables already in DIR (a narrower --years, fewer
institutions), the old tables are kept and the command exits 1, unless
--replace is given; the same holds for the authors table. An
institution with no works in the years is exit 1 naming it, with no tables
written (the other institutions' pages are kept).

With --authors it then fetches the /authors record (the affiliation history) of
every author who appears with each institution in the works, 50 ids a request,
resumable the same way, into one authors table (for `copub mobility`).
"""
EXAMPLE = (
    "Example:\n  python -m copub fetch --group n5t --years 2012-2025 --data-dir ./n5t --authors"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fetch`` subcommand."""
    parser = sub.add_parser(
        "fetch",
        help="download works from OpenAlex and build tables",
        description=HELP,
        epilog=EXAMPLE,
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--institution", type=institution_arg, action="append", default=None, metavar="ID",
        help=f"OpenAlex institution id, repeatable (default {DEFAULT_INSTITUTION}, NTNU)",
    )  # fmt: skip
    which.add_argument(
        "--group", metavar="KEY",
        help="every member of an institution group, e.g. n5t, enhance, norway_universities",
    )  # fmt: skip
    parser.add_argument(
        "--groups", type=Path, metavar="FILE",
        help="TOML institution groups extending the packaged ones (for --group)",
    )  # fmt: skip
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
        help="also fetch the /authors records of each institution's authors (for `mobility`)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace the tables in DIR even if the new ones lose works, years or institutions",
    )
    parser.set_defaults(run=run)


def _home_author_ids(tables: Tables, institution: str) -> list[str]:
    """Authors with at least one authorship at the institution or a child unit."""
    home = home_authorships(tables, institution).filter("is_home")
    authorships = tables.authorships.join(home, on=["work_id", "position"])
    return authorships.drop_nulls("author_id")["author_id"].unique().sort().to_list()


def _group_ids(
    key: str, groups: Path | None, settings: Settings, progress: Progress
) -> tuple[list[str], tuple[str, ...]]:
    """The group's members as OpenAlex ids (ROR-only ones looked up), and those skipped."""
    if groups is not None and not groups.is_file():
        raise UsageError(f"--groups file {groups} does not exist")
    group = peer_group(key, Definitions(groups=groups) if groups else Definitions())
    rors = [m.ror for m in group.current_members() if m.ror and not m.openalex_id]
    if rors:
        progress.note(f"group {key}: looking up the OpenAlex ids of {len(rors)} members by ROR")
    ids, skipped = group_member_ids(group, openalex_ids_by_ror(rors, settings=settings))
    for line in skipped:
        progress.note(f"group {key}: skipped, not fetched: {line}")
    if not ids:
        raise UsageError(f"group {key!r}: no member has an OpenAlex id or a ROR OpenAlex knows")
    progress.note(f"group {key} ({group.label}): {len(ids)} institutions: {', '.join(ids)}")
    return list(ids), skipped


def run(args: argparse.Namespace) -> int:
    """Fetch, build the tables, print the summary on stderr."""
    settings = settings_from_args(args)
    progress = Progress()
    if args.groups is not None and args.group is None:
        raise UsageError("--groups FILE goes with --group KEY")
    skipped: tuple[str, ...] = ()
    if args.group is not None:
        ids, skipped = _group_ids(args.group, args.groups, settings, progress)
    else:
        ids = list(dict.fromkeys(args.institution or [DEFAULT_INSTITUTION]))
    fetch_works(ids, args.years, settings=settings, progress=progress, replace=args.replace)
    if getattr(args, "authors", False):
        tables = load_tables(settings.data_dir)
        home = {institution: _home_author_ids(tables, institution) for institution in ids}
        fetch_authors(home, settings=settings, progress=progress, replace=args.replace)
    for line in skipped:
        progress.note(f"group {args.group}: not fetched: {line}")
    return 0
