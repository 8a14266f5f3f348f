"""A Ctrl-C that Python drops still ends the command: one line, exit 130, no traceback.

A ``KeyboardInterrupt`` raised while a weakref callback runs is printed as
"Exception ignored" and dropped (matplotlib's finalizers made the report's
kill test fail so, now and then). The child below makes that happen on
purpose: the signal comes inside a weakref callback, the program goes on
sleeping, and the watchdog must end it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from copub.cli._interrupt import GRACE_SECONDS, INTERRUPTED

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
    pytest.mark.slow,
]

REPO = Path(__file__).resolve().parents[1]

_CHILD = textwrap.dedent(
    """
    import signal, sys, time, weakref
    sys.path.insert(0, {src!r})
    from copub.cli._interrupt import interrupt_handling

    class Thing:
        pass

    with interrupt_handling(watchdog=True):
        thing = Thing()
        ref = weakref.ref(thing, lambda _: signal.raise_signal(signal.SIGINT))
        del thing  # the callback runs, and the KeyboardInterrupt inside it is dropped
        print("the program went on", flush=True)
        time.sleep(30)
    print("not ended", flush=True)
    """
)


def test_a_dropped_ctrl_c_ends_the_command_within_the_grace() -> None:
    start = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", _CHILD.format(src=str(REPO / "src"))],
        capture_output=True,
        timeout=60,
    )
    elapsed = time.monotonic() - start
    assert child.returncode == 130
    assert child.stdout.decode().splitlines() == ["the program went on"]
    assert child.stderr.decode().splitlines() == [INTERRUPTED]
    assert elapsed < GRACE_SECONDS + 10
