"""Work-level metadata of a chunk: channel, language, date, DOI, title, citations, grants."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from copub.sample.ids import rng_for
from copub.sample.names import FIELDS, TITLE_ADJECTIVES, TITLE_NOUNS
from copub.sample.sources import KINDS, LEVEL2_PULL
from copub.sample.works import Chunk
from copub.sample.world import TYPES, World

__all__ = ["work_attributes"]

#: Source kinds per channel group, as cumulative shares; the rest has no source.
_CHANNELS: dict[str, tuple[tuple[str, float], ...]] = {
    "journal": (("journal", 0.93), ("repository", 0.97)),
    "chapter": (("ebook platform", 0.55), ("book series", 0.85)),
    "book": (("ebook platform", 0.5), ("book series", 0.7)),
    "preprint": (("repository", 0.85),),
    "dataset": (("repository", 1.0),),
    "other": (("repository", 0.3),),
}
_NO_AWARD = 0.1


def _sources(world: World, rng: np.random.Generator, works: pl.DataFrame) -> npt.NDArray[np.int64]:
    n = works.height
    channel = np.array([t.channel for t in TYPES])[works["type_code"].to_numpy()]
    international = works["is_international"].to_numpy()
    u = rng.random(n)
    kind = np.full(n, -1, dtype=np.int64)
    for group, steps in _CHANNELS.items():
        in_group = channel == group
        for name, cum in reversed(steps):
            kind[in_group & (u < cum)] = KINDS.index(name)
    source = np.full(n, -1, dtype=np.int64)
    for k, name in enumerate(KINDS):
        for intl in (False, True):
            rows = (kind == k) & (international == intl)
            if rows.any():
                pull = LEVEL2_PULL if intl else 1.0
                source[rows] = world.sources.pick(name, rng, int(rows.sum()), level2_pull=pull)
    return source


def _award_ids(rng: np.random.Generator, key: str, year: int, n: int) -> pl.Series:
    if key == "rcn":
        numbers = rng.integers(200_000, 340_000, size=n)
    elif key.startswith("national"):
        numbers = rng.integers(1_000_000, 9_999_999, size=n)
    elif year >= 2022:
        numbers = np.where(
            rng.random(n) < 0.6,
            rng.integers(101_000_000, 101_200_000, size=n),
            rng.integers(600_000, 1_000_000, size=n),
        )
    else:
        numbers = rng.integers(300_000, 1_000_000, size=n)
    text = pl.Series(numbers).cast(pl.String)
    return pl.select(
        pl.when(pl.Series(rng.random(n) < _NO_AWARD))
        .then(pl.lit("null"))
        .otherwise('"' + text + '"')
    ).to_series()


def _grants(world: World, rng: np.random.Generator, year: int, works: pl.DataFrame) -> pl.Series:
    """The inside of each work's ``grants`` list, as JSON."""
    n = works.height
    t = (year - world.years[0]) / max(world.years[1] - world.years[0], 1)
    intl = works["is_international"].to_numpy()
    rates = {
        "rcn": np.where(intl, 0.28, 0.25),
        "ec": (0.06 + 0.07 * t) * np.where(intl, 1.5, 0.4),
        "erc": (0.012 + 0.014 * t) * np.where(intl, 1.3, 0.6),
        "msca": (0.01 + 0.02 * t) * np.where(intl, 1.4, 0.5),
    }
    keys = world.funders["key"].to_list()
    prefixes = world.funders["prefix"]
    # OpenAlex files some grants under a programme's own funder id, by era.
    variants = {"ec": ("h2020", 2016 <= year <= 2024, 0.4), "msca": ("msca-he", year >= 2024, 0.5)}
    columns = []
    for key, rate in rates.items():
        has = rng.random(n) < rate
        prefix = pl.lit(prefixes[keys.index(key)])
        if key in variants:
            other, in_era, share = variants[key]
            alternative = pl.Series(in_era & (rng.random(n) < share))
            prefix = (
                pl.when(alternative).then(pl.lit(prefixes[keys.index(other)])).otherwise(prefix)
            )
        awards = _award_ids(rng, key, year, n)
        columns.append(pl.when(pl.Series(has)).then(prefix + awards + "}"))
    first_country = works["first_country"].to_numpy()
    national = np.where(
        first_country >= 0, world.national_funder[2 + np.maximum(first_country, 0)], -1
    )
    has_national = (national >= 0) & (rng.random(n) < 0.15)
    national_prefix = prefixes.gather(pl.Series(np.maximum(national, 0)))
    awards = _award_ids(rng, "national", year, n)
    columns.append(pl.when(pl.Series(has_national)).then(national_prefix + awards + "}"))
    return pl.select(pl.concat_str(columns, separator=",", ignore_nulls=True)).to_series()


