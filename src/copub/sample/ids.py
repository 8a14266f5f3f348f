"""Synthetic OpenAlex-style ids and the random streams of the generator.

Synthetic ids are a letter, ``9`` and 11 digits (``W9…``, 12 digits in all):
longer than any real OpenAlex id today, so they never collide with one.
Every part of the world draws from its own stream, keyed by the seed, so one
part can be rebuilt alone (the channel register without the works).
"""

from __future__ import annotations

from typing import Final

import numpy as np

__all__ = ["OPENALEX", "STREAMS", "rng_for", "synthetic_id"]

OPENALEX: Final = "https://openalex.org/"

#: Stream numbers; changing one changes that part of every world.
STREAMS: Final = {
    "institutions": 1,
    "authors": 2,
    "sources": 3,
    "register": 4,
    "funders": 5,
    "works": 6,
    "fat": 7,
    "leiden": 12,  # issue 12: references and XPAC flags
    "peers": 14,  # issue 14: the N5T peers' own works
}


def synthetic_id(prefix: str, number: int) -> str:
    """``prefix`` + ``9`` + the number in 11 digits.

    Examples
    --------
    >>> synthetic_id("W", 42)
    'W900000000042'
    """
    return f"{prefix}9{number:011d}"


def rng_for(seed: int, stream: str, *extra: int) -> np.random.Generator:
    """The generator of one part of the world (and, optionally, one year or chunk)."""
    return np.random.default_rng([seed, STREAMS[stream], *extra])
