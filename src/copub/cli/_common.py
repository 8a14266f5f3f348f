"""Argument helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, get_args

from copub.classify.definitions import (
    DEFAULT_BASELINE,
    DEFAULT_PLAN,
    PRESET_RULES,
    Definitions,
    Universe,
)
from copub.cli._parser import CopubArgumentParser
from copub.errors import UsageError
from copub.indicators.universe import legacy_universe
from copub.normalize import Tables, load_tables
from copub.progress import Progress
from copub.settings import DEFAULT_INSTITUTION, Settings
from copub.validate import missing_file, parse_institution_id, parse_year_range

__all__ = [
    "CopubArgumentParser",
    "add_bootstrap_option",
    "add_definition_options",
    "add_format_option",
    "add_source_options",
    "count_arg",
    "definitions_from_args",
    "institution_arg",
    "load_tables_from_args",
    "period_arg",
    "positive_arg",
    "settings_from_args",
    "years_arg",
]


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


def seed_arg(text: str) -> int:
    """argparse type for a random seed: a whole number from 0 to 2**32 - 1 (numpy's range)."""
    value = count_arg(text)
    if value >= 2**32:
        raise argparse.ArgumentTypeError(f"{text!r} must be below 2**32")
    return value


def positive_arg(text: str) -> int:
    """argparse type for a count that is 1 or more (the message says so for -1 too)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def add_source_options(parser: argparse.ArgumentParser, *, institution: bool = True) -> None:
    """``--sample`` or ``--data-dir``, with the sample's seed and scale.

    ``institution=False`` leaves ``--institution`` to the command (``peers``
    takes several).
    """
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
    if not institution:
        return
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


def add_definition_options(
    parser: argparse.ArgumentParser, *, periods: bool = True, register: bool = True
) -> None:
    """The options every figure-making command shares; :func:`definitions_from_args` reads them.

    One set of names, defaults and checks for ``report``, ``partners`` and
    ``network``: ``--years``, ``--preset``, ``--universe`` (``--types``, the
    old switch), ``--merge-hk-mo``/``--no-merge-hk-mo``, ``--membership``,
    ``--groups``, and with ``periods`` ``--baseline``/``--plan``, with
    ``register`` ``--register``.
    """
    parser.add_argument("--years", type=years_arg, metavar="A-B", help="publication years")
    parser.add_argument(
        "--preset", choices=tuple(PRESET_RULES), default="leiden",
        help="definition family (default leiden: the Leiden Ranking Open Edition's)",
    )  # fmt: skip
    parser.add_argument(
        "--universe", choices=get_args(Universe),
        help="leiden (default with --preset leiden), core (Leiden core publications), "
        "types (article, review, book chapter), all",
    )  # fmt: skip
    parser.add_argument(
        "--types", choices=("core", "all"),
        help="the old switch: core = --universe types, all = --universe all",
    )  # fmt: skip
    parser.add_argument(
        "--merge-hk-mo", action=argparse.BooleanOptionalAction, default=None,
        help="count Hong Kong and Macao as China (default from the preset)",
    )  # fmt: skip
    parser.add_argument(
        "--membership", choices=("current", "historical"), default="current",
        help="partner-group membership: today's for every year, or the year's own",
    )  # fmt: skip
    parser.add_argument(
        "--groups", type=Path, metavar="FILE", help="TOML partner groups extending the defaults"
    )
    if periods:
        parser.add_argument(
            "--baseline", type=period_arg, default=DEFAULT_BASELINE, metavar="A-B",
            help="baseline period (default 2018-2021)",
        )  # fmt: skip
        parser.add_argument(
            "--plan", type=period_arg, default=DEFAULT_PLAN, metavar="A-B",
            help="plan period (default 2022-2025; may reach the future)",
        )  # fmt: skip
    if register:
        parser.add_argument(
            "--register", type=Path, metavar="FILE",
            help="Norwegian channel register (its export, or issn,year,level); "
            "default COPUB_REGISTER",
        )  # fmt: skip


def add_bootstrap_option(parser: argparse.ArgumentParser) -> None:
    """``--bootstrap N``: resamples for the bootstrap intervals, one default everywhere."""
    parser.add_argument(
        "--bootstrap", type=count_arg, default=1000, metavar="N",
        help="resamples for the bootstrap intervals (default 1000; 0: none)",
    )  # fmt: skip


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """``--format table|csv|json|markdown``: what goes to stdout (csv is plain RFC 4180)."""
    parser.add_argument(
        "--format", choices=("table", "csv", "json", "markdown"), default="table",
        help="stdout format (default table; csv is plain CSV with one header row)",
    )  # fmt: skip


def definitions_from_args(
    args: argparse.Namespace, *, register: Path | None = None, **fields: Any
) -> Definitions:
    """The one :class:`Definitions` of a command, built once from its arguments.

    ``register`` is the register file to use (the caller resolves
    ``--register``, ``COPUB_REGISTER`` and the sample's own); ``fields`` adds
    command-specific fields (``bootstrap``, ``counting``, …). Every bad value
    raises one :class:`UsageError` line (exit 2).
    """
    chosen: dict[str, Any] = {}
    types = getattr(args, "types", None)
    if types is not None:
        chosen |= legacy_universe(types)
    if getattr(args, "universe", None) is not None:
        chosen["universe"] = args.universe
    for name in ("baseline", "plan"):
        if getattr(args, name, None) is not None:
            chosen[name] = getattr(args, name)
    if getattr(args, "groups", None) is not None:
        path = Path(args.groups)
        problem = missing_file(path, "--groups file")
        if problem is not None:
            raise UsageError(problem)
        chosen["groups"] = path
    if register is not None:
        chosen["register"] = Path(register)
    return Definitions(
        institutions=(args.institution,),
        years=getattr(args, "years", None),
        preset=getattr(args, "preset", "leiden"),
        merge_hk_mo=getattr(args, "merge_hk_mo", None),
        membership=getattr(args, "membership", "current"),
        **chosen,
        **fields,
    )
