"""Read partner groups from TOML: the packaged defaults and a user's own file.

A groups file holds one table per group under ``groups`` and, optionally, a
top-level ``home_country``::

    home_country = "SE"          # optional; else the 'home' group's member

    [groups.my_alliance]
    label = "My alliance"
    kind = "institution"         # country | institution | institution_type
    source = "alliance web page, 2024"
    vintage = "2024"
    members = [
      { code = "KTH", name = "KTH", ror = "026vcq606", openalex_id = "I86987016",
        valid_from = 2019, valid_to = 2024, status = "member",
        note = "optional: a policy note every output about this partner shows" },
    ]

A user file extends the defaults (a key that exists replaces that group) or,
with ``replace=True``, replaces them all.
"""

from __future__ import annotations

import os
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, cast, get_args

from copub.classify.countries import valid_country_codes
from copub.classify.membership import Group, GroupKind, Member, PartnerGroups
from copub.errors import DataError, UsageError
from copub.validate import missing_file

__all__ = ["DEFAULT_GROUP_FILES", "load_groups", "policy_notes"]

#: The packaged group files, in the order their groups are listed.
DEFAULT_GROUP_FILES = (
    "home.toml",
    "nordic.toml",
    "eu.toml",
    "eea.toml",
    "priority.toml",
    "devpartner.toml",
    "lmic.toml",
    "enhance.toml",
    "n5t.toml",
    "infrastructure.toml",
)

# A key becomes a column name (`<key>_share`), so it must be a plain identifier.
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_ROR = re.compile(r"^0[a-z0-9]{6}[0-9]{2}$")
_OPENALEX_INSTITUTION = re.compile(r"^I\d+$")
_GROUP_FIELDS = {"label", "kind", "source", "vintage", "members", "notes"}
_MEMBER_FIELDS = {
    "code", "name", "ror", "openalex_id", "valid_from", "valid_to", "status", "note",
}  # fmt: skip


def _fail(where: str, key: str, message: str) -> DataError:
    return DataError(f"{where}: group {key!r}: {message}")


