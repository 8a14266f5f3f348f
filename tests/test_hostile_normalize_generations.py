"""Issue 27, items 2-4: no user folder is lost, the authors table is guarded, the guard compares.

Every test builds its inputs at test time from the real pages in ../shared/data
(never copied into the repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import copub
from conftest import shared_path
from copub.cli import main
from copub.errors import DataError
from copub.normalize.authors import authors_path, load_authors
from copub.normalize.generations import GENERATIONS_DIR, current_tables

MARKER = ".copub-generation"  # what copub writes into each of its generations


def _last_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    line = err.rstrip().splitlines()[-1]
    assert line.startswith("copub: error:") and err.count("copub: error:") == 1, err
    return line


def _import(data_dir: Path, *files: Path, extra: tuple[str, ...] = ()) -> int:
    return main(["import", *map(str, files), "--data-dir", str(data_dir), *extra])


@pytest.fixture
def page() -> Path:
    return shared_path("openalex", "works_chunk_1.json")


# --- item 2: a user's own DIR/tables is never deleted -------------------------------------


def test_a_users_own_tables_folder_is_refused_and_kept(
    tmp_path: Path, page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    mine = data / "tables"
    mine.mkdir(parents=True)
    (mine / "thesis-notes.txt").write_text("three years of work")
    for _ in range(2):  # on the old code the first import moved it, the second deleted it
        assert _import(data, page) == 2
        line = _last_line(capsys)
        assert str(mine) in line and "not copub's" in line and "thesis-notes.txt" in line
        assert "move it away" in line
    assert (mine / "thesis-notes.txt").read_text() == "three years of work"
    assert not mine.is_symlink()


def test_a_file_where_copub_keeps_its_generations_is_refused(
    tmp_path: Path, page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / GENERATIONS_DIR).write_text("mine")
    assert _import(data, page) == 2
    assert "is a file, not copub's folder of generations" in _last_line(capsys)
    assert (data / GENERATIONS_DIR).read_text() == "mine"


def test_a_link_that_copub_did_not_make_is_refused(
    tmp_path: Path, page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    elsewhere.mkdir()
    data.mkdir()
    (data / "tables").symlink_to(elsewhere, target_is_directory=True)
    assert _import(data, page) == 2
    assert "copub did not make" in _last_line(capsys)
    assert (data / "tables").resolve() == elsewhere.resolve()


def test_only_marked_generations_are_ever_deleted(tmp_path: Path, page: Path) -> None:
    data = tmp_path / "data"
    assert _import(data, page) == 0
    generations = data / GENERATIONS_DIR
    first = (data / "tables").resolve()
    assert (first / MARKER).is_file()
    # Folders copub did not write, under names copub uses.
    # Named as the newest generation: never taken for copub's current or previous one.
    stranger = generations / "tables-29990101T000000000000Z-0000beef"
    stranger.mkdir()
    (stranger / "works.parquet").write_bytes(b"mine")
    (stranger / "my.csv").write_text("a,b\n")
    building = generations / ".building-mine"
    building.mkdir()
    (building / "draft.docx").write_bytes(b"draft")
    for _ in range(3):
        assert _import(data, page) == 0
    assert (stranger / "my.csv").is_file() and (building / "draft.docx").is_file()
    # copub's own generations are tidied: the current one and the one before.
    ours = [p for p in generations.iterdir() if (p / MARKER).is_file()]
    assert len(ours) == 2 and not first.exists()
    # With the link lost, the newest of copub's own generations is current, not the stranger.
    current = (data / "tables").resolve()
    (data / "tables").unlink()
    assert current_tables(data) == current


def test_an_older_copubs_plain_tables_are_moved_aside_and_kept(
    tmp_path: Path, page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    old = data / "tables"
    old.mkdir(parents=True)
    for name, frame in copub.read_works(page).frames().items():
        frame.write_parquet(old / f"{name}.parquet")
    assert _import(data, page) == 0
    err = capsys.readouterr().err
    legacy = [p for p in (data / GENERATIONS_DIR).iterdir() if "-legacy-" in p.name]
    assert len(legacy) == 1 and str(legacy[0]) in err
    for _ in range(3):
        assert _import(data, page) == 0
    assert (legacy[0] / "works.parquet").is_file()


# --- item 3: the authors table has the works tables' guard and generations -----------------


def _authors_page(folder: Path, keep: int) -> Path:
    page = json.loads(shared_path("openalex-authors", "authors_page_50.json").read_bytes())
    page["results"] = page["results"][:keep]
    path = folder / f"authors_{keep}.json"
    path.write_text(json.dumps(page))
    return path


@pytest.mark.parametrize("keep", [0, 10])
def test_a_smaller_authors_table_is_refused_without_replace(
    keep: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    full = _authors_page(tmp_path, 50)
    kind = ("--kind", "authors")
    assert _import(data, full, extra=kind) == 0
    before = load_authors(data)
    n_before = before["author_id"].n_unique()
    smaller = _authors_page(tmp_path, keep)
    assert _import(data, smaller, extra=kind) == 1
    line = _last_line(capsys)
    assert "kept the existing authors table" in line and f"({n_before} authors)" in line
    assert "--replace" in line
    assert load_authors(data).equals(before)
    # On purpose: replaced, and the previous version is kept as the generation before.
    assert _import(data, smaller, extra=(*kind, "--replace")) == 0
    assert load_authors(data)["author_id"].n_unique() < n_before
    assert authors_path(data).parent.is_symlink()
    previous = [
        p
        for p in (data / GENERATIONS_DIR).iterdir()
        if p.name.startswith("authors-") and p != authors_path(data).parent.resolve()
    ]
    assert len(previous) == 1
    assert pl.read_parquet(previous[0] / "authors.parquet").equals(before)


def test_a_users_own_authors_folder_is_never_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    mine = data / "authors"
    mine.mkdir(parents=True)
    (mine / "interviews.txt").write_text("kept")
    assert _import(data, _authors_page(tmp_path, 5), extra=("--kind", "authors")) == 2
    assert "not copub's" in _last_line(capsys)
    assert (mine / "interviews.txt").read_text() == "kept"


# --- item 4: the guard compares what is lost, not only the count ---------------------------


def _split_by_year(folder: Path) -> tuple[Path, Path, list[int]]:
    """The real page's works as two disjoint files: early years, later ones (as many or more)."""
    works = json.loads(shared_path("openalex", "works_page.json").read_bytes())["results"]
    years = sorted(w["publication_year"] for w in works)
    cut = years[len(years) // 2]
    early = [w for w in works if w["publication_year"] < cut]
    late = [w for w in works if w["publication_year"] >= cut]
    assert len(late) >= len(early) > 0
    paths = []
    for name, chosen in (("early", early), ("late", late)):
        path = folder / f"{name}.jsonl"
        path.write_text("".join(json.dumps(w) + "\n" for w in chosen))
        paths.append(path)
    return paths[0], paths[1], sorted({w["publication_year"] for w in early})


def test_a_disjoint_import_with_as_many_works_is_refused_naming_what_is_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    early, late, early_years = _split_by_year(tmp_path)
    data = tmp_path / "data"
    assert _import(data, early) == 0
    before = copub.load_tables(data).works
    assert _import(data, late) == 1
    line = _last_line(capsys)
    n = before.height
    assert f"would lose {n} of the {n} works (100%)" in line
    assert f"{len(early_years)} years from {early_years[0]} to {early_years[-1]}" in line
    assert "--replace" in line
    assert copub.load_tables(data).works.equals(before)
    assert _import(data, late, extra=("--replace",)) == 0
    assert copub.load_tables(data).works["year"].min() >= max(early_years)


def test_losing_a_fetched_institution_is_refused(tmp_path: Path, page: Path) -> None:
    tables = copub.read_works(page)
    data = tmp_path / "data"
    tables.with_(provenance=tables.provenance.with_(institutions=("I1", "I2"))).write(data)
    same_works = tables.with_(provenance=tables.provenance.with_(institutions=("I1",)))
    with pytest.raises(DataError, match=r"the institution\(s\) I2; pass --replace"):
        same_works.write(data)
    same_works.write(data, replace=True)
    assert copub.load_tables(data).provenance.institutions == ("I1",)


def test_a_refresh_that_loses_a_few_merged_works_is_accepted(tmp_path: Path) -> None:
    works = json.loads(shared_path("openalex", "works_page.json").read_bytes())["results"]
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text("".join(json.dumps(w) + "\n" for w in works))
    # One work merged away (0.5%), two new ones: a normal refresh, no --replace needed.
    added = [dict(works[0], id=f"https://openalex.org/W99{i}") for i in range(2)]
    new.write_text("".join(json.dumps(w) + "\n" for w in [*works[1:], *added]))
    data = tmp_path / "data"
    assert _import(data, old) == 0
    assert _import(data, new) == 0
    assert copub.load_tables(data).works.height == len(works) + 1
