"""Root conftest: applies to the tests and to the docstring examples in src/copub."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.run_dirs import run_dir, share_cache


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Hand the workers the modules likely to take longest first, so they end together.

    With ``--dist loadscope`` each module goes to one worker, in the order
    collected (``--no-loadscope-reorder``); pytest-xdist's own order (most tests
    first) left modules with few but long tests to the end, one worker still
    busy while the others idled. The docstring examples go first (most take
    no time; two draw whole reports). Then the test modules by likely cost:
    their tests, each hypothesis test as 15 (it runs tens of examples), and
    30 more if any test is marked ``slow``. The order within a module stays.
    """
    cost: Counter[Path] = Counter()
    slow: set[Path] = set()
    for item in items:
        hypothesis = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        cost[item.path] += 15 if hypothesis else 1
        if item.get_closest_marker("slow"):
            slow.add(item.path)
    items.sort(
        key=lambda item: (
            not isinstance(item, pytest.DoctestItem),
            -(cost[item.path] + 30 * (item.path in slow)),
        )
    )


def _isolate(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPUB_DATA_DIR", str(base / "copub-data"))
    monkeypatch.setenv("COPUB_CACHE_DIR", str(base / "copub-cache"))
    monkeypatch.delenv("COPUB_OPENALEX_URL", raising=False)
    monkeypatch.delenv("COPUB_REGISTER", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every fixture away from the user's data and cache directories.

    Session-scoped, so it is in place before any module- or class-scoped
    fixture runs (those would otherwise write into ``~/.cache/copub``).
    """
    base = tmp_path_factory.getbasetemp()
    shared = run_dir(tmp_path_factory)
    if shared != base:  # xdist workers: one copy of the worlds for the whole run
        share_cache(base / "copub-cache", shared / "shared-copub-cache")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate(base, monkeypatch)
        yield


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same directories again for each test, undoing what a test changed.

    The sample cache is shared across the session (and across the run's
    workers) so the synthetic world is generated once per seed and scale.
    """
    _isolate(tmp_path_factory.getbasetemp(), monkeypatch)
