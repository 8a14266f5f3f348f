"""An independent, plain-Python computation of the yearly figures from raw JSON.

One loop per work over the OpenAlex records, written from DESIGN.md's
definitions without any copub code, so the tests can check the library
against it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pycountry

VALID = {c.alpha_2 for c in pycountry.countries} | {"XK"}
CORE = {"article", "review", "book-chapter"}


def short(url: str | None) -> str | None:
    return url.rsplit("/", 1)[-1] if url else None


def is_home(inst: dict[str, Any], home: str) -> bool:
    lineage = {short(x) for x in inst.get("lineage") or []}
    return short(inst.get("id")) == home or home in lineage


def countries_of(authorship: dict[str, Any], merge: bool = True) -> set[str]:
    codes = {c.strip().upper() for c in authorship.get("countries") or [] if c}
    codes |= {
        (i.get("country_code") or "").strip().upper()
        for i in authorship.get("institutions") or []
        if i.get("id") and i.get("country_code")
    }
    known = {c for c in codes if c in VALID}
    if merge:
        known = {"CN" if c in ("HK", "MO") else c for c in known}
    return known


def reference_yearly(
    works: list[dict[str, Any]],
    home: str,
    *,
    core: bool = True,
    home_country: str = "NO",
    group: set[str] | None = None,
) -> dict[int, dict[str, float]]:
    """Per year: works, intl_works, intl_share, intl_share_frac, and a country group's share."""
    seen: set[str] = set()
    out: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for work in works:
        wid = short(work["id"])
        assert wid is not None
        if wid in seen:
            continue
        seen.add(wid)
        if core and (
            work.get("type") not in CORE or work.get("is_retracted") or work.get("is_paratext")
        ):
            continue
        authorships = work.get("authorships") or []
        weight = 0.0
        countries: set[str] = set()
        # Partner countries come from the non-home side only: non-home
        # institutions, and the reported countries of authorships with no home
        # affiliation, so a home unit abroad never makes a partner.
        partner_countries: set[str] = set()
        for a in authorships:
            countries |= countries_of(a)
            insts = {short(i["id"]): i for i in a.get("institutions") or [] if i.get("id")}
            homes = sum(1 for i in insts.values() if is_home(i, home))
            if homes:
                weight += homes / len(insts) / len(authorships)
                partner_countries |= countries_of(
                    {"institutions": [i for i in insts.values() if not is_home(i, home)]}
                )
            else:
                partner_countries |= countries_of(a)
        if weight == 0:
            continue
        row = out[work["publication_year"]]
        intl = len(countries) >= 2
        in_group = bool(group and (partner_countries - {home_country}) & group)
        row["works"] += 1
        row["works_frac"] += weight
        row["intl_works"] += intl
        row["intl_works_frac"] += weight * intl
        row["group_works"] += in_group
        row["group_works_frac"] += weight * in_group
    result = {}
    for year, row in out.items():
        result[year] = {
            **row,
            "intl_share": row["intl_works"] / row["works"],
            "intl_share_frac": row["intl_works_frac"] / row["works_frac"],
            "group_share": row["group_works"] / row["works"],
            "group_share_frac": row["group_works_frac"] / row["works_frac"],
        }
    return result
