"""The normalizer's fast paths give what the general ones give (issue 29: read_works' speed)."""

from __future__ import annotations

import os
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.normalize.build import INSTITUTION_ATTRIBUTES, _votes
from reference_leiden import short, strings_of
from strategies import tables_of, unique_works

_VALUES = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))
_LINEAGE = st.one_of(st.none(), st.sampled_from(["I1", "I1|I2", "I2|I1"]))


@st.composite
def _described(draw: st.DrawFn, unique_pairs: bool) -> pl.DataFrame:
    """Rows as :func:`institution_votes` reads them: institution, work, date, attributes."""
    rows: list[dict[str, Any]] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "institution_id": st.sampled_from(["I1", "I2", "I3"]),
                    "work_id": st.sampled_from([f"W{i}" for i in range(6)]),
                    "updated_date": st.one_of(
                        st.none(), st.sampled_from(["2024-01-01", "2025-01-01"])
                    ),
                    **{name: _VALUES for name in INSTITUTION_ATTRIBUTES[:-1]},
                    "lineage": _LINEAGE,
                }
            ),
            max_size=30,
        )
    )
    frame = pl.DataFrame(
        rows,
        schema={
            "institution_id": pl.String,
            "work_id": pl.String,
            "updated_date": pl.String,
            **{name: pl.String for name in INSTITUTION_ATTRIBUTES},
        },
    )
    if unique_pairs:
        frame = frame.unique(
            subset=["institution_id", "work_id"], keep="first", maintain_order=True
        )
    return frame


def _plain_votes(described: pl.DataFrame) -> list[tuple[Any, ...]]:
    """The votes in plain Python: per institution, attribute and value, works and newest date."""
    works: dict[tuple[str, str, str], set[str]] = {}
    newest: dict[tuple[str, str, str], str | None] = {}
    for row in described.iter_rows(named=True):
        for attribute in INSTITUTION_ATTRIBUTES:
            if row[attribute] is None:
                continue
            key = (row["institution_id"], attribute, row[attribute])
            works.setdefault(key, set()).add(row["work_id"])
            dates = [d for d in (newest.get(key), row["updated_date"]) if d is not None]
            newest[key] = max(dates) if dates else None
    return sorted((*key, len(ids), newest[key]) for key, ids in works.items())


@given(_described(unique_pairs=True))
@settings(max_examples=60, deadline=None)
def test_votes_by_description_equal_votes_by_work(described: pl.DataFrame) -> None:
    by_work = _votes(described, by_description=False)
    by_description = _votes(described, by_description=True)
    assert by_description.equals(by_work)
    got = by_description.select("institution_id", "attribute", "value", "works", "newest").rows()
    assert sorted(got) == _plain_votes(described)


@given(_described(unique_pairs=False))
@settings(max_examples=60, deadline=None)
def test_votes_by_work_count_each_work_once(described: pl.DataFrame) -> None:
    got = _votes(described, by_description=False)
    rows = got.select("institution_id", "attribute", "value", "works", "newest").rows()
    assert sorted(rows) == _plain_votes(described)
    ranks = got.group_by("institution_id", "attribute").agg(pl.col("rank").sort())
    for ranked in ranks["rank"].to_list():
        assert ranked == list(range(len(ranked)))


@given(unique_works())
@settings(max_examples=40, deadline=None)
def test_affiliation_strings_equal_plain_python(works: list[dict[str, Any]]) -> None:
    """Numbered per work in string order; one entry per distinct string of an authorship."""
    got = {
        (row["work_id"], row["position"]): row["affiliation_strings"]
        for row in tables_of(works).authorships.iter_rows(named=True)
    }
    for work in works:
        per_author = [strings_of(a) for a in work["authorships"]]
        numbers = {
            text: n for n, text in enumerate(sorted({t for s in per_author if s for t in s}))
        }
        for position, strings in enumerate(per_author):
            want = (
                None
                if strings is None
                else [
                    {"string_id": numbers[text], "institution_ids": sorted(ids)}
                    for text, ids in sorted(strings.items(), key=lambda kv: numbers[kv[0]])
                ]
            )
            assert got[(short(work["id"]), position)] == want


def test_duckdb_reads_share_one_database_per_process() -> None:
    from copub.normalize import reader

    with reader._connection() as one, reader._connection() as two:
        one.execute("CREATE TABLE copub_probe AS SELECT 42 AS answer")
        try:
            assert two.execute("SELECT answer FROM copub_probe").fetchall() == [(42,)]
        finally:
            one.execute("DROP TABLE copub_probe")


def test_a_forked_process_makes_a_database_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A database made before a fork has no threads in the child: the child makes its own."""
    from copub.normalize import reader

    with reader._connection():
        pass
    assert reader._DATABASE is not None
    parents = reader._DATABASE[1]
    monkeypatch.setattr(reader, "_DATABASE", (os.getpid() + 1, parents))  # made by another pid
    with reader._connection() as connection:
        assert connection.execute("SELECT 1").fetchall() == [(1,)]
    assert reader._DATABASE[0] == os.getpid()
    assert reader._DATABASE[1] is not parents
