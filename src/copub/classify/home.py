"""Which authorships belong to the home institution (itself or a child unit)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from copub.normalize import Tables

__all__ = ["home_affiliations", "home_authorships", "home_institution_ids"]


def home_institution_ids(
    tables: Tables | pl.DataFrame, institution: str | Sequence[str]
) -> list[str]:
    """The home institution(s) and every child unit (OpenAlex lineage) in the tables.

    ``tables`` may be the institutions table alone.

    Examples
    --------
    >>> home_institution_ids(Tables.empty(), "I1")
    ['I1']
    """
    homes = [institution] if isinstance(institution, str) else list(institution)
    institutions = tables.institutions if isinstance(tables, Tables) else tables
    children = institutions.filter(
        pl.col("institution_id").is_in(homes)
        | pl.col("lineage").list.eval(pl.element().is_in(homes)).list.any()
    )["institution_id"]
    return sorted(set(homes) | set(children.to_list()))


def home_affiliations(tables: Tables, institution: str | Sequence[str]) -> pl.DataFrame:
    """Affiliation rows with ``is_home``: the institution is ``institution`` or its child.

    Returns ``work_id, position, institution_id, is_home`` for every affiliation.
    A child unit has the home institution in its OpenAlex ``lineage``.
    ``institution`` may name several home institutions.
    """
    home_ids = home_institution_ids(tables, institution)
    return tables.affiliations.with_columns(is_home=pl.col("institution_id").is_in(home_ids))


def home_authorships(tables: Tables, institution: str | Sequence[str]) -> pl.DataFrame:
    """One row per authorship: ``work_id, position, is_home``."""
    home = (
        home_affiliations(tables, institution)
        .filter(pl.col("is_home"))
        .select("work_id", "position")
        .unique()
        .with_columns(is_home=pl.lit(True))
    )
    return (
        tables.authorships.select("work_id", "position")
        .join(home, on=["work_id", "position"], how="left")
        .with_columns(pl.col("is_home").fill_null(False))
    )
