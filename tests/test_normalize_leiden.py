"""The fields the Leiden rules read, as the normalizer builds them from raw JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import copub
from copub.errors import DataError


def _work(wid: str, authorships: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": f"https://openalex.org/{wid}", "publication_year": 2020,
            "authorships": authorships, **extra}  # fmt: skip


def _tables(tmp_path: Path, works: list[dict[str, Any]]) -> copub.Tables:
    path = tmp_path / "w.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    # W1 below is an XPAC work: kept here, so the field is read (imports drop them by default).
    return copub.read_works(path, include_xpac=True)


def test_affiliation_strings_are_trimmed_deduplicated_and_numbered_per_work(
    tmp_path: Path,
) -> None:
    a1 = {"institutions": [], "affiliations": [
        {"raw_affiliation_string": " Dept A ", "institution_ids": ["https://openalex.org/I1"]},
        {"raw_affiliation_string": "Dept A", "institution_ids": ["https://openalex.org/I2"]},
        {"raw_affiliation_string": "   ", "institution_ids": ["https://openalex.org/I3"]},
        {"raw_affiliation_string": "Phone", "institution_ids": []},
    ]}  # fmt: skip
    a2 = {"institutions": [], "affiliations": [
        {"raw_affiliation_string": "Dept A", "institution_ids": ["https://openalex.org/I1"]},
    ]}  # fmt: skip
    a3: dict[str, Any] = {"institutions": []}  # an older record: no affiliations field
    a4: dict[str, Any] = {"institutions": [], "affiliations": []}
    tables = _tables(
        tmp_path,
        [
            _work("W1", [a1, a2, a3, a4], referenced_works_count=7, is_xpac=True),
            _work("W2", [a2], primary_location={"source": {"id": "S1", "is_core": False}}),
        ],
    )
    rows = tables.authorships.filter(work_id="W1").sort("position")["affiliation_strings"]
    first = rows[0].to_list()
    # "Dept A" twice (after trimming) is one string with both ids; the blank one is dropped.
    assert {s["string_id"] for s in first} == {0, 1}
    by_id = {s["string_id"]: s["institution_ids"] for s in first}
    assert sorted(by_id.values()) == [[], ["I1", "I2"]]
    dept = next(k for k, v in by_id.items() if v)
    assert rows[1].to_list() == [{"string_id": dept, "institution_ids": ["I1"]}]
    assert rows[2] is None and rows[3].to_list() == []
    works = tables.works.sort("work_id")
    assert works["n_references"].to_list() == [7, None]
    assert works["is_xpac"].to_list() == [True, False]
    assert tables.sources["is_core"].to_list() == [False]


def test_tables_from_an_older_copub_are_refused_with_what_to_do(tmp_path: Path) -> None:
    tables = _tables(tmp_path, [_work("W1", [{"institutions": []}])])
    tables.write(tmp_path / "data")
    path = tmp_path / "data" / "tables" / "works.parquet"
    pl.read_parquet(path).drop("n_references", "is_xpac").write_parquet(path)
    with pytest.raises(DataError, match="lacks n_references, is_xpac: it was built by an older"):
        copub.load_tables(tmp_path / "data")
