"""The integer keys of the labelling stage against a plain dictionary lookup.

``_rank`` takes a merge path for sorted columns (a run-length encoding,
rejected early by the order of the column's head) and an Enum cast for the
rest; whichever path a column takes, each value's key must be its index in
the categories, and null where the categories lack it.
"""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.classify.keyed import _HEAD, _rank
from copub.concurrent import side_by_side

_IDS = st.sampled_from([f"W{n}" for n in (1, 2, 3, 10, 11, 20, 100, 101)])


def _expected(values: list[str | None], categories: list[str]) -> list[int | None]:
    index = {value: i for i, value in enumerate(categories)}
    return [None if v is None else index.get(v) for v in values]


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), _IDS), max_size=40),
    categories=st.lists(_IDS, unique=True, max_size=8),
    sort_values=st.booleans(),
)
def test_rank_is_the_index_in_the_categories(
    values: list[str | None], categories: list[str], sort_values: bool
) -> None:
    if sort_values:
        values = sorted(v for v in values if v is not None)
    categories = sorted(categories)
    got = _rank(pl.Series("work_id", values, pl.String), pl.Series(categories), merge=True)
    assert got.to_list() == _expected(values, categories)


def test_a_column_sorted_only_in_its_head_is_still_ranked_right() -> None:
    # The head passes the early check; the runs then show the column is not sorted.
    head = [f"W{n:06d}" for n in range(_HEAD + 10)]
    values = [*head, "W000003", "W000001"]
    categories = sorted(set(values))
    got = _rank(pl.Series(values), pl.Series(categories), merge=True)
    assert got.to_list() == _expected(values, categories)


def test_side_by_side_keeps_the_order_and_raises_a_jobs_error() -> None:
    assert side_by_side(*(lambda i=i: i * i for i in range(6)), workers=2) == [
        i * i for i in range(6)
    ]

    def fails() -> None:
        raise ValueError("job failed")

    try:
        side_by_side(lambda: 1, fails, workers=2)
    except ValueError as exc:
        assert str(exc) == "job failed"
    else:
        raise AssertionError("the job's error was not raised")
