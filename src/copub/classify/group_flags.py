"""Which partner groups each work involves, as Boolean columns.

Every work gets a set of candidate partner keys from its non-home side:

- ``country``: the country codes of the non-home side, minus the home country:
  each non-home affiliation's institution ``country_code``, and the reported
  ``countries`` of authorships with no home affiliation (an author with only a
  country still counts). A home unit abroad is home, so its country is not a
  partner; a home author's second, non-home affiliation is (Hong Kong and
  Macao merge into China as in :func:`work_countries`);
- ``institution``: each affiliated institution that is not the home
  institution or one of its child units, by ROR and by OpenAlex id, for
  itself and every institution in its lineage (so a partner's child unit
  counts for the partner);
- ``institution_type``: the OpenAlex ``type`` of those same institutions.

One join of these candidates with the members of every group (by kind and
key) labels all works at once; a Python loop only runs over groups, never rows.
"""

from __future__ import annotations

from typing import Literal, get_args

import polars as pl

from copub.classify.countries import country_code_expr
from copub.classify.home import home_affiliations, home_authorships
from copub.classify.membership import Group, PartnerGroups
from copub.errors import UsageError
from copub.normalize import Tables

__all__ = ["Membership", "work_group_flags"]

Membership = Literal["current", "historical"]

_MEMBER_SCHEMA = {
    "group": pl.String,
    "kind": pl.String,
    "key": pl.String,
    "valid_from": pl.Int32,
    "valid_to": pl.Int32,
}


def _member_keys(group: Group, membership: Membership) -> list[dict[str, object]]:
    """Member rows keyed the way candidates are: ``(kind, key)``."""
    members = group.current_members() if membership == "current" else group.members
    rows: list[dict[str, object]] = []
    for m in members:
        if group.kind == "institution":
            keys = [("ror", m.ror)] if m.ror else []
            keys += [("id", m.openalex_id)] if m.openalex_id else []
        else:
            keys = [("country" if group.kind == "country" else "type", m.code)]
        rows += [
            {
                "group": group.key,
                "kind": kind,
                "key": key,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
            }
            for kind, key in keys
        ]
    return rows


def _candidates(
    tables: Tables, home_country: str, institution: str, merge_hk_mo: bool
) -> pl.LazyFrame:
    """``work_id, kind, key``: every way a work could meet a partner.

    ``kind`` is ``country``, ``ror``, ``id`` (an OpenAlex id, the institution's
    own or one in its lineage) or ``type``.
    """
    partners = (
        home_affiliations(tables, institution)
        .lazy()
        .filter(~pl.col("is_home"))
        .join(tables.institutions.lazy(), on="institution_id", how="left")
    )
    home = home_authorships(tables, institution).lazy().filter(pl.col("is_home"))
    reported = (
        tables.authorships.lazy()
        .join(home, on=["work_id", "position"], how="anti")
        .select("work_id", key=pl.col("countries"))
        .explode("key")
    )
    institutional = partners.select("work_id", key=pl.col("country_code"))
    countries = (
        pl.concat([reported, institutional])
        .drop_nulls("key")
        .unique()
        .with_columns(key=country_code_expr(pl.col("key"), merge_hk_mo=merge_hk_mo))
        .filter(pl.col("key") != home_country)
        .with_columns(kind=pl.lit("country"))
    )
    by_ror = partners.select("work_id", key=pl.col("ror"), kind=pl.lit("ror"))
    by_id = partners.select(
        "work_id",
        key=pl.concat_list(
            pl.col("institution_id"), pl.col("lineage").fill_null(pl.lit([], pl.List(pl.String)))
        ),
        kind=pl.lit("id"),
    ).explode("key")
    by_type = partners.select("work_id", key=pl.col("type"), kind=pl.lit("type"))
    columns = ["work_id", "kind", "key"]
    return pl.concat([f.select(columns) for f in (countries, by_ror, by_id, by_type)]).drop_nulls(
        "key"
    )


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
    members = pl.LazyFrame(
        [row for g in partner_groups for row in _member_keys(g, membership)],
        schema=_MEMBER_SCHEMA,
    )
    works = tables.works.lazy().select("work_id", "year")
    candidates = _candidates(tables, groups.home_country, institution, merge_hk_mo)
    matched = candidates.join(members, on=["kind", "key"])
    if membership == "historical":
        matched = matched.join(works, on="work_id").filter(
            (pl.col("valid_from").is_null() | (pl.col("valid_from") <= pl.col("year")))
            & (pl.col("valid_to").is_null() | (pl.col("year") <= pl.col("valid_to")))
        )
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
