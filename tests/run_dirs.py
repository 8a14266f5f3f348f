"""Directories one test run shares between its pytest-xdist workers.

The synthetic worlds, their labelled works and the sample report are built once
per run, by whichever worker needs them first, and read by all the others.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Cache entries every worker of one test run shares. copub locks and completes
#: each entry itself (``load_sample`` holds a directory lock and writes
#: ``complete.json`` last; labelled works are written atomically), so two
#: workers never build one twice nor read one half-written.
SHARED_CACHE_ENTRIES = ("sample", "labelled")


def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by every worker of this test run.

    Each xdist worker has its own base temp (``…/pytest-N/popen-gwK``); their
    parent belongs to this run alone. Without xdist the base temp is the run's.
    """
    return run_dir_of(tmp_path_factory.getbasetemp())


def run_dir_of(base: Path) -> Path:
    """:func:`run_dir` of a worker's base temp ``base``."""
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def share_cache(cache: Path, shared: Path) -> None:
    """Make the shared entries of the cache directory ``cache`` links into ``shared``.

    ``cache`` itself stays where it is (under the worker's base temp, where the
    isolation tests look for it); only its entries point at the run's one copy.
    """
    cache.mkdir(parents=True, exist_ok=True)
    for name in SHARED_CACHE_ENTRIES:
        target = shared / name
        target.mkdir(parents=True, exist_ok=True)
        link = cache / name
        if not link.is_symlink() and not link.exists():
            link.symlink_to(target, target_is_directory=True)
