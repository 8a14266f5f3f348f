"""The integer keys the build stores: what they are, that old generations still load, and
that labelling reads them without ever trusting a wrong one.

The keys are checked against plain Python (a sorted list of the ids); the
labelling that reads stored keys is checked against the labelling that
ranks the string ids (the tables with their key columns dropped), whose
keys are made without them, on the sample and on keys corrupted on purpose.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copub
from copub.classify.keyed import KeyedTables, key_tables
from copub.indicators import Definitions, label_works, yearly_indicators
from copub.normalize.generations import write_generation
from copub.normalize.keys import INSTITUTION_KEY, KEY_COLUMNS, WORK_KEY
from copub.normalize.schemas import SCHEMAS, UNKEYED

HOME = ("I204778367",)
_KEYED_FRAMES = (
    "works", "authorships", "affiliations", "strings", "reported", "institutions", "funding",
)  # fmt: skip


@pytest.fixture(scope="module")
def sample() -> copub.Tables:
    return copub.load_sample(scale=0.01)


def _bare(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The frames as an older copub wrote them: no key columns."""
    return {name: frame.drop(KEY_COLUMNS[name]) for name, frame in frames.items()}


def _same_keyed(a: KeyedTables, b: KeyedTables) -> None:
    assert a.work_ids.equals(b.work_ids)
    assert a.reported_codes.equals(b.reported_codes)
    for name in _KEYED_FRAMES:
        assert getattr(a, name).equals(getattr(b, name)), name


def test_the_build_stores_each_id_s_rank_among_the_sorted_ids(sample: copub.Tables) -> None:
    works = sorted(sample.works["work_id"].to_list())
    institutions = sorted(sample.institutions["institution_id"].to_list())
    work_rank = {w: i for i, w in enumerate(works)}
    institution_rank = {inst: i for i, inst in enumerate(institutions)}
    for name in ("works", "authorships", "affiliations", "funding"):
        frame = getattr(sample, name)
        assert frame.schema == SCHEMAS[name] and frame.height
        for work_id, key in frame.select("work_id", WORK_KEY).iter_rows():
            assert key == work_rank[work_id]
    for name in ("institutions", "affiliations"):
        rows = getattr(sample, name).select("institution_id", INSTITUTION_KEY).iter_rows()
        for institution_id, key in rows:
            assert key == institution_rank.get(institution_id)


def test_hand_built_frames_are_keyed_when_the_tables_are_made() -> None:
    empty = {name: pl.DataFrame(schema=schema) for name, schema in UNKEYED.items()}
    works = pl.DataFrame({"work_id": ["W3", "W10", "W2"]}).join(
        empty["works"], on="work_id", how="left"
    )
    funding = pl.DataFrame({"work_id": ["W2", "W9"], "funder_id": ["F1", "F1"]}).join(
        empty["funding"].drop("funder_id"), on="work_id", how="left"
    )
    tables = copub.Tables(
        **{**empty, "works": works, "funding": funding.select(UNKEYED["funding"].names())}
    )
    assert tables.works.select("work_id", WORK_KEY).rows() == [("W3", 2), ("W10", 0), ("W2", 1)]
    # A work the works table lacks has no key.
    assert tables.funding[WORK_KEY].to_list() == [1, None]
    # An empty table's schema brings key columns, all null: those are made too.
    on_schema = copub.Tables.empty().works.vstack(
        pl.DataFrame({"work_id": ["W5"]}).join(copub.Tables.empty().works, on="work_id", how="left")
    )
    assert copub.Tables.empty().with_(works=on_schema).works[WORK_KEY].to_list() == [0]


def test_an_older_generation_without_keys_loads_keyed_and_labels_the_same(
    sample: copub.Tables, tmp_path: Path
) -> None:
    sample.write(tmp_path / "new")
    provenance = sample.provenance.to_dict()
    write_generation(_bare(sample.frames()), provenance, tmp_path / "old")
    folder = next((tmp_path / "old").glob(".generations/tables-*"))
    assert WORK_KEY not in pl.read_parquet_schema(folder / "works.parquet")
    new, old = copub.load_tables(tmp_path / "new"), copub.load_tables(tmp_path / "old")
    for name, frame in new.frames().items():
        assert getattr(old, name).equals(frame), name
    definitions = Definitions(bootstrap=0)
    expected = yearly_indicators(new, definitions)
    assert yearly_indicators(old, definitions).equals(expected)
    # Read lazily in passes, an older generation is keyed pass by pass.
    scan = copub.scan_tables(tmp_path / "old", works_per_pass=300)
    assert WORK_KEY not in scan.works.collect_schema()
    assert yearly_indicators(scan, definitions).equals(expected)


def test_stored_keys_key_the_tables_as_ranking_the_ids_does(sample: copub.Tables) -> None:
    frames = sample.frames()
    ranked = key_tables(_bare(frames), home_ids=HOME)
    _same_keyed(key_tables(frames, home_ids=HOME), ranked)
    # Tables read whole from a generation read their keys without checking each row.
    assert sample.keys_trusted and not sample.with_().keys_trusted
    _same_keyed(KeyedTables.from_tables(sample, HOME), ranked)
    definitions = Definitions(bootstrap=0)
    ranked = copub.Tables(**_bare(frames), provenance=sample.provenance)
    assert label_works(sample, definitions).works.equals(label_works(ranked, definitions).works)


def test_tables_cut_to_some_works_keep_usable_keys(sample: copub.Tables) -> None:
    frames = sample.frames()
    # Every third work (as networks.nodes.restrict_tables cuts them): the works' keys have gaps.
    keep = frames["works"]["work_id"].gather_every(3)
    cut = {
        name: frame.filter(pl.col("work_id").is_in(keep.implode())) if "work_id" in frame else frame
        for name, frame in frames.items()
    }
    cut["authorships"] = frames["authorships"]  # rows of works no longer there: dropped
    _same_keyed(key_tables(cut, home_ids=HOME), key_tables(_bare(cut), home_ids=HOME))


@settings(max_examples=30, deadline=None)
@given(
    table=st.sampled_from(["works", "authorships", "affiliations", "funding", "institutions"]),
    key=st.sampled_from([WORK_KEY, INSTITUTION_KEY]),
    how=st.sampled_from(["shift", "null", "reverse", "constant"]),
    seed=st.integers(0, 2**16),
)
def test_a_wrong_stored_key_is_never_trusted(
    sample: copub.Tables, table: str, key: str, how: str, seed: int
) -> None:
    frames = sample.frames()
    frame = frames[table]
    if key not in frame.columns:
        return
    n = frame.height
    rows = pl.int_range(n, eager=True).sample(fraction=0.2, seed=seed)
    values = frame[key]
    wrong = {
        "shift": values.gather(rows) + 1,
        "null": pl.repeat(None, rows.len(), dtype=pl.UInt32, eager=True),
        "reverse": values.gather(rows).reverse(),
        "constant": pl.repeat(0, rows.len(), dtype=pl.UInt32, eager=True),
    }[how]
    frames[table] = frame.with_columns(values.scatter(rows, wrong.cast(pl.UInt32)))
    _same_keyed(key_tables(frames, home_ids=HOME), key_tables(_bare(frames), home_ids=HOME))
