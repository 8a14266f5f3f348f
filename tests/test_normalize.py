"""The normalizer against the real OpenAlex pages, checked against the JSON itself."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

import copub
from copub.errors import DataError


def _raw_works(pages: list[Path]) -> list[dict]:  # type: ignore[type-arg]
    works = []
    for page in pages:
        works.extend(json.loads(page.read_text())["results"])
    return works


def test_import_matches_the_json(openalex_pages: list[Path], real_tables: copub.Tables) -> None:
    raw = _raw_works(openalex_pages)
    ids = {w["id"].rsplit("/", 1)[-1] for w in raw}
    assert set(real_tables.works["work_id"]) == ids
    n_authorships = sum(len(w["authorships"]) for w in raw)
    assert real_tables.authorships.height == n_authorships
    expected_affiliations = {
        (w["id"].rsplit("/", 1)[-1], pos, i["id"].rsplit("/", 1)[-1])
        for w in raw
        for pos, a in enumerate(w["authorships"])
        for i in a["institutions"]
        if i.get("id")
    }
    got = set(real_tables.affiliations.select("work_id", "position", "institution_id").iter_rows())
    assert got == expected_affiliations
    real_tables.check_keys()


def test_fields_are_carried_over(openalex_pages: list[Path], real_tables: copub.Tables) -> None:
    raw = {w["id"].rsplit("/", 1)[-1]: w for w in _raw_works(openalex_pages)}
    for row in real_tables.works.iter_rows(named=True):
        work = raw[row["work_id"]]
        assert row["year"] == work["publication_year"]
        assert row["type"] == work["type"]
        assert row["n_authors"] == len(work["authorships"])
        assert row["is_retracted"] == work["is_retracted"]
        source = (work.get("primary_location") or {}).get("source") or {}
        assert row["source_id"] == (source["id"].rsplit("/", 1)[-1] if source.get("id") else None)
        assert set(row["issns"]) == set(source.get("issn") or []) | (
            {source["issn_l"]} if source.get("issn_l") else set()
        )
    for row in real_tables.authorships.iter_rows(named=True):
        authorship = raw[row["work_id"]]["authorships"][row["position"]]
        assert row["author_id"] == authorship["author"]["id"].rsplit("/", 1)[-1]
        assert row["countries"] == authorship["countries"]


def test_funding_comes_from_grants(openalex_pages: list[Path], real_tables: copub.Tables) -> None:
    expected = {
        (w["id"].rsplit("/", 1)[-1], g["funder"].rsplit("/", 1)[-1], g["award_id"])
        for w in _raw_works(openalex_pages)
        for g in w.get("grants") or []
    }
    assert (
        set(real_tables.funding.select("work_id", "funder_id", "award_id").iter_rows()) == expected
    )


def test_jsonl_gzip_equals_pages(
    openalex_pages: list[Path], real_tables: copub.Tables, tmp_path: Path
) -> None:
    lines = tmp_path / "works.jsonl.gz"
    with gzip.open(lines, "wt") as out:
        for work in _raw_works(openalex_pages):
            out.write(json.dumps(work) + "\n")
    from_lines = copub.read_works([lines])
    for name, frame in real_tables.frames().items():
        assert frame.equals(from_lines.frames()[name]), name


def test_parquet_round_trip(real_tables: copub.Tables, tmp_path: Path) -> None:
    real_tables.write(tmp_path)
    back = copub.load_tables(tmp_path)
    for name, frame in real_tables.frames().items():
        assert frame.equals(back.frames()[name]), name
    assert back.provenance == real_tables.provenance


def test_duplicate_pages_are_counted(openalex_pages: list[Path]) -> None:
    tables = copub.read_works([*openalex_pages, openalex_pages[0]])
    first_page = json.loads(openalex_pages[0].read_text())["results"]
    assert tables.provenance.counts["duplicates_removed"] == len(first_page)
    tables.check_keys()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"meta": {}, "results": [{"id": "https://openalex.org/W1", '
            b'"publication_year": 2020}, ',
            "not valid JSON",
        ),
        (
            b'{"id": "W1", "publication_year": 2020}\n'
            b'{"id": "W2", "publication_year": 2020, "authorships": "x"}\n',
            "line 2 (W2): malformed work",
        ),
        (b'{"id": "W1", "publication_year": 2020}\nnot json\n', "line 2: not valid JSON"),
        (
            b'{"id": "X9", "publication_year": 2020}\n',
            "record 1: id 'X9' is not an OpenAlex work id",
        ),
        (b'{"id": "W1"}\n', "record 1: no publication_year"),
        (b'{"meta": {"count": 1}}', "needs a 'results' list"),
        (b"[1, 2, 3]\n", "must be a JSON object"),
    ],
)
def test_malformed_files_are_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DataError) as err:
        copub.read_works([path])
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_missing_tables_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="copub fetch"):
        copub.load_tables(tmp_path)


def test_empty_input_gives_empty_tables(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    tables = copub.read_works([path])
    assert tables.works.height == 0
    assert tables.works.schema == pl.Schema(copub.Tables.empty().works.schema)


def test_complete_records_replace_truncated_ones_and_are_not_duplicates(tmp_path: Path) -> None:
    authorship = {"author": {"id": "https://openalex.org/A1"}, "institutions": [], "countries": []}
    full = {"id": "W1", "publication_year": 2020, "authorships": [authorship] * 150}
    cut = {**full, "authorships": [authorship] * 100, "is_authors_truncated": True}
    other = {"id": "W2", "publication_year": 2020, "authorships": [authorship]}
    pages = tmp_path / "pages.jsonl"
    pages.write_text("\n".join(json.dumps(w) for w in (cut, other, cut, other)) + "\n")
    full_records = tmp_path / "full.jsonl"
    full_records.write_text(json.dumps(full) + "\n")
    tables = copub.read_works([pages, full_records])
    counts = tables.provenance.counts
    assert counts["truncated_completed"] == 1
    # One repeated copy of W1's truncated record and one of W2: two true duplicates.
    assert counts["duplicates_removed"] == 2
    assert counts["truncated_works"] == 0
    assert tables.works.filter(work_id="W1")["n_authors"].item() == 150
