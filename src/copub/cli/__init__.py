"""The command line: a thin layer over the public API.

This is the only module that wires every stage together, and the one place
where :class:`~copub.errors.CopubError` becomes one line on stderr and an exit
code (2 for usage errors, 1 for data and network errors).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import signal
import sys
import threading
import traceback
from collections.abc import Sequence

from copub.cli._interrupt import INTERRUPTED, exit_at_once, interrupt_handling, interrupted
from copub.cli._parser import CopubArgumentParser
from copub.errors import CopubError
from copub.secrets import redact

__all__ = ["build_parser", "main"]


def _version() -> str:
    from copub.provenance import package_versions

    return package_versions()["copub"]


class _VersionAction(argparse.Action):
    """``--version``: the version is looked up when asked for, not for every command.

    ``importlib.metadata`` alone is a sixth of ``copub --help``'s start.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        parser._print_message(f"copub {_version()}\n", sys.stdout)
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``copub`` parser with every subcommand.

    Given the arguments it is for (``argv``), only the subcommand they name is
    built with its options and only its module imported: the others are listed
    by name and summary (:mod:`copub.cli.commands`), so ``copub --help`` and
    ``copub --version`` answer without importing polars or any stage.
    """
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
    parser.add_argument("--version", action=_VersionAction, help="show the version")
    # Subcommand parsers are CopubArgumentParsers too, so their errors are one line.
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CopubArgumentParser
    )
    sub.required = True
    if argv is None:
        commands.register_commands(sub)
    else:
        name = commands.selected_command(argv)
        commands.register_commands(sub, full=() if name is None else (name,))
    return parser


def _os_error_line(exc: OSError) -> tuple[str, int]:
    """One line for a file-system failure the checks did not foresee, and its exit code."""
    where = f": {exc.filename}" if exc.filename else ""
    reason = exc.strerror or exc.__class__.__name__
    usage = {errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}
    usage.add(errno.EROFS)
    return f"copub: error: {reason}{where}", (2 if exc.errno in usage else 1)


def _startup_handler() -> object:
    from copub import _startup

    return _startup.quit_now


def _interrupted(*, quick: bool) -> int:
    """Print the one line; as the real command line, end now (exit 130).

    Everything copub wrote is already complete on disk (atomic files, fsynced
    manifest), so the process skips the interpreter's slow teardown of polars,
    matplotlib and the rest, which can take seconds on a busy machine.
    """
    if quick:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        exit_at_once()
    print(INTERRUPTED, file=sys.stderr)
    return 130


def _print_traceback() -> None:
    sys.stderr.write(redact("".join(traceback.format_exc())))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Every error copub foresees is one line on stderr (key and credentials
    masked) with exit code 2 or 1; Ctrl-C is one line and exit 130. ``--debug``
    adds the traceback, masked too.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    # Only where Ctrl-C is not ignored (a background job in a script ignores it).
    manage_sigint = threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGINT) in (signal.default_int_handler, _startup_handler())
    )
    with contextlib.ExitStack() as stack:
        if manage_sigint:
            # Ctrl-C raises KeyboardInterrupt again (the start-up guard exits at once).
            stack.enter_context(interrupt_handling(watchdog=argv is None))
        try:
            return _run(args_list, debug, quick=argv is None)
        except KeyboardInterrupt:  # a second Ctrl-C while the first was being reported
            return _interrupted(quick=argv is None)
        finally:
            if manage_sigint:
                # From here on (interpreter shutdown), Ctrl-C ends the process at once.
                if argv is None:
                    signal.signal(signal.SIGINT, exit_at_once)
                else:
                    signal.signal(signal.SIGINT, signal.default_int_handler)


def _run(args_list: list[str], debug: bool, *, quick: bool) -> int:
    """Parse and run one command; every foreseen error becomes one line and a code."""
    try:
        args = build_parser(args_list).parse_args(args_list)
        result: int = args.run(args)
        return result
    except CopubError as exc:
        if debug:
            _print_traceback()
        print(redact(f"copub: error: {' '.join(str(exc).split())}"), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return _interrupted(quick=quick)
    except OSError as exc:
        if interrupted():  # Ctrl-C that came back as another error (see _interrupt)
            return _interrupted(quick=quick)
        if debug:
            _print_traceback()
        line, code = _os_error_line(exc)
        print(redact(line), file=sys.stderr)
        return code
    except Exception as exc:
        if interrupted():
            return _interrupted(quick=quick)
        # A bug, not a foreseen error: the traceback helps, but masked like everything else.
        _print_traceback()
        print(
            redact(f"copub: internal error: {type(exc).__name__}: {exc} (please report it)"),
            file=sys.stderr,
        )
        return 1
