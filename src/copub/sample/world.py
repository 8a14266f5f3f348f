"""The fixed parts of a synthetic world: who exists, and the rates that shape the works."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import orjson
import polars as pl

from copub.sample.authors import Authors, build_authors
from copub.sample.calibration import PartnerMix, partner_mix
from copub.sample.ids import OPENALEX, synthetic_id
from copub.sample.institutions import Institutions, build_institutions, country_name
from copub.sample.reference import FUNDERS, HOME
from copub.sample.sources import Sources, build_sources

__all__ = [
    "TYPES",
    "YEARS",
    "World",
    "build_world",
    "international_share",
    "works_in_year",
]

YEARS: Final = (2012, 2025)
_FIRST_YEAR_WORKS = 8000
_LAST_YEAR_WORKS = 12000
#: Target international share of the core universe, first and last year.
_INTERNATIONAL = (0.575, 0.655)
_NATIONAL_FUNDERS = 15


@dataclass(frozen=True)
class DocType:
    """An OpenAlex work type, its Crossref type and its share of works."""

    name: str
    crossref: str
    share: float
    channel: str


#: ``channel`` picks the source kinds: journal-like, book-like, repository-like.
TYPES: Final = (
    DocType("article", "journal-article", 0.735, "journal"),
    DocType("review", "journal-article", 0.05, "journal"),
    DocType("book-chapter", "book-chapter", 0.085, "chapter"),
    DocType("preprint", "posted-content", 0.03, "preprint"),
    DocType("editorial", "journal-article", 0.02, "journal"),
    DocType("letter", "journal-article", 0.015, "journal"),
    DocType("book", "book", 0.015, "book"),
    DocType("dataset", "dataset", 0.01, "dataset"),
    DocType("dissertation", "dissertation", 0.01, "other"),
    DocType("erratum", "journal-article", 0.01, "journal"),
    DocType("report", "report", 0.01, "other"),
    DocType("paratext", "journal-article", 0.005, "journal"),
    DocType("other", "other", 0.005, "other"),
)


@dataclass(frozen=True)
class World:
    """Everything a chunk of works draws on."""

    seed: int
    scale: float
    years: tuple[int, int]
    mix: PartnerMix
    institutions: Institutions
    authors: Authors
    sources: Sources
    #: ``key, funder_id, name, prefix`` (the grant JSON up to ``"award_id":``).
    funders: pl.DataFrame
    #: Funder row of each pool's national funder, -1 when it has none.
    national_funder: np.ndarray


def works_in_year(year: int, scale: float, years: tuple[int, int] = YEARS) -> int:
    """Distinct works in a year: 8,000 growing to 12,000 at scale 1, at least 10."""
    span = max(years[1] - years[0], 1)
    growth = (_LAST_YEAR_WORKS / _FIRST_YEAR_WORKS) ** ((year - years[0]) / span)
    return max(10, round(_FIRST_YEAR_WORKS * float(growth) * scale))


def international_share(year: int, years: tuple[int, int] = YEARS) -> float:
    """The target share of international works in the core universe of a year."""
    span = max(years[1] - years[0], 1)
    t = (year - years[0]) / span
    return _INTERNATIONAL[0] + (_INTERNATIONAL[1] - _INTERNATIONAL[0]) * t


def _funders(mix: PartnerMix) -> tuple[pl.DataFrame, np.ndarray]:
    rows = []
    number = 1
    for funder in FUNDERS:
        funder_id = funder.openalex_id or synthetic_id("F", number)
        number += 1
        rows.append((funder.key, funder_id, funder.name))
    national = np.full(2 + len(mix.countries), -1, dtype=np.int64)
    national[0] = national[1] = [k for k, *_ in rows].index("rcn")
    order = np.argsort(-mix.shares.mean(axis=0), kind="stable")[:_NATIONAL_FUNDERS]
    for i in order.tolist():
        code = mix.countries[i]
        national[2 + i] = len(rows)
        rows.append(
            (
                f"national-{code}",
                synthetic_id("F", number),
                f"{country_name(code)} Research Foundation",
            )
        )
        number += 1
    frame = pl.DataFrame(rows, schema=["key", "funder_id", "name"], orient="row").with_columns(
        prefix=pl.Series(
            [
                f'{{"funder":"{OPENALEX + fid}",'
                f'"funder_display_name":{orjson.dumps(name).decode()},"award_id":'
                for _, fid, name in rows
            ]
        )
    )
    return frame, national


def build_world(
    seed: int,
    scale: float,
    *,
    years: tuple[int, int] = YEARS,
) -> World:
    """Calibrate the partner mix and build institutions, authors, sources and funders."""
    mix = partner_mix(years, home=HOME.country)
    institutions = build_institutions(mix, seed)
    authors = build_authors(institutions, mix, seed, scale)
    sources = build_sources(seed, scale)
    funders, national = _funders(mix)
    return World(seed, scale, years, mix, institutions, authors, sources, funders, national)
