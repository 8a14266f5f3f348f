"""load_sample's cache, the register path, the formats and the argument checks."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copub
import copub.sample.load as sample_load
from copub.classify.countries import work_countries
from copub.classify.issn import issn_check_char, normalize_issn
from copub.errors import UsageError
from copub.indicators.universe import institution_works
from copub.sample import load_sample, sample_register_path, write_sample
from copub.sample.issn import random_issns
from copub.sample.writer import check_sample_args
from copub.settings import Settings

SCALE = 0.003


def test_load_sample_caches_and_says_synthetic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(cache_dir=tmp_path / "cache")
    register_first = sample_register_path(2, SCALE, settings=settings)
    cold = load_sample(2, SCALE, settings=settings)
    prov = cold.provenance
    assert prov.synthetic and prov.source == "synthetic"
    assert prov.institution == "I204778367" and prov.years == (2012, 2025)
    assert prov.query == f"seed=2, scale={SCALE:g}"
    assert "SYNTHETIC" in prov.describe()
    assert prov.counts["works"] == cold.works.height > 0

    def no_generation(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm load must not generate")

    monkeypatch.setattr(sample_load, "write_sample", no_generation)
    warm = load_sample(2, SCALE, settings=settings)
    for name, frame in cold.frames().items():
        assert warm.frames()[name].equals(frame), name
    assert warm.provenance.synthetic and warm.provenance.query == prov.query
    # The register made alone before the world equals the one written with it.
    assert sample_register_path(2, SCALE, settings=settings) == register_first
    fresh = write_sample(tmp_path / "raw", seed=2, scale=SCALE)
    assert register_first.read_bytes() == fresh.register.read_bytes()


def test_cache_key_depends_on_seed_and_scale(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path)
    keys = {
        sample_load.sample_cache_dir(seed, scale, settings=settings)
        for seed, scale in ((0, 1.0), (1, 1.0), (0, 0.5))
    }
    assert len(keys) == 3
    assert all(k.parent == tmp_path / "sample" for k in keys)


def test_cache_key_ignores_a_calibration_table_around_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The world depends on its seed and scale only: a shared folder changes no cache key."""
    settings = Settings(cache_dir=tmp_path / "cache")
    first = sample_load.sample_cache_dir(0, 1.0, settings=settings)
    table = tmp_path / "shared" / "data" / "reference" / "norway_country_pairs_1990_2023.csv"
    table.parent.mkdir(parents=True)
    table.write_text("year,country_b,share_of_no_works\n2020,US,0.9\n", encoding="utf-8")
    monkeypatch.setenv("COPUB_SHARED_DIR", str(tmp_path / "shared"))
    monkeypatch.chdir(tmp_path)
    assert sample_load.sample_cache_dir(0, 1.0, settings=settings) == first


def test_an_interrupted_cache_is_rebuilt(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path)
    first = load_sample(4, SCALE, settings=settings)
    cache = sample_load.sample_cache_dir(4, SCALE, settings=settings)
    (cache / "complete.json").unlink()
    (cache / "tables" / "authorships.parquet").write_bytes(b"half a file")
    again = load_sample(4, SCALE, settings=settings)
    assert again.authorships.equals(first.authorships)


def test_jsonl_format_gives_the_same_tables(tmp_path: Path) -> None:
    pages = copub.read_works(write_sample(tmp_path / "p", seed=5, scale=SCALE).work_files)
    lines = write_sample(tmp_path / "j", seed=5, scale=SCALE, fmt="jsonl")
    assert all(p.name.endswith(".jsonl.gz") for p in lines.work_files)
    from_lines = copub.read_works(lines.work_files)
    for name, frame in pages.frames().items():
        assert from_lines.frames()[name].equals(frame), name


