"""The declared schema of the partner table, checked at its boundary.

The partner table has fixed leading and trailing columns and, between them,
one ``works_YYYY`` column (Int64) per counted year; :func:`partner_schema`
spells the whole schema out. Tests import these instead of copying columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import polars as pl

__all__ = ["PARTNERS_LEAD", "PARTNERS_TRAIL", "partner_schema"]

#: Columns before the per-year counts.
PARTNERS_LEAD: Final = pl.Schema(
    {
        "rank": pl.Int64(),
        "partner_id": pl.String(),
        "label": pl.String(),
        "country": pl.String(),
        "type": pl.String(),
        "groups": pl.List(pl.String()),
        "is_priority": pl.Boolean(),
        "is_lmic": pl.Boolean(),
        "is_devpartner": pl.Boolean(),
        "is_alliance": pl.Boolean(),
        "is_infrastructure": pl.Boolean(),
        "works": pl.Int64(),
        "works_frac": pl.Float64(),
        "share": pl.Float64(),
        "share_frac": pl.Float64(),
    }
)

#: Columns after the per-year counts.
PARTNERS_TRAIL: Final = pl.Schema(
    {
        "baseline_works": pl.Int64(),
        "baseline_share": pl.Float64(),
        "plan_works": pl.Int64(),
        "plan_share": pl.Float64(),
        "share_change": pl.Float64(),
        "p_value": pl.Float64(),
        "note": pl.String(),
    }
)


def partner_schema(years: Iterable[int]) -> pl.Schema:
    """The partner table's schema for these counted years.

    Examples
    --------
    >>> [c for c in partner_schema([2020, 2021]) if c.startswith("works_")][:2]
    ['works_frac', 'works_2020']
    """
    return pl.Schema(
        {**PARTNERS_LEAD, **{f"works_{y}": pl.Int64() for y in years}, **PARTNERS_TRAIL}
    )
