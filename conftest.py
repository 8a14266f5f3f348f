"""Root conftest: applies to the tests and to the docstring examples in src/copub."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the user's data and cache directories.

    The sample cache is shared across the session so the synthetic world is
    generated once per seed and scale.
    """
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("COPUB_DATA_DIR", str(base / "copub-data"))
    monkeypatch.setenv("COPUB_CACHE_DIR", str(base / "copub-cache"))
    monkeypatch.delenv("COPUB_OPENALEX_URL", raising=False)
    monkeypatch.delenv("COPUB_REGISTER", raising=False)
