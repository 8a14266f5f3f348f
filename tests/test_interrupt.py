"""Ctrl-C (SIGINT) at any moment: stops within a second, one line, exit 130, no traceback.

The command line runs in a child process, as a user runs it; the signal comes
while it imports, while a request hangs, and at moments hypothesis picks during
a fetch. Every completed page is kept: a rerun resumes and ends exact.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import copub
from copub.fetch.store import raw_dir
from fetch_support import INSTITUTION, assert_exact, captured, fast_settings, serve
from hostile_server import HostileServer
from replay_server import ReplayServer

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
    pytest.mark.slow,
]

REPO = Path(__file__).resolve().parents[1]
KEY = "sk-interrupt-987654321"
FIRST, LAST = 2005, 2009


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "OPENALEX_API_KEY": KEY, "COPUB_BACKOFF": "0.001"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def _start(args: list[str], **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "copub", *args],
        env=_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _interrupt(process: subprocess.Popen[bytes]) -> tuple[int, str, float]:
    """SIGINT; the exit code, stderr and the seconds the process took to end."""
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, err = process.communicate(timeout=30)
    return process.returncode, err.decode(), time.monotonic() - sent


def _assert_one_interrupt_line(code: int, err: str) -> None:
    assert "Traceback" not in err and KEY not in err
    assert code == 130, err
    assert err.rstrip().splitlines()[-1].startswith("copub: interrupted (Ctrl-C)"), err
    assert err.count("copub: interrupted") == 1, err


def _fetch_args(url: str, data_dir: Path) -> list[str]:
    return [
        "fetch", "--institution", INSTITUTION, "--years", f"{FIRST}-{LAST}",
        "--data-dir", str(data_dir), "--api-url", url,
    ]  # fmt: skip


def _start_past_the_guard(args: list[str], **extra: str) -> subprocess.Popen[bytes]:
    """Start the command line and return once copub's start-up SIGINT guard is in place.

    ``-X importtime`` reports each module when its import has finished: the line for
    ``copub._startup`` means the guard is installed. Before it, the interpreter itself is
    starting (importing runpy, encodings), where no program's code runs yet.
    """
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "copub", *args],
        env=_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.split(b"|")[-1].strip() == b"copub._startup":
            return process
    raise AssertionError("copub never imported its start-up guard")


def _without_importtime(err: str) -> str:
    return "\n".join(line for line in err.splitlines() if not line.startswith("import time:"))


# The signal comes in the first half second after the guard: the command is still importing
# its modules or generating the tiny sample (which takes seconds), never at shutdown.
@given(delay=st.floats(0.0, 0.5))
@example(delay=0.0)  # at once: inside copub's own imports, where only the start-up guard helps
@settings(max_examples=4, deadline=None)
def test_ctrl_c_while_starting_is_one_line(delay: float) -> None:
    with tempfile.TemporaryDirectory() as cache:
        process = _start_past_the_guard(
            ["report", "--sample", "--scale", "0.005", "--seed", "11"], COPUB_CACHE_DIR=cache
        )
        time.sleep(delay)
        assert process.poll() is None, "the command ended before it was interrupted"
        code, err, took = _interrupt(process)
    _assert_one_interrupt_line(code, _without_importtime(err))
    assert took < 1.0


def test_ctrl_c_during_a_request_that_hangs_stops_within_a_second(tmp_path: Path) -> None:
    with HostileServer("hold") as server:
        process = _start(_fetch_args(server.base_url, tmp_path), COPUB_TIMEOUT="60")
        deadline = time.monotonic() + 30
        while server.stats["list"] < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.stats["list"] >= 1, "the fetch never reached the server"
        time.sleep(0.2)
        code, err, took = _interrupt(process)
    _assert_one_interrupt_line(code, err)
    assert took < 1.0, f"took {took:.2f} s"


@pytest.fixture(scope="module")
def slow_server() -> Iterator[ReplayServer]:
    # 3 works a page, 0.15 s a page: a few seconds of fetching in all.
    yield from serve(page_size=3, delay=0.15)


def _manifest_lines(data_dir: Path) -> int:
    path = raw_dir(data_dir, INSTITUTION) / "manifest.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


@given(pages=st.integers(1, 12))
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_ctrl_c_mid_fetch_keeps_completed_pages_and_the_rerun_is_exact(
    slow_server: ReplayServer, tmp_path_factory: pytest.TempPathFactory, pages: int
) -> None:
    data_dir = tmp_path_factory.mktemp("sigint")
    slow_server.delay = 0.15
    process = _start(_fetch_args(slow_server.base_url, data_dir), COPUB_CONCURRENCY="2")
    deadline = time.monotonic() + 60
    while _manifest_lines(data_dir) < pages and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        time.sleep(0.01)
    code, err, took = _interrupt(process)
    _assert_one_interrupt_line(code, err)
    assert took < 1.0, f"took {took:.2f} s"
    kept = _manifest_lines(data_dir)
    assert kept >= pages and not (data_dir / "tables").exists()

    slow_server.delay = 0.0
    progress, _ = captured()
    before = slow_server.stats.requests["list"]
    result = copub.fetch_works(
        INSTITUTION, (FIRST, LAST), settings=fast_settings(slow_server, data_dir), progress=progress
    )
    assert_exact(copub.load_tables(data_dir), slow_server.expected(FIRST, LAST))
    # The completed pages were kept: the rerun fetched only the rest.
    assert result.pages_fetched == slow_server.stats.requests["list"] - before
    assert result.pages - result.pages_fetched >= pages
