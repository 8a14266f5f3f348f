"""bibliometrix's country fields of a work: ``AU_CO`` and ``AU1_CO``, from OpenAlex.

Read from bibliometrix's own code (massimoaria/bibliometrix): ``R/apiOA2df.R``
makes an OpenAlex record's ``AU_CO`` from ``authorships[].countries`` alone
(every authorship's countries, pasted together), and ``AU1_CO`` is the
country of the corresponding author, else of the first author.
``R/biblioAnalysis.R`` (``countryCollaboration``) then calls a document SCP
when its ``AU_CO`` holds exactly one distinct country, attributes it to
``AU1_CO``, and counts a country's MCP as its ``AU1_CO`` documents minus its
SCP. An institution's own figures are its country's row of that table: the
documents attributed to the home institution's country.

So this module reads only the authorships' reported countries: not the
institutions' ``country_code`` (copub's countries of a work), and Hong Kong
and Macao stay apart (bibliometrix turns each code into its own country name).
A code is compared trimmed and in upper case, as bibliometrix's lookup does.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from copub.classify.keyed import AUTHORSHIP_STRIDE, KeyedTables
from copub.normalize import Tables

__all__ = ["bibliometrix_countries", "bibliometrix_labels"]


def bibliometrix_labels(keyed: KeyedTables, home_countries: Sequence[str] = ()) -> pl.DataFrame:
    """``wid, n_au_co, au1_co, au1_home`` for every work with a reported country.

    ``n_au_co``: distinct countries in ``AU_CO``; ``au1_co``: the first
    country of the first corresponding authorship, or, when it reports none,
    of the first authorship (position 0); null when neither reports one.
    ``au1_home``: ``au1_co`` is one of ``home_countries`` (the row of the
    home institution's country in bibliometrix's country table).
    """
    codes = keyed.reported_codes.str.strip_chars().str.to_uppercase()
    rows = (
        keyed.reported.lazy()
        .with_columns(code=pl.lit(codes).gather(pl.col("rid")))
        .filter(pl.col("code").is_not_null() & (pl.col("code") != ""))
    )
    # The reported rows keep each authorship's own order: its first row is its first country.
    first = rows.group_by("aid", maintain_order=True).agg(
        pl.col("wid").first(), pl.col("code").first()
    )
    corresponding = (
        keyed.authorships.lazy()
        .filter("is_corresponding")
        .group_by("wid")
        .agg(aid=pl.col("aid").min())
    )
    by_corresponding = corresponding.join(first.select("aid", "code"), on="aid").select(
        "wid", corresponding_co="code"
    )
    by_first = first.filter(pl.col("aid") % AUTHORSHIP_STRIDE == 0).select("wid", first_co="code")
    return (
        rows.group_by("wid")
        .agg(n_au_co=pl.col("code").n_unique().cast(pl.Int32))
        .join(by_corresponding, on="wid", how="left")
        .join(by_first, on="wid", how="left")
        .select("wid", "n_au_co", au1_co=pl.coalesce("corresponding_co", "first_co"))
        .with_columns(au1_home=pl.col("au1_co").is_in([c.upper() for c in home_countries]))
        .sort("wid")
        .collect()
    )


def bibliometrix_countries(tables: Tables) -> pl.DataFrame:
    """Per work: ``work_id, au1_co, n_au_co`` (:func:`bibliometrix_labels`).

    Examples
    --------
    >>> bibliometrix_countries(Tables.empty()).columns
    ['work_id', 'n_au_co', 'au1_co', 'au1_home']
    """
    keyed = KeyedTables.from_tables(tables)
    return keyed.with_work_ids(bibliometrix_labels(keyed))
