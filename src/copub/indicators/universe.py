"""The universe: the institution's works in the chosen years and document types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from copub.classify.home import home_affiliations
from copub.errors import UsageError
from copub.normalize import Tables

__all__ = ["CORE_TYPES", "TypesChoice", "institution_works"]

#: The Leiden Ranking Open Edition's selection of document types.
CORE_TYPES: tuple[str, ...] = ("article", "review", "book-chapter")
TypesChoice = Literal["core", "all"] | Sequence[str]


def institution_works(
    tables: Tables,
    institution: str,
    *,
    years: tuple[int, int] | None = None,
    types: TypesChoice = "core",
) -> pl.DataFrame:
    """The works in the universe: ``work_id, year``, sorted by ``work_id``.

    A work belongs to the institution when at least one authorship is
    affiliated with it or one of its child units (by OpenAlex lineage).
    ``types="core"`` keeps articles, reviews and book chapters that are
    neither retracted nor paratext (the Leiden Ranking Open Edition's
    selection); ``types="all"`` keeps every work; a list keeps those types.
    """
    works = tables.works.lazy()
    if years is not None:
        works = works.filter(pl.col("year").is_between(years[0], years[1]))
    if isinstance(types, str):
        if types == "core":
            works = works.filter(
                pl.col("type").is_in(CORE_TYPES) & ~pl.col("is_retracted") & ~pl.col("is_paratext")
            )
        elif types != "all":
            raise UsageError(f"types must be 'core', 'all' or a list of types, not {types!r}")
    else:
        works = works.filter(pl.col("type").is_in(list(types)))
    home_works = (
        home_affiliations(tables, institution)
        .lazy()
        .filter(pl.col("is_home"))
        .select("work_id")
        .unique()
    )
    return (
        works.join(home_works, on="work_id", how="semi")
        .select("work_id", "year")
        .sort("work_id")
        .collect()
    )
