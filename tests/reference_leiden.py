"""An independent, plain-Python port of the Leiden Ranking Open Edition's rules.

Written from the Leiden Ranking's own code (CWTSLeiden/CWTS-Leiden-Ranking-
Open-Edition ``src/sql/calc_leiden_ranking_open_edition.sql`` and
CWTSLeiden/CWTS-OpenAlex-databases ``indicators/table_scripts/02_create_tables.sql``,
``core/table_scripts/01_create_tables.sql``,
``relational/table_scripts/09_work_author_affiliation_institution.sql``), one loop
per work over the raw OpenAlex JSON, with no copub code. The tests check
copub's ``leiden`` preset against it.

What is ported, rule by rule:

- universe (``pub`` with ``doc_type_no <> 1`` and ``has_required_metadata``):
  article/review in a journal, article/review/book-chapter in a book series,
  a conference or an ebook platform; a source; n_authors > 0; at least one
  (trimmed, non-empty) raw affiliation string; n_refs > 0; not retracted.
  copub adds: not paratext, not XPAC (checked here too, so the difference is
  explicit).
- core publications: journal or book-series document types, language ``en``,
  core source (OpenAlex's ``is_core``, CWTS's core-source flag), published in
  2000 or later.
- fractional weight: 1 / (n_authors x n_strings_of_author) per (author,
  string), divided by the number of institutions of the string (the union
  over the whole work of the institutions that string names); summed over
  the home institution and its child units (lineage); a joint unit (k >= 2
  top-level universities, type ``education``, in its lineage) gives the home
  1/k of its slot when the home is one of those universities.
- P(int collab): more than one country among institution countries and
  authorship countries, Hong Kong and Macao as China.
- P(collab): more than one organisation or more than one country; against
  a home, the home and its child units are one organisation and any other
  institution (a parent of the home included) is another; without a home,
  child units merged into a parent (no institution id common to every
  institution's lineage).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pycountry

VALID = {c.alpha_2 for c in pycountry.countries} | {"XK"}
TYPES = {"article", "review", "book-chapter"}


def short(url: str | None) -> str | None:
    return url.rsplit("/", 1)[-1] if url else None


def institutions_of(work: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every institution object of the work, by short id (first seen wins)."""
    out: dict[str, dict[str, Any]] = {}
    for a in work.get("authorships") or []:
        for inst in a.get("institutions") or []:
            key = short(inst.get("id"))
            if key and key not in out:
                out[key] = inst
    return out


def lineage(inst: dict[str, Any] | None, key: str) -> set[str]:
    return {short(x) for x in (inst or {}).get("lineage") or []} | {key}  # type: ignore[misc]


def is_home_id(key: str, insts: dict[str, dict[str, Any]], home: str) -> bool:
    return home in lineage(insts.get(key), key)