def work_attributes(world: World, chunk: Chunk) -> pl.DataFrame:
    """One row per work of the chunk with every work-level field the encoder needs."""
    rng = rng_for(world.seed, "works", chunk.year, int(chunk.works["number"][0]), 1)
    works = chunk.works
    n = works.height
    type_code = works["type_code"].to_numpy()
    type_name = np.array([t.name for t in TYPES])[type_code]
    crossref = np.array([t.crossref for t in TYPES])[type_code]
    intl = works["is_international"].to_numpy()
    source = _sources(world, rng, works)
    u = rng.random(n)
    language = np.where(~intl & (u < 0.08), "no", np.where(u > 0.995, "de", "en"))
    days = rng.integers(0, 365, size=n)
    date = (np.datetime64(f"{chunk.year}-01-01") + days).astype(str)
    doi_rate = np.where(
        np.isin(type_name, ("dissertation", "report", "other", "dataset")), 0.5, 0.95
    )
    has_doi = rng.random(n) < doi_rate
    age = max(2026 - chunk.year, 1)
    cites = rng.negative_binomial(1, 1 / (1 + 2.5 * age), size=n)
    source_oa = world.sources.frame["is_oa"].to_numpy()[np.maximum(source, 0)] & (source >= 0)
    is_oa = source_oa | (rng.random(n) < 0.3)
    adjective = np.array(TITLE_ADJECTIVES)[rng.integers(0, len(TITLE_ADJECTIVES), size=n)]
    noun = np.array(TITLE_NOUNS)[rng.integers(0, len(TITLE_NOUNS), size=n)]
    topic = np.array(TITLE_NOUNS)[rng.integers(0, len(TITLE_NOUNS), size=n)]
    field = np.array(FIELDS)[rng.integers(0, len(FIELDS), size=n)]
    volume = rng.integers(1, 80, size=n)
    first_page = rng.integers(1, 3000, size=n)
    # Leiden's universe reads these (issue 12): some works list no reference
    # (editorials, old records), a few are XPAC (OpenAlex's expansion pack).
    leiden = rng_for(world.seed, "leiden", chunk.year, int(chunk.works["number"][0]), 1)
    references = np.where(leiden.random(n) < 0.06, 0, leiden.negative_binomial(2, 0.06, size=n))
    is_xpac = leiden.random(n) < 0.02
    return works.with_columns(
        year=pl.lit(chunk.year, pl.Int32),
        type=pl.Series(type_name),
        crossref=pl.Series(crossref),
        is_paratext=pl.Series(type_name == "paratext"),
        source=pl.Series(source),
        language=pl.Series(language),
        date=pl.Series(date),
        doi=pl.when(pl.Series(has_doi)).then(
            pl.format("https://doi.org/10.5555/copub.sample.{}", pl.col("number"))
        ),
        title=pl.format(
            "{} {} of {} in {}",
            pl.Series(adjective),
            pl.Series(noun),
            pl.Series(topic),
            pl.Series(field),
        ),
        cited_by_count=pl.Series(cites),
        is_oa=pl.Series(is_oa),
        volume=pl.Series(volume),
        first_page=pl.Series(first_page),
        grants=_grants(world, rng, chunk.year, works),
        n_references=pl.Series(references, dtype=pl.Int64),
        is_xpac=pl.Series(is_xpac),
    )
