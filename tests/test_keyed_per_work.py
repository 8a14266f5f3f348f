"""Keyed-table shortcuts: ``per_work`` by position; no cut when the universe is every work."""

from __future__ import annotations

import dataclasses

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.classify.keyed import KeyedTables
from copub.normalize import Tables


def _keyed(n_ids: int, wids: list[int]) -> KeyedTables:
    empty = KeyedTables.from_tables(Tables.empty())
    return dataclasses.replace(
        empty,
        work_ids=pl.Series([f"W{i:03d}" for i in range(n_ids)]),
        works=pl.DataFrame({"wid": sorted(wids)}, schema={"wid": pl.UInt32}),
    )


@st.composite
def _case(draw: st.DrawFn) -> tuple[int, list[int], list[int], list[int | None]]:
    n_ids = draw(st.integers(1, 12))
    works = draw(st.sets(st.integers(0, n_ids - 1)))
    # Label rows: sorted and distinct (the positional path) or not (the join).
    labelled = draw(st.lists(st.integers(0, n_ids - 1), max_size=15))
    if draw(st.booleans()):
        labelled = sorted(set(labelled))
    values = draw(
        st.lists(st.none() | st.integers(-5, 5), min_size=len(labelled), max_size=len(labelled))
    )
    return n_ids, sorted(works), labelled, values


@settings(max_examples=200, deadline=None)
@given(case=_case(), lazy=st.booleans())
def test_per_work_is_a_left_join_in_work_order(
    case: tuple[int, list[int], list[int], list[int | None]], lazy: bool
) -> None:
    n_ids, works, labelled, values = case
    keyed = _keyed(n_ids, works)
    frame = pl.DataFrame(
        {"wid": labelled, "value": values, "items": [[v] for v in values]},
        schema={"wid": pl.UInt32, "value": pl.Int64, "items": pl.List(pl.Int64)},
    )
    got = keyed.per_work(frame.lazy() if lazy else frame).collect()
    # Plain Python: each work, then each label row of it (none: one row of nulls), in work order.
    expected: list[tuple[int, int | None, list[int | None] | None]] = []
    for wid in works:
        rows = [(wid, v, [v]) for w, v in zip(labelled, values, strict=True) if w == wid]
        expected.extend(rows or [(wid, None, None)])
    assert got.columns == ["wid", "value", "items"]
    assert got.schema == frame.schema
    assert got.rows() == expected


def test_labels_of_every_work_are_those_cut_from_more_works() -> None:
    """Tables of the home's works alone (the universe is every work: nothing is cut)
    label those works as the whole sample does (where the universe cuts the tables)."""
    import copub
    from copub.indicators import Definitions, label_works, universe_works

    tables = copub.load_sample(scale=0.01)
    definitions = Definitions(universe="all", bootstrap=0)
    ids = universe_works(tables, definitions)["work_id"].implode()
    assert 0 < ids.list.len().item() < tables.works.height
    mine = tables.with_(
        **{
            name: getattr(tables, name).filter(pl.col("work_id").is_in(ids))
            for name in ("works", "authorships", "affiliations", "funding")
        }
    )
    whole = label_works(tables, definitions).works
    alone = label_works(mine, definitions).works
    assert alone.height == mine.works.height
    assert alone.equals(whole)
