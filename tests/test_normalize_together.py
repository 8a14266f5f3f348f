"""JSON Lines files read together in one DuckDB query give what each file read alone gives.

``read_raw_files`` reads a part's plain JSON Lines files in one query; any
file that is not plainly JSON Lines of works sends the whole part down the
careful per-file path. The references here are independent of that query:
list pages (read by polars, one file at a time) and the per-file path.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings

import copub
from conftest import shared_path
from copub.errors import DataError
from copub.normalize import reader
from test_normalize_engines import _assert_same
from test_normalize_parts import _records_in_files, _write_pages


def _write_lines(folder: Path, files: list[list[dict[str, Any]]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, records in enumerate(files):
        path = folder / f"part{i:03d}.jsonl.gz"
        path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
        paths.append(path)
    return paths


@given(_records_in_files())
@settings(max_examples=25, deadline=None)
def test_lines_read_together_equal_pages_with_rival_records(
    case: tuple[list[list[dict[str, Any]]], list[dict[str, Any]]],
) -> None:
    files, _ = case
    files = [f for f in files if f]  # an empty JSON Lines file is no work; an empty page is one
    folder = Path(tempfile.mkdtemp())
    from_pages = copub.read_works(_write_pages(folder / "pages", files))
    from_lines = copub.read_works(_write_lines(folder / "lines", files))
    _assert_same(from_lines, from_pages)
    assert from_lines.provenance.counts == from_pages.provenance.counts


def _real_records() -> list[dict[str, Any]]:
    records = []
    for page in sorted(shared_path("openalex").glob("*.json")):
        records += json.loads(page.read_text(encoding="utf-8"))["results"]
    return records


def test_real_works_read_together_equal_each_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _real_records()
    third = len(records) // 3
    # Three files, the last repeating part of the first: duplicates inside one part.
    files = [records[:third], records[third:], records[: third // 2]]
    paths = _write_lines(tmp_path, files)
    assert reader._read_lines_together(paths) is not None  # the query this test is about
    together = copub.read_works(paths)
    raws = reader.read_raw_files(paths)
    monkeypatch.setattr(reader, "_read_lines_together", lambda paths: None)
    alone = copub.read_works(paths)
    _assert_same(together, alone)
    assert together.provenance.counts == alone.provenance.counts
    assert together.provenance.counts["duplicates_removed"] == third // 2
    for raw, path in zip(raws, paths, strict=True):
        assert raw.equals(reader.read_raw_file(path)), path


def test_a_bad_record_in_a_later_file_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    good = {"id": "W1", "publication_year": 2020}
    paths = _write_lines(tmp_path, [[good], [good, {"id": "X2", "publication_year": 2020}]])
    with pytest.raises(DataError) as caught:
        copub.read_works(paths)
    assert str(caught.value) == (f"{paths[1]}: record 2: id 'X2' is not an OpenAlex work id (W…)")


def test_a_file_duckdb_refuses_sends_the_part_down_the_careful_path(tmp_path: Path) -> None:
    good = json.dumps({"id": "W1", "publication_year": 2020})
    # A key twice in one object: DuckDB refuses it, polars keeps the first value.
    twice = '{"id": "W2", "publication_year": 2021, "publication_year": 1999}'
    paths = _write_lines(tmp_path, [[json.loads(good)]])
    odd = tmp_path / "odd.jsonl.gz"
    odd.write_bytes(gzip.compress(f"{good}\n{twice}\n".encode()))
    assert reader._read_lines_together([*paths, odd]) is None
    tables = copub.read_works([*paths, odd])
    assert tables.works.select("work_id", "year").sort("work_id").rows() == [
        ("W1", 2020),
        ("W2", 2021),
    ]
    assert tables.provenance.counts["duplicates_removed"] == 1


def test_pages_and_lines_mixed_read_each_file_alone(tmp_path: Path) -> None:
    work = {"id": "W1", "publication_year": 2020, "authorships": []}
    lines = _write_lines(tmp_path / "lines", [[work]])
    pages = _write_pages(tmp_path / "pages", [[{**work, "id": "W2"}]])
    assert reader._read_lines_together([*lines, *pages]) is None
    tables = copub.read_works([*lines, *pages])
    assert tables.works["work_id"].sort().to_list() == ["W1", "W2"]
    assert tables.works.schema == pl.Schema(copub.normalize.schemas.WORKS)
