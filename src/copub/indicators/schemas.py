"""Declared output schemas of the indicator tables, checked at the boundary.

The yearly and window tables have fixed leading columns and then, for every
share of the catalogue, the ten columns of :data:`SHARE_COLUMNS`;
:func:`yearly_schema` and :func:`window_schema` spell the whole schema out for
a list of specs. The comparison table's schema is fixed. Tests import these
instead of copying column lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from copub.errors import DataError
from copub.indicators.definitions import ShareSpec, share_column

__all__ = [
    "COMPARISON",
    "SHARE_COLUMNS",
    "WINDOW_LEAD",
    "YEARLY_LEAD",
    "check_table",
    "share_schema",
    "window_schema",
    "yearly_schema",
]

#: The columns every yearly table starts with.
YEARLY_LEAD: Final = pl.Schema(
    {
        "year": pl.Int32(),
        "works": pl.Int64(),
        "works_frac": pl.Float64(),
        "partial": pl.Boolean(),
        "authorship_no_country_rate": pl.Float64(),
        "affiliation_fallback_rate": pl.Float64(),
        "joint_unit_works": pl.Int64(),
        "register_partial": pl.Boolean(),
    }
)

#: The columns every window table starts with.
WINDOW_LEAD: Final = pl.Schema(
    {
        "period": pl.String(),
        "first_year": pl.Int32(),
        "last_year": pl.Int32(),
        **{k: v for k, v in YEARLY_LEAD.items() if k != "year"},
    }
)

#: The columns of one share, by template: ``{x}`` is the stem, ``{share}``
#: its share column (``intl_share``, ``priority_share_BR``).
SHARE_COLUMNS: Final = pl.Schema(
    {
        "{x}_works": pl.Int64(),
        "{x}_base": pl.Int64(),
        "{share}": pl.Float64(),
        "{share}_low": pl.Float64(),
        "{share}_high": pl.Float64(),
        "{x}_works_frac": pl.Float64(),
        "{x}_base_frac": pl.Float64(),
        "{share}_frac": pl.Float64(),
        "{share}_frac_low": pl.Float64(),
        "{share}_frac_high": pl.Float64(),
    }
)

#: The period comparison (:func:`copub.compare_periods`).
COMPARISON: Final = pl.Schema(
    {
        "indicator": pl.String(),
        "baseline_share": pl.Float64(),
        "plan_share": pl.Float64(),
        "difference": pl.Float64(),
        "difference_low": pl.Float64(),
        "difference_high": pl.Float64(),
        "p_value": pl.Float64(),
        "p_value_adjusted": pl.Float64(),
        "adjustment": pl.String(),
        "significant": pl.Boolean(),
        "baseline_share_frac": pl.Float64(),
        "plan_share_frac": pl.Float64(),
        "difference_frac": pl.Float64(),
        "trend_z": pl.Float64(),
        "trend_p": pl.Float64(),
        "trend_p_adjusted": pl.Float64(),
        "trend_direction": pl.String(),
        "plan_partial": pl.Boolean(),
        "baseline_works": pl.Float64(),
        "plan_works": pl.Float64(),
    }
)


def share_schema(name: str) -> pl.Schema:
    """The ten columns of share stem ``name``.

    Examples
    --------
    >>> list(share_schema("priority_BR"))[:3]
    ['priority_BR_works', 'priority_BR_base', 'priority_share_BR']
    """
    share = share_column(name)
    return pl.Schema({k.format(x=name, share=share): v for k, v in SHARE_COLUMNS.items()})


def yearly_schema(specs: Sequence[ShareSpec]) -> pl.Schema:
    """The full schema of a yearly table with these share specs."""
    out = dict(YEARLY_LEAD)
    for spec in specs:
        out |= share_schema(spec.name)
    return pl.Schema(out)


def window_schema(specs: Sequence[ShareSpec]) -> pl.Schema:
    """The full schema of a window table with these share specs."""
    out = dict(WINDOW_LEAD)
    for spec in specs:
        out |= share_schema(spec.name)
    return pl.Schema(out)


def check_table(table: pl.DataFrame, schema: pl.Schema, what: str) -> pl.DataFrame:
    """Return ``table`` if it has exactly ``schema`` (names, order, dtypes), else raise.

    Raises
    ------
    DataError
        Naming the first column that differs: a bug, never the user's input.

    Examples
    --------
    >>> check_table(pl.DataFrame({"a": [1]}), pl.Schema({"a": pl.Int64()}), "t").height
    1
    """
    if table.schema == schema:
        return table
    for (name, dtype), (want, want_dtype) in zip(
        table.schema.items(), schema.items(), strict=False
    ):
        if name != want or dtype != want_dtype:
            raise DataError(f"{what}: column {name} ({dtype}) where {want} ({want_dtype}) belongs")
    raise DataError(f"{what}: {len(table.columns)} columns where the schema declares {len(schema)}")
