"""Reading in parts changes no table: the merge keeps the record the deduplication rule keeps.

The reference for the rule is a plain-Python choice over the records in read
order: a complete record beats a truncated one, then more authorships, then
the latest ``updated_date`` (none is oldest), then the record read first.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import copub
import copub.normalize.parts as parts
from conftest import shared_path
from copub.errors import DataError
from copub.normalize import build_tables, load_tables, read_works
from strategies import unique_works

_SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_DATES = ["2023-05-01", "2024-01-01", "2025-06-30", None]


def _frames_equal(a: copub.Tables, b: copub.Tables) -> None:
    for name, frame in a.frames().items():
        assert frame.equals(b.frames()[name]), name


def _write_pages(folder: Path, files: list[list[dict[str, Any]]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, records in enumerate(files):
        path = folder / f"page{i:03d}.json"
        path.write_text(json.dumps({"meta": {"count": len(records)}, "results": records}))
        paths.append(path)
    return paths


def _variant(work: dict[str, Any], kind: str, n: int) -> dict[str, Any]:
    """Another record of ``work``, told apart by its title, its funding and its institutions.

    A row of a record that loses would show in the tables: its grant, its
    funder's ROR, or its name for an institution (a vote).
    """
    record = {
        **work,
        "display_name": f"{kind} {n}",
        "grants": [{"funder": f"https://openalex.org/F{n}", "award_id": f"{kind} {n}"}],
        "funders": [{"id": f"https://openalex.org/F{n}", "ror": f"https://ror.org/{kind}{n}"}],
        "authorships": [
            {
                **authorship,
                "institutions": [
                    {**institution, "display_name": f"{kind} {n}"}
                    for institution in authorship["institutions"]
                ],
            }
            for authorship in work["authorships"]
        ],
    }
    if kind == "truncated":
        record |= {"authorships": record["authorships"][:1], "is_authors_truncated": True}
    elif kind == "fewer":
        record |= {"authorships": record["authorships"][:-1]}
    elif kind in ("newer", "older"):
        shift = "2026-01-01" if kind == "newer" else "2001-01-01"
        record |= {"updated_date": shift}
    return record


def _rule_key(record: dict[str, Any]) -> tuple[Any, ...]:
    date = record.get("updated_date")
    return (
        bool(record.get("is_authors_truncated")),
        -len(record["authorships"]),
        (0, -int(date.replace("-", ""))) if date else (1, 0),
    )


@st.composite
def _records_in_files(draw: st.DrawFn) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Records of some works (with rival records) spread over files, and the kept ones."""
    records = []
    for work in draw(unique_works(max_size=10)):
        work = {**work, "updated_date": draw(st.sampled_from(_DATES))}
        records.append(work)
        kinds = ["repeat", "truncated", "fewer", "newer", "older"]
        for n, kind in enumerate(draw(st.lists(st.sampled_from(kinds), max_size=3))):
            records.append(_variant(work, kind, n))
    order = draw(st.permutations(range(len(records))))
    shuffled = [records[i] for i in order]
    cuts = sorted(draw(st.lists(st.integers(0, len(shuffled)), max_size=4)))
    bounds = [0, *cuts, len(shuffled)]
    files = [shuffled[a:b] for a, b in itertools.pairwise(bounds)]
    by_id: dict[str, list[dict[str, Any]]] = {}
    for record in (r for f in files for r in f):  # read order
        by_id.setdefault(record["id"], []).append(record)
    kept = [sorted(rivals, key=_rule_key)[0] for rivals in by_id.values()]  # sorted is stable
    return files, kept


@given(_records_in_files())
@_SETTINGS
def test_every_file_a_part_keeps_what_the_rule_keeps(
    case: tuple[list[list[dict[str, Any]]], list[dict[str, Any]]],
) -> None:
    files, kept = case
    folder = Path(tempfile.mkdtemp())
    paths = _write_pages(folder, files)
    reference = read_works(_write_pages(folder / "kept", [kept]) if kept else [])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "BATCH_BYTES", 1)  # every file its own part
        got = read_works(paths)
    _frames_equal(got, reference)
    one_part = read_works(paths)
    _frames_equal(one_part, reference)
    counts = got.provenance.counts
    n_records = sum(len(f) for f in files)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for record in (r for f in files for r in f):
        by_id.setdefault(record["id"], []).append(record)
    completed = sum(
        any(r.get("is_authors_truncated") for r in rivals)
        and not sorted(rivals, key=_rule_key)[0].get("is_authors_truncated")
        for rivals in by_id.values()
    )
    assert counts["records"] == n_records
    assert counts["truncated_completed"] == completed
    assert counts["duplicates_removed"] == n_records - len(kept) - completed
    assert one_part.provenance.counts == counts


