"""ISSNs with a correct check digit (ISO 3297), made in bulk.

The check digit is computed here for whole arrays at once; the one-at-a-time
rule and validation live in :mod:`copub.classify.issn`, which the tests use to
check these.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["random_issns"]

_WEIGHTS = np.arange(8, 1, -1)


def random_issns(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct random ISSNs in ``NNNN-NNNC`` form, each with a valid check digit."""
    numbers = rng.choice(10_000_000, size=n, replace=False)
    digits = (numbers[:, None] // 10 ** np.arange(6, -1, -1)) % 10
    checks: npt.NDArray[np.int64] = (11 - (digits * _WEIGHTS).sum(axis=1) % 11) % 11
    out = []
    for number, check in zip(numbers.tolist(), checks.tolist(), strict=True):
        body = f"{number:07d}"
        out.append(f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}")
    return out
