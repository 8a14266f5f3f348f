"""Affiliation histories for the synthetic world's home authors, as OpenAlex ``/authors`` records.

Every author who publishes with the home institution (or a child unit) in the
synthetic works gets a record whose home affiliations are the years and units
of those works, the way OpenAlex derives affiliations from publications. The
synthetic works do not model careers (an NTNU-sized pool publishes nearly every
year), so each author first gets a tenure: half are there from the first sample
year, the others arrive in a later year; 60% stay to the last year, the others
leave in a year drawn after they arrived. Home years are the works' years within
the tenure (all of them when none falls inside), so the works and the histories
can differ for an author. Seeded draws then add, per author:

- a career start: about 40% start in their first home year (early career),
  the others some years before, at a Norwegian or a foreign institution;
- arrivals: about 20% of those who start after the first sample year come from
  abroad in the 1-3 years before (priority countries drawn twice as often);
- departures: about 25% of those who stop before the last sample year have an
  affiliation abroad in the 1-2 years after;
- stays: about 12% have a foreign affiliation in one of their home years
  (visits and dual positions), early-career authors a little more often;
- guests: half of the authors with at most two home years have affiliations
  abroad before and after.

The institutions abroad are the synthetic world's own partner institutions
(alliance members and infrastructures keep their real RORs), so the partner
groups match as they do for works. Everything is invented: SYNTHETIC.

Examples
--------
>>> import tempfile
>>> from copub.settings import Settings
>>> records = sample_author_records(scale=0.002, settings=Settings(cache_dir=tempfile.mkdtemp()))
>>> records[0]["id"].startswith("https://openalex.org/A"), "affiliations" in records[0]
(True, True)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import polars as pl

from copub.classify.home import home_authorships
from copub.locking import directory_lock
from copub.normalize import Tables
from copub.normalize.authors import authors_path, read_authors, write_authors
from copub.sample.load import load_sample, sample_cache_dir
from copub.sample.reference import HOME
from copub.sample.world import YEARS
from copub.settings import Settings

__all__ = [
    "AUTHOR_PAGE_PATTERN",
    "author_records",
    "load_sample_authors",
    "sample_author_records",
    "write_author_pages",
]

_PREFIX = "https://openalex.org/"
_HOME_ID: str = HOME.openalex_id or "I204778367"
_PRIORITY = frozenset({"BR", "CA", "CN", "IN", "JP", "KR", "RU", "US", "ZA"})
#: File names of the author pages that :func:`write_author_pages` writes.
AUTHOR_PAGE_PATTERN = "authors_{:05d}.json"
_PER_PAGE = 200
_MAX_AFFILIATIONS = 10  # OpenAlex keeps at most the ten most recent
#: Bump when the histories change, so cached authors tables are rebuilt.
HISTORY_VERSION = 2


def _dehydrated(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": _PREFIX + row["institution_id"],
        "ror": f"https://ror.org/{row['ror']}" if row["ror"] else None,
        "display_name": row["name"],
        "country_code": row["country_code"],
        "type": row["type"],
        "lineage": [_PREFIX + i for i in (row["lineage"] or [row["institution_id"]])],
    }


def _pools(tables: Tables) -> tuple[list[dict[str, Any]], np.ndarray, list[dict[str, Any]]]:
    institutions = tables.institutions.filter(
        pl.col("country_code").is_not_null() & (pl.col("institution_id") != _HOME_ID)
    ).sort("institution_id")
    home = pl.col("lineage").list.contains(_HOME_ID)
    foreign = [
        _dehydrated(r)
        for r in institutions.filter(~home & (pl.col("country_code") != "NO")).iter_rows(named=True)
    ]
    weights = np.array([2.0 if inst["country_code"] in _PRIORITY else 1.0 for inst in foreign])
    domestic = [
        _dehydrated(r)
        for r in institutions.filter(~home & (pl.col("country_code") == "NO")).iter_rows(named=True)
    ]
    return foreign, weights / weights.sum(), domestic


def _home_rows(tables: Tables) -> pl.DataFrame:
    """``author_id, author_name, institution_id, year`` of every home affiliation."""
    home = home_authorships(tables, _HOME_ID).filter("is_home")
    affiliations = tables.affiliations.join(home, on=["work_id", "position"]).join(
        tables.institutions.select("institution_id", "lineage"), on="institution_id"
    )
    affiliations = affiliations.filter(
        (pl.col("institution_id") == _HOME_ID) | pl.col("lineage").list.contains(_HOME_ID)
    )
    return (
        affiliations.join(
            tables.authorships.select("work_id", "position", "author_id", "author_name"),
            on=["work_id", "position"],
        )
        .join(tables.works.select("work_id", "year"), on="work_id")
        .drop_nulls("author_id")
        .select("author_id", "author_name", "institution_id", "year")
        .unique()
        .sort("author_id", "institution_id", "year")
    )


def _tenure(rng: np.random.Generator, first_year: int, last_year: int) -> tuple[int, int]:
    """The years an author is at home: half there from the start, 60% to the end."""
    begin = first_year if rng.random() < 0.5 else int(rng.integers(first_year + 1, last_year + 1))
    end = last_year if rng.random() < 0.6 else int(rng.integers(begin, last_year + 1))
    return begin, end


def author_records(tables: Tables, seed: int = 0) -> list[dict[str, Any]]:
    """The ``/authors`` record of every home author of the synthetic ``tables``.

    Parameters
    ----------
    tables : Tables
        The synthetic world (:func:`copub.load_sample`).
    seed : int
        Same tables and seed, identical records.

    Returns
    -------
    list of dict
        OpenAlex author records (``id``, ``display_name``, ``orcid``,
        ``affiliations`` with ``institution`` and ``years``,
        ``last_known_institutions``), sorted by id.
    """
    rng = np.random.default_rng([seed, 17])
    first_year, last_year = YEARS
    foreign, weights, domestic = _pools(tables)
    units = {
        row["institution_id"]: _dehydrated(row) for row in tables.institutions.iter_rows(named=True)
    }
    records: list[dict[str, Any]] = []
    grouped = (
        _home_rows(tables)
        .group_by("author_id", maintain_order=True)
        .agg(pl.col("author_name").first(), pl.col("institution_id"), pl.col("year"))
    )
    for author_id, name, institution_ids, years in grouped.iter_rows():
        tenure = _tenure(rng, first_year, last_year)
        if not any(tenure[0] <= int(y) <= tenure[1] for y in years):
            tenure = (first_year, last_year)
        history: dict[str, set[int]] = {}
        for institution_id, year in zip(institution_ids, years, strict=True):
            if tenure[0] <= int(year) <= tenure[1]:
                history.setdefault(institution_id, set()).add(int(year))
        home_years = sorted({y for ys in history.values() for y in ys})
        start, end = home_years[0], home_years[-1]
        extra: list[tuple[dict[str, Any], list[int]]] = []

        def abroad() -> dict[str, Any]:
            return foreign[int(rng.choice(len(foreign), p=weights))]

        early = rng.random() < 0.4
        if start > first_year and rng.random() < 0.2:
            gap = int(rng.integers(1, 4))
            extra.append((abroad(), list(range(start - gap, start))))
        elif not early:
            begin = start - int(rng.integers(4, 16))
            pool_abroad = rng.random() < 0.5 or not domestic
            place = abroad() if pool_abroad else domestic[int(rng.integers(len(domestic)))]
            # Ends at least N + 1 years before the first home year: not an arrival.
            extra.append((place, list(range(begin, max(begin + 1, start - 4)))))
        if end < last_year and rng.random() < 0.25:
            extra.append((abroad(), list(range(end + 1, min(end + 3, last_year + 1)))))
        if rng.random() < (0.2 if early else 0.12):
            extra.append((abroad(), [home_years[int(rng.integers(len(home_years)))]]))
        if len(home_years) <= 2 and first_year < start and end < last_year and rng.random() < 0.5:
            extra.append((abroad(), [start - 1]))
            extra.append((abroad(), [end + 1]))
        affiliations: list[dict[str, Any]] = [
            {"institution": units[iid], "years": sorted(ys, reverse=True)}
            for iid, ys in history.items()
        ]
        affiliations += [
            {"institution": inst, "years": sorted(set(ys), reverse=True)}
            for inst, ys in extra
            if ys
        ]
        affiliations.sort(key=lambda a: -max(a["years"]))
        last_known = affiliations[0]["institution"] if affiliations else None
        records.append(
            {
                "id": _PREFIX + author_id,
                "display_name": name,
                "orcid": None,
                "affiliations": affiliations[:_MAX_AFFILIATIONS],
                "last_known_institutions": [last_known] if last_known else [],
            }
        )
    return records


def write_author_pages(
    records: Sequence[dict[str, Any]], out_dir: str | os.PathLike[str], *, per_page: int = _PER_PAGE
) -> list[Path]:
    """Write author records as OpenAlex ``/authors`` list pages (``authors_00001.json``, …).

    Earlier author pages in ``out_dir`` are removed first; each page is written
    to a temporary file and renamed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("authors_[0-9][0-9][0-9][0-9][0-9].json"):
        old.unlink()
    paths = []
    for number, start in enumerate(range(0, max(len(records), 1), per_page), start=1):
        chunk = list(records[start : start + per_page])
        meta = {"count": len(records), "page": number, "per_page": per_page, "synthetic": True}
        path = out / AUTHOR_PAGE_PATTERN.format(number)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(orjson.dumps({"meta": meta, "results": chunk}))
        os.replace(tmp, path)
        paths.append(path)
    return paths


