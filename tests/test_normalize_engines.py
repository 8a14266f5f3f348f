"""JSON Lines go through DuckDB, list pages through polars: both give the same tables.

Each case writes the same records in both shapes and compares all six
tables, so any difference between the engines (types, nulls, order, a field
one of them drops) fails here.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import copub
from conftest import shared_path
from copub.errors import DataError
from copub.sample.writer import write_sample


def _as_lines(page: Path, out: Path, *, compress: bool) -> Path:
    records = json.loads(page.read_text(encoding="utf-8"))["results"]
    text = "".join(json.dumps(record) + "\n" for record in records)
    if compress:
        out.write_bytes(gzip.compress(text.encode()))
    else:
        out.write_text(text, encoding="utf-8")
    return out


def _assert_same(left: copub.Tables, right: copub.Tables) -> None:
    for name, frame in left.frames().items():
        other = right.frames()[name]
        assert frame.schema == other.schema, name
        assert frame.equals(other), name


@pytest.mark.parametrize("compress", [True, False])
def test_2026_schema_page_equals_its_lines(tmp_path: Path, compress: bool) -> None:
    page = shared_path("openalex-2026", "works_page_2026.json")
    lines = _as_lines(page, tmp_path / "works.jsonl", compress=compress)
    _assert_same(copub.read_works([page]), copub.read_works([lines]))


def test_sample_pages_equal_sample_lines(tmp_path: Path) -> None:
    pages = write_sample(tmp_path / "pages", scale=0.01, fmt="pages")
    lines = write_sample(tmp_path / "lines", scale=0.01, fmt="jsonl")
    from_pages = copub.read_works([*pages.pages, *pages.full_records])
    from_lines = copub.read_works([*lines.pages, *lines.full_records])
    assert from_pages.works.height > 1000
    _assert_same(from_pages, from_lines)


def test_engine_errors_are_translated(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl.gz"
    good = json.dumps({"id": "W1", "publication_year": 2020})
    bad.write_bytes(gzip.compress(f'{good}\n{{"id": "W2", "publication_year": \n'.encode()))
    with pytest.raises(DataError) as caught:
        copub.read_works([bad])
    message = str(caught.value)
    assert message.startswith(f"{bad}: line 2: not valid JSON")
    assert "duckdb" not in message.lower() and "Invalid Input" not in message
