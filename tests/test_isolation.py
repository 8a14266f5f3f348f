"""Tests stay out of the user's home: even module-scoped fixtures see the temporary dirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from copub.settings import Settings


@pytest.fixture(scope="module")
def module_settings() -> Settings:
    # A module-scoped fixture runs before any function-scoped autouse fixture.
    return Settings.from_env()


def test_module_fixtures_see_the_temporary_dirs(
    module_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.getbasetemp().resolve()
    for path in (module_settings.cache_dir, module_settings.data_dir):
        assert Path(path).resolve().is_relative_to(base), path
        assert not Path(path).resolve().is_relative_to(Path.home() / ".cache")
    assert os.environ["COPUB_CACHE_DIR"].startswith(str(tmp_path_factory.getbasetemp()))
