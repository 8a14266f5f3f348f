"""Ctrl-C while ``python -m copub`` is still importing: one line and exit 130, no traceback.

The interpreter and copub's first modules load before :func:`copub.cli.main`
can catch anything (the command's own module, with polars and the stages, is
imported later, inside ``main``). ``copub/__init__.py`` imports this
module first, and it calls :func:`guard_cli_start`: only when copub was started
as the command line (``python -m copub`` or the ``copub`` script) is a SIGINT
handler installed that prints the line and ends the process. ``main`` then
restores the normal ``KeyboardInterrupt``. Imported as a library (Jupyter,
tests), nothing changes.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

__all__ = ["guard_cli_start", "quit_now"]

_LINE = b"copub: interrupted (Ctrl-C) while starting; nothing was written\n"


def _running_as_cli() -> bool:
    orig = list(getattr(sys, "orig_argv", []))
    if "-m" in orig:
        index = orig.index("-m")
        if orig[index + 1 : index + 2] == ["copub"]:
            return True
    name = os.path.basename(sys.argv[0]) if sys.argv else ""
    return name in ("copub", "copub.exe")


def quit_now(signum: int, frame: FrameType | None) -> None:
    """The start-up SIGINT handler: one line on stderr, exit 130."""
    try:
        os.write(2, _LINE)
    finally:
        os._exit(130)


def guard_cli_start() -> None:
    """Install the start-up SIGINT handler when copub runs as the command line."""
    if threading.current_thread() is not threading.main_thread() or not _running_as_cli():
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, quit_now)


guard_cli_start()
