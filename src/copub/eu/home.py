"""The home organisation: which participations are the institution's, and how each was matched.

An organisation is recognised by its CORDIS PIC, its VAT number, its Norwegian
organisation number or one of its name variants. The default mapping
(``copub/eu/data/organisations.toml``) names NTNU and its Norwegian peers,
with its source; a user's TOML file of the same shape extends or replaces it.

Examples
--------
>>> mapping = load_organisations()
>>> mapping["ntnu"].orgnr, mapping["ntnu"].peers
(('974767880',), ('uio', 'uib', 'uit', 'nmbu'))
>>> rows = pl.DataFrame({"organisation_id": ["974767880", "1"], "id_kind": ["orgnr", "pic"],
...     "vat": [None, "no 974767880 mva"], "organisation_name": ["NTNU", "X"]})
>>> rows.with_columns(home_match=match_expr(mapping["ntnu"]))["home_match"].to_list()
['orgnr', 'vat']
"""

# ruff: noqa: E501  (doctest output lines cannot be wrapped)
from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from copub.errors import DataError, UsageError

__all__ = [
    "Organisation",
    "load_organisations",
    "match_expr",
    "normalise_name",
    "organisation_of_institution",
    "resolve_organisation",
]


@dataclass(frozen=True)
class Organisation:
    """How one organisation is recognised in EU participation data."""

    key: str
    label: str
    country: str | None = None
    pic: tuple[str, ...] = ()
    vat: tuple[str, ...] = ()
    orgnr: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    peers: tuple[str, ...] = ()
    source: str = ""
    #: The organisation's OpenAlex institution ids (a report on one of them takes these figures).
    openalex: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: the identifiers used."""
        parts = [
            f"{what} {', '.join(values)}"
            for what, values in (("PIC", self.pic), ("VAT", self.vat), ("orgnr", self.orgnr))
            if values
        ]
        if self.names:
            parts.append(f"{len(self.names)} name variant{'s' if len(self.names) > 1 else ''}")
        return f"{self.label}: " + "; ".join(parts)


def normalise_name(name: pl.Expr) -> pl.Expr:
    """Upper case, single spaces, no surrounding blanks."""
    return name.str.to_uppercase().str.replace_all(r"\s+", " ").str.strip_chars()


def _norm(text: str) -> str:
    return " ".join(text.upper().split())


def _vat(text: str) -> str:
    return "".join(text.upper().split())


def match_expr(organisation: Organisation) -> pl.Expr:
    """How each row matches ``organisation``: ``pic``, ``vat``, ``orgnr``, ``name`` or null.

    Identifiers win over names; a PIC or organisation number is compared only
    with rows whose ``id_kind`` says it is one.
    """
    kind = pl.col("id_kind")
    ident = pl.col("organisation_id").str.strip_chars()
    vat = pl.col("vat").str.replace_all(r"\s+", "").str.to_uppercase()
    names = [_norm(n) for n in organisation.names]
    return (
        pl.when((kind == "pic") & ident.is_in(organisation.pic))
        .then(pl.lit("pic"))
        .when((kind == "orgnr") & ident.is_in(organisation.orgnr))
        .then(pl.lit("orgnr"))
        .when(vat.is_in([_vat(v) for v in organisation.vat]).fill_null(False))
        .then(pl.lit("vat"))
        .when(normalise_name(pl.col("organisation_name")).is_in(names).fill_null(False))
        .then(pl.lit("name"))
        .otherwise(pl.lit(None, pl.String))
        .alias("home_match")
    )


def _strings(raw: dict[str, Any], name: str, where: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{where}: {name} must be a list of strings")
    return tuple(v.strip() for v in value)


def _parse(text: str, where: str) -> dict[str, Organisation]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{where}: not valid TOML: {exc}") from None
    raw_orgs = data.get("organisations")
    if not isinstance(raw_orgs, dict) or not raw_orgs:
        raise DataError(f"{where}: no [organisations.KEY] tables")
    source = str(data.get("source", ""))
    out: dict[str, Organisation] = {}
    for key, raw in raw_orgs.items():
        if not isinstance(raw, dict):
            raise DataError(f"{where}: organisations.{key} must be a table")
        here = f"{where}: organisations.{key}"
        org = Organisation(
            key=key,
            label=str(raw.get("label", key)),
            country=raw.get("country"),
            pic=_strings(raw, "pic", here),
            vat=_strings(raw, "vat", here),
            orgnr=_strings(raw, "orgnr", here),
            names=_strings(raw, "names", here),
            peers=_strings(raw, "peers", here),
            source=str(raw.get("source", source)),
            openalex=_strings(raw, "openalex", here),
        )
        if not (org.pic or org.vat or org.orgnr or org.names):
            raise DataError(f"{here}: names no PIC, VAT, orgnr or name to match on")
        out[key] = org
    return out


def load_organisations(
    path: str | Path | None = None, *, replace: bool = False
) -> dict[str, Organisation]:
    """The organisation mapping: the default, extended (or replaced) by ``path``."""
    folder = resources.files("copub.eu") / "data"
    mapping = (
        {}
        if replace and path is not None
        else _parse(
            (folder / "organisations.toml").read_text(encoding="utf-8"), "organisations.toml"
        )
    )
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise UsageError(f"organisations file {file} does not exist")
        mapping.update(_parse(file.read_text(encoding="utf-8"), str(file)))
    return mapping


def organisation_of_institution(
    institution: str, mapping: dict[str, Organisation]
) -> Organisation | None:
    """The organisation whose OpenAlex ids include ``institution``, or None.

    Examples
    --------
    >>> organisation_of_institution("I204778367", load_organisations()).key
    'ntnu'
    >>> organisation_of_institution("I86987016", load_organisations()) is None
    True
    """
    for organisation in mapping.values():
        if institution in organisation.openalex:
            return organisation
    return None


def _first(values: pl.Series) -> str | None:
    values = values.drop_nulls()
    return str(values[0]) if values.len() else None


def _from_data(query: str, participations: pl.DataFrame) -> Organisation | None:
    """An organisation the mapping does not know, found in the data by id, VAT or exact name."""
    text = query.strip()
    by_id = participations.filter(pl.col("organisation_id").str.strip_chars() == text)
    if by_id.height:
        kinds = set(by_id["id_kind"].to_list())
        return Organisation(
            key=text,
            label=_first(by_id["organisation_name"].mode().sort()) or text,
            country=_first(by_id["country"]),
            pic=(text,) if "pic" in kinds else (),
            orgnr=(text,) if "orgnr" in kinds else (),
            source="the participation data (an id given with --organisation)",
        )
    vat = pl.col("vat").str.replace_all(r"\s+", "").str.to_uppercase()
    by_vat = participations.filter(vat == _vat(text))
    if by_vat.height:
        return Organisation(
            key=text,
            label=_first(by_vat["organisation_name"]) or text,
            country=_first(by_vat["country"]),
            vat=(text,),
            source="the participation data (a VAT number given with --organisation)",
        )
    by_name = participations.filter(normalise_name(pl.col("organisation_name")) == _norm(text))
    if by_name.height:
        return Organisation(
            key=text,
            label=_first(by_name["organisation_name"]) or text,
            country=_first(by_name["country"]),
            names=(text,),
            source="the participation data (a name given with --organisation)",
        )
    return None


def _closest(query: str, candidates: dict[str, str]) -> list[str]:
    """Up to five names: those sharing a word with ``query`` first, then difflib's closest."""
    words = {w for w in query.replace("-", " ").split() if len(w) >= 3}
    sharing = [
        key for key in candidates if words & set(key.replace("-", " ").replace("(", " ")
                                                 .replace(")", " ").split())
    ]  # fmt: skip
    sharing.sort(key=lambda key: -difflib.SequenceMatcher(None, query, key).ratio())
    close = difflib.get_close_matches(query, list(candidates), n=5, cutoff=0.5)
    ordered = list(dict.fromkeys([*close[:2], *sharing, *close]))
    return [candidates[key] for key in ordered[:5]]


