"""Helpers for the fetch tests: fast settings, a server fixture, exact-table checks."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import copub
from conftest import shared_path
from copub.cli import main
from copub.progress import Progress
from replay_server import ReplayServer, load_real_works, short_id

__all__ = [
    "FIRST",
    "HOSTILE_ENV",
    "HOSTILE_KEY",
    "INSTITUTION",
    "LAST",
    "assert_exact",
    "captured",
    "error_lines",
    "fast_settings",
    "hostile_env",
    "hostile_fetch",
    "no_key_anywhere",
    "real_works",
    "serve",
]

#: The API key of the hostile tests: it must appear in no output and no file.
HOSTILE_KEY = "sk-hostile-0123456789"
#: Short deadlines and backoffs for runs against the hostile server.
HOSTILE_ENV = {
    "OPENALEX_API_KEY": HOSTILE_KEY,
    "COPUB_TIMEOUT": "1",
    "COPUB_MAX_RETRIES": "2",
    "COPUB_BACKOFF": "0.01",
    "COPUB_BACKOFF_MAX": "0.05",
}

INSTITUTION = "I204778367"
#: 2006-2008 hold 13 + 18 + 31 real works: several pages each at page_size 8.
FIRST, LAST = 2006, 2008


def real_works() -> list[dict[str, Any]]:
    """The 375 real works, read in place from ../shared (skip when absent)."""
    return _load(shared_path("openalex"))


@functools.cache
def _load(folder: Path) -> list[dict[str, Any]]:
    # Read once per session: the server copies what it changes.
    return load_real_works(folder)


def serve(**options: Any) -> Iterator[ReplayServer]:
    """A started replay server over the real works (generator for fixtures)."""
    options.setdefault("page_size", 8)
    with ReplayServer(real_works(), institution=INSTITUTION, **options) as server:
        yield server


def fast_settings(server: ReplayServer, data_dir: Path, **changes: Any) -> copub.Settings:
    """Settings with tiny backoffs, pointed at ``server``.

    The timeout is no test's subject here (the slow-page fault sets its own):
    it leaves a healthy page seconds on a loaded machine, so that tests
    counting retries count only the faults they inject.
    """
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "api_url": server.base_url,
        "backoff": 0.001,
        "backoff_max": 0.02,
        "timeout": 5.0,
        "max_retries": 3,
        "concurrency": 2,
    }
    values.update(changes)
    return copub.Settings(**values)


def captured() -> tuple[Progress, io.StringIO]:
    """A progress reporter writing into a string."""
    stream = io.StringIO()
    return Progress(stream=stream, min_interval=0.0), stream


def assert_exact(tables: copub.Tables, expected: dict[str, dict[str, Any]]) -> None:
    """The tables hold exactly the expected works and authorships: no more, no fewer."""
    assert sorted(tables.works["work_id"]) == sorted(expected)
    want = sorted(
        (wid, position, short_id(a["author"]["id"]) if a["author"].get("id") else None)
        for wid, work in expected.items()
        for position, a in enumerate(work["authorships"])
    )
    got = sorted(tables.authorships.select("work_id", "position", "author_id").iter_rows())
    assert got == want
    n_authors = dict(tables.works.select("work_id", "n_authors").iter_rows())
    assert n_authors == {wid: len(w["authorships"]) for wid, w in expected.items()}
    assert not tables.works["is_authors_truncated"].any()
    tables.check_keys()


@pytest.fixture
def hostile_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """:data:`HOSTILE_ENV` in the environment (import it into a test module to use it)."""
    for name, value in HOSTILE_ENV.items():
        monkeypatch.setenv(name, value)


def hostile_fetch(base_url: str, data_dir: Path, *extra: str, years: str = "2020") -> int:
    """``copub fetch`` of NTNU's ``years`` from ``base_url`` into ``data_dir``, in-process."""
    return main(
        ["fetch", "--institution", INSTITUTION, "--years", years, "--data-dir", str(data_dir),
         "--api-url", base_url, *extra]
    )  # fmt: skip


def no_key_anywhere(data_dir: Path, *texts: str, key: str = HOSTILE_KEY) -> None:
    """Neither ``texts`` nor any file below ``data_dir`` holds ``key``."""
    for text in texts:
        assert key not in text
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def error_lines(err: str) -> Sequence[str]:
    """The ``copub: error:`` lines of stderr; when there is one, it is the last line."""
    errors = [line for line in err.splitlines() if line.startswith("copub: error:")]
    if errors:
        assert err.rstrip().splitlines()[-1] == errors[-1]
    return errors
