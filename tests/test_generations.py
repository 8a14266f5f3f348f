"""The generation writer: one rename switches the tables, old layouts convert, leftovers go."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import polars as pl
import pytest

import copub
from copub.errors import UsageError
from copub.locking import directory_lock
from copub.normalize.generations import (
    GENERATIONS_DIR,
    ShrinkRefusedError,
    current_tables,
    write_generation,
)
from copub.normalize.schemas import SCHEMAS


def _tables(n: int) -> copub.Tables:
    works = copub.Tables.empty().works
    rows = pl.DataFrame({"work_id": [f"W{i}" for i in range(n)], "year": [2020] * n})
    frames = {"works": pl.concat([works, rows], how="diagonal_relaxed").cast(works.schema)}
    return copub.Tables.empty().with_(**frames)


def test_every_table_of_the_schemas_is_written_and_read_from_one_generation(
    tmp_path: Path,
) -> None:
    _tables(3).write(tmp_path)
    link = tmp_path / "tables"
    assert link.is_symlink() and link.resolve().parent.name == GENERATIONS_DIR
    assert sorted(p.stem for p in link.glob("*.parquet")) == sorted(SCHEMAS)
    first = current_tables(tmp_path)
    _tables(5).write(tmp_path)
    second = current_tables(tmp_path)
    assert first != second and first is not None and second is not None
    # A reader that resolved the link before the switch still finds all its files.
    assert pl.read_parquet(first / "works.parquet").height == 3
    assert copub.load_tables(tmp_path).works.height == 5
    _tables(7).write(tmp_path)
    # Only the current generation and the one before it are kept.
    kept = sorted(p.name for p in (tmp_path / GENERATIONS_DIR).iterdir())
    assert len(kept) == 2 and second.name in kept and first.name not in kept


def test_old_style_tables_are_kept_as_a_generation_and_guard_shrinking(tmp_path: Path) -> None:
    old = tmp_path / "tables"
    old.mkdir()
    for name, frame in _tables(4).frames().items():
        frame.write_parquet(old / f"{name}.parquet")
    assert copub.load_tables(tmp_path).works.height == 4
    with pytest.raises(ShrinkRefusedError, match=r"\(4 works\): the new ones would lose 2 of "):
        _tables(2).write(tmp_path)
    assert not old.is_symlink() and copub.load_tables(tmp_path).works.height == 4
    _tables(6).write(tmp_path)
    assert (tmp_path / "tables").is_symlink()
    legacy = [p.name for p in (tmp_path / GENERATIONS_DIR).iterdir() if "legacy" in p.name]
    assert len(legacy) == 1


def test_a_killed_build_is_cleared_and_never_read(tmp_path: Path) -> None:
    _tables(3).write(tmp_path)
    half = tmp_path / GENERATIONS_DIR / ".building-20990101T000000Z-dead"
    half.mkdir()
    (half / "works.parquet").write_bytes(b"PAR1 half")
    assert copub.load_tables(tmp_path).works.height == 3
    _tables(3).write(tmp_path)
    assert not half.exists()


def test_with_the_link_lost_the_newest_complete_generation_is_current(tmp_path: Path) -> None:
    _tables(3).write(tmp_path)
    _tables(5).write(tmp_path)
    os.unlink(tmp_path / "tables")
    assert copub.load_tables(tmp_path).works.height == 5


def test_a_second_writer_is_refused_or_waits(tmp_path: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with directory_lock(tmp_path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    try:
        with pytest.raises(UsageError, match="another copub process is writing"):
            _tables(1).write(tmp_path)
        waiter = threading.Thread(target=lambda: _tables(2).write(tmp_path, wait=True))
        waiter.start()
        waiter.join(0.3)
        assert waiter.is_alive()  # waiting for the lock
    finally:
        release.set()
        thread.join(10)
    waiter.join(10)
    assert copub.load_tables(tmp_path).works.height == 2


def test_an_empty_frame_set_is_written_as_given(tmp_path: Path) -> None:
    path = write_generation({"works": pl.DataFrame({"work_id": []})}, {"source": "x"}, tmp_path)
    assert (path / "provenance.json").read_text().strip().startswith("{")
