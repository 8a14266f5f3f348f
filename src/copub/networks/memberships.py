"""Partner-group memberships of network nodes and partners.

A node belongs to every group it matches by the rule of
:mod:`copub.classify.matching`: a **country group** that lists its country
(for an institution or an author, the country of the institution or the
author's most frequent one; Hong Kong and Macao count as China), an
**institution group** (alliance) with a member that matches it on ROR or on
OpenAlex id anywhere in its lineage, and an **institution-type group**
(research infrastructures: OpenAlex type ``facility``) that lists its type.

Membership is the current one by default (the group's latest membership
applied to every year, as the yearly figures do); pass ``year`` for the
membership valid in that year.
"""

from __future__ import annotations

import polars as pl

from copub.classify.groups import PartnerGroups, load_groups
from copub.classify.matching import match_keys, member_keys

__all__ = ["DOMESTIC_TAG", "FLAG_GROUPS", "default_groups", "group_flags", "node_groups"]

#: The tag of a partner in the home country's group (key ``home``): a Norwegian
#: partner is *domestic*; "home" would read as the home institution itself.
DOMESTIC_TAG = "domestic"

#: The flag columns of the partner table and the group keys each one reads.
#: ``alliance`` and ``infrastructure`` are read from the group kinds instead.
FLAG_GROUPS: dict[str, tuple[str, ...]] = {
    "priority": ("priority", "panorama"),
    "lmic": ("lmic",),
    "devpartner": ("devpartner",),
}


def default_groups() -> PartnerGroups:
    """The partner groups shipped with copub (:func:`copub.classify.groups.load_groups`)."""
    return load_groups()


def node_groups(
    nodes: pl.DataFrame,
    groups: PartnerGroups,
    *,
    year: int | None = None,
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """The groups each node belongs to.

    Parameters
    ----------
    nodes : pl.DataFrame
        ``node, country, type, ror, lineage`` (as from
        :func:`copub.networks.attributes.node_table`).
    groups : PartnerGroups
    year : int, optional
        Judge membership in this year; the current membership when omitted.
    merge_hk_mo : bool
        Count Hong Kong and Macao as China, as the definitions say.

    Returns
    -------
    pl.DataFrame
        ``node, groups``: a list of group keys in the groups' order (empty
        when none), one row per input node, in input order; the home
        country's group (key ``home``) is tagged :data:`DOMESTIC_TAG`.

    Examples
    --------
    >>> import polars as pl
    >>> from copub.classify.groups import Group, Member, PartnerGroups
    >>> sweden = Member("SE", None, None, None, None, None, "member")
    >>> g = Group("nordic", "Nordic", "country", (sweden,), "", "")
    >>> nodes = pl.DataFrame(
    ...     {"node": ["SE", "US"], "country": ["SE", "US"], "type": ["country", "country"],
    ...      "ror": [None, None], "lineage": [[], []]},
    ...     schema_overrides={"ror": pl.String, "lineage": pl.List(pl.String)},
    ... )
    >>> node_groups(nodes, PartnerGroups((g,), home_country="NO"))["groups"].to_list()
    [['nordic'], []]
    """
    members = member_keys(groups, "current" if year is None else year).lazy()
    keys = match_keys(
        nodes, by="node", institution_id="node", country="country", merge_hk_mo=merge_hk_mo
    )
    found = (
        keys.join(members, on=["kind", "key"])
        .select("node", "group", "order")
        .unique()
        .sort("node", "order")
        .group_by("node", maintain_order=True)
        .agg(groups=pl.col("group").replace("home", DOMESTIC_TAG))
    )
    return (
        nodes.select("node")
        .join(found.collect(), on="node", how="left", maintain_order="left")
        .with_columns(pl.col("groups").fill_null([]).cast(pl.List(pl.String)))
    )


def group_flags(node_groups_frame: pl.DataFrame, groups: PartnerGroups) -> pl.DataFrame:
    """Boolean flags for the partner review.

    The flags are priority, LMIC, development partner, alliance and infrastructure.

    ``alliance`` is any institution group, ``infrastructure`` any
    institution-type group; the others read the group keys in
    :data:`FLAG_GROUPS`.

    Returns
    -------
    pl.DataFrame
        ``node, is_priority, is_lmic, is_devpartner, is_alliance, is_infrastructure``.
    """
    keys = set(groups.keys())
    by_kind: dict[str, list[str]] = {"institution": [], "institution_type": []}
    for group in groups:
        if group.kind in by_kind:
            by_kind[group.kind].append(group.key)
    wanted = {
        name: [k for k in candidates if k in keys] for name, candidates in FLAG_GROUPS.items()
    }
    wanted["alliance"] = by_kind["institution"]
    wanted["infrastructure"] = by_kind["institution_type"]
    listed = pl.col("groups")
    return node_groups_frame.select(
        "node",
        *(
            listed.list.eval(pl.element().is_in(names)).list.any().alias(f"is_{name}")
            if names
            else pl.lit(False).alias(f"is_{name}")
            for name, names in wanted.items()
        ),
    )
