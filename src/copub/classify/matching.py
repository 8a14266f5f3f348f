"""Which partner groups an institution or a country belongs to: the one matching rule.

Group members and the things they are matched against (a work's partner
institutions, a network node) are both turned into ``(kind, key)`` pairs, and
a group matches wherever a pair meets one of its members' pairs:

- ``country``: an ISO alpha-2 code, for country groups; Hong Kong and Macao
  count as China by default (:func:`~copub.classify.countries.country_code_expr`);
- ``ror`` and ``id``: an institution group's member by short ROR id first,
  then by short OpenAlex id; an institution offers its own OpenAlex id and
  every id in its OpenAlex lineage, so a member's child units count for it;
- ``type``: an OpenAlex institution type (e.g. ``facility``), for
  institution-type groups.

Which members count is the membership: ``"current"`` (each group's latest
membership, applied to every year), ``"historical"`` (every member with its
``valid_from``/``valid_to``, to be judged per year with :func:`valid_in_year`)
or one year.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

import polars as pl

from copub.classify.countries import country_code_expr
from copub.classify.membership import Group
from copub.errors import UsageError

__all__ = [
    "MEMBER_KEY_SCHEMA",
    "MatchKind",
    "Membership",
    "match_keys",
    "member_keys",
    "valid_in_year",
]

Membership = Literal["current", "historical"]
MatchKind = Literal["country", "ror", "id", "type"]

#: Columns of :func:`member_keys`; ``order`` is the group's position in the input.
MEMBER_KEY_SCHEMA: dict[str, pl.DataType] = {
    "group": pl.String(),
    "order": pl.Int32(),
    "kind": pl.String(),
    "key": pl.String(),
    "valid_from": pl.Int32(),
    "valid_to": pl.Int32(),
}


def member_keys(groups: Iterable[Group], membership: Membership | int = "current") -> pl.DataFrame:
    """The members of every group as ``(kind, key)`` pairs.

    Parameters
    ----------
    groups : iterable of Group
        E.g. a :class:`~copub.classify.membership.PartnerGroups`.
    membership : {"current", "historical"} or int
        ``"current"``: each group's current members; ``"historical"``: every
        member, with the years it is valid in; a year: the members valid then.

    Returns
    -------
    pl.DataFrame
        ``group, order, kind, key, valid_from, valid_to`` (:data:`MEMBER_KEY_SCHEMA`);
        an institution member gives a ``ror`` row and/or an ``id`` row, one
        without either gives none.

    Examples
    --------
    >>> from copub.classify.membership import Member
    >>> cern = Member("cern", "CERN", "01ggx4157", "I67311998", None, None, "member")
    >>> keys = member_keys([Group("big", "Big science", "institution", (cern,), "", "")])
    >>> keys.select("kind", "key").rows()
    [('ror', '01ggx4157'), ('id', 'I67311998')]
    """
    if isinstance(membership, bool) or not (
        isinstance(membership, int) or membership in get_args(Membership)
    ):
        raise UsageError(
            f"membership must be 'current', 'historical' or a year, not {membership!r}"
        )
    rows: list[tuple[str, int, str, str, int | None, int | None]] = []
    for order, group in enumerate(groups):
        if membership == "historical":
            members = group.members
        else:
            members = group.members_in(None if membership == "current" else membership)
        for m in members:
            if group.kind == "institution":
                keys = [("ror", m.ror), ("id", m.openalex_id)]
            else:
                keys = [("country" if group.kind == "country" else "type", m.code)]
            rows += [
                (group.key, order, kind, key, m.valid_from, m.valid_to) for kind, key in keys if key
            ]
    return pl.DataFrame(rows, schema=MEMBER_KEY_SCHEMA, orient="row")


def match_keys(
    institutions: pl.DataFrame | pl.LazyFrame,
    *,
    by: str,
    institution_id: str = "institution_id",
    country: str = "country_code",
    merge_hk_mo: bool = True,
) -> pl.LazyFrame:
    """Every ``(kind, key)`` pair through which a row can meet a group member.

    Parameters
    ----------
    institutions : pl.DataFrame or pl.LazyFrame
        One row per institution (or network node): ``by``, ``institution_id``,
        ``country``, ``ror``, ``lineage`` and ``type`` (nulls allowed, e.g. a
        row with a country only).
    by : str
        The row id to keep, e.g. ``work_id`` or ``node``; may be ``institution_id``.
    institution_id : str
        The column with the short OpenAlex institution id.
    country : str
        The column with the country code.
    merge_hk_mo : bool
        Count Hong Kong and Macao as China.

    Returns
    -------
    pl.LazyFrame
        ``by, kind, key``; ``kind`` is one of :data:`MatchKind`, null keys
        are dropped. Join it with :func:`member_keys` on ``kind, key``.

    Examples
    --------
    >>> rows = pl.DataFrame(
    ...     {"node": ["I2"], "country": ["hk"], "ror": [None], "lineage": [["I2", "I1"]],
    ...      "type": ["facility"]},
    ...     schema_overrides={"ror": pl.String},
    ... )
    >>> keys = match_keys(rows, by="node", institution_id="node", country="country")
    >>> keys.unique(maintain_order=True).collect().rows()
    [('I2', 'country', 'CN'), ('I2', 'id', 'I2'), ('I2', 'id', 'I1'), ('I2', 'type', 'facility')]
    """
    rows = institutions.lazy()
    lineage = pl.col("lineage").fill_null(pl.lit([], pl.List(pl.String)))
    # Many rows of one work share a country: deduplicate before the join multiplies them.
    countries = rows.select(by, key=pl.col(country)).unique()
    parts = [
        countries.select(by, key=country_code_expr(pl.col("key"), merge_hk_mo=merge_hk_mo)),
        rows.select(by, key=pl.col("ror")),
        rows.select(by, key=pl.concat_list(pl.col(institution_id), lineage)).explode("key"),
        rows.select(by, key=pl.col("type")),
    ]
    return pl.concat(
        part.select(by, kind=pl.lit(kind), key="key")
        for kind, part in zip(get_args(MatchKind), parts, strict=True)
    ).drop_nulls("key")


def valid_in_year(year: pl.Expr) -> pl.Expr:
    """Whether a :func:`member_keys` row is valid in ``year`` (open ends always are).

    Examples
    --------
    >>> keys = pl.DataFrame({"valid_from": [2016, None], "valid_to": [None, 2020]})
    >>> keys.select(valid_in_year(pl.lit(2021))).to_series().to_list()
    [True, False]
    """
    return (pl.col("valid_from").is_null() | (pl.col("valid_from") <= year)) & (
        pl.col("valid_to").is_null() | (year <= pl.col("valid_to"))
    )
