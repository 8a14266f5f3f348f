"""Institutional collaboration: more than one organisation after merging child units.

The Leiden Ranking's P(collab) counts a work when it has more than one
"unified" institution (child units merged into their parent) or more than one
country. Leiden merges units into universities with its own, private list;
copub merges through OpenAlex lineage: a work's institutions form one
organisation when some institution id lies in the lineage (itself included)
of every one of them — a university and its departments, say, or two units
of one parent.

With a home institution, the home is the ranked institution and Leiden folds
only its *component* organisations into it: the home and its child units
are one organisation, and any other institution on the work is another one,
a parent of the home included (World Bank Group on a World Bank work, NIH on
an NCI work). For a top-level home (NTNU) that is the rule above; several
home institutions stay separate organisations.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from copub.classify.home import home_institution_ids
from copub.classify.keyed import KeyedTables
from copub.normalize import Tables

__all__ = ["institution_labels", "work_institutions"]


def _home_organisations(keyed: KeyedTables) -> pl.DataFrame:
    """``iid, organisation`` for the home side: each home institution or child unit
    numbered by the home it belongs to (the topmost home id in its lineage)."""
    homes = set(keyed.home_ids)
    # The home side is small (the home and its child units): read it in Python.
    rows = keyed.institutions.filter("is_home").select("iid", "institution_id", "lineage")
    lineage = {
        i: set(line or ()) | {i}
        for i, line in zip(rows["institution_id"], rows["lineage"].to_list(), strict=True)
    }
    # A home id with no other home id above it: one of the given home institutions.
    tops = sorted(h for h in homes if not (lineage.get(h, {h}) - {h}) & homes)
    number = {h: n for n, h in enumerate(tops)}
    organisation = [
        min((number[h] for h in (lineage[i] & homes) if h in number), default=len(tops))
        for i in rows["institution_id"]
    ]
    return rows.select("iid", organisation=pl.Series(organisation, dtype=pl.UInt32))


def _home_flags(keyed: KeyedTables, pairs: pl.LazyFrame) -> pl.LazyFrame:
    """``wid, home_several``: Leiden's rule against a home (see the module docs)."""
    organisations = _home_organisations(keyed)
    # One organisation per home iid (null: not home), read by position: no join of every pair.
    by_iid = pl.repeat(None, keyed.institutions.height, dtype=pl.UInt32, eager=True).scatter(
        organisations["iid"], organisations["organisation"]
    )
    return (
        pairs.with_columns(organisation=pl.lit(by_iid).gather(pl.col("iid")))
        .group_by("wid", maintain_order=True)
        .agg(
            home_several=pl.col("organisation").is_null().any()
            | (pl.col("organisation").drop_nulls().n_unique() >= 2)
        )
    )


def _lineage_flags(keyed: KeyedTables, pairs: pl.LazyFrame, stride: int) -> pl.LazyFrame:
    """``wid, widest``: the most institutions of a work that share one lineage unit."""
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
    return (
        pairs.join(units, on="iid")
        .select(pair=pl.col("wid").cast(pl.UInt64) * stride + pl.col("unit"))
        .sort("pair")
        .select(run=pl.col("pair").rle())
        .unnest("run")
        .select(wid=(pl.col("value") // stride).cast(pl.UInt32).set_sorted(), n="len")
        .group_by("wid", maintain_order=True)
        .agg(widest=pl.col("n").max())
    )


def institution_labels(
    keyed: KeyedTables, *, home: bool = True, merged: bool = False
) -> pl.DataFrame:
    """:func:`work_institutions` on keyed tables (``wid`` for ``work_id``).

    ``several_organisations``: with ``home`` and home institutions in
    ``keyed``, Leiden's rule against the home (see the module docs); else the
    lineage rule alone. ``merged`` adds ``several_merged``, the lineage rule
    whatever the home (more than one institution once units are merged into
    a common lineage id: what SciVal's national collaboration needs).

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
    out = pairs.group_by("wid", maintain_order=True).agg(n_institutions=pl.len().cast(pl.Int32))
    by_home = home and bool(keyed.home_ids)
    lineage = pl.col("widest").cast(pl.Int32) < pl.col("n_institutions")
    if by_home:
        out = out.join(_home_flags(keyed, pairs), on="wid", how="left", maintain_order="left")
    if merged or not by_home:
        out = out.join(
            _lineage_flags(keyed, pairs, stride), on="wid", how="left", maintain_order="left"
        )
    columns = [
        pl.col("wid"),
        pl.col("n_institutions"),
        (pl.col("home_several") if by_home else lineage).alias("several_organisations"),
    ]
    if merged:
        columns.append(lineage.alias("several_merged"))
    return out.select(columns).collect()


def work_institutions(tables: Tables, institution: str | Sequence[str] = ()) -> pl.DataFrame:
    """Per work: ``work_id, n_institutions, several_organisations``.

    ``n_institutions`` counts distinct affiliated institutions (as listed);
    ``several_organisations`` holds when they are not all units of one
    organisation by OpenAlex lineage; with a home ``institution``, when some
    institution is neither the home nor one of its child units (or the work
    has several homes). Works with no institution are absent.

    Examples
    --------
    >>> work_institutions(Tables.empty()).columns
    ['work_id', 'n_institutions', 'several_organisations']
    """
    homes = [institution] if isinstance(institution, str) else list(institution)
    home_ids = home_institution_ids(tables, homes) if homes else []
    keyed = KeyedTables.from_tables(tables, home_ids)
    return keyed.with_work_ids(institution_labels(keyed))
