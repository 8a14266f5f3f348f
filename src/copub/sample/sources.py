"""Publication channels: journals and book series with valid ISSNs, platforms and repositories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import orjson
import polars as pl

from copub.sample.ids import OPENALEX, rng_for, synthetic_id
from copub.sample.issn import random_issns
from copub.sample.names import FIELDS, JOURNAL_PATTERNS, PUBLISHERS

__all__ = ["KINDS", "Sources", "build_sources"]

#: Source kinds, in the order of their blocks in :attr:`Sources.frame`.
KINDS: Final = ("journal", "book series", "ebook platform", "repository")
#: Level a channel starts with: 2, 1, 0 or -1 (never in the register).
_LEVELS = np.array([2, 1, 0, -1])
_LEVEL_P = {"journal": (0.17, 0.74, 0.05, 0.04), "book series": (0.1, 0.6, 0.1, 0.2)}
_PLATFORMS = ("Sample eBook Collection", "Northern Books Online", "Scholarly Monographs Platform")
_REPOSITORIES = (
    "Sample Preprint Archive",
    "Sample Institutional Repository",
    "Sample Data Archive",
)
#: International works favour level-2 journals this much.
LEVEL2_PULL = 1.5


@dataclass(frozen=True)
class Sources:
    """Sources in blocks by kind; row number = source index.

    Attributes
    ----------
    frame : pl.DataFrame
        ``source_id, name, kind, issn_print, issn_online, issn_l, publisher,
        level`` (the starting register level, -1 when never listed),
        ``weight`` and ``frag`` (the OpenAlex source object as JSON).
    start, count : ndarray
        First row and number of sources of each kind in :data:`KINDS`.
    """

    frame: pl.DataFrame
    start: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]

    def pick(
        self, kind: str, rng: np.random.Generator, n: int, *, level2_pull: float = 1.0
    ) -> npt.NDArray[np.int64]:
        """``n`` sources of one kind, by popularity (level 2 weighted by ``level2_pull``)."""
        k = KINDS.index(kind)
        lo, size = int(self.start[k]), int(self.count[k])
        block = self.frame.slice(lo, size)
        weight = block["weight"].to_numpy() * np.where(
            block["level"].to_numpy() == 2, level2_pull, 1.0
        )
        cum = np.cumsum(weight)
        picked = np.searchsorted(cum, rng.random(n) * cum[-1], side="right")
        return np.asarray(lo + np.minimum(picked, size - 1), dtype=np.int64)


def _issns(
    rng: np.random.Generator, kind: str, pool: list[str]
) -> tuple[list[str | None], list[str | None]]:
    n = len(pool) // 2
    prints: list[str | None] = list(pool[:n])
    onlines: list[str | None] = list(pool[n:])
    u = rng.random(n)
    if kind == "journal":
        # Most journals have both; some only one of the two.
        for i in np.flatnonzero(u < 0.2).tolist():
            prints[i] = None
        for i in np.flatnonzero((u >= 0.2) & (u < 0.3)).tolist():
            onlines[i] = None
    else:
        onlines = [None] * n
        for i in np.flatnonzero(u < 0.3).tolist():
            prints[i] = None
    return prints, onlines


def _block(
    rng: np.random.Generator, kind: str, names: list[str], first: int, issn_pool: list[str]
) -> list[dict[str, object]]:
    n = len(names)
    if kind in _LEVEL_P:
        prints, onlines = _issns(rng, kind, issn_pool)
        levels = rng.choice(_LEVELS, size=n, p=_LEVEL_P[kind]).tolist()
    else:
        prints, onlines, levels = [None] * n, [None] * n, [-1] * n
    rank = rng.permutation(n)
    # Flat enough that the biggest journal carries under 1% of the works.
    weights = ((rank + 20.0) ** -0.9).tolist()
    publishers = rng.integers(0, len(PUBLISHERS), size=n).tolist()
    open_access = (rng.random(n) < 0.25).tolist()
    rows = []
    for i, name in enumerate(names):
        issns = [x for x in (prints[i], onlines[i]) if x]
        level = levels[i] if issns else -1
        source_id = synthetic_id("S", first + i)
        publisher = PUBLISHERS[publishers[i]] if kind != "repository" else None
        is_oa = bool(open_access[i]) or kind == "repository"
        # CWTS's core-source flag: most registered journals, fewer others, no
        # repository (derived from the rank, so no random draw shifts the world).
        is_core = kind != "repository" and (
            int(rank[i]) % 10 != 3 if kind == "journal" and level >= 1 else int(rank[i]) % 3 == 0
        )
        frag = {
            "id": OPENALEX + source_id,
            "display_name": name,
            "issn_l": issns[0] if issns else None,
            "issn": issns or None,
            "is_oa": is_oa,
            "is_in_doaj": bool(open_access[i]) and kind == "journal",
            "host_organization": OPENALEX + synthetic_id("P", publishers[i]) if publisher else None,
            "host_organization_name": publisher,
            "type": kind,
            "is_core": is_core,
        }
        rows.append(
            {
                "source_id": source_id,
                "name": name,
                "kind": kind,
                "issn_print": prints[i],
                "issn_online": onlines[i],
                "issn_l": issns[0] if issns else None,
                "publisher": publisher,
                "level": level,
                "weight": weights[i],
                "is_oa": is_oa,
                "frag": orjson.dumps(frag).decode(),
            }
        )
    return rows


def _journal_names(n: int, rng: np.random.Generator) -> list[str]:
    names = []
    for i in range(n):
        pattern = JOURNAL_PATTERNS[i % len(JOURNAL_PATTERNS)]
        field = FIELDS[(i // len(JOURNAL_PATTERNS)) % len(FIELDS)]
        series = i // (len(JOURNAL_PATTERNS) * len(FIELDS))
        suffix = f" {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[series % 26]}" if series else ""
        names.append(
            pattern.format(field=field) + suffix + (f" {series // 26}" if series >= 26 else "")
        )
    order = rng.permutation(n)
    return [names[i] for i in order.tolist()]


def build_sources(seed: int, scale: float) -> Sources:
    """Journals and book series (both with ISSNs), ebook platforms and repositories."""
    rng = rng_for(seed, "sources")
    n_journals = max(60, round(3500 * scale**0.6))
    n_series = max(8, round(250 * scale**0.6))
    blocks = {
        "journal": _journal_names(n_journals, rng),
        "book series": [
            f"Lecture Notes in {FIELDS[i % len(FIELDS)]} {i // len(FIELDS) + 1}"
            for i in range(n_series)
        ],
        "ebook platform": list(_PLATFORMS),
        "repository": list(_REPOSITORIES),
    }
    # One draw for all ISSNs, so no two channels share one.
    issn_pool = random_issns(rng, 2 * (n_journals + n_series))
    rows: list[dict[str, object]] = []
    for kind in KINDS:
        n = len(blocks[kind])
        taken, issn_pool = issn_pool[: 2 * n], issn_pool[2 * n :]
        rows.extend(_block(rng, kind, blocks[kind], len(rows) + 1, taken))
    frame = pl.DataFrame(rows)
    count = np.array([len(blocks[k]) for k in KINDS], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    return Sources(frame, start, count)