def test_fat_works_are_about_16_kb_and_change_no_table(tmp_path: Path) -> None:
    fat = write_sample(tmp_path / "fat", seed=0, scale=0.005, fat=True)
    records = [r for p in fat.pages for r in orjson.loads(p.read_bytes())["results"]]
    sizes = np.array([len(orjson.dumps(r)) for r in records])
    assert 14_000 <= sizes.mean() <= 18_000
    assert {
        "abstract_inverted_index",
        "concepts",
        "topics",
        "referenced_works",
        "locations",
    } <= set(records[0])

    # No key twice in one object (DuckDB, which reads JSON Lines, refuses that).
    def no_repeated_key(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    for page in fat.pages[:3]:
        json.loads(page.read_bytes(), object_pairs_hook=no_repeated_key)
    lean = copub.read_works(write_sample(tmp_path / "lean", seed=0, scale=0.005).work_files)
    heavy = copub.read_works(fat.work_files)
    fat_lines = write_sample(tmp_path / "fat_lines", seed=0, scale=0.005, fat=True, fmt="jsonl")
    heavy_lines = copub.read_works(fat_lines.work_files)
    for name, frame in lean.frames().items():
        assert heavy.frames()[name].equals(frame), name
        assert heavy_lines.frames()[name].equals(frame), name


def test_rewriting_a_directory_replaces_the_old_world(tmp_path: Path) -> None:
    big = write_sample(tmp_path, seed=0, scale=0.006)
    small = write_sample(tmp_path, seed=0, scale=0.002)
    on_disk = sorted(p for p in (tmp_path / "pages").iterdir())
    assert on_disk == sorted(small.pages)
    assert len(big.pages) >= len(small.pages)
    assert copub.read_works(small.work_files, include_xpac=True).works.height == sum(
        small.counts.values()
    )


@pytest.mark.parametrize(
    ("seed", "scale"),
    [
        (-1, 1.0),
        (1.5, 1.0),
        (True, 1.0),
        ("3", 1.0),
        (0, 0.0),
        (0, -1.0),
        (0, float("nan")),
        (0, float("inf")),
        (0, 101.0),
        (0, "1"),
    ],
)
def test_bad_seed_or_scale_is_a_usage_error(seed: object, scale: object, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"seed|scale"):
        check_sample_args(seed, scale)
    with pytest.raises(UsageError):
        write_sample(tmp_path, seed=seed, scale=scale)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        load_sample(seed, scale, settings=Settings(cache_dir=tmp_path))  # type: ignore[arg-type]


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="format"):
        write_sample(tmp_path, scale=SCALE, fmt="xml")  # type: ignore[arg-type]


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_issn_check_digit_property(digits: str) -> None:
    issn = f"{digits[:4]}-{digits[4:]}{issn_check_char(digits)}"
    assert normalize_issn(issn) == issn
    # Any other check character is wrong: the digit detects single errors.
    for wrong in "0123456789X":
        if wrong != issn[-1]:
            assert normalize_issn(issn[:-1] + wrong) is None


def test_random_issns_are_valid_and_distinct() -> None:
    issns = random_issns(np.random.default_rng(0), 5000)
    assert len(set(issns)) == 5000 and all(normalize_issn(i) == i for i in issns)
    assert any(i.endswith("X") for i in issns)


@settings(max_examples=4, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_any_seed_keeps_the_international_share_in_bounds(seed: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        files = write_sample(out, seed=seed, scale=0.004)
        tables = copub.read_works(files.work_files, include_xpac=True)
    tables.check_keys()
    universe = institution_works(tables, "I204778367")
    flags = universe.join(work_countries(tables, institution="I204778367"), on="work_id")
    # About 25 works a year at this scale: a year's share has a standard error near 0.1,
    # so the calibrated level (about 0.62) is checked on the pooled years (about 0.025),
    # each year only against gross failure.
    pooled = flags["is_international"].mean()
    assert 0.52 <= pooled <= 0.72, pooled  # type: ignore[operator]
    yearly = flags.group_by("year").agg(pl.col("is_international").mean())
    assert yearly["is_international"].is_between(0.25, 0.95).all()


def test_a_killed_build_is_cleaned_up(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path)
    cache = sample_load.sample_cache_dir(6, SCALE, settings=settings)
    stale = cache / "build-killed"
    (stale / "raw").mkdir(parents=True)
    (stale / "raw" / "page.json").write_text("{}")
    fresh = cache / "build-running"
    fresh.mkdir()
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    load_sample(6, SCALE, settings=settings)
    assert not stale.exists()
    assert fresh.exists(), "a build that may still be running is left alone"



def test_a_second_reader_of_the_sample_authors_waits_for_the_builder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another writer holds the authors' lock, a reader waits, then reads; it
    used to fail with "another copub process is writing" (two notebooks at once)."""
    import threading

    import copub.locking as locking
    from copub.sample.author_histories import HISTORY_VERSION, load_sample_authors

    settings = Settings(cache_dir=tmp_path)
    load_sample(0, 0.002, settings=settings)  # the world itself is built: only the authors wait
    world = sample_load.sample_cache_dir(0, 0.002, settings=settings)
    store = world / f"authors-h{HISTORY_VERSION}"
    waiting = threading.Event()
    acquire = locking._acquire

    def spy(path: Path, *, wait: bool) -> object:
        if wait and path == store:
            waiting.set()
        return acquire(path, wait=wait)

    monkeypatch.setattr(locking, "_acquire", spy)
    got: list[object] = []

    def read() -> None:
        try:
            got.append(load_sample_authors(scale=0.002, settings=settings))
        except Exception as exc:  # reported by the assertions below
            got.append(exc)

    reader = threading.Thread(target=read)
    with locking.directory_lock(store):  # flock: another thread's own open is refused too
        reader.start()
        while not waiting.wait(0.05) and reader.is_alive():
            pass
        assert waiting.is_set() and reader.is_alive() and not got, got
    reader.join()
    (authors,) = got
    assert isinstance(authors, pl.DataFrame) and authors.height > 0
    assert authors.equals(load_sample_authors(scale=0.002, settings=settings))
