"""Shared fixtures: the real data in ../shared (skipped when absent) and small tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COPUB_SHARED_DIR", REPO.parent / "shared")) / "data"


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
