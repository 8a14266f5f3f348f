"""``copub sample --out DIR [--seed N] [--scale X] [--fat] [--format pages|jsonl]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from copub.errors import UsageError
from copub.outdir import building, check_out_dir
from copub.progress import Progress
from copub.sample import write_sample
from copub.sample.writer import FORCE_SCALE, MAX_SCALE, check_sample_args

__all__ = ["register", "run"]

HELP = f"""Write the synthetic world: invented OpenAlex works for NTNU, 2012-2025.

The files look like a real fetch: list-response pages of 200 works (authorships
cut at 100 with is_authors_truncated, a few works repeated), the complete
records of the truncated works in works_full/, and a matching synthetic channel
register (channel_register.csv: issn,year,level). README.txt in DIR says that
the data is synthetic. Scale 1.0 is NTNU-sized (about 140,000 works, 1.1 GB of
pages); scale can go from a tiny test world up to {MAX_SCALE:g}. The size is
estimated first: a scale above {FORCE_SCALE:g}, or more than the free space in DIR,
is refused unless --force. --fat adds the heavy fields of real records (about 16
KB a work) for benchmarks.
"""
EXAMPLE = "Example:\n  python -m copub sample --out ./sample --seed 1 --scale 0.1"


def _seed_arg(text: str) -> int:
    try:
        return check_sample_args(int(text), 1.0)[0]
    except ValueError as exc:  # UsageError is a ValueError too
        message = str(exc) if isinstance(exc, UsageError) else f"{text!r} is not a whole number"
        raise argparse.ArgumentTypeError(message) from None


def _scale_arg(text: str) -> float:
    try:
        return check_sample_args(0, float(text))[1]
    except ValueError as exc:
        message = str(exc) if isinstance(exc, UsageError) else f"{text!r} is not a number"
        raise argparse.ArgumentTypeError(message) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sample`` subcommand."""
    parser = sub.add_parser(
        "sample",
        help="write the synthetic world (OpenAlex-shaped pages) to a directory",
        description=HELP,
        epilog=EXAMPLE,
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
    parser.add_argument("--seed", type=_seed_arg, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--scale", type=_scale_arg, default=1.0, help="size, 1.0 = NTNU-sized (default 1.0)"
    )
    parser.add_argument("--fat", action="store_true", help="add the heavy fields of real records")
    parser.add_argument(
        "--peers", action="store_true",
        help="also write the N5T peers' own works (peer_pages/), as load_sample holds them",
    )  # fmt: skip
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("pages", "jsonl"),
        default="pages",
        help="list-response pages (default) or gzipped JSON Lines",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"write a scale above {FORCE_SCALE:g}, or more than the free space seems to hold",
    )
    parser.add_argument(
        "--cordis",
        action="store_true",
        help="also write the synthetic CORDIS world (H2020, Horizon Europe) to DIR/cordis",
    )
    parser.add_argument(
        "--replace", action="store_true",
        help="let --out replace a non-empty folder copub did not write",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the files (built beside ``--out``, swapped in whole); say they are synthetic."""
    out = check_out_dir(args.out, replace=args.replace)
    progress = Progress()
    progress.note("writing SYNTHETIC sample data: invented works, not real publications")
    what = "copub sample; SYNTHETIC SAMPLE DATA: not real publications"
    with building(out, replace=args.replace, what=what) as folder:
        files = write_sample(
            folder,
            seed=args.seed,
            scale=args.scale,
            fat=args.fat,
            fmt=args.fmt,
            progress=progress,
            peers=args.peers,
            force=args.force,
        )
        _write_authors(args, progress, folder)
        if args.cordis:
            from copub.normalize import read_works
            from copub.sample.cordis import write_cordis_sample

            progress.note("reading the works back to link their EC awards to synthetic projects")
            write_cordis_sample(
                folder / "cordis", seed=args.seed, tables=read_works(files.work_files)
            )
    progress.note(
        f"{sum(files.counts.values()):,} synthetic works in {len(files.work_files)} files; "
        f"register {files.register.name}; see {out / files.readme.relative_to(folder)}"
    )
    if args.cordis:
        progress.note(
            f"wrote the SYNTHETIC CORDIS world to {out / 'cordis'} (h2020/, horizon-europe/)"
        )
    return 0


def _write_authors(args: argparse.Namespace, progress: Progress, folder: Path) -> None:
    """The home authors' synthetic /authors records, as list pages beside the works."""
    from copub.sample.author_histories import sample_author_records, write_author_pages

    records = sample_author_records(args.seed, args.scale)
    pages = write_author_pages(records, folder)
    progress.note(f"{len(records):,} synthetic author records in {len(pages)} authors_*.json pages")
