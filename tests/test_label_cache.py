"""The sample's labelled works: cached on disk, reused only while nothing shaping them changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest

import copub
from copub.classify import load_groups
from copub.classify.definitions import Definitions
from copub.indicators import label_cache, labels
from copub.indicators.labels import label_works
from copub.normalize import Tables
from copub.sample import sample_register_path
from copub.settings import Settings


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("label-cache")


@pytest.fixture
def sample(cache: Path) -> Tables:
    """A small world of its own cache (so the entries counted here are this module's)."""
    return copub.load_sample(seed=1, scale=0.002, settings=Settings(cache_dir=cache))


@pytest.fixture
def labelled_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time the works are really labelled (not read from the cache)."""
    runs: list[int] = []
    real = labels._label

    def counted(*args: object, **kwargs: object) -> pl.DataFrame:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(labels, "_label", counted)
    return runs


def _entries(cache: Path) -> set[str]:
    return {p.name for p in (cache / label_cache.LABELLED_DIR).glob("*.parquet")}


def test_cached_labels_equal_fresh_ones_and_are_read_back(
    sample: Tables, cache: Path, labelled_runs: list[int]
) -> None:
    definitions = Definitions(membership="historical")  # an entry of this test's own
    first = label_works(sample, definitions).works
    assert len(labelled_runs) == 1
    again = label_works(copub.load_sample(seed=1, scale=0.002, settings=Settings(cache_dir=cache)),
                        definitions).works  # fmt: skip
    assert len(labelled_runs) == 1  # read from the cache, in a new load of the same world
    assert again.equals(first) and again.schema == first.schema
    # The same labels as tables nobody fingerprinted (a copy is labelled afresh).
    fresh = label_works(sample.with_(), definitions).works
    assert len(labelled_runs) == 2
    assert fresh.equals(first)


def test_a_changed_definition_is_labelled_again(
    sample: Tables, cache: Path, labelled_runs: list[int]
) -> None:
    base = Definitions(years=None)
    label_works(sample, base)
    runs, entries = len(labelled_runs), _entries(cache)
    # Options that change no label reuse the entry...
    label_works(sample, base.with_(bootstrap=7, seed=3, counting="fractional"))
    assert len(labelled_runs) == runs and _entries(cache) == entries
    # ...but every option that shapes a label makes its own.
    groups = load_groups()
    fewer = type(groups)(groups=groups.groups[:-1], home_country=groups.home_country)
    settings = Settings(cache_dir=cache)
    register = copub.load_register(sample_register_path(1, 0.002, settings=settings))
    other = sample.institutions.filter(pl.col("institution_id") != base.institution)
    changed = [
        base.with_(institutions=(other["institution_id"][0],)),
        base.with_(fractional="institutions"),
        base.with_(merge_hk_mo=not base.merge),
        base.with_(groups=fewer),
        base.with_(register=register),
        base.with_(register=dataclasses.replace(register, levels=register.levels.head(10))),
    ]
    for definitions in changed:
        before = len(labelled_runs)
        label_works(sample, definitions)
        assert len(labelled_runs) == before + 1, definitions
    assert len(_entries(cache)) > len(entries)


def test_a_changed_copub_version_is_labelled_again(
    sample: Tables, labelled_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    definitions = Definitions(years=(2015, 2020))
    label_works(sample, definitions)
    label_works(sample, definitions)
    assert len(labelled_runs) == 1
    versions = {**label_cache.package_versions(), "copub": "999.0"}
    monkeypatch.setattr(label_cache, "package_versions", lambda: versions)
    label_works(sample, definitions)
    assert len(labelled_runs) == 2


def test_an_edited_copub_source_is_labelled_again(
    sample: Tables, labelled_runs: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    definitions = Definitions(years=(2016, 2019))
    label_works(sample, definitions)
    label_works(sample, definitions)
    assert len(labelled_runs) == 1
    source = tmp_path / "copub"
    (source / "indicators").mkdir(parents=True)
    (source / "indicators" / "labels.py").write_text("# another labelling\n")
    monkeypatch.setattr(label_cache, "_SOURCE", source)
    label_works(sample, definitions)
    assert len(labelled_runs) == 2


def test_a_damaged_entry_is_labelled_again(
    sample: Tables, cache: Path, labelled_runs: list[int]
) -> None:
    definitions = Definitions(years=(2017, 2018))
    first = label_works(sample, definitions).works
    for path in (cache / label_cache.LABELLED_DIR).glob("*.parquet"):
        path.write_bytes(b"half a file")
    again = label_works(sample, definitions).works
    assert len(labelled_runs) == 2 and again.equals(first)