def sample_author_records(
    seed: int = 0, scale: float = 1.0, *, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """The author records of :func:`copub.load_sample` with the same seed and scale."""
    return author_records(load_sample(seed, scale, settings=settings), seed)


def load_sample_authors(
    seed: int = 0, scale: float = 1.0, *, settings: Settings | None = None
) -> pl.DataFrame:
    """The synthetic world's ``authors`` table (SYNTHETIC), cached beside its tables.

    The records are written as ``/authors`` pages and read back with
    :func:`copub.normalize.authors.read_authors`, like real ones.

    Examples
    --------
    >>> import tempfile
    >>> from copub.settings import Settings
    >>> authors = load_sample_authors(scale=0.002, settings=Settings(cache_dir=tempfile.mkdtemp()))
    >>> authors.columns[:2], authors.height > 0
    (['author_id', 'author_name'], True)
    """
    settings = settings or Settings.from_env()
    cache = sample_cache_dir(seed, scale, settings=settings)
    store = cache / f"authors-h{HISTORY_VERSION}"
    path = authors_path(store)
    if path.is_file():
        return pl.read_parquet(path)
    # One builder per world: a second process waits, then reads what the first built
    # (without the wait it would fail on the lock that write_authors takes).
    with directory_lock(store, wait=True):
        if path.is_file():
            return pl.read_parquet(path)
        records = sample_author_records(seed, scale, settings=settings)
        build = cache / f"authors-build-{os.getpid()}"
        pages = write_author_pages(records, build)
        authors = read_authors(pages)
        write_authors(authors, store)
        for page in pages:
            page.unlink()
        build.rmdir()
    return authors