def resolve_organisation(
    query: str, mapping: dict[str, Organisation], participations: pl.DataFrame
) -> Organisation:
    """The organisation ``query`` names: a mapping key, one of its ids or names, or one in the data.

    Raises
    ------
    UsageError
        When nothing matches, listing the closest names.

    Examples
    --------
    >>> from copub.eu.schema import empty_participations
    >>> resolve_organisation("NTNU", load_organisations(), empty_participations()).key
    'ntnu'
    >>> resolve_organisation("UNIVERSITETET I OSLOO", load_organisations(), empty_participations())
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: organisation 'UNIVERSITETET I OSLOO' matches nothing in the mapping or the data; closest: UNIVERSITETET I OSLO, ...
    """
    text = query.strip()
    lowered = text.lower()
    if lowered in mapping:
        return mapping[lowered]
    for org in mapping.values():
        if (
            text in org.pic
            or text in org.orgnr
            or _vat(text) in {_vat(v) for v in org.vat}
            or _norm(text) in {_norm(n) for n in org.names}
            or _norm(text) == _norm(org.label)
        ):
            return org
    found = _from_data(text, participations)
    if found is not None:
        return found
    candidates: dict[str, str] = {}
    for org in mapping.values():
        for name in (org.label, *org.names):
            candidates.setdefault(_norm(name), name)
    for column in ("organisation_name", "short_name"):
        for name in participations[column].drop_nulls().unique().sort().to_list():
            candidates.setdefault(_norm(name), name)
    shown_list = _closest(_norm(text), candidates)
    if not shown_list and text.isdigit():
        ids = participations["organisation_id"].drop_nulls().unique().sort().to_list()
        shown_list = difflib.get_close_matches(text, ids, n=5, cutoff=0.6)
    shown = ", ".join(shown_list) if shown_list else "none"
    raise UsageError(
        f"organisation {query!r} matches nothing in the mapping or the data; closest: {shown}"
    )
