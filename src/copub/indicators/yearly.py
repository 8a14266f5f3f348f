"""The yearly figures: every share per year (or window) in both counting methods.

Both tables take ``(tables or labelled works, definitions)``. The old keyword
arguments (``institution=``, ``years=``, ``preset=``, …) still work for
notebooks: they are routed through :class:`~copub.classify.definitions.Definitions`,
so they are validated by the same rules.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import polars as pl

from copub.classify import PartnerGroups, Register
from copub.classify.definitions import Definitions, PresetName, resolve_definitions
from copub.classify.matching import Membership
from copub.indicators.catalogue import indicator_specs
from copub.indicators.labels import LabelledWorks, label_works
from copub.indicators.scan import TableScan
from copub.indicators.schemas import check_table, window_schema, yearly_schema
from copub.indicators.shares import compute_shares
from copub.indicators.universe import TypesChoice
from copub.normalize import Tables

__all__ = [
    "indicator_specs",
    "labelled",
    "resolve_definitions",
    "window_indicators",
    "yearly_indicators",
]

PathLike = str | os.PathLike[str]


def labelled(
    source: Tables | TableScan | LabelledWorks, definitions: Definitions | None, **legacy: Any
) -> LabelledWorks:
    """The labelled works for ``source``, reused when they can (:meth:`LabelledWorks.serving`)."""
    if isinstance(source, LabelledWorks):
        chosen = resolve_definitions(definitions or source.definitions, **legacy)
        served = source.serving(chosen)
        return served if served is not None else label_works(source.source, chosen)
    return label_works(source, resolve_definitions(definitions, **legacy))


def _as_of(tables: Tables | TableScan, as_of: dt.date | None) -> dt.date:
    if as_of is not None:
        return as_of
    try:
        return dt.datetime.fromisoformat(tables.provenance.created).date()
    except ValueError:
        return dt.date.today()


def _coverage(per_work: pl.DataFrame, by: str) -> pl.DataFrame:
    authorships = pl.col("n_authorships").sum().cast(pl.Float64)
    return per_work.group_by(by).agg(
        authorship_no_country_rate=pl.col("n_authorships_no_country").sum() / authorships,
        affiliation_fallback_rate=pl.col("n_authorships_fallback").sum() / authorships,
    )


_LEAD = (
    "works",
    "works_frac",
    "partial",
    "authorship_no_country_rate",
    "affiliation_fallback_rate",
)


def yearly_indicators(
    tables: Tables | TableScan | LabelledWorks,
    definitions: Definitions | None = None,
    *,
    institution: str | None = None,
    years: tuple[int, int] | None = None,
    register: Register | PathLike | None = None,
    groups: PartnerGroups | PathLike | None = None,
    types: TypesChoice | None = None,
    membership: Membership | None = None,
    merge_hk_mo: bool | None = None,
    preset: PresetName | None = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    as_of: dt.date | None = None,
) -> pl.DataFrame:
    """The yearly figures: one row per year, every share in both counting methods.

    Parameters
    ----------
    tables : Tables, TableScan or LabelledWorks
        A :class:`~copub.indicators.scan.TableScan` (:func:`copub.scan_tables`)
        is labelled in passes with the streaming engine, for data larger than
        memory: the figures are the same as from the tables in memory.
    definitions : Definitions, optional
        Every definition (default: NTNU, Leiden). The keyword arguments
        below override its fields, for notebook users; each is checked by
        :class:`~copub.classify.definitions.Definitions`.
    institution, years, register, groups, membership, merge_hk_mo, preset, bootstrap, seed
        As the :class:`~copub.classify.definitions.Definitions` fields.
    types : "core", "all" or list of str, optional
        The old universe argument: ``"core"`` is articles, reviews and book
        chapters, not retracted, not paratext (the ``types`` universe).
    as_of : date, optional
        Years from this date's year on are flagged ``partial``; default the
        date the tables were built.

    Returns
    -------
    pl.DataFrame
        :data:`~copub.indicators.schemas.YEARLY_LEAD` (``year, works,
        works_frac, partial, authorship_no_country_rate,
        affiliation_fallback_rate``) and, for every share, the columns of
        :data:`~copub.indicators.schemas.SHARE_COLUMNS`.

    Examples
    --------
    >>> import copub
    >>> yearly = copub.yearly_indicators(copub.load_sample(scale=0.01), bootstrap=0)
    >>> bool(((yearly["intl_share"] >= 0) & (yearly["intl_share"] <= 1)).all())
    True
    """
    works = labelled(
        tables,
        definitions,
        institution=institution,
        years=years,
        register=register,
        groups=groups,
        types=types,
        membership=membership,
        merge_hk_mo=merge_hk_mo,
        preset=preset,
        bootstrap=bootstrap,
        seed=seed,
    )
    chosen = works.definitions
    specs = indicator_specs(chosen)
    shares = compute_shares(
        works.works,
        specs,
        by="year",
        bootstrap=chosen.bootstrap,
        seed=chosen.seed,
        full_interval=chosen.full_interval,
    )
    cutoff = _as_of(works.source, as_of).year
    table = (
        shares.join(_coverage(works.works, "year"), on="year", how="left")
        .with_columns(partial=pl.col("year") >= cutoff)
        .select("year", *_LEAD, pl.exclude("year", *_LEAD))
        .sort("year")
    )
    return check_table(table, yearly_schema(specs), "yearly table")


def window_indicators(
    tables: Tables | TableScan | LabelledWorks,
    definitions: Definitions | None = None,
    *,
    size: int | None = None,
    institution: str | None = None,
    years: tuple[int, int] | None = None,
    register: Register | PathLike | None = None,
    groups: PartnerGroups | PathLike | None = None,
    types: TypesChoice | None = None,
    membership: Membership | None = None,
    merge_hk_mo: bool | None = None,
    preset: PresetName | None = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    as_of: dt.date | None = None,
) -> pl.DataFrame:
    """Rolling windows of ``definitions.period_window`` years (4, as in Leiden), stepping by one.

    As in the Leiden Ranking, the windows cover the requested years
    (``definitions.years``; without it, the first to the last year with
    works): every window that lies inside them is reported, one per start
    year, including windows with no works (``works`` 0, shares null).

    Same columns as :func:`yearly_indicators`, with ``period`` (``"2018-2021"``),
    ``first_year`` and ``last_year`` instead of ``year``; ``partial`` holds
    when the window reaches an incomplete year. ``size`` overrides
    ``definitions.period_window``.
    """
    works = labelled(
        tables,
        definitions,
        window=size,
        institution=institution,
        years=years,
        register=register,
        groups=groups,
        types=types,
        membership=membership,
        merge_hk_mo=merge_hk_mo,
        preset=preset,
        bootstrap=bootstrap,
        seed=seed,
    )
    chosen = works.definitions
    # The list of countries is no share's input: not replicated into every window.
    per_work = works.works.drop("countries", strict=False)
    if chosen.years is not None:
        first, last = chosen.years
    elif per_work.is_empty():
        first, last = 0, -1
    else:
        first, last = int(per_work["year"].min()), int(per_work["year"].max())  # type: ignore[arg-type]
    size = chosen.period_window
    starts = pl.DataFrame(
        {"first_year": list(range(first, last - size + 2))}, schema={"first_year": pl.Int32}
    )
    windows = starts.with_columns(last_year=pl.col("first_year") + size - 1).with_columns(
        period=pl.format("{}-{}", "first_year", "last_year")
    )
    replicated = per_work.join(windows, how="cross").filter(
        pl.col("year").is_between(pl.col("first_year"), pl.col("last_year"))
    )
    specs = indicator_specs(chosen)
    shares = compute_shares(
        replicated,
        specs,
        by="period",
        bootstrap=chosen.bootstrap,
        seed=chosen.seed,
        full_interval=chosen.full_interval,
    )
    cutoff = _as_of(works.source, as_of).year
    lead = ("period", "first_year", "last_year", *_LEAD)
    table = (
        windows.join(shares, on="period", how="left")
        .join(_coverage(replicated, "period"), on="period", how="left")
        .with_columns(
            partial=pl.col("last_year") >= cutoff,
            works=pl.col("works").fill_null(0),
            works_frac=pl.col("works_frac").fill_null(0.0),
        )
        .select(*lead, pl.exclude(*lead))
        .sort("first_year")
    )
    return check_table(table, window_schema(specs), "window table")
