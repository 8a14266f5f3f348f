"""The citation-impact analysis: its content and its text renderings.

It holds the impact figures per year for every collaboration type, the
difference international minus domestic per year and over the whole range,
and says which definitions were used (OpenAlex's, not Leiden's). The CLI's
``copub impact`` prints the same content.
"""

from __future__ import annotations

import textwrap

import polars as pl

from copub.analyses.contract import (
    AnalysisInputs,
    AnalysisResult,
    FigureSpec,
    ShowOptions,
    unavailable,
)
from copub.analyses.impact.html import impact_html
from copub.analyses.impact.plot import can_draw, impact_caption, impact_figure
from copub.analyses.impact.section import ImpactSection, build_impact_section, definitions_lines
from copub.classify.definitions import Definitions
from copub.indicators.impact import (
    IMPACT_DEFINITIONS,
    IMPACT_LEIDEN_DIFFERENCE,
    IMPACT_NOT_LEIDEN,
)
from copub.progress import Progress
from copub.render import fmt
from copub.render.text import wrap_label

__all__ = ["comparison_lines", "compute_impact", "impact_lines", "present_impact"]

_WIDTH = 100


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
        label, *more = wrap_label(str(row["label"]), kind - 1)
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
        lines += [f"{'':<{width}}{m}" for m in more]  # a long type name, never cut
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


def compute_impact(
    inputs: AnalysisInputs, definitions: Definitions, options: ShowOptions, progress: Progress
) -> AnalysisResult:
    """Citation impact by collaboration type under ``definitions`` (``citation_window``)."""
    progress.note("computing citation impact by collaboration type")
    section = build_impact_section(
        inputs.labelled(definitions), definitions,
        collaborations=options.collaborations, compare=options.compare,
        periods=options.period, window=definitions.citation_window,
    )  # fmt: skip
    if section.table.is_empty():
        return unavailable(
            "impact", _TITLE, "No works in the universe for these years.",
            synthetic=inputs.synthetic,
        )  # fmt: skip
    return present_impact(section, definitions, synthetic=inputs.synthetic)


def present_impact(
    section: ImpactSection, definitions: Definitions, *, synthetic: bool
) -> AnalysisResult:
    """``section`` for every writer: tables, figure, text, HTML and notes."""
    fractional = definitions.counting == "fractional"
    text = "\n".join(
        [
            *impact_lines(section, fractional=fractional),
            "",
            *comparison_lines(section, fractional=fractional, width=_WIDTH),
            "",
            *(line for s in definitions_lines(section.window) for line in textwrap.wrap(s, _WIDTH)),
        ]
    )
    if not section.available:
        text = f"{_TITLE}: unavailable. {_UNAVAILABLE}\n{text}"
    figure = FigureSpec(
        "impact_top10", "PP(top 10%) by collaboration type", impact_caption(section),
        lambda: impact_figure(section, fractional=fractional),
    )  # fmt: skip
    figures = (figure,) if can_draw(section) else ()
    return AnalysisResult(
        key="impact",
        title=_TITLE,
        tables={
            "impact": section.table,
            "impact_difference": section.difference,
            "impact_overall": section.overall,
        },
        text=text + "\n",
        summary=_summary(section, fractional=fractional),
        html=impact_html(section, fractional=fractional),
        figures=figures,
        notes=(f"{IMPACT_DEFINITIONS}; {IMPACT_NOT_LEIDEN}.",),
        provenance={
            "definitions": IMPACT_DEFINITIONS,
            "leiden_difference": IMPACT_LEIDEN_DIFFERENCE,
            "citation_window_years": section.window,
            "compare": list(section.compare),
        },
        synthetic=synthetic,
        available=section.available,
        reason=None if section.available else _UNAVAILABLE,
    )


def _summary(section: ImpactSection, *, fractional: bool) -> str:
    """The report's terminal lines: the comparison and the definitions (98 columns)."""
    lines = (
        comparison_lines(section, fractional=fractional, width=_WIDTH - 2)
        if section.available
        else [f"Unavailable: {_UNAVAILABLE}"]
    )
    lines += textwrap.wrap(definitions_lines(section.window)[0], _WIDTH - 2)
    return "\n".join(lines)


_TITLE = "Citation impact by collaboration type"
_UNAVAILABLE = (
    "No work in these tables has a citation percentile or an FWCI (fetch with the current "
    "OpenAlex schema)."
)
