"""Citations in a fixed window after publication, and when that window is still open.

A work's windowed citations are those received in its publication year and
the ``window`` years after it (``counts_by_year``), so an old work is not
favoured over a recent one for having had more time. OpenAlex's
``counts_by_year`` starts in :data:`COUNTS_FROM` (2012, as the 2026-schema
pages show); a window that begins earlier cannot be counted and is
"unavailable", never 0.
"""

from __future__ import annotations

import polars as pl

from copub.errors import UsageError
from copub.normalize.impact import window_citations

__all__ = ["COUNTS_FROM", "DEFAULT_WINDOW", "window_is_open", "windowed_citations"]

#: Years after the publication year counted by default (Leiden-style 3 + 1 years).
DEFAULT_WINDOW = 3
#: The first calendar year OpenAlex's ``counts_by_year`` covers.
COUNTS_FROM = 2012


def windowed_citations(
    works: pl.DataFrame, *, window: int = DEFAULT_WINDOW, counts_from: int = COUNTS_FROM
) -> pl.DataFrame:
    """``work_id, cites_window``: citations in ``year .. year + window`` (null = unavailable).

    Null where the work has no ``counts_by_year`` or its window starts before
    ``counts_from``.

    Examples
    --------
    >>> counts = pl.List(pl.Struct({"year": pl.Int32, "cited_by_count": pl.Int64}))
    >>> works = pl.DataFrame(
    ...     {"work_id": ["W1", "W2", "W3"], "year": [2015, 2010, 2015],
    ...      "counts_by_year": [[{"year": 2016, "cited_by_count": 2},
    ...                          {"year": 2020, "cited_by_count": 7}], [], None]},
    ...     schema={"work_id": pl.String, "year": pl.Int32, "counts_by_year": counts},
    ... )
    >>> windowed_citations(works)["cites_window"].to_list()
    [2, None, None]
    """
    if window < 0:
        raise UsageError(f"citation window must be 0 or more years, not {window}")
    counted = window_citations(pl.col("counts_by_year"), pl.col("year"), window)
    return works.select(
        "work_id",
        cites_window=pl.when(pl.col("year") >= counts_from).then(counted).cast(pl.Int64),
    )


def window_is_open(last_year: pl.Expr, window: int, as_of_year: int) -> pl.Expr:
    """True where a work of ``last_year`` has not yet had its whole citation window.

    The year ``as_of_year`` itself is incomplete, so a window ending in it is
    still open (the current year is always partial).

    Examples
    --------
    >>> frame = pl.DataFrame({"year": [2021, 2022, 2023]})
    >>> frame.select(window_is_open(pl.col("year"), 3, 2025))["year"].to_list()
    [False, True, True]
    """
    return last_year + window >= as_of_year
