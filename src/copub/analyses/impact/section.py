"""The citation-impact section's content: the tables of one run, and their definitions in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from copub.classify.definitions import Definitions
from copub.indicators.citation_window import DEFAULT_WINDOW
from copub.indicators.impact import (
    IMPACT_DEFINITIONS,
    IMPACT_LEIDEN_DIFFERENCE,
    IMPACT_NOT_LEIDEN,
    ImpactPeriods,
    impact_difference,
    impact_indicators,
    impact_per_work,
)
from copub.indicators.label_cache import cached_results
from copub.indicators.labels import LabelledWorks
from copub.indicators.yearly import labelled
from copub.normalize import Tables

__all__ = ["ImpactSection", "build_impact_section", "definitions_lines"]


@dataclass(frozen=True)
class ImpactSection:
    """Citation impact by collaboration type, ready to render.

    Attributes
    ----------
    table : pl.DataFrame
        :func:`copub.impact_indicators` (per year, or per window/all).
    difference : pl.DataFrame
        :func:`copub.impact_difference` of ``compare`` over the same periods.
    overall : pl.DataFrame
        The same difference over the whole range (one period).
    compare : (str, str)
        The two collaboration types compared (default international, domestic).
    window : int
        Citation window: the publication year plus this many years.
    """

    table: pl.DataFrame
    difference: pl.DataFrame
    overall: pl.DataFrame
    compare: tuple[str, str] = ("international", "domestic")
    window: int = DEFAULT_WINDOW

    @property
    def available(self) -> bool:
        """False when no work has a percentile or an FWCI (the fields were not fetched)."""
        table = self.table
        return bool(table.height) and bool(
            (table["top10_base"] > 0).any() or (table["fwci_base"] > 0).any()
        )

    @property
    def period_column(self) -> str:
        """``year`` for yearly tables, ``period`` otherwise."""
        return "year" if "year" in self.table.columns else "period"


def build_impact_section(
    source: Tables | LabelledWorks,
    definitions: Definitions | None = None,
    *,
    collaborations: Sequence[str] | None = None,
    compare: tuple[str, str] = ("international", "domestic"),
    periods: ImpactPeriods = "year",
    window: int = DEFAULT_WINDOW,
) -> ImpactSection:
    """Compute the impact section (see :class:`ImpactSection`) under one :class:`Definitions`.

    Examples
    --------
    >>> import copub
    >>> section = build_impact_section(copub.load_sample(scale=0.01), Definitions(bootstrap=0))
    >>> section.available, section.compare
    (True, ('international', 'domestic'))
    """
    works = labelled(source, definitions)
    # The compared types are always in the table, so the comparison can be read from it.
    wanted = None if collaborations is None else list(dict.fromkeys([*collaborations, *compare]))

    def compute() -> dict[str, pl.DataFrame]:
        per_work = impact_per_work(works, window=window)  # computed once for the three tables
        common = {"window": window, "seed": works.definitions.seed, "per_work": per_work}
        return {
            "table": impact_indicators(works, periods=periods, collaborations=wanted, **common),  # type: ignore[arg-type]
            "difference": impact_difference(works, compare=compare, periods=periods, **common),  # type: ignore[arg-type]
            "overall": impact_difference(works, compare=compare, periods="all", **common),  # type: ignore[arg-type]
        }

    # Pure in the labelled works' tables and definitions and these options: cached for the sample.
    tables = cached_results(
        works.source, works.definitions, "impact", compute, extra=(wanted, compare, periods, window)
    )
    return ImpactSection(tables["table"], tables["difference"], tables["overall"], compare, window)


def definitions_lines(window: int = DEFAULT_WINDOW) -> list[str]:
    """The definitions every impact output names, as sentences."""
    return [
        f"Definitions: {IMPACT_DEFINITIONS}; {IMPACT_NOT_LEIDEN}.",
        IMPACT_LEIDEN_DIFFERENCE,
        f"Windowed citations: the publication year and the {window} years after it "
        "(counts_by_year, from 2012). Coverage columns give the share of works without "
        "a percentile or an FWCI; those works are in no numerator or denominator.",
        "Fractional counting weighs each work by the institution's fractional weight. "
        "Intervals: Wilson 95% for full-counting shares, a seeded bootstrap over works "
        "(95%) for fractional shares, means and differences.",
    ]
