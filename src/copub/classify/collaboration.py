"""Institutional collaboration: more than one organisation after merging child units.

The Leiden Ranking's P(collab) counts a work when it has more than one
"unified" institution (child units merged into their parent) or more than one
country. Leiden merges units into universities with its own, private list;
copub merges through OpenAlex lineage: a work's institutions form one
organisation when some institution id lies in the lineage (itself included)
of every one of them — a university and its departments, say, or two units
of one parent.
"""

from __future__ import annotations

import polars as pl

from copub.normalize import Tables

__all__ = ["work_institutions"]


def work_institutions(tables: Tables) -> pl.DataFrame:
    """Per work: ``work_id, n_institutions, several_organisations``.

    ``n_institutions`` counts distinct affiliated institutions (as listed);
    ``several_organisations`` holds when they are not all units of one
    organisation by OpenAlex lineage. Works with no institution are absent.

    Examples
    --------
    >>> work_institutions(Tables.empty()).columns
    ['work_id', 'n_institutions', 'several_organisations']
    """
    pairs = tables.affiliations.lazy().select("work_id", "institution_id").unique()
    lineage = tables.institutions.lazy().select("institution_id", "lineage")
    counts = pairs.group_by("work_id").agg(n_institutions=pl.len().cast(pl.Int32))
    shared = (
        pairs.join(lineage, on="institution_id", how="left")
        .select(
            "work_id",
            "institution_id",
            unit=pl.concat_list(
                pl.col("institution_id"), pl.col("lineage").fill_null([])
            ).list.unique(),
        )
        .explode("unit")
        .group_by("work_id", "unit")
        .agg(n=pl.col("institution_id").n_unique())
        .group_by("work_id")
        .agg(widest=pl.col("n").max())
    )
    return (
        counts.join(shared, on="work_id", how="left")
        .select(
            "work_id",
            "n_institutions",
            several_organisations=pl.col("widest").cast(pl.Int32) < pl.col("n_institutions"),
        )
        .sort("work_id")
        .collect()
    )
