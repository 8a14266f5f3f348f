"""Author pools: each author belongs to one pool (country) and has a main institution."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import orjson
import polars as pl

from copub.sample.calibration import PartnerMix
from copub.sample.ids import rng_for
from copub.sample.institutions import Institutions
from copub.sample.names import FIRST_NAMES, LAST_NAMES

__all__ = ["Authors", "build_authors", "orcid_check_digit"]

_HOME_AUTHORS = 6000
_NATIONAL_AUTHORS = 2500
_PARTNER_AUTHORS = 60_000
_ORCID_SHARE = 0.55


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 11,2 check character of the first 15 ORCID digits.

    Examples
    --------
    >>> orcid_check_digit("000000021825009")
    '7'
    """
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


@dataclass(frozen=True)
class Authors:
    """The author pools.

    Attributes
    ----------
    pool, institution, name : ndarray
        Per author: pool, main institution (row in :class:`Institutions`) and
        index into ``name_frags``.
    start, count : ndarray
        First author and number of authors of each pool.
    name_frags : pl.Series
        Display names, JSON-encoded.
    orcid_frags : pl.Series
        Per author, ``null`` or a JSON-encoded ORCID URL.
    """

    pool: npt.NDArray[np.int64]
    institution: npt.NDArray[np.int64]
    name: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    name_frags: pl.Series
    orcid_frags: pl.Series

    def pick(
        self, pools: npt.NDArray[np.int64], u: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.int64]:
        """One author per entry of ``pools``; low indices are the prolific ones."""
        offset = (self.count[pools] * u**1.6).astype(np.int64)
        return self.start[pools] + np.minimum(offset, self.count[pools] - 1)


def _pool_sizes(mix: PartnerMix, scale: float) -> npt.NDArray[np.int64]:
    factor = scale**0.75
    weights = mix.shares.mean(axis=0)
    partners = np.maximum(4, np.round(_PARTNER_AUTHORS * factor * weights / weights.sum()))
    head = [max(40, round(_HOME_AUTHORS * factor)), max(20, round(_NATIONAL_AUTHORS * factor))]
    return np.concatenate([np.array(head, dtype=np.int64), partners.astype(np.int64)])


def build_authors(institutions: Institutions, mix: PartnerMix, seed: int, scale: float) -> Authors:
    """Authors for every pool, sized with ``scale``; each gets a weighted main institution."""
    rng = rng_for(seed, "authors")
    sizes = _pool_sizes(mix, scale)
    pool = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    institution = institutions.pick(pool, rng.random(pool.size))
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    name = rng.integers(0, len(names), size=pool.size)
    name_frags = pl.Series("name", [orjson.dumps(n).decode() for n in names], dtype=pl.String)
    has_orcid = rng.random(pool.size) < _ORCID_SHARE
    bodies = rng.integers(0, 10**11, size=pool.size)
    orcids: list[str | None] = []
    for present, body in zip(has_orcid.tolist(), bodies.tolist(), strict=True):
        if not present:
            orcids.append(None)
            continue
        digits = f"0000{body:011d}"
        full = digits + orcid_check_digit(digits)
        orcids.append(f'"https://orcid.org/{full[:4]}-{full[4:8]}-{full[8:12]}-{full[12:]}"')
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return Authors(
        pool,
        institution,
        name,
        start,
        sizes,
        name_frags,
        pl.Series("orcid", orcids, dtype=pl.String),
    )
