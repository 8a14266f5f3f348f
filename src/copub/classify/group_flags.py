"""Which partner groups each work involves, as Boolean columns.

A work meets partners only on its non-home side, matched by the rule of
:mod:`copub.classify.matching` (country, ROR, OpenAlex id in the lineage,
type):

- each affiliation that is not the home institution or one of its child
  units, with its institution's country, ROR, lineage and type (a home unit
  abroad is home, so its country is not a partner; a home author's second,
  non-home affiliation is);
- the reported ``countries`` of authorships with no home affiliation (an
  author with only a country still counts);
- never the home country itself.

One join of these candidates with the members of every group (by kind and
key) labels all works at once; a Python loop only runs over groups, never rows.
"""

from __future__ import annotations

from typing import get_args

import polars as pl

from copub.classify.home import home_affiliations, home_authorships
from copub.classify.matching import Membership, match_keys, member_keys, valid_in_year
from copub.classify.membership import PartnerGroups
from copub.errors import UsageError
from copub.normalize import Tables

__all__ = ["Membership", "work_group_flags"]


def _candidates(
    tables: Tables, home_country: str, institution: str, merge_hk_mo: bool
) -> pl.LazyFrame:
    """``work_id, kind, key``: every way a work could meet a partner (see :func:`match_keys`)."""
    partners = (
        home_affiliations(tables, institution)
        .lazy()
        .filter(~pl.col("is_home"))
        .join(tables.institutions.lazy(), on="institution_id", how="left")
        .select("work_id", "institution_id", "country_code", "ror", "lineage", "type")
    )
    home = home_authorships(tables, institution).lazy().filter(pl.col("is_home"))
    # An author with no home affiliation is a partner through the countries it reports too.
    reported = (
        tables.authorships.lazy()
        .join(home, on=["work_id", "position"], how="anti")
        .select("work_id", country_code=pl.col("countries"))
        .explode("country_code")
    )
    return match_keys(
        pl.concat([partners, reported], how="diagonal"), by="work_id", merge_hk_mo=merge_hk_mo
    ).filter((pl.col("kind") != "country") | (pl.col("key") != home_country))


def work_group_flags(
    tables: Tables,
    groups: PartnerGroups,
    *,
    institution: str,
    membership: Membership = "current",
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """One row per work: a Boolean per partner group, plus ``priority_XX`` per priority country.

    Parameters
    ----------
    tables : Tables
    groups : PartnerGroups
        From :func:`load_groups`; the ``home`` group gets no column.
    institution : str
        The home institution (short OpenAlex id); it and its child units
        (by lineage) never count as partners.
    membership : {"current", "historical"}
        ``"current"`` applies each group's current membership to every year;
        ``"historical"`` judges each work by the members valid in its year.
    merge_hk_mo : bool
        Count Hong Kong and Macao as China.

    Returns
    -------
    pl.DataFrame
        ``work_id``, one Boolean column per group key except ``home`` (True
        when at least one co-author is affiliated in the group), then
        ``priority_XX`` for every country ever in the ``priority`` group (a
        non-home co-author in that country, whatever the year).

    Examples
    --------
    >>> from copub import Tables
    >>> from copub.classify.groups import load_groups
    >>> work_group_flags(Tables.empty(), load_groups(), institution="I1").columns[:4]
    ['work_id', 'nordic', 'eu', 'eea']
    """
    if membership not in get_args(Membership):
        raise UsageError(f"membership must be 'current' or 'historical', not {membership!r}")
    partner_groups = [g for g in groups if g.key != "home"]
    priority_codes = (
        sorted({m.code for m in groups.get("priority").members})
        if "priority" in groups
        else []
    )
    members = member_keys(partner_groups, membership).lazy()
    works = tables.works.lazy().select("work_id", "year")
    # Read twice below (groups, priority countries): collected once so it is not built twice.
    candidates = _candidates(tables, groups.home_country, institution, merge_hk_mo).collect().lazy()
    matched = candidates.join(members, on=["kind", "key"])
    if membership == "historical":
        matched = matched.join(works, on="work_id").filter(valid_in_year(pl.col("year")))
    per_work = (
        pl.concat(
            [
                matched.select("work_id", label="group"),
                candidates.filter(
                    (pl.col("kind") == "country") & pl.col("key").is_in(priority_codes)
                ).select("work_id", label=pl.lit("priority_") + pl.col("key")),
            ]
        )
        .group_by("work_id")
        .agg(labels=pl.col("label").unique())
    )
    columns = [g.key for g in partner_groups] + [f"priority_{code}" for code in priority_codes]
    return (
        works.select("work_id")
        .join(per_work, on="work_id", how="left")
        .with_columns(
            pl.col("labels").list.contains(pl.lit(name)).fill_null(False).alias(name)
            for name in columns
        )
        .select("work_id", *columns)
        .sort("work_id")
        .collect()
    )
