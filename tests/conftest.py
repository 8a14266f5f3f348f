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
