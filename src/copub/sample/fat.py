"""The heavy fields of real OpenAlex records, for benchmarks that need realistic bytes.

Abstracts (as an inverted index), concepts, topics, keywords, references,
related works, a second location and the smaller bookkeeping fields. Fields
the base record already carries (``fwci``, ``citation_normalized_percentile``,
``counts_by_year``, ``primary_topic``, ``referenced_works_count``) are left out:
a key twice in one object is not valid OpenAlex, and DuckDB refuses it.
They come from pools drawn once per world and are picked per work, so the
bytes are realistic (about 16 KB a work, like the real pages in
``../shared/data/openalex``) while generating stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import orjson
import polars as pl

from copub.sample.ids import OPENALEX, rng_for, synthetic_id
from copub.sample.names import FIELDS, TITLE_ADJECTIVES, TITLE_NOUNS

__all__ = ["FatPools", "build_fat_pools", "fat_columns"]

_POOL = 128
# fmt: off
_COMMON: Final = (
    "the", "of", "and", "in", "to", "a", "for", "with", "on", "we", "is", "are", "by", "from",
    "that", "as", "this", "results", "data", "model", "method", "based", "using", "our", "these",
    "which", "at", "between", "be", "study", "show", "can", "both", "two", "than", "new", "used",
    "analysis", "approach", "effect", "high", "low", "performance", "proposed", "system",
    "systems", "different", "during", "under", "when",
)
# fmt: on
_DOMAINS: Final = ("Physical Sciences", "Life Sciences", "Health Sciences", "Social Sciences")


@dataclass(frozen=True)
class FatPools:
    """JSON fragments that works pick from; ``rest`` holds every fat field but locations."""

    rest: pl.Series
    repository_location: str


def _abstract(rng: np.random.Generator, vocabulary: list[str], length: int) -> dict[str, list[int]]:
    common = rng.random(length) < 0.45
    words = np.where(
        common,
        np.array(_COMMON)[rng.integers(0, len(_COMMON), length)],
        np.array(vocabulary)[rng.integers(0, len(vocabulary), length)],
    )
    index: dict[str, list[int]] = {}
    for position, word in enumerate(words.tolist()):
        index.setdefault(word, []).append(position)
    return index


def _topic(rng: np.random.Generator, number: int) -> dict[str, object]:
    field = int(rng.integers(0, len(FIELDS)))
    return {
        "id": OPENALEX + f"T9{number:05d}",
        "display_name": f"{FIELDS[field]} and {TITLE_NOUNS[number % len(TITLE_NOUNS)]}",
        "score": round(float(rng.random()), 4),
        "subfield": {"id": OPENALEX + f"subfields/9{field:03d}", "display_name": FIELDS[field]},
        "field": {"id": OPENALEX + f"fields/9{field % 7}", "display_name": FIELDS[field % 7]},
        "domain": {
            "id": OPENALEX + f"domains/{field % 4 + 1}",
            "display_name": _DOMAINS[field % 4],
        },
    }


def _entry(rng: np.random.Generator, vocabulary: list[str]) -> bytes:
    n_concepts = int(rng.integers(8, 16))
    concepts = [
        {
            "id": OPENALEX + synthetic_id("C", int(rng.integers(1, 60_000))),
            "wikidata": f"https://www.wikidata.org/wiki/Q{int(rng.integers(1000, 10**8))}",
            "display_name": str(rng.choice(vocabulary)).capitalize(),
            "level": int(rng.integers(0, 4)),
            "score": round(float(rng.random()), 6),
        }
        for _ in range(n_concepts)
    ]
    topics = [_topic(rng, int(rng.integers(1, 4000))) for _ in range(3)]
    keywords = [
        {
            "id": f"{OPENALEX}keywords/{word.lower()}-{noun}",
            "display_name": f"{word} {noun}",
            "score": round(float(rng.random()), 6),
        }
        for word, noun in zip(
            rng.choice(TITLE_ADJECTIVES, 5).tolist(),
            rng.choice(TITLE_NOUNS, 5).tolist(),
            strict=True,
        )
    ]
    n_refs = int(rng.integers(15, 55))
    references = [OPENALEX + synthetic_id("W", int(x)) for x in rng.integers(1, 10**9, n_refs)]
    related = [OPENALEX + synthetic_id("W", int(x)) for x in rng.integers(1, 10**9, 10)]
    fields = {
        "relevance_score": round(float(rng.random()), 8),
        "indexed_in": ["crossref"],
        "institution_assertions": [],
        "apc_list": {"value": 2500, "currency": "USD", "value_usd": 2500, "provenance": "doaj"},
        "apc_paid": None,
        "has_fulltext": bool(rng.random() < 0.5),
        "cited_by_percentile_year": {"min": 40, "max": 45},
        "topics": topics,
        "keywords": keywords,
        "concepts": concepts,
        "mesh": [],
        "sustainable_development_goals": [
            {
                "display_name": "Affordable and clean energy",
                "score": 0.5,
                "id": "https://metadata.un.org/sdg/7",
            }
        ],
        "datasets": [],
        "versions": [],
        "referenced_works": references,
        "related_works": related,
        "abstract_inverted_index": _abstract(rng, vocabulary, int(rng.integers(140, 260))),
    }
    return orjson.dumps(fields)


def build_fat_pools(seed: int) -> FatPools:
    """Draw the pools of one world."""
    rng = rng_for(seed, "fat")
    vocabulary = [f"{a.lower()}{b}" for a in TITLE_ADJECTIVES for b in ("", "ly", "ness")]
    vocabulary += [n + s for n in TITLE_NOUNS for s in ("", "s")] + [
        f.split()[0].lower() for f in FIELDS
    ]
    # Each entry is a JSON object; drop its braces and lead with a comma to append it to a work.
    rest = [b"," + _entry(rng, vocabulary)[1:-1] for _ in range(_POOL)]
    repository = orjson.dumps(
        {
            "is_oa": True,
            "landing_page_url": "https://repository.example.org/handle/11250/1",
            "pdf_url": "https://repository.example.org/bitstream/11250/1/fulltext.pdf",
            "source": {
                "id": OPENALEX + synthetic_id("S", 999_999),
                "display_name": "Sample Institutional Repository",
                "issn_l": None,
                "issn": None,
                "is_oa": True,
                "is_in_doaj": False,
                "host_organization": None,
                "host_organization_name": None,
                "type": "repository",
            },
            "license": "cc-by",
            "license_id": "https://openalex.org/licenses/cc-by",
            "version": "acceptedVersion",
            "is_accepted": True,
            "is_published": False,
        }
    ).decode()
    return FatPools(pl.Series("rest", [r.decode() for r in rest]), repository)


def fat_columns(pools: FatPools, seed: int, year: int, first_number: int, n: int) -> pl.Series:
    """Per work, the pool entry it carries (a JSON fragment starting with a comma)."""
    rng = rng_for(seed, "fat", year, first_number)
    return pools.rest.gather(pl.Series(rng.integers(0, pools.rest.len(), n)))
