"""The OpenAlex snapshot's folder layout imports, with XPAC works dropped and counted."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import copub
from copub.cli import main
from copub.errors import DataError


def _work(number: int, *, xpac: bool | None) -> dict[str, object]:
    record: dict[str, object] = {
        "id": f"https://openalex.org/W{number}",
        "publication_year": 2020,
        "type": "article",
        "authorships": [{"author": {"id": f"https://openalex.org/A{number}"}, "countries": ["NO"]}],
    }
    if xpac is not None:
        record["is_xpac"] = xpac
    return record


def _part(path: Path, records: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))


@pytest.fixture(params=["data/works", "data/jsonl/works"])
def snapshot(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / "openalex-snapshot"
    works = root / request.param
    _part(
        works / "updated_date=2024-01-02" / "part_000.gz",
        [_work(1, xpac=False), _work(2, xpac=True)],
    )
    _part(
        works / "updated_date=2024-01-01" / "part_000.gz",
        [_work(3, xpac=None), _work(4, xpac=True)],
    )
    _part(works / "updated_date=2024-01-01" / "part_001.gz", [_work(1, xpac=False)])
    entries = [
        {"url": f"s3://openalex/{request.param}/{name}", "meta": {"record_count": n}}
        for name, n in (
            ("updated_date=2024-01-02/part_000.gz", 2),
            ("updated_date=2024-01-01/part_000.gz", 2),
            ("updated_date=2024-01-01/part_001.gz", 1),
        )
    ]
    (works / "manifest").write_text(json.dumps({"entries": entries}))
    # Another entity of the snapshot must not be read as works.
    _part(root / "data" / "authors" / "updated_date=2024-01-01" / "part_000.gz", [{"id": "A1"}])
    return root


def test_snapshot_folder_imports_without_xpac(snapshot: Path) -> None:
    tables = copub.read_works([snapshot])
    assert tables.works["work_id"].to_list() == ["W1", "W3"]
    counts = tables.provenance.counts
    assert counts["files"] == 3
    assert counts["records"] == 5
    assert counts["xpac_dropped"] == 2
    assert counts["duplicates_removed"] == 1


def test_include_xpac_keeps_them(snapshot: Path) -> None:
    tables = copub.read_works([snapshot], include_xpac=True)
    assert tables.works["work_id"].to_list() == ["W1", "W2", "W3", "W4"]
    assert tables.provenance.counts["xpac_dropped"] == 0


def test_import_command_says_what_it_dropped(
    snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(snapshot), "--data-dir", str(tmp_path / "d")]) == 0
    err = capsys.readouterr().err
    assert "reading 3 works file(s), 0 authors file(s)" in err
    assert "2 XPAC works dropped" in err and "--include-xpac" in err
    assert copub.load_tables(tmp_path / "d").works.height == 2


def test_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no works files in this folder"):
        copub.read_works([tmp_path / "empty"])
