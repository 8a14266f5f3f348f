"""The report's citation-impact section: its content and its text renderings.

It holds the impact figures per year for every collaboration type, the
difference international minus domestic per year and over the whole range,
and says which definitions were used (OpenAlex's, not Leiden's). The CLI's
``copub impact`` prints the same content.
"""

from __future__ import annotations

import textwrap
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
from copub.indicators.labels import LabelledWorks
from copub.indicators.yearly import labelled
from copub.normalize import Tables
from copub.report import fmt

__all__ = [
    "ImpactSection",
    "build_impact_section",
    "comparison_lines",
    "definitions_lines",
    "impact_json",
    "impact_lines",
    "impact_markdown",
]

_WIDTH = 100


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
    per_work = impact_per_work(works, window=window)  # computed once for the three tables
    seed = works.definitions.seed
    common = {"window": window, "seed": seed, "per_work": per_work}
    # The compared types are always in the table, so the comparison can be read from it.
    wanted = None if collaborations is None else list(dict.fromkeys([*collaborations, *compare]))
    table = impact_indicators(works, periods=periods, collaborations=wanted, **common)  # type: ignore[arg-type]
    difference = impact_difference(works, compare=compare, periods=periods, **common)  # type: ignore[arg-type]
    overall = impact_difference(works, compare=compare, periods="all", **common)  # type: ignore[arg-type]
    return ImpactSection(table, difference, overall, compare, window)


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


def _label(section: ImpactSection, key: str) -> str:
    labels = dict(section.table.select("collaboration", "label").unique().iter_rows())
    return str(labels.get(key, key))


def _period_text(row: dict[str, object], column: str) -> str:
    return f"{row[column]}{'*' if row.get('partial') else ''}"


def _mean(value: object, low: object, high: object) -> str:
    if fmt.is_missing(value):
        return "n/a"
    text = f"{value:.2f}"
    if not (fmt.is_missing(low) or fmt.is_missing(high)):
        text += f" [{low:.2f}–{high:.2f}]"
    return text


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _share(row: dict[str, object], stem: str, suffix: str) -> str:
    column = f"{stem}_share{suffix}"
    text = fmt.percent(_float(row.get(column)))
    interval = fmt.interval(_float(row.get(f"{column}_low")), _float(row.get(f"{column}_high")))
    return f"{text} {interval}".strip()


def impact_lines(section: ImpactSection, *, fractional: bool = False) -> list[str]:
    """Every period and collaboration type: PP(top 10%), PP(top 1%), FWCI, cites, coverage."""
    suffix = "_frac" if fractional else ""
    column = section.period_column
    width = 11 if column == "period" else 6
    kind = 15 - (width - 6)  # the type column gives way to a long period column
    header = (
        f"{column.capitalize():<{width}}{'Type':<{kind}}{'Works':>7} {'PP(top10%) [95% CI]':<20}"
        f"{'PP(1%)':>7} {'FWCI [95% CI]':<18}{'≥1':>5}{f'C{section.window + 1}y':>6}"
        f"{'NoPct':>7}{'NoFWCI':>7}"
    )
    lines = [header, "-" * len(header)]
    for row in section.table.iter_rows(named=True):
        label = str(row["label"])
        label = label if len(label) < kind else label[: kind - 2] + "…"
        works = fmt.count(row["works_frac"], 1) if fractional else fmt.count(row["works"])
        cites = row.get(f"cites_window_mean{suffix}")
        fwci = _mean(
            row.get(f"fwci_mean{suffix}"),
            row.get(f"fwci_mean{suffix}_low"),
            row.get(f"fwci_mean{suffix}_high"),
        )
        lines.append(
            f"{_period_text(row, column):<{width}}{label:<{kind}}{works:>7} "
            f"{_share(row, 'top10', suffix):<20}{fmt.percent(row.get(f'top1_share{suffix}')):>7} "
            f"{fwci:<18}{fmt.percent(row.get(f'fwci_ge1_share{suffix}'), 0):>5}"
            f"{'n/a' if fmt.is_missing(cites) else f'{cites:.1f}':>6}"
            f"{fmt.percent(row.get(f'percentile_missing_share{suffix}'), 0):>7}"
            f"{fmt.percent(row.get(f'fwci_missing_share{suffix}'), 0):>7}"
        )
    lines += textwrap.wrap(
        f"PP(1%): PP(top 1%); ≥1: share with FWCI ≥ 1; C{section.window + 1}y: mean citations "
        f"in the publication year and {section.window} after; NoPct/NoFWCI: share of works "
        "without a percentile/FWCI (coverage); a year marked * has its citation window still open.",
        _WIDTH,
    )
    return lines


