"""The sample's N5T peers: their own works, shared works stored once, NTNU unchanged."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import orjson
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import copub
from copub.sample.writer import SampleFiles, write_sample

NTNU, KTH = "I204778367", "I86987016"
SCALE = 0.02


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> SampleFiles:
    return write_sample(tmp_path_factory.mktemp("peers"), seed=0, scale=SCALE, peers=True)


@pytest.fixture(scope="module")
def tables(files: SampleFiles) -> copub.Tables:
    return copub.read_works(files.work_files, include_xpac=True)  # the raw JSON has them too


def _records(paths: tuple[Path, ...]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for path in paths:
        out += orjson.loads(path.read_bytes())["results"]
    return out


def test_each_shared_work_is_one_row(files: SampleFiles, tables: copub.Tables) -> None:
    tables.check_keys()
    # Independent reference: which institutions each raw record names.
    named: dict[str, set[str]] = defaultdict(set)
    for record in _records(files.pages) + _records(files.peer_pages):
        for authorship in record["authorships"]:  # type: ignore[union-attr]
            for institution in authorship["institutions"]:
                named[str(record["id"]).rsplit("/", 1)[1]].add(institution["id"].rsplit("/", 1)[1])
    shared = {w for w, ids in named.items() if {NTNU, KTH} <= ids}
    assert shared, "NTNU and KTH share works in the sample"
    rows = tables.works.filter(pl.col("work_id").is_in(sorted(shared)))
    assert rows.height == len(shared) == rows["work_id"].n_unique()
    d = copub.Definitions(universe="all", bootstrap=0)
    ntnu = set(copub.label_works(tables, d).works["work_id"])
    kth = set(copub.label_works(tables, d.with_(institutions=(KTH,))).works["work_id"])
    assert shared <= ntnu & kth
    # Peer-only works exist too, and none of them is NTNU's.
    peer_only = {w for w, ids in named.items() if w.startswith("W8")}
    assert peer_only and not peer_only & ntnu
    assert sum(files.peer_counts.values()) == len(peer_only)


def test_ntnu_figures_do_not_depend_on_the_peers(tmp_path: Path, tables: copub.Tables) -> None:
    alone = copub.read_works(
        write_sample(tmp_path, seed=0, scale=SCALE).work_files, include_xpac=True
    )
    d = copub.Definitions(bootstrap=0)
    assert_frame_equal(copub.yearly_indicators(alone, d), copub.yearly_indicators(tables, d))


def test_kth_more_international_than_ntnu(tables: copub.Tables) -> None:
    d = copub.Definitions(years=(2016, 2019), bootstrap=0, period_window=4)
    result = copub.peer_indicators(tables, d, group="n5t", period="window")
    share = dict(zip(result.table["institution_id"], result.table["intl_share"], strict=True))
    assert share[KTH] > share[NTNU]
    assert len(share) == 5, "all five N5T members, Aalto matched by its ROR"
    assert not result.unresolved


def test_every_peer_work_has_a_field(tables: copub.Tables) -> None:
    peer_works = tables.works.filter(pl.col("work_id").str.starts_with("W8"))
    assert peer_works.height > 0
    assert peer_works["field_id"].null_count() == 0


def test_load_sample_includes_the_peers() -> None:
    tables = copub.load_sample(scale=0.01)
    assert tables.provenance.synthetic
    assert tables.works["work_id"].str.starts_with("W8").any()


def test_sample_command_writes_the_peers_for_import(tmp_path: Path) -> None:
    from copub.cli import main

    raw, data = tmp_path / "raw", tmp_path / "data"
    assert main(["sample", "--out", str(raw), "--scale", "0.01", "--peers"]) == 0
    files = sorted(str(p) for p in raw.rglob("*.json"))
    assert any("peer_pages" in f for f in files)
    assert main(["import", *files, "--data-dir", str(data)]) == 0
    tables = copub.load_tables(data)
    tables.check_keys()
    result = copub.peer_indicators(tables, copub.Definitions(bootstrap=0), peers=[KTH])
    assert set(result.table["institution_id"]) == {NTNU, KTH}
