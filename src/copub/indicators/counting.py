"""Full and fractional counting of an institution's works.

Fractional counting follows the Leiden Ranking: each authorship weighs
``1 / n_authors``, split equally over that authorship's distinct institutions;
the institution's weight in a work is the sum over the slots that are the
institution or one of its child units. ``n_authors`` counts every authorship,
including those with no institution, so an institution's weight is at most 1.
"""

from __future__ import annotations

import polars as pl

from copub.classify.home import home_affiliations
from copub.normalize import Tables

__all__ = ["fractional_weights"]


def fractional_weights(tables: Tables, institution: str) -> pl.DataFrame:
    """The institution's fractional weight in each of its works.

    Returns
    -------
    pl.DataFrame
        ``work_id, weight`` (Float64, in (0, 1]) for every work with at least
        one home affiliation.

    Examples
    --------
    A work with two authors: one at the home institution and a partner, one
    at a partner only. The home institution gets 1/2 * 1/2 = 0.25.
    """
    slots = (
        home_affiliations(tables, institution)
        .lazy()
        .group_by("work_id", "position")
        .agg(home_slots=pl.col("is_home").sum(), n_slots=pl.len())
        .filter(pl.col("home_slots") > 0)
    )
    return (
        slots.join(tables.works.lazy().select("work_id", "n_authors"), on="work_id")
        .group_by("work_id")
        .agg(
            weight=(
                pl.col("home_slots").cast(pl.Float64)
                / pl.col("n_slots")
                / pl.col("n_authors").cast(pl.Float64)
            ).sum()
        )
        .sort("work_id")
        .collect()
    )
