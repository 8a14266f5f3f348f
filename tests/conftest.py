"""Shared fixtures: the real data in ../shared (skipped when absent) and small tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: on two loaded cores (three xdist workers, CI) an
# example that takes 30 ms alone can take 300, and hypothesis reports a deadline
# missed once and met on replay as a flaky failure. pytest bounds the run.
settings.register_profile("copub", deadline=None)
settings.load_profile("copub")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COPUB_SHARED_DIR", REPO.parent / "shared")) / "data"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than the cores this process may use.

    Many tests wait: on the file lock of the run's one shared sample report, on
    copub subprocesses, on Chromium and LibreOffice. A worker more than the cores
    fills those waits (measured on 2 cores, polars on one thread a worker: 5:10
    with 2 workers, 4:45-4:54 with 3, 5:23 with 4).
    ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still sets the number outright.
    """
    env = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS")
    if env:
        return int(env)
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else 2


#: The thread pools each worker keeps to one thread (see :func:`pytest_configure`).
ONE_THREAD = ("POLARS_MAX_THREADS", "OPENBLAS_NUM_THREADS")


def pytest_configure(config: pytest.Config) -> None:
    """Polars and numpy's BLAS on one thread in each worker, when several workers share the cores.

    The workers already fill the cores; the libraries' own threads on the
    tests' small tables only add hand-offs and busy waiting. Measured on 2
    cores with 3 workers: 613 s of CPU and 5:12-5:31 with their defaults;
    525-544 s and 4:45-4:54 with polars on one thread; 484-509 s and 4:28-4:35
    with BLAS too. Set here, in the controller, before the workers start: they
    and their subprocesses inherit it. A value set by hand wins, and ``-n 0``
    keeps the defaults. ``test_library_threads.py`` checks that the tables and
    figures do not depend on the thread counts.
    """
    if len(getattr(config.option, "tx", None) or ()) > 1:
        for name in ONE_THREAD:
            os.environ.setdefault(name, "1")


def shared_path(*parts: str) -> Path:
    """A file under ../shared/data, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path}: ../shared/data is not beside this checkout (CI has it)")
    return path


@pytest.fixture(scope="session")
def openalex_pages() -> list[Path]:
    """The five real OpenAlex /works pages in ../shared/data/openalex."""
    folder = shared_path("openalex")
    return sorted(folder.glob("*.json"))


@pytest.fixture(scope="session")
def real_tables(openalex_pages: list[Path]):  # type: ignore[no-untyped-def]
    """Tables built from the real pages."""
    import copub

    return copub.read_works(openalex_pages)
