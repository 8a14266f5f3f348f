"""Which authorships belong to the home institution (itself or a child unit)."""

from __future__ import annotations

import polars as pl

from copub.normalize import Tables

__all__ = ["home_affiliations", "home_authorships"]


def home_affiliations(tables: Tables, institution: str) -> pl.DataFrame:
    """Affiliation rows with ``is_home``: the institution is ``institution`` or its child.

    Returns ``work_id, position, institution_id, is_home`` for every affiliation.
    A child unit has the home institution in its OpenAlex ``lineage``.
    """
    home_ids = tables.institutions.filter(
        (pl.col("institution_id") == institution) | pl.col("lineage").list.contains(institution)
    )["institution_id"]
    return tables.affiliations.with_columns(
        is_home=(pl.col("institution_id") == institution)
        | pl.col("institution_id").is_in(home_ids.implode())
    )


def home_authorships(tables: Tables, institution: str) -> pl.DataFrame:
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