def _text(value: Any, where: str, key: str, field: str, *, required: bool) -> str | None:
    if value is None:
        if required:
            raise _fail(where, key, f"'{field}' is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, key, f"'{field}' must be a non-empty string, not {value!r}")
    return value.strip()


def _year(value: Any, where: str, key: str, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise _fail(where, key, f"'{field}' must be a year such as 2021, not {value!r}")
    return value


def _ror(value: str | None, where: str, key: str) -> str | None:
    if value is None:
        return None
    short = value.strip().lower().removeprefix("https://ror.org/").removeprefix("ror.org/")
    if not _ROR.match(short):
        raise _fail(where, key, f"ror {value!r} is not a ROR id such as 05xg72x27")
    return short


def _openalex(value: str | None, where: str, key: str) -> str | None:
    if value is None:
        return None
    short = value.strip().removeprefix("https://openalex.org/").upper()
    if not _OPENALEX_INSTITUTION.match(short):
        raise _fail(
            where, key, f"openalex_id {value!r} is not an institution id such as I204778367"
        )
    return short


def _member(raw: Any, kind: GroupKind, where: str, key: str) -> Member:
    if not isinstance(raw, dict):
        raise _fail(where, key, f"each member must be a table, not {raw!r}")
    unknown = set(raw) - _MEMBER_FIELDS
    if unknown:
        raise _fail(where, key, f"unknown member field(s) {sorted(unknown)}")
    code = _text(raw.get("code"), where, key, "code", required=True)
    assert code is not None
    if kind == "country":
        code = code.upper()
        if code not in valid_country_codes():
            raise _fail(where, key, f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    member = Member(
        code=code,
        name=_text(raw.get("name"), where, key, "name", required=False),
        ror=_ror(_text(raw.get("ror"), where, key, "ror", required=False), where, key),
        openalex_id=_openalex(
            _text(raw.get("openalex_id"), where, key, "openalex_id", required=False), where, key
        ),
        valid_from=_year(raw.get("valid_from"), where, key, "valid_from"),
        valid_to=_year(raw.get("valid_to"), where, key, "valid_to"),
        status=_text(raw.get("status"), where, key, "status", required=False) or "member",
        note=_text(raw.get("note"), where, key, "note", required=False),
    )
    if (
        member.valid_from is not None
        and member.valid_to is not None
        and member.valid_from > member.valid_to
    ):
        raise _fail(where, key, f"member {code!r} ends ({member.valid_to}) before it starts")
    if kind != "institution" and (member.ror or member.openalex_id):
        raise _fail(where, key, f"member {code!r}: ror/openalex_id belong to institution groups")
    if (
        kind == "institution"
        and not (member.ror or member.openalex_id)
        and (member.status != "unresolved")
    ):
        raise _fail(
            where, key, f'member {code!r} needs a ror or openalex_id, or status = "unresolved"'
        )
    return member


def _group(key: str, raw: Any, where: str) -> Group:
    if not _KEY.match(key):
        raise _fail(where, key, "keys must be lowercase letters, digits and _ (they name columns)")
    if not isinstance(raw, dict):
        raise _fail(where, key, "must be a table")
    unknown = set(raw) - _GROUP_FIELDS
    if unknown:
        raise _fail(where, key, f"unknown field(s) {sorted(unknown)}")
    kind = raw.get("kind")
    if kind not in get_args(GroupKind):
        raise _fail(where, key, f"kind must be one of {get_args(GroupKind)}, not {kind!r}")
    members = raw.get("members")
    if not isinstance(members, list) or not members:
        raise _fail(where, key, "'members' must be a non-empty list")
    parsed = tuple(_member(m, cast(GroupKind, kind), where, key) for m in members)
    codes = [m.code for m in parsed]
    if len(set(codes)) != len(codes):
        raise _fail(where, key, "member codes repeat")
    label = _text(raw.get("label"), where, key, "label", required=True)
    source = _text(raw.get("source"), where, key, "source", required=True)
    vintage = _text(raw.get("vintage"), where, key, "vintage", required=True)
    assert label is not None and source is not None and vintage is not None
    return Group(key, label, cast(GroupKind, kind), parsed, source, vintage)


def _parse(text: str, where: str) -> tuple[list[Group], str | None]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{where}: not valid TOML: {exc}") from None
    unknown = set(document) - {"groups", "home_country"}
    if unknown:
        raise DataError(f"{where}: unknown top-level key(s) {sorted(unknown)}")
    tables = document.get("groups", {})
    if not isinstance(tables, dict):
        raise DataError(f"{where}: 'groups' must be a table of groups")
    home = document.get("home_country")
    if home is not None:
        if not isinstance(home, str) or home.upper() not in valid_country_codes():
            raise DataError(f"{where}: home_country {home!r} is not an ISO alpha-2 code")
        home = home.upper()
    return [_group(key, raw, where) for key, raw in tables.items()], home


def _defaults() -> tuple[list[Group], str | None]:
    folder = resources.files("copub.classify") / "reference"
    groups: list[Group] = []
    home: str | None = None
    for name in DEFAULT_GROUP_FILES:
        parsed, file_home = _parse((folder / name).read_text(encoding="utf-8"), name)
        groups.extend(parsed)
        home = file_home or home
    return groups, home


def _home_country(groups: list[Group], explicit: str | None, where: str) -> str:
    if explicit is not None:
        return explicit
    for group in groups:
        if group.key == "home":
            if group.kind != "country" or len(group.members) != 1:
                raise _fail(where, "home", "must be a country group with exactly one member")
            return group.members[0].code
    raise DataError(f'{where}: no home country: add home_country = "XX" or a [groups.home]')


def load_groups(
    path: str | os.PathLike[str] | None = None, *, replace: bool = False
) -> PartnerGroups:
    """The partner groups: the packaged defaults, extended or replaced by a TOML file.

    Parameters
    ----------
    path : str or path-like, optional
        A user groups file (format in the module docs and the README).
    replace : bool
        Use only the user's groups instead of extending the defaults.

    Returns
    -------
    PartnerGroups

    Raises
    ------
    DataError
        Naming the file and the group key when the TOML is invalid.
    UsageError
        When ``path`` does not exist, or ``replace`` is given without a path.

    Examples
    --------
    >>> groups = load_groups()
    >>> groups.home_country, len(groups.members_in("priority", 2018))
    ('NO', 6)
    """
    default_groups, default_home = _defaults()
    if path is None:
        if replace:
            raise UsageError("replace=True needs a groups file")
        home = _home_country(default_groups, default_home, "defaults")
        return PartnerGroups(tuple(default_groups), home)
    file = Path(path)
    problem = missing_file(file, "groups file")
    if problem is not None:
        raise UsageError(problem)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{file}: cannot read: {exc}") from None
    user_groups, user_home = _parse(text, str(file))
    if replace:
        merged = user_groups
        home_country = _home_country(merged, user_home, str(file))
    else:
        by_key = {g.key: g for g in default_groups}
        by_key.update({g.key: g for g in user_groups})
        merged = list(by_key.values())
        # A user's own 'home' group outranks the packaged home_country.
        overrides_home = any(g.key == "home" for g in user_groups)
        explicit = user_home or (None if overrides_home else default_home)
        home_country = _home_country(merged, explicit, str(file))
    return PartnerGroups(tuple(merged), home_country)


def policy_notes(groups: PartnerGroups | None = None) -> dict[str, str]:
    """The policy note of every partner that has one, by its key.

    The key is the member's code: the ISO alpha-2 code for a country, the
    OpenAlex id (else the code) for an institution. A partner noted in two
    groups gets both notes, once each. Every row, card and figure about the
    partner shows its note.

    Parameters
    ----------
    groups : PartnerGroups, optional
        Default :func:`load_groups`.

    Examples
    --------
    >>> policy_notes()["RU"]
    'Institutional cooperation frozen by the Ministry of Education and Research in March 2022'
    """
    notes: dict[str, list[str]] = {}
    for group in groups if groups is not None else load_groups():
        for member in group.members:
            if member.note is None:
                continue
            key = (
                (member.openalex_id or member.code) if group.kind == "institution" else member.code
            )
            if member.note not in notes.setdefault(key, []):
                notes[key].append(member.note)
    return {key: "; ".join(texts) for key, texts in notes.items()}
