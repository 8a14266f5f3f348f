"""Argument helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from copub.errors import UsageError
from copub.normalize import Tables, load_tables
from copub.progress import Progress
from copub.settings import DEFAULT_INSTITUTION, Settings
from copub.validate import parse_institution_id, parse_year_range

__all__ = [
    "CopubArgumentParser",
    "add_source_options",
    "count_arg",
    "institution_arg",
    "load_tables_from_args",
    "period_arg",
    "positive_arg",
    "settings_from_args",
    "years_arg",
]


class CopubArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are :class:`UsageError` (one line, exit 2)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        # main() prints "copub: error: " before it: say the command once, at the end.
        raise UsageError(f"{message} (see {self.prog} --help)")


def years_arg(text: str) -> tuple[int, int]:
    """argparse type for ``--years A-B``."""
    try:
        return parse_year_range(text)
    except UsageError as exc:
        # argparse shows an ArgumentTypeError's own words; a ValueError's it hides.
        raise argparse.ArgumentTypeError(str(exc)) from None


def institution_arg(text: str) -> str:
    """argparse type for ``--institution``."""
    try:
        return parse_institution_id(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def period_arg(text: str) -> tuple[int, int]:
    """argparse type for ``--baseline``/``--plan``: a year range that may reach the future."""
    try:
        return parse_year_range(text, allow_future=True)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def count_arg(text: str) -> int:
    """argparse type for a count that is 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def positive_arg(text: str) -> int:
    """argparse type for a count that is 1 or more."""
    value = count_arg(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """``--sample`` or ``--data-dir``, with the sample's seed and scale."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--sample", action="store_true", help="use the embedded synthetic world (no network)"
    )
    group.add_argument(
        "--data-dir",
        type=Path,
        help="tables built by `fetch` or `import` (default: COPUB_DATA_DIR or the user data dir)",
    )
    parser.add_argument("--seed", type=int, default=0, help="sample seed (with --sample)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="sample size, 1.0 = NTNU-sized (with --sample)"
    )
    parser.add_argument(
        "--institution",
        type=institution_arg,
        default=DEFAULT_INSTITUTION,
        help=f"OpenAlex institution id (default {DEFAULT_INSTITUTION}, NTNU)",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the options given."""
    return Settings.from_env(
        data_dir=getattr(args, "data_dir", None),
        api_url=getattr(args, "api_url", None),
        register=getattr(args, "register", None),
    )


def load_tables_from_args(args: argparse.Namespace, progress: Progress | None = None) -> Tables:
    """The tables a subcommand works on: the sample (``--sample``) or ``--data-dir``'s tables.

    ``progress`` reports the sample's generation on a cold cache.
    """
    settings = settings_from_args(args)
    if getattr(args, "sample", False):
        from copub import load_sample

        return load_sample(seed=args.seed, scale=args.scale, settings=settings, progress=progress)
    return load_tables(settings.data_dir)
