"""Citation impact by collaboration type: does international co-publication pay off?

Per year (or rolling window) and collaboration type, in both counting
methods: P(top 10%), PP(top 10%) and PP(top 1%) from OpenAlex's
``citation_normalized_percentile``; mean FWCI and the share with FWCI ≥ 1;
mean citations in a fixed window after publication; and beside every figure
its coverage, the share of works without the input (never counted as 0; a
zero FWCI whose citation window lies before ``counts_by_year`` begins, for a
work with citations it does not show, is such an unknown).
:func:`impact_difference` gives one type minus another (international minus
domestic by default) with a seeded bootstrap interval and a test.

Fractional counting weighs each work by the institution's fractional weight,
as every other copub share does: ``Σ weight · flag / Σ weight`` for shares and
``Σ weight · value / Σ weight`` for means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import polars as pl

from copub.classify import PartnerGroups, Register, load_groups
from copub.classify.definitions import Definitions
from copub.classify.matching import Membership
from copub.errors import UsageError
from copub.indicators.citation_window import (
    COUNTS_FROM,
    DEFAULT_WINDOW,
    window_is_open,
    windowed_citations,
)
from copub.indicators.impact_stats import aggregate_impact, impact_differences
from copub.indicators.impact_types import Collaboration, collaboration_types
from copub.indicators.labels import LabelledWorks
from copub.indicators.universe import TypesChoice
from copub.indicators.yearly import labelled
from copub.normalize import Tables

__all__ = [
    "IMPACT_DEFINITIONS",
    "IMPACT_LEIDEN_DIFFERENCE",
    "IMPACT_NOT_LEIDEN",
    "ImpactPeriods",
    "fwci_before_counts",
    "impact_collaborations",
    "impact_difference",
    "impact_indicators",
    "impact_per_work",
]

ImpactPeriods = Literal["year", "window", "all"]

#: The one-line name of the definitions, printed with every impact output.
IMPACT_DEFINITIONS = "OpenAlex field-normalised percentiles; self-citations included"

#: The difference from Leiden's, in a few words, for one-line outputs (CSV, figures).
IMPACT_NOT_LEIDEN = (
    "not the Leiden Ranking's (which uses its own micro-fields, excludes self-citations "
    "and counts ties at the threshold fractionally)"
)

#: How these figures differ from the Leiden Ranking's, printed beside them.
IMPACT_LEIDEN_DIFFERENCE = (
    "PP(top 10%) and PP(top 1%) use OpenAlex's citation_normalized_percentile flags "
    "(normalised by publication year, document type and the subfield of the primary "
    "topic, self-citations included); FWCI is OpenAlex's field-weighted citation impact. "
    "The Leiden Ranking instead normalises on its own ~4,000 micro-fields, excludes "
    "self-citations and counts works tied at the top-10% threshold fractionally, so these "
    "are not Leiden's PP(top 10%) or MNCS and should not be set beside them."
)

_PERIODS = ("year", "window", "all")


def fwci_before_counts(counts_from: int = COUNTS_FROM) -> pl.Expr:
    """``fwci``, with a zero read as unknown (null) where the citation data cannot test it.

    The works table already reads a zero as missing where ``counts_by_year``
    shows citations in the FWCI window (:mod:`copub.normalize.impact`). That
    test is blind where the window starts before ``counts_by_year`` does
    (:data:`~copub.indicators.citation_window.COUNTS_FROM`, 2012): a work of
    2008 or earlier lies wholly before it, one of 2009-2011 in part. There a
    zero is unknown when the work has citations that ``counts_by_year`` does
    not show (``cited_by_count`` above their sum): they fell before the data
    begins, perhaps in the window. A work never cited, or whose every citation
    is shown after its window, keeps its true zero.

    Examples
    --------
    >>> counts = pl.List(pl.Struct({"year": pl.Int32, "cited_by_count": pl.Int64}))
    >>> works = pl.DataFrame(
    ...     {"fwci": [0.0, 0.0, 0.0, 0.0, 1.2], "year": [2005, 2005, 2010, 2015, 2005],
    ...      "cited_by_count": [3, 0, 2, 4, 3],
    ...      "counts_by_year": [[], [], [{"year": 2020, "cited_by_count": 2}], [], []]},
    ...     schema_overrides={"year": pl.Int32, "counts_by_year": counts},
    ... )
    >>> works.select(fwci_before_counts())["fwci"].to_list()
    [None, 0.0, 0.0, 0.0, 1.2]
    """
    shown = (
        pl.col("counts_by_year")
        .list.eval(pl.element().struct.field("cited_by_count"))
        .list.sum()
        .fill_null(0)
    )
    hidden = pl.col("cited_by_count").fill_null(0) - shown
    unknown = (pl.col("fwci") == 0) & (pl.col("year") < counts_from) & (hidden > 0)
    return pl.when(unknown).then(None).otherwise(pl.col("fwci")).alias("fwci")


def impact_per_work(
    tables: Tables | LabelledWorks,
    definitions: Definitions | None = None,
    *,
    institution: str | None = None,
    groups: PartnerGroups | None = None,
    years: tuple[int, int] | None = None,
    register: Register | None = None,
    types: TypesChoice | None = None,
    membership: Membership | None = None,
    merge_hk_mo: bool | None = None,
    window: int = DEFAULT_WINDOW,
    counts_from: int = COUNTS_FROM,
) -> pl.DataFrame:
    """The labelled works (collaboration labels, weight) with each work's impact inputs.

    This is the only place the impact indicators meet the classification
    stage, through :func:`copub.label_works` and one :class:`Definitions`
    (the keyword arguments are the old ones, applied to it); everything else
    reads the frame it returns.

    Returns
    -------
    pl.DataFrame
        The columns of :attr:`LabelledWorks.works` plus ``fwci,
        citation_percentile, cites_window`` (null = unavailable) and the flags
        ``has_percentile, top10, top1, has_fwci, fwci_ge1, has_cites_window``
        with ``fwci_value, cites_value`` (0 where missing; every figure reads
        them only where its ``has_*`` flag holds). A zero FWCI whose window
        the citation data cannot see is null (:func:`fwci_before_counts`), so
        it counts in ``fwci_missing_share``.

    Examples
    --------
    >>> import copub
    >>> per_work = copub.impact_per_work(copub.load_sample(scale=0.01))
    >>> missing = per_work.filter(~pl.col("has_fwci"))
    >>> missing["fwci"].null_count() == missing.height  # never a 0 in disguise
    True
    """
    works = labelled(
        tables,
        definitions,
        institution=institution,
        groups=groups,
        years=years,
        register=register,
        types=types,
        membership=membership,
        merge_hk_mo=merge_hk_mo,
    )
    per_work, tables = works.works, works.tables
    impact = tables.works.select(
        "work_id",
        fwci_before_counts(counts_from),
        "citation_percentile",
        "is_top_10_percent",
        "is_top_1_percent",
    ).join(
        windowed_citations(
            tables.works.select("work_id", "year", "counts_by_year"),
            window=window,
            counts_from=counts_from,
        ),
        on="work_id",
    )
    has_percentile = (
        pl.col("is_top_10_percent").is_not_null() & pl.col("is_top_1_percent").is_not_null()
    )
    return (
        per_work.join(impact, on="work_id", how="left")
        .with_columns(
            has_percentile=has_percentile,
            top10=pl.col("is_top_10_percent").fill_null(False),
            top1=pl.col("is_top_1_percent").fill_null(False),
            has_fwci=pl.col("fwci").is_not_null(),
            fwci_ge1=(pl.col("fwci") >= 1).fill_null(False),
            fwci_value=pl.col("fwci").fill_null(0.0),
            has_cites_window=pl.col("cites_window").is_not_null(),
            cites_value=pl.col("cites_window").fill_null(0).cast(pl.Float64),
        )
        .drop("is_top_10_percent", "is_top_1_percent")
    )


def impact_collaborations(
    groups: PartnerGroups | None = None, *, register_available: bool = False
) -> list[Collaboration]:
    """The collaboration types the impact tables report (see ``impact_types``).

    Examples
    --------
    >>> [c.key for c in impact_collaborations()][:4]
    ['all', 'domestic', 'international', 'nordic']
    """
    return collaboration_types(
        groups if groups is not None else load_groups(), register_available=register_available
    )


def _as_of(tables: Tables, as_of: dt.date | None) -> dt.date:
    if as_of is not None:
        return as_of
    try:
        return dt.datetime.fromisoformat(tables.provenance.created).date()
    except ValueError:
        return dt.date.today()


def _periods(per_work: pl.DataFrame, periods: ImpactPeriods, size: int) -> pl.DataFrame:
    """Assign each work to its periods: ``_period, first_year, last_year`` (works repeat)."""
    if periods == "year":
        return per_work.with_columns(
            _period=pl.col("year").cast(pl.String),
            first_year=pl.col("year"),
            last_year=pl.col("year"),
        )
    if per_work.is_empty():
        first, last = 0, -1
    else:
        first, last = int(per_work["year"].min()), int(per_work["year"].max())  # type: ignore[arg-type]
    if periods == "all":
        spans = [(first, last)] if last >= first else []
    else:
        spans = [(start, start + size - 1) for start in range(first, last - size + 2)]
    windows = pl.DataFrame(
        {"first_year": [a for a, _ in spans], "last_year": [b for _, b in spans]},
        schema={"first_year": pl.Int32, "last_year": pl.Int32},
    ).with_columns(_period=pl.format("{}-{}", "first_year", "last_year"))
    return per_work.join(windows, how="cross").filter(
        pl.col("year").is_between(pl.col("first_year"), pl.col("last_year"))
    )


_Legacy = dict[str, object]


def _prepare(
    tables: Tables | LabelledWorks,
    definitions: Definitions | None,
    legacy: _Legacy,
    *,
    periods: ImpactPeriods,
    size: int,
    collaborations: Sequence[str] | None,
    window: int,
    counts_from: int,
    bootstrap: int | None,
    per_work: pl.DataFrame | None,
) -> tuple[pl.DataFrame, list[Collaboration], LabelledWorks, int]:
    """The framed works, the chosen types, the labelled works and the resamples to draw."""
    if periods not in _PERIODS:
        raise UsageError(f"periods must be one of {', '.join(_PERIODS)}, not {periods!r}")
    if size < 1:
        raise UsageError(f"window size must be at least 1 year, not {size}")
    if bootstrap is not None and bootstrap < 0:
        raise UsageError(f"bootstrap resamples must be 0 or more, not {bootstrap}")
    works = labelled(tables, definitions, **legacy)
    chosen_definitions = works.definitions
    if per_work is None:
        per_work = impact_per_work(works, window=window, counts_from=counts_from)
    known = collaboration_types(
        chosen_definitions.partner_groups,
        register_available=chosen_definitions.channel_register is not None,
        columns=tuple(per_work.columns),
    )
    by_key = {c.key: c for c in known}
    wanted = list(collaborations) if collaborations is not None else list(by_key)
    for key in wanted:
        if key not in by_key:
            hint = (
                " (channel levels need a register)" if key.startswith(("level", "not_in")) else ""
            )
            raise UsageError(
                f"unknown collaboration type {key!r}{hint}; known: {', '.join(by_key)}"
            )
    chosen = [by_key[k] for k in dict.fromkeys(wanted)]
    masks = [c.mask.fill_null(False).alias(f"c:{c.key}") for c in chosen]
    framed = _periods(per_work.with_columns(masks), periods, size)
    resamples = chosen_definitions.bootstrap if bootstrap is None else bootstrap
    return framed, chosen, works, resamples


def _finish(
    table: pl.DataFrame, framed: pl.DataFrame, periods: ImpactPeriods, open_from: pl.Expr
) -> pl.DataFrame:
    spans = framed.select("_period", "first_year", "last_year").unique()
    table = table.join(spans, on="_period", how="left").with_columns(partial=open_from)
    if periods == "year":
        table = table.with_columns(year=pl.col("first_year")).drop("first_year", "last_year")
        keys = ["year"]
    else:
        table = table.rename({"_period": "period"})
        keys = ["period", "first_year", "last_year"]
    table = table.drop("_period", strict=False)
    return table.select(*keys, pl.exclude(keys)).sort(
        keys[-1] if periods == "year" else "first_year", maintain_order=True
    )


def impact_indicators(
    tables: Tables | LabelledWorks,
    definitions: Definitions | None = None,
    *,
    periods: ImpactPeriods = "year",
    size: int = 4,
    collaborations: Sequence[str] | None = None,
    institution: str | None = None,
    groups: PartnerGroups | None = None,
    years: tuple[int, int] | None = None,
    register: Register | None = None,
    types: TypesChoice | None = None,
    membership: Membership | None = None,
    merge_hk_mo: bool | None = None,
    window: int = DEFAULT_WINDOW,
    counts_from: int = COUNTS_FROM,
    bootstrap: int | None = None,
    seed: int = 0,
    as_of: dt.date | None = None,
    per_work: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Citation impact per period and collaboration type, in both counting methods.

    Parameters
    ----------
    tables : Tables or LabelledWorks
    definitions : Definitions, optional
        The universe, counting weights, groups and register, as everywhere in
        copub (default: NTNU, the Leiden definitions).
    periods : {"year", "window", "all"}
        Single years, rolling windows of ``size`` years, or the whole range.
    size : int
        Window length for ``periods="window"`` (4, as in Leiden).
    collaborations : sequence of str, optional
        Collaboration type keys (default all; see :func:`impact_collaborations`).
    institution, groups, years, register, types, membership, merge_hk_mo
        The old keyword arguments of :func:`copub.yearly_indicators`, applied to
        ``definitions``.
    window : int
        Citation window: the publication year plus this many years (3).
    counts_from : int
        First year ``counts_by_year`` covers; earlier windows are unavailable.
    bootstrap, seed
        Resamples of works for the 95% intervals of fractional shares and of
        every mean (0: none; default the definitions' own), and their seed.
    as_of : date, optional
        Years whose citation window reaches this date's year are ``partial``;
        default the date the tables were built.
    per_work : pl.DataFrame, optional
        :func:`impact_per_work` of these tables, made with the same options, to
        reuse (it is computed otherwise).

    Returns
    -------
    pl.DataFrame
        One row per period and type: ``year`` (or ``period, first_year,
        last_year``), ``collaboration, label, partial, works, works_frac``,
        coverage ``percentile_missing_share``, ``fwci_missing_share``,
        ``cites_window_missing_share`` (each with ``_frac``); for each share
        ``top10``, ``top1``, ``fwci_ge1``: ``<x>_works`` (e.g. P(top 10%)),
        ``<x>_base``, ``<x>_share`` with Wilson ``_low``/``_high``, and
        ``<x>_works_frac``, ``<x>_base_frac``, ``<x>_share_frac`` with bootstrap
        ``_frac_low``/``_frac_high``; for each mean ``fwci``, ``cites_window``:
        ``<x>_base``, ``<x>_mean`` with bootstrap ``_low``/``_high``, and
        ``<x>_base_frac``, ``<x>_mean_frac`` with ``_frac_low``/``_frac_high``.
        A figure whose base is empty is null ("unavailable"), never 0.

    Examples
    --------
    >>> import copub
    >>> impact = copub.impact_indicators(copub.load_sample(scale=0.01), bootstrap=0,
    ...                                  collaborations=["domestic", "international"])
    >>> sorted(set(impact["collaboration"]))
    ['domestic', 'international']
    >>> bool(impact["top10_share"].drop_nulls().is_between(0, 1).all())
    True
    """
    legacy: _Legacy = {
        "institution": institution,
        "groups": groups,
        "years": years,
        "register": register,
        "types": types,
        "membership": membership,
        "merge_hk_mo": merge_hk_mo,
    }
    framed, chosen, works, resamples = _prepare(
        tables,
        definitions,
        legacy,
        periods=periods,
        size=size,
        collaborations=collaborations,
        window=window,
        counts_from=counts_from,
        bootstrap=bootstrap,
        per_work=per_work,
    )
    keys = [c.key for c in chosen]
    table = aggregate_impact(framed, keys, bootstrap=resamples, seed=seed)
    labels = pl.DataFrame({"collaboration": keys, "label": [c.label for c in chosen]})
    table = table.join(labels, on="collaboration", how="left", maintain_order="left")
    head = ["collaboration", "label", "works", "works_frac"]
    table = table.select("_period", *head, pl.exclude("_period", *head))
    cutoff = _as_of(works.tables, as_of).year
    finished = _finish(table, framed, periods, window_is_open(pl.col("last_year"), window, cutoff))
    first = ["year"] if periods == "year" else ["period", "first_year", "last_year"]
    return finished.select(
        *first,
        "collaboration",
        "label",
        "partial",
        pl.exclude(*first, "collaboration", "label", "partial"),
    )


