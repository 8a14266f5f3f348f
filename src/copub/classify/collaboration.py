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

from copub.classify.keyed import KeyedTables
from copub.normalize import Tables

__all__ = ["institution_labels", "work_institutions"]


def institution_labels(keyed: KeyedTables) -> pl.DataFrame:
    """:func:`work_institutions` on keyed tables (``wid`` for ``work_id``).

    The distinct (work, institution) pairs and then the (work, unit) pairs are
    each packed into one integer and sorted, so counting them is a run length.
    """
    stride = 2**32
    pairs = (
        keyed.affiliations.lazy()
        .select(pair=pl.col("wid").cast(pl.UInt64) * stride + pl.col("iid").cast(pl.UInt64))
        .sort("pair")
        .unique(maintain_order=True)
        .select(
            wid=(pl.col("pair") // stride).cast(pl.UInt32).set_sorted(),
            iid=(pl.col("pair") % stride).cast(pl.UInt32),
        )
        .collect()
        .lazy()
    )
    counts = pairs.group_by("wid", maintain_order=True).agg(n_institutions=pl.len().cast(pl.Int32))
    # Each institution's units (itself and its lineage), numbered once on the small table.
    units = (
        keyed.institutions.lazy()
        .select(
            "iid",
            unit=pl.concat_list(
                pl.col("institution_id"), pl.col("lineage").fill_null([])
            ).list.unique(),
        )
        .explode("unit")
        .with_columns(unit=pl.col("unit").rank("dense").cast(pl.UInt64))
    )
    # The most institutions of a work that share one unit.
    widest = (
        pairs.join(units, on="iid")
        .select(pair=pl.col("wid").cast(pl.UInt64) * stride + pl.col("unit"))
        .sort("pair")
        .select(run=pl.col("pair").rle())
        .unnest("run")
        .select(wid=(pl.col("value") // stride).cast(pl.UInt32).set_sorted(), n="len")
        .group_by("wid", maintain_order=True)
        .agg(widest=pl.col("n").max())
    )
    return (
        counts.join(widest, on="wid", how="left", maintain_order="left")
        .select(
            "wid",
            "n_institutions",
            several_organisations=pl.col("widest").cast(pl.Int32) < pl.col("n_institutions"),
        )
        .collect()
    )


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
    keyed = KeyedTables.from_tables(tables)
    return keyed.with_work_ids(institution_labels(keyed))