def known_institutions(works: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every institution object of the works, by short id.

    Records of one id may disagree (the University of Oxford is ``funder`` in
    some works, ``education`` in others): the tables keep the first by name,
    ROR, country and type, missing values last, and so does this.
    """

    def order(inst: dict[str, Any]) -> tuple[tuple[bool, str], ...]:
        fields = ("display_name", "ror", "country_code", "type")
        return tuple((inst.get(f) is None, str(inst.get(f) or "")) for f in fields)

    out: dict[str, dict[str, Any]] = {}
    for work in works:
        for a in work.get("authorships") or []:
            for inst in a.get("institutions") or []:
                key = short(inst.get("id"))
                if key and (key not in out or order(inst) < order(out[key])):
                    out[key] = inst
    return out


def home_share(key: str, known: dict[str, dict[str, Any]], home: str) -> float:
    """The part of a slot at ``key`` that ``home`` takes (joint units split 1/k)."""
    line = lineage(known.get(key), key)
    if home not in line:
        return 0.0
    tops = {
        x
        for x in line
        if (known.get(x) or {}).get("type") == "education"
        and lineage(known.get(x), x) == {x}
        and x in known
    }
    if len(tops) >= 2 and home in tops:
        return 1 / len(tops)
    return 1.0


def strings_of(authorship: dict[str, Any]) -> dict[str, set[str]] | None:
    """The author's distinct trimmed raw strings with their institutions; None without the field."""
    if "affiliations" not in authorship or authorship["affiliations"] is None:
        return None
    out: dict[str, set[str]] = {}
    for entry in authorship["affiliations"]:
        text = (entry.get("raw_affiliation_string") or "").strip()
        if not text:
            continue
        out.setdefault(text, set()).update(
            short(i)
            for i in entry.get("institution_ids") or []
            if i  # type: ignore[misc]
        )
    return out


def leiden_weight(
    work: dict[str, Any], home: str, known: dict[str, dict[str, Any]] | None = None
) -> float:
    """The home institution's Leiden fractional weight in ``work``.

    ``known``: the institutions whose type and lineage decide a joint unit
    (default: the work's own).
    """
    authorships = work.get("authorships") or []
    n_authors = len(authorships)
    insts = known if known is not None else institutions_of(work)
    per_author = [strings_of(a) for a in authorships]
    # Leiden links a string to its institutions once per work (work_affiliation_institution).
    string_institutions: dict[str, set[str]] = defaultdict(set)
    for strings in per_author:
        for text, ids in (strings or {}).items():
            string_institutions[text] |= ids
    weight = 0.0
    for a, strings in zip(authorships, per_author, strict=True):
        if strings is None:
            # No affiliations field: split over the authorship's distinct institutions.
            ids = {short(i.get("id")) for i in a.get("institutions") or [] if i.get("id")}
            homes = sum(home_share(k, insts, home) for k in ids)  # type: ignore[arg-type]
            if homes:
                weight += homes / len(ids) / n_authors
            continue
        for text in strings:
            ids = string_institutions[text]
            if not ids:
                continue  # a string with no institution loses its share
            homes = sum(home_share(k, insts, home) for k in ids)
            weight += homes / len(ids) / len(strings) / n_authors
    return weight


def countries_of(work: dict[str, Any], merge: bool = True) -> set[str]:
    codes: set[str] = set()
    for a in work.get("authorships") or []:
        codes |= {c.strip().upper() for c in a.get("countries") or [] if c}
        codes |= {
            (i.get("country_code") or "").strip().upper()
            for i in a.get("institutions") or []
            if i.get("id") and i.get("country_code")
        }
    known = {c for c in codes if c in VALID}
    return {"CN" if c in ("HK", "MO") else c for c in known} if merge else known


def several_organisations(work: dict[str, Any], home: str | None = None) -> bool:
    insts = institutions_of(work)
    if home is not None:
        return any(home not in lineage(inst, key) for key, inst in insts.items())
    if len(insts) < 2:
        return False
    common = set.intersection(*(lineage(inst, key) for key, inst in insts.items()))
    return not common


def has_affiliation(work: dict[str, Any]) -> bool:
    for a in work.get("authorships") or []:
        strings = strings_of(a)
        if strings is None:
            if a.get("raw_affiliation_strings"):
                return True
        elif strings:
            return True
    return False


def in_universe(work: dict[str, Any], rule: str) -> bool:
    if rule == "all":
        return True
    kind = work.get("type")
    if rule == "types":
        return kind in TYPES and not work.get("is_retracted") and not work.get("is_paratext")
    source = (work.get("primary_location") or {}).get("source") or {}
    stype = source.get("type")
    journal = kind in ("article", "review") and stype == "journal"
    series = kind in TYPES and stype == "book series"
    proceedings = kind in TYPES and stype in ("conference", "ebook platform")
    leiden = (
        (journal or series or proceedings)
        and bool(source.get("id"))
        and len(work.get("authorships") or []) > 0
        and has_affiliation(work)
        and (work.get("referenced_works_count") or 0) > 0
        and not work.get("is_retracted")
        and not work.get("is_paratext")
        and not work.get("is_xpac")
    )
    if rule == "leiden":
        return bool(leiden)
    assert rule == "core"
    return bool(
        leiden
        and (journal or series)
        and work.get("language") == "en"
        and source.get("is_core")
        and (work.get("publication_year") or 0) >= 2000
    )


def is_home_work(work: dict[str, Any], home: str) -> bool:
    insts = institutions_of(work)
    return any(is_home_id(k, insts, home) for k in insts)


def partner_countries(work: dict[str, Any], home: str) -> set[str]:
    """Countries from the non-home side only (copub's partner-group rule)."""
    insts = institutions_of(work)
    out: set[str] = set()
    for a in work.get("authorships") or []:
        ids = [short(i.get("id")) for i in a.get("institutions") or [] if i.get("id")]
        if any(is_home_id(k, insts, home) for k in ids):  # type: ignore[arg-type]
            others = [
                i
                for i in a.get("institutions") or []
                if i.get("id") and not is_home_id(short(i["id"]), insts, home)  # type: ignore[arg-type]
            ]
            out |= countries_of({"authorships": [{"institutions": others}]})
        else:
            out |= countries_of({"authorships": [a]})
    return out


def reference_yearly(
    works: list[dict[str, Any]],
    home: str,
    *,
    universe: str = "leiden",
    home_country: str = "NO",
    group: set[str] | None = None,
    merge: bool = True,
    known: dict[str, dict[str, Any]] | None = None,
) -> dict[int, dict[str, float]]:
    """Per year: P, P frac, P(collab), P(int collab), their fractional twins and shares.

    ``known``: :func:`known_institutions` of every work, when ``works`` is only
    the home's (a caller running every institution reads them once).
    """
    seen: set[str] = set()
    known = known_institutions(works) if known is None else known
    out: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for work in works:
        wid = short(work["id"])
        assert wid is not None
        if wid in seen:
            continue
        seen.add(wid)
        if not in_universe(work, universe) or not is_home_work(work, home):
            continue
        weight = leiden_weight(work, home, known)
        countries = countries_of(work, merge)
        intl = len(countries) >= 2
        collab = intl or several_organisations(work, home)
        in_group = bool(group and (partner_countries(work, home) - {home_country}) & group)
        row = out[work["publication_year"]]
        row["works"] += 1
        row["works_frac"] += weight
        for name, flag in (("intl", intl), ("collab", collab), ("group", in_group)):
            row[f"{name}_works"] += flag
            row[f"{name}_works_frac"] += weight * flag
    result = {}
    for year, row in out.items():
        result[year] = dict(row)
        for name in ("intl", "collab", "group"):
            result[year][f"{name}_share"] = row[f"{name}_works"] / row["works"]
            result[year][f"{name}_share_frac"] = (
                row[f"{name}_works_frac"] / row["works_frac"] if row["works_frac"] > 0 else None
            )
    return result
