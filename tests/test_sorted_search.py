"""``in_sorted`` says what ``is_in`` says, by binary search when it can."""

from __future__ import annotations

from unittest import mock

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from copub.classify import sorted_search
from copub.classify.sorted_search import in_sorted

_KEYS = st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 50), max_size=40)


@given(
    values=_KEYS,
    keys=_KEYS,
    sort_values=st.booleans(),
    sort_keys=st.booleans(),
    block=st.integers(1, 8),
)
def test_in_sorted_is_membership(
    values: list[int], keys: list[int], sort_values: bool, sort_keys: bool, block: int
) -> None:
    values = sorted(values) if sort_values else values
    keys = sorted(keys) if sort_keys else keys
    # Small blocks: the rows are searched in many blocks, each among its own range of keys.
    with mock.patch.object(sorted_search, "_BLOCK", block):
        got = in_sorted(pl.Series("aid", values, pl.UInt64), pl.Series(keys, dtype=pl.UInt64))
    assert got.name == "aid"
    assert got.dtype == pl.Boolean
    assert got.to_list() == [value in set(keys) for value in values]


def test_in_sorted_with_nulls_follows_is_in() -> None:
    values = pl.Series("aid", [1, None, 3], pl.UInt64)
    keys = pl.Series([3, None], dtype=pl.UInt64)
    assert in_sorted(values, keys).to_list() == values.is_in(keys.implode()).to_list()


def test_in_sorted_casts_keys_to_the_values_type() -> None:
    got = in_sorted(pl.Series("aid", [2, 5], pl.UInt64), pl.Series([5], dtype=pl.UInt32))
    assert got.to_list() == [False, True]
