"""Warnings a reader needs before trusting a report, and why an indicator is unavailable.

Each check returns plain sentences; the report shows them as notes (terminal,
HTML, files) and the command line also prints them on stderr.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from copub.classify import PartnerGroups, Register
from copub.normalize import Tables

__all__ = [
    "UNMATCHED_WARNING",
    "home_country_warning",
    "register_warnings",
    "unavailable_reason",
]

#: Above this share of works whose channel is not in the register, the register is suspect.
UNMATCHED_WARNING = 0.5


def register_warnings(register: Register | None, yearly: pl.DataFrame) -> list[str]:
    """Warnings about the channel register given: a publisher list, or most works unmatched.

    Examples
    --------
    >>> from copub.classify.register import LEVELS_SCHEMA
    >>> publishers = Register(pl.DataFrame(schema=LEVELS_SCHEMA), "forlag.csv", (0, 0),
    ...                       n_channels=3351, n_invalid_issns=0, n_channels_without_issn=3351)
    >>> register_warnings(publishers, pl.DataFrame())[0].startswith("The register forlag.csv")
    True
    >>> yearly = pl.DataFrame({"works": [10], "channel_unmatched_works": [8]})
    >>> journals = Register(pl.DataFrame(schema=LEVELS_SCHEMA), "k.csv", (2004, 2025), 1, 0)
    >>> "80.0% of works" in register_warnings(journals, yearly)[0]
    True
    """
    if register is None:
        return []
    out = []
    if register.n_channels and register.n_channels_without_issn >= register.n_channels:
        out.append(
            f"The register {register.source} has no ISSNs ({register.n_channels:,} channels "
            "without one): it looks like the publisher list, which no journal article can "
            "match. Give the journal register (the export with 'Print ISSN' and 'Online "
            "ISSN') with --register."
        )
    if {"channel_unmatched_works", "works"} <= set(yearly.columns) and yearly.height:
        works = float(yearly["works"].sum())
        unmatched = float(yearly["channel_unmatched_works"].fill_null(0).sum())
        if works > 0 and unmatched / works > UNMATCHED_WARNING:
            out.append(
                f"{100 * unmatched / works:.1f}% of works have a channel that is not in the "
                f"register {register.source}: the level-2 share rests on the few that match. "
                "Check that this is the journal register and that it covers the report's "
                "years."
            )
    return out


def _institution_country(tables: Tables, institution: str) -> str | None:
    found = tables.institutions.filter(pl.col("institution_id") == institution)
    if found.is_empty():
        return None
    code = found["country_code"][0]
    return str(code) if code else None


def home_country_warning(groups: PartnerGroups, tables: Tables, institution: str) -> str | None:
    """A warning when the groups' home country is not the institution's country.

    Co-authors from the institution's own country would then count as
    international partners, which is almost never what the groups file meant.

    Examples
    --------
    >>> from copub.classify import load_groups
    >>> home_country_warning(load_groups(), Tables.empty(), "I204778367") is None
    True
    """
    country = _institution_country(tables, institution)
    if country is None or country == groups.home_country:
        return None
    return (
        f"The partner groups set the home country to {groups.home_country}, but "
        f"{institution} is in {country}: co-authors from {country} count as partners "
        f"and works with {groups.home_country} are not international. Set home_country = "
        f'"{country}" in the groups file unless this is what you want.'
    )


def _covered(years: Sequence[int], period: tuple[int, int]) -> bool:
    return any(period[0] <= y <= period[1] for y in years)


def unavailable_reason(
    indicator: str,
    *,
    register_available: bool,
    years: Sequence[int],
    baseline: tuple[int, int],
    plan: tuple[int, int],
) -> str:
    """Why a goal indicator has no plan-versus-baseline change.

    Examples
    --------
    >>> unavailable_reason("level2", register_available=False, years=[2020, 2023],
    ...                    baseline=(2018, 2021), plan=(2022, 2025))
    'unavailable: no channel register given (--register FILE)'
    >>> unavailable_reason("level2", register_available=True, years=[2018, 2019],
    ...                    baseline=(2018, 2021), plan=(2022, 2025))
    'unavailable: no year of the plan period 2022-2025 in --years'
    """
    if indicator in ("level2", "channel_unmatched") and not register_available:
        return "unavailable: no channel register given (--register FILE)"
    for name, period in (("plan period", plan), ("baseline", baseline)):
        if not _covered(years, period):
            return f"unavailable: no year of the {name} {period[0]}-{period[1]} in --years"
    return "unavailable: no works to compare in this selection"
