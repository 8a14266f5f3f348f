"""SIGKILL the fetch command mid-way; a rerun ends with complete, correct tables."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import copub
from copub.fetch.store import raw_dir
from fetch_support import INSTITUTION, assert_exact, captured, fast_settings, serve
from replay_server import ReplayServer

FIRST, LAST = 2005, 2009


@pytest.fixture
def slow_server() -> Iterator[ReplayServer]:
    # 3 works a page, 40 ms a page: about 45 pages, a second or two in all.
    yield from serve(page_size=3, delay=0.04)


def _manifest_lines(data_dir: Path) -> int:
    path = raw_dir(data_dir, INSTITUTION) / "manifest.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_then_rerun_gives_exact_tables(slow_server: ReplayServer, tmp_path: Path) -> None:
    wide = sorted(
        w for w, work in slow_server.expected(FIRST, LAST).items() if len(work["authorships"]) > 5
    )[:4]
    slow_server.truncate(wide, keep=3)
    env = {
        **os.environ,
        "COPUB_BACKOFF": "0.001",
        "COPUB_BACKOFF_MAX": "0.02",
        "COPUB_CONCURRENCY": "2",
    }
    command = [
        sys.executable, "-m", "copub", "fetch", "--institution", INSTITUTION,
        "--years", f"{FIRST}-{LAST}", "--data-dir", str(tmp_path),
        "--api-url", slow_server.base_url,
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while _manifest_lines(tmp_path) < 8 and time.monotonic() < deadline:
        assert process.poll() is None, "the fetch ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    kept = _manifest_lines(tmp_path)
    assert kept >= 8 and not (tmp_path / "tables").exists()

    # What a kill at the worst moments leaves behind: a half-written tmp file, a
    # page renamed into place before its manifest entry, half a manifest line.
    root = raw_dir(tmp_path, INSTITUTION)
    chain_dir = sorted((root / "pages").iterdir())[0]
    fake = {"id": "https://openalex.org/W1", "publication_year": FIRST, "authorships": []}
    half = json.dumps({"meta": {"count": 1}, "results": [fake] * 50}).encode()
    (chain_dir / ".00099.json.kill.tmp").write_bytes(half[: len(half) // 2])
    (chain_dir / "00099.json").write_bytes(json.dumps({"meta": {}, "results": [fake]}).encode())
    with (root / "manifest.jsonl").open("ab") as manifest:
        manifest.write(b'{"kind": "page", "year": 2005, "page": 9')

    slow_server.delay = 0.0
    progress, stream = captured()
    settings = fast_settings(slow_server, tmp_path)
    before = slow_server.stats.requests["list"]
    result = copub.fetch_works(INSTITUTION, (FIRST, LAST), settings=settings, progress=progress)
    tables = copub.load_tables(tmp_path)
    assert_exact(tables, slow_server.expected(FIRST, LAST))
    assert "W1" not in set(tables.works["work_id"])
    assert not list(root.rglob("*.tmp")) and not (chain_dir / "00099.json").exists()
    # Ours, plus whatever the kill itself left (a tmp file or an orphan page).
    log = stream.getvalue()
    assert re.search(r"00099\.json: no manifest entry vouches for it; moved to quarantine/", log)
    deleted = re.search(r"deleted (\d+) temporary file", log)
    assert deleted is not None and int(deleted.group(1)) >= 1
    assert list(root.glob("quarantine/*/pages/*/00099.json"))
    assert result.refetched == len(wide) == 4
    # The rerun resumed: it did not fetch again what the killed run had stored.
    assert result.pages_fetched == slow_server.stats.requests["list"] - before < result.pages
