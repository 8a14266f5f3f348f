"""Issue 27, item 6: an incomplete snapshot is refused, checked against its manifest.

The snapshot is built at test time in ``tmp_path`` from the real pages in
../shared/data: four gzipped JSON Lines parts and the manifest OpenAlex ships.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import copub
from conftest import shared_path
from copub.cli import main
from copub.errors import DataError

PARTS = (
    "updated_date=2025-01-01/part_000.gz",
    "updated_date=2025-01-01/part_001.gz",
    "updated_date=2025-02-01/part_000.gz",
    "updated_date=2025-03-01/part_000.gz",
)


@pytest.fixture
def snapshot(tmp_path: Path) -> tuple[Path, int]:
    """A snapshot of the four real chunks, one per part, and its number of distinct works."""
    root = tmp_path / "openalex-snapshot"
    works_dir = root / "data" / "works"
    entries, ids = [], set()
    for name, chunk in zip(PARTS, range(1, 5), strict=True):
        page = json.loads(shared_path("openalex", f"works_chunk_{chunk}.json").read_bytes())
        records = page["results"]
        ids |= {r["id"] for r in records}
        path = works_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode())
        path.write_bytes(data)
        entries.append(
            {
                "url": f"s3://openalex/data/works/{name}",
                "meta": {"content_length": len(data), "record_count": len(records)},
            }
        )
    total = sum(e["meta"]["record_count"] for e in entries)
    manifest = {"entries": entries, "meta": {"record_count": total}}
    (works_dir / "manifest").write_text(json.dumps(manifest))
    return root, len(ids)


def test_a_complete_snapshot_imports(snapshot: tuple[Path, int]) -> None:
    root, n_works = snapshot
    assert copub.read_works([root]).works.height == n_works


def test_missing_parts_are_refused_naming_them(
    snapshot: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = snapshot
    works_dir = root / "data" / "works"
    for name in PARTS[1:3]:
        (works_dir / name).unlink()
    assert main(["import", str(root), "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert err.count("copub: error:") == 1 and "Traceback" not in err
    assert "the snapshot is incomplete: 2 of the 4 parts its manifest lists are missing" in err
    assert PARTS[1] in err and PARTS[2] in err and "download them again" in err
    assert not (tmp_path / "data" / "tables").exists()


def test_a_part_with_fewer_records_than_the_manifest_is_refused(
    snapshot: tuple[Path, int],
) -> None:
    root, _ = snapshot
    part = root / "data" / "works" / PARTS[2]
    lines = gzip.decompress(part.read_bytes()).splitlines(keepends=True)
    part.write_bytes(gzip.compress(b"".join(lines[:-3])))  # cut short, still valid JSON Lines
    with pytest.raises(DataError) as caught:
        copub.read_works([root])
    message = str(caught.value)
    assert message.startswith(f"{part}: {len(lines) - 3} records")
    assert f"lists {len(lines)}" in message and "download it again" in message


def test_a_part_the_manifest_does_not_list_is_refused(snapshot: tuple[Path, int]) -> None:
    root, _ = snapshot
    works_dir = root / "data" / "works"
    stale = works_dir / "updated_date=2020-01-01" / "part_000.gz"
    stale.parent.mkdir()
    stale.write_bytes((works_dir / PARTS[0]).read_bytes())
    with pytest.raises(DataError, match=r"1 part\(s\) on disk are not in its manifest"):
        copub.read_works([root])


def test_a_broken_manifest_is_named(snapshot: tuple[Path, int]) -> None:
    root, _ = snapshot
    manifest = root / "data" / "works" / "manifest"
    manifest.write_text('{"entries": "nope"}')
    with pytest.raises(DataError, match=r"manifest: not an OpenAlex snapshot manifest"):
        copub.read_works([root])
