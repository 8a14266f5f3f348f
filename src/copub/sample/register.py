"""A synthetic Norwegian channel register that matches the synthetic sources.

Tidy: one row per ISSN (print and electronic) and year with the level
(0, 1 or 2) in that year. Levels move over the years (a channel is raised to
level 2, or falls back), some channels enter the register late or leave it,
and a few channels are never in it, so "not in register" happens too.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from copub.sample.ids import rng_for
from copub.sample.sources import Sources

__all__ = ["REGISTER_SCHEMA", "register_frame"]

REGISTER_SCHEMA = pl.Schema({"issn": pl.String, "year": pl.Int32, "level": pl.Int8})
#: Yearly moves: from level 2 down, from 1 up or down, from 0 up.
_DOWN_FROM_2 = 0.05
#: About as many channels rise to level 2 as fall from it: level 2 stays ~20%.
_UP_FROM_1 = 0.012
_DOWN_FROM_1 = 0.01
_UP_FROM_0 = 0.05
_LATE_ENTRY = 0.08
_LEAVES = 0.04


def register_frame(sources: Sources, seed: int, years: tuple[int, int]) -> pl.DataFrame:
    """Levels by ISSN and year for every listed channel, sorted by ISSN and year.

    Examples
    --------
    >>> from copub.sample.sources import build_sources
    >>> register = register_frame(build_sources(0, 0.01), 0, (2012, 2025))
    >>> sorted(register["level"].unique().to_list())
    [0, 1, 2]
    """
    rng = rng_for(seed, "register")
    listed = sources.frame.filter(pl.col("level") >= 0)
    n, n_years = listed.height, years[1] - years[0] + 1
    levels = np.empty((n, n_years), dtype=np.int8)
    current = listed["level"].to_numpy().astype(np.int8)
    for j in range(n_years):
        levels[:, j] = current
        u = rng.random(n)
        down2 = (current == 2) & (u < _DOWN_FROM_2)
        up1 = (current == 1) & (u < _UP_FROM_1)
        down1 = (current == 1) & (u >= _UP_FROM_1) & (u < _UP_FROM_1 + _DOWN_FROM_1)
        up0 = (current == 0) & (u < _UP_FROM_0)
        current = current + up1 + up0 - down2 - down1
    first = np.where(rng.random(n) < _LATE_ENTRY, rng.integers(1, n_years, size=n), 0)
    last = np.where(rng.random(n) < _LEAVES, rng.integers(first, n_years, size=n), n_years - 1)
    year_index = np.arange(n_years)
    present = (year_index >= first[:, None]) & (year_index <= last[:, None])
    rows = np.nonzero(present)
    by_channel = pl.DataFrame(
        {
            "channel": rows[0].astype(np.int64),
            "year": (years[0] + rows[1]).astype(np.int32),
            "level": levels[rows].astype(np.int8),
        }
    )
    issns = (
        listed.select(issn=pl.concat_list("issn_print", "issn_online").list.drop_nulls())
        .with_row_index("channel")
        .with_columns(pl.col("channel").cast(pl.Int64))
        .explode("issn")
    )
    return (
        by_channel.join(issns, on="channel")
        .select("issn", "year", "level")
        .sort("issn", "year")
        .cast(REGISTER_SCHEMA)
    )