def _difference_text(row: dict[str, object], suffix: str) -> str:
    text = fmt.change(row[f"difference{suffix}"])  # type: ignore[arg-type]
    low, high = row[f"difference{suffix}_low"], row[f"difference{suffix}_high"]
    if not (fmt.is_missing(low) or fmt.is_missing(high)):
        text += f" [{100 * low:+.1f}, {100 * high:+.1f}]"  # type: ignore[operator]
    return text


def _no_percentile(key: str) -> str:
    """The header of one type's coverage column: ``No%`` and the type's first letters."""
    return f"No%{key[:3]}"


def comparison_lines(
    section: ImpactSection, *, fractional: bool = False, width: int = _WIDTH
) -> list[str]:
    """PP(top 10%) of the two compared types per period, their difference and its test.

    The last row pools the whole range. ``No%`` and the type's first letters
    (``No%dom``, ``No%int``) head each type's share of works without a citation
    percentile (coverage), so the two columns never share a header.
    """
    suffix = "_frac" if fractional else ""
    a, b = section.compare
    column = section.period_column
    first = 11 if column == "period" else 7
    by_period = {(r[column], r["collaboration"]): r for r in section.table.iter_rows(named=True)}
    la, lb = _label(section, a)[:20], _label(section, b)[:20]
    title = (
        f"PP(top 10%): {lb} and {la}, and the difference {a} − {b} "
        f"({'fractional' if fractional else 'full'} counting; 95% intervals; p-value of the "
        "difference)"
    )
    header = (
        f"{column.capitalize():<{first}}{lb:<21}{la:<21}{'Difference [95% CI]':<24}"
        f"{'p':>7}{_no_percentile(b):>7}{_no_percentile(a):>7}"
    )
    lines = [*textwrap.wrap(title, width), header, "-" * len(header)]
    for row in section.difference.filter(pl.col("indicator") == "top10").iter_rows(named=True):
        ra = by_period.get((row[column], a), {})
        rb = by_period.get((row[column], b), {})
        lines.append(
            f"{_period_text(row, column):<{first}}{_share(rb, 'top10', suffix):<21}"
            f"{_share(ra, 'top10', suffix):<21}{_difference_text(row, suffix):<24}"
            f"{fmt.p_value(row[f'p_value{suffix}']) or 'n/a':>7}"
            f"{fmt.percent(rb.get(f'percentile_missing_share{suffix}'), 0):>7}"
            f"{fmt.percent(ra.get(f'percentile_missing_share{suffix}'), 0):>7}"
        )
    for row in section.overall.filter(pl.col("indicator") == "top10").iter_rows(named=True):
        lines.append(
            f"{'all' + ('*' if row['partial'] else ''):<{first}}"
            f"{fmt.percent(row[f'value_b{suffix}']):<21}"
            f"{fmt.percent(row[f'value_a{suffix}']):<21}{_difference_text(row, suffix):<24}"
            f"{fmt.p_value(row[f'p_value{suffix}']) or 'n/a':>7}"
        )
    lines += textwrap.wrap(
        f"{_no_percentile(b)}, {_no_percentile(a)}: share of {b} and of {a} works without a "
        "citation percentile (coverage)."
        + (
            f" A year marked * has its citation window still open (publication year + "
            f"{section.window} years reaches the year the tables were built)."
            if bool(section.difference["partial"].any())
            else ""
        ),
        width,
    )
    return lines


def impact_markdown(section: ImpactSection, *, synthetic: bool) -> str:
    """The section as markdown: definitions, the comparison and every column."""
    out = ["## Citation impact by collaboration type", ""]
    if synthetic:
        out += ["_SYNTHETIC SAMPLE DATA: not real publications_", ""]
    out += [" ".join(definitions_lines(section.window)), ""]
    if not section.available:
        out += ["Impact is unavailable: no work has a citation percentile or an FWCI.", ""]
    from copub.report.formats import markdown_table  # formats imports this module

    out += ["### Difference " + " − ".join(section.compare), ""]
    out += [markdown_table(section.difference), "", "### Over the whole range", ""]
    out += [markdown_table(section.overall), "", "### Impact per period and type", ""]
    out += [markdown_table(section.table), ""]
    return "\n".join(out)


def impact_json(section: ImpactSection) -> dict[str, object]:
    """The section as JSON-ready values: definitions, the tables as records."""
    from copub.report.formats import to_records

    return {
        "definitions": IMPACT_DEFINITIONS,
        "leiden_difference": IMPACT_LEIDEN_DIFFERENCE,
        "citation_window_years": section.window,
        "compare": list(section.compare),
        "available": section.available,
        "by_period": to_records(section.table),
        "difference": to_records(section.difference),
        "difference_overall": to_records(section.overall),
    }
