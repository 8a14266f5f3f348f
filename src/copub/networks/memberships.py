"""Partner-group memberships of network nodes and partners.

A node belongs to:

- every **country group** that lists its country (for an institution or an
  author, the country of the institution or the author's most frequent one);
- every **institution group** (alliance) with a member that matches it on ROR,
  or on OpenAlex id anywhere in its OpenAlex lineage, so an alliance member's
  child units count for the alliance too;
- every **institution-type group** (research infrastructures: OpenAlex type
  ``facility``) that lists its type.

Membership is the current one by default (the group's latest membership
applied to every year, as the yearly figures do); pass ``year`` for the
membership valid in that year.
"""

from __future__ import annotations

import polars as pl

from copub.classify.groups import PartnerGroups, load_groups

__all__ = ["FLAG_GROUPS", "default_groups", "group_flags", "node_groups"]

#: Hong Kong and Macao count as China, as in the country classification (Leiden convention).
_MERGED_COUNTRIES = {"HK": "CN", "MO": "CN"}

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


def _member_rows(groups: PartnerGroups, year: int | None) -> dict[str, pl.DataFrame]:
    rows: dict[str, list[tuple[str, int, str | None, str | None]]] = {
        "country": [],
        "institution": [],
        "institution_type": [],
    }
    for order, group in enumerate(groups):
        for member in group.members_in(year):
            if group.kind == "institution":
                rows["institution"].append((group.key, order, member.ror, member.openalex_id))
            else:
                rows[group.kind].append((group.key, order, member.code, None))
    schema = {"group": pl.String, "order": pl.Int32, "a": pl.String, "b": pl.String}
    return {
        kind: pl.DataFrame(values, schema=schema, orient="row") for kind, values in rows.items()
    }


def node_groups(
    nodes: pl.DataFrame, groups: PartnerGroups, *, year: int | None = None
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

    Returns
    -------
    pl.DataFrame
        ``node, groups``: a list of group keys in the groups' order (empty
        when none), one row per input node, in input order.

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
    members = _member_rows(groups, year)
    base = nodes.select("node", "country", "type", "ror", "lineage").with_columns(
        pl.col("country").replace(_MERGED_COUNTRIES)
    )
    by_country = base.join(members["country"], left_on="country", right_on="a").select(
        "node", "group", "order"
    )
    by_type = base.join(members["institution_type"], left_on="type", right_on="a").select(
        "node", "group", "order"
    )
    institutions = members["institution"]
    by_ror = base.join(
        institutions.filter(pl.col("a").is_not_null()), left_on="ror", right_on="a"
    ).select("node", "group", "order")
    lineage = base.select(
        "node", ancestor=pl.concat_list(pl.col("node"), pl.col("lineage").fill_null([]))
    ).explode("ancestor")
    by_id = lineage.join(
        institutions.filter(pl.col("b").is_not_null()), left_on="ancestor", right_on="b"
    ).select("node", "group", "order")
    found = (
        pl.concat([by_country, by_type, by_ror, by_id])
        .unique()
        .sort("node", "order")
        .group_by("node", maintain_order=True)
        .agg(groups=pl.col("group"))
    )
    return (
        base.select("node")
        .join(found, on="node", how="left", maintain_order="left")
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
