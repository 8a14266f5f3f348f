"""Helpers for the fetch tests: fast settings, a server fixture, exact-table checks."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import copub
from conftest import shared_path
from copub.progress import Progress
from replay_server import ReplayServer, load_real_works, short_id

__all__ = [
    "FIRST",
    "INSTITUTION",
    "LAST",
    "assert_exact",
    "captured",
    "fast_settings",
    "real_works",
    "serve",
]

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
    """Settings with tiny backoffs and timeouts, pointed at ``server``."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "api_url": server.base_url,
        "backoff": 0.001,
        "backoff_max": 0.02,
        "timeout": 2.0,
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
