"""Partner groups as frozen values: who is a member, of what, and in which years.

A :class:`Group` is a set of countries (ISO alpha-2), institutions (ROR and/or
OpenAlex id) or institution types (OpenAlex ``type``). Each member carries the
years it is valid in, so a group can change over time (Panorama had 6
countries in 2016–2020 and 9 from 2021).

"Current" membership is the one valid in a group's latest validity year:
the open-ended members (no ``valid_to``) when there are any, else the
members valid in the last year any member is valid. It applies to every year,
so a trend compares like with like.

Examples
--------
>>> m = Member("SE", "Sweden", None, None, 2016, None, "member")
>>> g = Group("x", "X", "country", (m,), "example", "2024")
>>> groups = PartnerGroups((g,), home_country="NO")
>>> [m.code for m in groups.members_in("x", 2015)], [m.code for m in groups.members_in("x", None)]
([], ['SE'])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from copub.errors import UsageError

__all__ = ["Group", "GroupKind", "Member", "PartnerGroups"]

GroupKind = Literal["country", "institution", "institution_type"]


@dataclass(frozen=True)
class Member:
    """One member of a partner group.

    Parameters
    ----------
    code : str
        ISO alpha-2 code (country groups), OpenAlex type (institution_type
        groups) or a short stable key (institution groups).
    name : str or None
        Display name.
    ror : str or None
        Short ROR id (``05xg72x27``), institution groups only.
    openalex_id : str or None
        Short OpenAlex institution id (``I204778367``), institution groups only.
    valid_from, valid_to : int or None
        First and last year of membership (inclusive); ``None`` is open.
    status : str
        Free-text state from the reference data, e.g. ``member``,
        ``ror_verified`` or ``unresolved`` (no id known yet).
    note : str or None
        A policy note every output about this partner shows (e.g. Russia:
        institutional cooperation frozen in March 2022); see
        :func:`copub.classify.group_data.policy_notes`.
    """

    code: str
    name: str | None
    ror: str | None
    openalex_id: str | None
    valid_from: int | None
    valid_to: int | None
    status: str
    note: str | None = None

    def valid_in(self, year: int) -> bool:
        """Whether the member is valid in ``year``."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


@dataclass(frozen=True)
class Group:
    """A named partner group with its source and vintage."""

    key: str
    label: str
    kind: GroupKind
    members: tuple[Member, ...]
    source: str
    vintage: str

    def current_members(self) -> tuple[Member, ...]:
        """Members valid in the group's latest validity year (see module docs)."""
        open_ended = tuple(m for m in self.members if m.valid_to is None)
        if open_ended:
            return open_ended
        last = max((m.valid_to for m in self.members if m.valid_to is not None), default=None)
        if last is None:
            return ()
        return tuple(m for m in self.members if m.valid_in(last))

    def members_in(self, year: int | None) -> tuple[Member, ...]:
        """Members valid in ``year``; ``None`` means the current membership."""
        if year is None:
            return self.current_members()
        return tuple(m for m in self.members if m.valid_in(year))


@dataclass(frozen=True)
class PartnerGroups:
    """The partner groups in use, and the home country that never counts as a partner."""

    groups: tuple[Group, ...]
    home_country: str

    def __iter__(self) -> Iterator[Group]:
        return iter(self.groups)

    def __contains__(self, key: object) -> bool:
        return any(g.key == key for g in self.groups)

    def keys(self) -> tuple[str, ...]:
        """Group keys in order."""
        return tuple(g.key for g in self.groups)

    def get(self, key: str) -> Group:
        """The group with ``key``; :class:`UsageError` when there is none."""
        for group in self.groups:
            if group.key == key:
                return group
        raise UsageError(f"no partner group {key!r}; known groups: {', '.join(self.keys())}")

    def members_in(self, key: str, year: int | None = None) -> tuple[Member, ...]:
        """Members of group ``key`` valid in ``year`` (``None``: current membership)."""
        return self.get(key).members_in(year)
