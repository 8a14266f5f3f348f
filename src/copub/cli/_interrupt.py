"""Ctrl-C during a command ends it: within a second, one line, exit 130, no traceback.

The run-time handler raises ``KeyboardInterrupt``, so the work unwinds
(temporary build directories removed, files closed) before ``main`` prints
the line. Python cannot always deliver that exception: raised while a
weakref callback or a finalizer runs (matplotlib makes many), it is printed
as "Exception ignored" and dropped, and the command goes on; raised inside a
C extension, it can come back as another error (matplotlib's path code turns
it into a ``ValueError``). So the handler also remembers the interrupt: a
dropped ``KeyboardInterrupt`` is not printed, an error raised during an
interrupt counts as the interrupt, and, as the real command line, a watchdog
ends the process a second later if it is still running. Every write is all
or nothing, so ending there leaves the old files or the new ones.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = [
    "INTERRUPTED",
    "exit_at_once",
    "interrupt_handling",
    "interrupted",
    "reclaim_sigint",
]

INTERRUPTED = "copub: interrupted (Ctrl-C); completed pages and files are kept, none half-written"
#: How long the work may take to unwind after Ctrl-C before the process ends anyway.
GRACE_SECONDS = 1.0

_PENDING = threading.Event()


#: Whoever ends the process first (the main thread or the watchdog) writes the line.
_EXITING = threading.RLock()


def exit_at_once(signum: int | None = None, frame: FrameType | None = None) -> None:
    """One line, exit 130, no traceback (a second Ctrl-C, or one after the work is done)."""
    with _EXITING:
        try:
            sys.stderr.write(INTERRUPTED + "\n")
            sys.stderr.flush()
        finally:
            os._exit(130)


def reclaim_sigint() -> None:
    """Import polars now and put copub's SIGINT handler back in place.

    Importing polars installs a SIGINT handler of its own with ``SA_RESTART``:
    a main thread blocked on a lock (waiting for the fetch's threads) is then
    never woken, and Ctrl-C does nothing. Commands import polars lazily, after
    :func:`interrupt_handling` has set its handler, so the handler is set once
    more after polars is in.
    """
    import polars  # noqa: F401  (see above: imported for its side effect)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.getsignal(signal.SIGINT))


def interrupted() -> bool:
    """Whether Ctrl-C came during this command."""
    return _PENDING.is_set()


def _watchdog() -> None:
    time.sleep(GRACE_SECONDS)
    exit_at_once()


def _handler(watchdog: bool) -> Callable[[int, FrameType | None], None]:
    def on_sigint(signum: int, frame: FrameType | None) -> None:
        _PENDING.set()
        signal.signal(signal.SIGINT, exit_at_once)  # a second Ctrl-C ends at once
        if watchdog:
            threading.Thread(target=_watchdog, name="copub-interrupt", daemon=True).start()
        raise KeyboardInterrupt

    return on_sigint


@contextmanager
def interrupt_handling(*, watchdog: bool) -> Iterator[None]:
    """Ctrl-C raises ``KeyboardInterrupt`` and is remembered, inside the block.

    ``watchdog``: the real command line, which the watchdog may end; a caller
    of ``main(argv)`` in its own process (a test, a notebook) gets none.
    """
    _PENDING.clear()
    previous_hook = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if _PENDING.is_set() and isinstance(unraisable.exc_value, KeyboardInterrupt):
            return  # the interrupt is remembered: it ends the command all the same
        previous_hook(unraisable)

    sys.unraisablehook = hook
    signal.signal(signal.SIGINT, _handler(watchdog))
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
