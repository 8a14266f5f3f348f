"""Membership in a sorted key column by binary search, without a hash table.

The keyed tables are in authorship order (:mod:`copub.classify.keyed`), so
the keys a label asks about (the authorships with a known country, the home
authorships) come sorted, and so do the rows asking. ``is_in`` would hash
every key and probe with every row; here each block of rows is searched
(numpy's ``searchsorted``) among the keys in its own range only, a slice
that stays in cache: several times faster on millions of rows. When the rows
are sorted too, a sorted left join (polars merges two sorted key columns)
is faster still. Which rows are members does not depend on the path taken.
"""

from __future__ import annotations

import polars as pl

__all__ = ["in_sorted"]

#: Rows searched at once (:func:`in_sorted`).
_BLOCK = 1 << 14


def in_sorted(values: pl.Series, keys: pl.Series) -> pl.Series:
    """``values.is_in(keys)`` (Boolean, named as ``values``), for integer columns.

    When ``keys`` is sorted ascending and neither column has nulls: a sorted
    join when ``values`` is sorted too, else a binary search by blocks;
    ``is_in`` otherwise.

    Examples
    --------
    >>> in_sorted(pl.Series("aid", [1, 3, 3, 8, 9]), pl.Series([2, 3, 9])).to_list()
    [False, True, True, False, True]
    >>> in_sorted(pl.Series("aid", [5, 1]), pl.Series([5, 1])).to_list()  # unsorted keys
    [True, True]
    """
    import numpy as np

    keys = keys.cast(values.dtype)
    if values.null_count() or keys.null_count() or not keys.is_sorted():
        return values.is_in(keys.implode()).alias(values.name)
    if not keys.len() or not values.len():
        return pl.repeat(False, values.len(), eager=True).alias(values.name)
    if values.is_sorted():
        return _merged(values, keys)
    sought, ordered = values.to_numpy(), keys.to_numpy()
    found = np.zeros(len(sought), dtype=bool)
    for start in range(0, len(sought), _BLOCK):
        block = sought[start : start + _BLOCK]
        # Only the keys in the block's range: a small slice, searched in cache, and
        # no index array as long as the column.
        low = np.searchsorted(ordered, block.min(), side="left")
        high = np.searchsorted(ordered, block.max(), side="right")
        near = ordered[low:high]
        if len(near):
            at = np.searchsorted(near, block)
            at[at == len(near)] = 0  # past the last key: compared with the first, never equal
            found[start : start + len(block)] = near[at] == block
    return pl.Series(values.name, found, dtype=pl.Boolean)


def _merged(values: pl.Series, keys: pl.Series) -> pl.Series:
    """:func:`in_sorted` of sorted ``values``: a left join on two sorted columns."""
    distinct = keys.filter((keys != keys.shift(1)).fill_null(True))
    found = pl.DataFrame({"key": distinct.set_sorted(), "found": True})
    return (
        pl.DataFrame({"key": values.set_sorted()})
        .join(found, on="key", how="left", maintain_order="left")
        .get_column("found")
        .fill_null(False)
        .alias(values.name)
    )
