"""Several institutions' files imported into one data dir: the union, each work once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import copub
from copub.cli import main


def _records(paths: list[Path]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for path in paths:
        out += orjson.loads(path.read_bytes())["results"]
    return out


def _names(record: dict[str, object]) -> set[str]:
    ids: set[str] = set()
    for authorship in record["authorships"]:  # type: ignore[union-attr]
        for institution in authorship.get("institutions") or []:
            ids.add(str(institution.get("id", "")).rsplit("/", 1)[-1])
            ids |= {str(i).rsplit("/", 1)[-1] for i in institution.get("lineage") or []}
    return ids


def _three_busiest(records: list[dict[str, object]]) -> tuple[str, str, str]:
    """The three institutions on the most works (found in the pages, not held here)."""
    counts = Counter(i for r in records for i in _names(r) if i.startswith("I"))
    first, second, third = (i for i, _ in counts.most_common(3))
    return first, second, third


def _page(path: Path, records: list[dict[str, object]]) -> Path:
    body = {"meta": {"count": len(records), "next_cursor": None}, "results": records}
    path.write_bytes(orjson.dumps(body))
    return path


def test_import_of_several_institutions_stores_each_work_once(
    openalex_pages: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = _records(openalex_pages)
    home, *peers = chosen = _three_busiest(records)
    # One "fetch" per institution: the works each one is on (and a shared work in both).
    files = []
    for institution in chosen:
        own = [r for r in records if institution in _names(r)]
        assert own, institution
        files.append(_page(tmp_path / f"{institution}.json", own))
    ids = {institution: {str(r["id"]) for r in records if institution in _names(r)}
           for institution in chosen}  # fmt: skip
    union = set().union(*ids.values())
    overlap = sum(len(s) for s in ids.values()) - len(union)
    assert overlap > 0, "the real pages have works on two of these institutions"
    data_dir = tmp_path / "data"
    assert main(["import", *map(str, files), "--data-dir", str(data_dir)]) == 0
    tables = copub.load_tables(data_dir)
    assert tables.works.height == len(union) == tables.works["work_id"].n_unique()
    assert tables.provenance.counts["duplicates_removed"] == overlap
    # Each institution's figures from the union equal those from its own file alone.
    d = copub.Definitions(universe="all", bootstrap=0)
    result = copub.peer_indicators(tables, d.with_(institutions=(home,)), peers=peers)
    for institution, path in zip(chosen, files, strict=True):
        alone = copub.yearly_indicators(
            copub.read_works([path]), d.with_(institutions=(institution,))
        )
        own = result.table.filter(pl.col("institution_id") == institution).select(alone.columns)
        assert_frame_equal(own, alone)