def impact_difference(
    tables: Tables | LabelledWorks,
    definitions: Definitions | None = None,
    *,
    compare: tuple[str, str] = ("international", "domestic"),
    periods: ImpactPeriods = "year",
    size: int = 4,
    institution: str | None = None,
    groups: PartnerGroups | None = None,
    years: tuple[int, int] | None = None,
    register: Register | None = None,
    types: TypesChoice | None = None,
    membership: Membership | None = None,
    merge_hk_mo: bool | None = None,
    window: int = DEFAULT_WINDOW,
    counts_from: int = COUNTS_FROM,
    bootstrap: int | None = None,
    seed: int = 0,
    as_of: dt.date | None = None,
    per_work: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One collaboration type minus another, for every impact figure, per period.

    Returns
    -------
    pl.DataFrame
        One row per period and indicator (``top10``, ``top1``, ``fwci_ge1``,
        ``fwci``, ``cites_window``): ``a, b`` (the compared keys), ``partial``,
        ``a_base, b_base`` (works with the input in each), ``value_a, value_b,
        difference`` with its bootstrap 95% interval ``difference_low/_high``
        and ``p_value`` (two-proportion z-test for shares, Welch's t-test for
        means), and the same with ``_frac`` under fractional counting (p from
        the bootstrap).

    Examples
    --------
    >>> import copub
    >>> diff = copub.impact_difference(copub.load_sample(scale=0.01), periods="all",
    ...                                bootstrap=200)
    >>> row = diff.filter(indicator="top10").row(0, named=True)
    >>> row["difference_low"] <= row["difference"] <= row["difference_high"]
    True
    """
    if len(compare) != 2 or compare[0] == compare[1]:
        raise UsageError(f"compare needs two different collaboration types, not {compare!r}")
    legacy: _Legacy = {
        "institution": institution,
        "groups": groups,
        "years": years,
        "register": register,
        "types": types,
        "membership": membership,
        "merge_hk_mo": merge_hk_mo,
    }
    framed, _, works, resamples = _prepare(
        tables,
        definitions,
        legacy,
        periods=periods,
        size=size,
        collaborations=list(compare),
        window=window,
        counts_from=counts_from,
        bootstrap=bootstrap,
        per_work=per_work,
    )
    table = impact_differences(framed, compare[0], compare[1], bootstrap=resamples, seed=seed)
    table = table.with_columns(a=pl.lit(compare[0]), b=pl.lit(compare[1]))
    cutoff = _as_of(works.tables, as_of).year
    finished = _finish(table, framed, periods, window_is_open(pl.col("last_year"), window, cutoff))
    first = ["year"] if periods == "year" else ["period", "first_year", "last_year"]
    return finished.select(
        *first,
        "indicator",
        "a",
        "b",
        "partial",
        pl.exclude(*first, "indicator", "a", "b", "partial"),
    )
