"""Leiden's split over affiliation strings on keyed rows, against plain Python.

:func:`copub.indicators.counting.weight_labels` groups a work's strings by
gathers when the strings are numbered 0, 1, … per work (as the build numbers
them) and renumbers them first otherwise; either way each work's weight is
the rule's sum, here recomputed string by string from the same rows.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.classify.keyed import AUTHORSHIP_STRIDE, KeyedTables
from copub.indicators.counting import weight_labels
from copub.normalize import Tables

#: Institution ``iid``'s home share: not home, home, half of a joint unit, a third of one.
SHARES = [0.0, 1.0, 0.5, 1 / 3, 0.0, 1.0]

# One work: its authorships, each a list of (string number, the iids it names there).
Work = list[list[tuple[int, list[int | None]]]]


@st.composite
def _works(draw: st.DrawFn) -> tuple[list[Work], bool]:
    dense = draw(st.booleans())
    works = []
    for _ in range(draw(st.integers(1, 5))):
        # Dense: the build's numbers 0..k-1; otherwise any distinct numbers, negative too.
        n_strings = draw(st.integers(1, 4))
        numbers = (
            list(range(n_strings))
            if dense
            else draw(st.lists(st.integers(-(2**31), 2**31 - 1), min_size=n_strings, unique=True))
        )
        iids = st.lists(st.none() | st.integers(0, len(SHARES) - 1), min_size=1, max_size=3)
        authorships = []
        for _ in range(draw(st.integers(0, 4))):
            chosen = draw(st.lists(st.sampled_from(numbers), max_size=3, unique=True))
            authorships.append([(number, draw(iids)) for number in sorted(chosen)])
        works.append(authorships)
    if dense:
        # Each number names a string of its work only if some authorship lists it.
        works = [_renumbered(work) for work in works]
    return works, dense


def _renumbered(work: Work) -> Work:
    used = sorted({number for authorship in work for number, _ in authorship})
    rank = {number: i for i, number in enumerate(used)}
    return [[(rank[number], iids) for number, iids in authorship] for authorship in work]


def _keyed(works: list[Work]) -> KeyedTables:
    empty = KeyedTables.from_tables(Tables.empty())
    rows = []
    for wid, work in enumerate(works):
        for position, authorship in enumerate(work):
            for number, iids in authorship:
                for k, iid in enumerate(iids):
                    aid = wid * AUTHORSHIP_STRIDE + position
                    rows.append((wid, aid, number, len(authorship), k == 0, iid))
    strings = pl.DataFrame(rows, schema=empty.strings.schema, orient="row")
    authorships = pl.DataFrame(
        [
            (wid, wid * AUTHORSHIP_STRIDE + position, 0, False, len(authorship), False)
            for wid, work in enumerate(works)
            for position, authorship in enumerate(work)
        ],
        schema=empty.authorships.schema,
        orient="row",
    )
    institutions = pl.DataFrame(
        {"iid": range(len(SHARES)), "home_share": SHARES},
        schema={"iid": pl.UInt32, "home_share": pl.Float64},
    )
    works_frame = pl.DataFrame(
        {"wid": range(len(works)), "n_authors": [len(work) for work in works]},
        schema={"wid": pl.UInt32, "n_authors": pl.Int32},
    )
    return dataclasses.replace(
        empty,
        work_ids=pl.Series([f"W{i}" for i in range(len(works))]),
        works=works_frame,
        authorships=authorships,
        strings=strings,
        institutions=institutions,
    )


def _expected(works: list[Work]) -> dict[int, float]:
    """Each work's weight by the rule, string by string (exact fractions, rounded once)."""
    weights = {}
    for wid, work in enumerate(works):
        named: dict[int, set[int]] = {}
        for authorship in work:
            for number, iids in authorship:
                named.setdefault(number, set()).update(i for i in iids if i is not None)
        total = Fraction(0)
        for authorship in work:
            for number, _ in authorship:
                institutions = named[number]
                home = sum(SHARES[i] for i in sorted(institutions))
                if home > 0:
                    total += Fraction(home / len(institutions) / len(authorship) / len(work))
        if total:
            weights[wid] = float(total)
    return weights


@settings(max_examples=120, deadline=None)
@given(case=_works())
def test_weights_split_strings_then_their_institutions_however_numbered(
    case: tuple[list[Work], bool],
) -> None:
    works, _ = case
    got = weight_labels(_keyed(works))
    assert got["wid"].is_sorted()
    weights = dict(zip(got["wid"].to_list(), got["weight"].to_list(), strict=True))
    # copub adds the terms in floating point; the reference rounds their exact sum once:
    # the two may differ in the last bit (0.46296296296296297 against 0.462962962962963).
    assert weights == pytest.approx(_expected(works), rel=1e-12, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(case=_works(), shift=st.integers(1, 1000))
def test_renumbering_a_works_strings_keeps_its_weight(
    case: tuple[list[Work], bool], shift: int
) -> None:
    dense = [_renumbered(work) for work in case[0]]
    # The same strings numbered apart (gaps, negative, not from 0): the general path.
    spread = [
        [[(number * 7 - shift, iids) for number, iids in authorship] for authorship in work]
        for work in dense
    ]
    assert weight_labels(_keyed(spread)).equals(weight_labels(_keyed(dense)))
