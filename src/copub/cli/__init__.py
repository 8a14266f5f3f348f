"""The command line: a thin layer over the public API.

This is the only module that wires every stage together, and the one place
where :class:`~copub.errors.CopubError` becomes one line on stderr and an exit
code (2 for usage errors, 1 for data and network errors).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from copub.cli._common import CopubArgumentParser
from copub.errors import CopubError

__all__ = ["build_parser", "main"]


def _version() -> str:
    from copub.provenance import package_versions

    return package_versions()["copub"]


def build_parser() -> argparse.ArgumentParser:
    """The ``copub`` parser with every subcommand."""
    from copub.cli import commands

    parser = CopubArgumentParser(
        prog="copub",
        description=(
            "Co-publication analysis from OpenAlex: international shares, partner groups, "
            "Norwegian channel levels and collaboration networks."
        ),
        epilog="Example: python -m copub report --sample",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument(
        "--version", action="version", version=f"copub {_version()}", help="show the version"
    )
    # Subcommand parsers are CopubArgumentParsers too, so their errors are one line.
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CopubArgumentParser
    )
    sub.required = True
    for register in commands.REGISTRARS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        args = build_parser().parse_args(args_list)
        result: int = args.run(args)
        return result
    except CopubError as exc:
        if debug:
            traceback.print_exc()
        print(f"copub: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("copub: interrupted; everything fetched so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
