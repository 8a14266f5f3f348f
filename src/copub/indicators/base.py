"""The per-work frame that every share is computed from.

One row per work in the universe, with its year, the institution's
fractional weight and every Boolean label the shares read. Building it is the
only place where the classification stage meets the indicators.
"""

from __future__ import annotations

import polars as pl

from copub.classify import (
    PartnerGroups,
    Register,
    channel_levels,
    funding_flags,
    work_countries,
    work_group_flags,
)
from copub.classify.matching import Membership
from copub.indicators.counting import fractional_weights
from copub.indicators.universe import TypesChoice, institution_works
from copub.normalize import Tables

__all__ = ["per_work_frame"]


def per_work_frame(
    tables: Tables,
    *,
    institution: str,
    groups: PartnerGroups,
    years: tuple[int, int] | None = None,
    register: Register | None = None,
    types: TypesChoice = "core",
    membership: Membership = "current",
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """Label each work of the universe for the share computations.

    Returns
    -------
    pl.DataFrame
        ``work_id, year, weight, n_countries, is_international, country_missing,
        n_authorships, n_authorships_no_country``, one Boolean column per
        partner group (and ``priority_XX``), ``funded_ec, funded_erc,
        funded_msca``, and ``level, in_register`` (null without a register).
    """
    universe = institution_works(tables, institution, years=years, types=types)
    countries = work_countries(tables, institution=institution, merge_hk_mo=merge_hk_mo).drop(
        "countries", "unknown_codes"
    )
    flags = work_group_flags(
        tables, groups, institution=institution, membership=membership, merge_hk_mo=merge_hk_mo
    )
    frame = (
        universe.join(fractional_weights(tables, institution), on="work_id", how="left")
        .join(countries, on="work_id", how="left")
        .join(tables.works.select("work_id", n_authorships="n_authors"), on="work_id", how="left")
        .join(flags, on="work_id", how="left")
        .join(funding_flags(tables), on="work_id", how="left")
    )
    if register is not None:
        frame = frame.join(channel_levels(tables, register), on="work_id", how="left")
    else:
        frame = frame.with_columns(
            level=pl.lit(None, pl.Int8), in_register=pl.lit(None, pl.Boolean)
        )
    return frame.with_columns(pl.col("weight").fill_null(0.0)).sort("work_id")