@given(_records_in_files())
@settings(max_examples=10, deadline=None)
def test_build_tables_writes_what_read_works_returns(
    case: tuple[list[list[dict[str, Any]]], list[dict[str, Any]]],
) -> None:
    files, kept = case
    if not kept:
        return
    folder = Path(tempfile.mkdtemp())
    paths = _write_pages(folder, files)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "BATCH_BYTES", 1)
        built = build_tables(paths, folder / "data")
    in_memory = read_works(paths)
    on_disk = load_tables(folder / "data")
    _frames_equal(on_disk, in_memory)
    assert built.provenance.counts == in_memory.provenance.counts
    assert on_disk.provenance.counts == in_memory.provenance.counts
    assert not (built.path / ".parts").exists()


def test_parts_change_nothing_on_the_real_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = sorted(shared_path("openalex").rglob("*.json"))
    whole = read_works(pages)
    monkeypatch.setattr(parts, "BATCH_BYTES", 1)
    _frames_equal(read_works(pages), whole)


def test_no_works_writes_nothing_and_keeps_the_old_tables(tmp_path: Path) -> None:
    work = {"id": "https://openalex.org/W1", "publication_year": 2020, "authorships": []}
    (tmp_path / "one.jsonl").write_text(json.dumps(work) + "\n")
    (tmp_path / "none.jsonl").write_text("")
    build_tables(tmp_path / "one.jsonl", tmp_path / "data")
    with pytest.raises(DataError, match=r"no works in .*none\.jsonl.*unchanged"):
        build_tables(tmp_path / "none.jsonl", tmp_path / "data", replace=True)
    assert load_tables(tmp_path / "data").works["work_id"].to_list() == ["W1"]
    leftovers = [p.name for p in (tmp_path / "data" / ".generations").iterdir()]
    assert not [name for name in leftovers if name.startswith(".building-")]


def test_a_file_that_fails_names_itself_and_writes_nothing(tmp_path: Path) -> None:
    good = {"id": "https://openalex.org/W1", "publication_year": 2020, "authorships": []}
    (tmp_path / "a.jsonl").write_text(json.dumps(good) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps(good) + "\n{broken\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "BATCH_BYTES", 1)
        with pytest.raises(DataError, match=r"b\.jsonl: line 2: not valid JSON"):
            build_tables([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], tmp_path / "data")
    assert not (tmp_path / "data" / "tables").exists()


def test_a_key_twice_in_one_object_reads_alike_in_lines_and_pages(tmp_path: Path) -> None:
    # DuckDB refuses a repeated key; those lines go to polars, which reads pages too and
    # keeps the first value, so both shapes give one answer (json and orjson keep the last).
    record = '{"id": "https://openalex.org/W1", "publication_year": 2019, "publication_year": 2020}'
    (tmp_path / "dup.jsonl").write_text(record + "\n")
    (tmp_path / "dup.json").write_text('{"meta": {}, "results": [' + record + "]}")
    from_lines = read_works(tmp_path / "dup.jsonl").works
    from_page = read_works(tmp_path / "dup.json").works
    assert from_lines.select("work_id", "year").rows() == [("W1", 2019)]
    assert from_lines.equals(from_page)


def test_an_object_larger_than_duckdbs_buffer_is_read_again_with_a_larger_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copub.normalize import reader

    work = {
        "id": "https://openalex.org/W1",
        "publication_year": 2020,
        "display_name": "x" * 40_000_000,  # DuckDB's buffer is 16 MiB at the least
        "authorships": [],
    }
    other = {"id": "https://openalex.org/W2", "publication_year": 2020, "authorships": []}
    (tmp_path / "big.jsonl").write_text(json.dumps(other) + "\n" + json.dumps(work) + "\n")
    calls: list[int | None] = []
    original = reader._read_lines_duckdb

    def counting(path: Path, object_bytes: int | None = None) -> object:
        calls.append(object_bytes)
        return original(path, object_bytes)

    monkeypatch.setattr(reader, "_OBJECT_BYTES", 16 << 20)
    monkeypatch.setattr(reader, "_read_lines_duckdb", counting)
    works = read_works(tmp_path / "big.jsonl").works
    assert works["title"].str.len_bytes().to_list() == [40_000_000, None]  # W1, W2
    assert calls == [None, reader._LARGE_OBJECT_BYTES]  # the small buffer failed, the large read it
