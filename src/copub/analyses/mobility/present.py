"""The mobility analysis presented: terminal text, tables, the inflow/outflow figure and HTML.

Made from a :class:`~copub.indicators.mobility.MobilityResult`; every output
repeats :data:`~copub.indicators.mobility.MOBILITY_NOTE` (histories come from
publications; a proxy) and says SYNTHETIC when the data are.

Examples
--------
>>> import copub
>>> result = copub.mobility_indicators(copub.load_sample_authors(scale=0.01), "I204778367")
>>> text = mobility_terminal(result, synthetic=True)
>>> "SYNTHETIC" in text and "proxy" in text
True
>>> flow_table(result).columns[:3]
['group', 'inflow', 'outflow']
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from copub.analyses.contract import (
    AnalysisInputs,
    AnalysisResult,
    FigureSpec,
    ShowOptions,
    unavailable,
)
from copub.classify.definitions import Definitions
from copub.errors import CopubError
from copub.indicators.mobility import (
    CENSORING_NOTE,
    MobilityResult,
    describe_mobility,
    mobility_indicators,
)
from copub.progress import Progress
from copub.render.figures import PALETTE, new_figure, stamp
from copub.render.html import esc, table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "compute_mobility",
    "flow_table",
    "group_label",
    "mobility_figure",
    "mobility_html",
    "mobility_terminal",
    "present_mobility",
]

_SYNTHETIC = "SYNTHETIC sample data: invented author histories, not real researchers"
_DIRECTIONS = ("inflow", "outflow", "concurrent")


def _pct(value: object) -> str:
    return "n/a" if value is None else f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]


def _interval(row: Mapping[str, object], share: str) -> str:
    low, high = row[f"{share}_low"], row[f"{share}_high"]
    if row[share] is None:
        return "n/a"
    return f"{_pct(row[share])} [{_pct(low)}–{_pct(high)}]"


def flow_table(result: MobilityResult) -> pl.DataFrame:
    """Authors per partner group and direction, summed over the years reported.

    An author who moves twice (say, arrives in 2015 and leaves in 2020) counts
    in both directions; within one direction and year an author counts once per group.
    Censored years of a direction (the edges of the data) are left out of its sum.
    """
    flows = result.flows
    if "censored" in flows.columns:
        flows = flows.filter(~pl.col("censored"))
    totals = flows.group_by("group", "direction").agg(pl.col("authors").sum())
    order = result.flows.select("group").unique(maintain_order=True).with_row_index("order")
    wide = (
        totals.pivot(on="direction", index="group", values="authors")
        .join(order, on="group", how="left")
        .sort("order")
        .drop("order")
    )
    for direction in _DIRECTIONS:
        if direction not in wide.columns:
            wide = wide.with_columns(pl.lit(0, pl.UInt32).alias(direction))
    return wide.select("group", *_DIRECTIONS).fill_null(0)


def group_label(result: MobilityResult, key: str) -> str:
    """A partner group's display label ("Nordic Five Tech"), not its key (``n5t``)."""
    groups = result.definitions.partner_groups
    return groups.get(key).label if key in groups else key


def _has_censored(result: MobilityResult) -> bool:
    return "censored" in result.yearly.columns and bool(result.yearly["censored"].any())


def _header(result: MobilityResult, synthetic: bool) -> list[str]:
    first, last = result.years
    lines = [
        f"Researcher mobility: {result.institution}, {first}-{last} "
        f"(abroad = outside {result.home_country}; N = {result.definitions.mobility_window} years)"
    ]
    if synthetic:
        lines.append(_SYNTHETIC)
    lines.append(result.note)
    return lines


def mobility_terminal(result: MobilityResult, *, synthetic: bool = False) -> str:
    """The yearly table (counts, shares with 95% intervals) and the flows by group, as text."""
    header = [part for line in _header(result, synthetic) for part in textwrap.wrap(line, 100)]
    lines = ["", *header, ""]
    # Indented, so a reader of the yearly table above never takes these rows for its own.
    head = (
        f"  {'year':<4} {'home':>5} {'recruited [95% CI]':>22} {'left [95% CI]':>22} "
        f"{'concur.':>7} {'guests':>6} {'early career intl':>19}"
    )
    lines.append(head)
    for row in result.yearly.iter_rows(named=True):
        early = f"{row['early_intl']}/{row['early_career']} {_pct(row['early_intl_share'])}"
        lines.append(
            f"  {row['year']:<4} {row['home_authors']:>5} "
            f"{row['recruited']:>4} {_interval(row, 'recruited_share'):>17} "
            f"{row['left']:>4} {_interval(row, 'left_share'):>17} "
            f"{row['concurrent']:>7} {row['guests']:>6} {early:>19}"
            + (" *" if row.get("censored") else "")
        )
    if _has_censored(result):
        lines += textwrap.wrap("* censored: " + CENSORING_NOTE, 100)
    lines += ["", "Flows by partner group (authors, summed over the uncensored years):"]
    flows = flow_table(result)
    labels = [group_label(result, key) for key in flows["group"]]
    wide = max([len("partner group"), *map(len, labels)]) + 2
    lines.append(f"  {'partner group':<{wide}}{'inflow':>8}{'outflow':>9}{'concurrent':>12}")
    for label, (_, inflow, outflow, concurrent) in zip(labels, flows.iter_rows(), strict=True):
        lines.append(f"  {label:<{wide}}{inflow:>8}{outflow:>9}{concurrent:>12}")
    return "\n".join(lines) + "\n"


def mobility_figure(result: MobilityResult, *, synthetic: bool = False) -> Figure:
    """Recruited from abroad and left for abroad per year (counts of authors)."""
    figure = new_figure(figsize=(8, 4))
    axes = figure.subplots()
    years = result.yearly["year"].to_list()
    series = (
        ("recruited", "o", "-", "recruited from abroad"),
        ("left", "s", "-", "left for abroad"),
        ("concurrent", "^", ":", "concurrent foreign affiliation"),
    )
    for (column, marker, style, label), colour in zip(series, PALETTE, strict=False):
        # Censored years (edges of the data) are hollow markers, off the line.
        hidden = set(result.censored.get(column, ()))
        values = [float(v) for v in result.yearly[column].to_list()]
        line = [math.nan if y in hidden else v for y, v in zip(years, values, strict=True)]
        axes.plot(
            years, line, marker=marker, linestyle=style, color=colour, label=label,
        )  # fmt: skip
        edge = [(y, v) for y, v in zip(years, values, strict=True) if y in hidden]
        if edge:
            axes.plot(*zip(*edge, strict=True), marker=marker, linestyle="none",
                      fillstyle="none", color=colour)  # fmt: skip
    if any(result.censored.values()):
        figure.text(0.99, 0.005, "hollow: censored year (edge of the data)", fontsize=7,
                    ha="right")  # fmt: skip
    axes.set_xlabel("year")
    axes.set_ylabel("authors")
    axes.legend(frameon=False)
    axes.set_title(f"Inflow and outflow of researchers, {result.institution}")
    stamp(figure, footer=None, synthetic=synthetic)
    return figure


def compute_mobility(
    inputs: AnalysisInputs, definitions: Definitions, options: ShowOptions, progress: Progress
) -> AnalysisResult:
    """The mobility result: yearly table, flows, countries, the figure and the texts."""
    if inputs.authors is None or inputs.authors.height == 0:
        return unavailable(
            "mobility", "Researcher mobility",
            "No authors table: fetch with --authors, or import /authors pages.",
            synthetic=inputs.synthetic,
        )  # fmt: skip
    progress.note("computing researcher mobility from author histories")
    try:
        result = mobility_indicators(inputs.authors, definitions)
    except CopubError as error:
        # The authors table cannot answer for this institution (none of its authors,
        # no country to measure abroad from): the section says why.
        return unavailable("mobility", "Researcher mobility", str(error),
                           synthetic=inputs.synthetic)  # fmt: skip
    return present_mobility(result, synthetic=inputs.synthetic)


def present_mobility(result: MobilityResult, *, synthetic: bool) -> AnalysisResult:
    """``result`` for every writer: tables, figure, terminal text, HTML and notes."""
    tables = {
        "mobility_yearly": result.yearly,
        "mobility_flows": result.flows,
        "mobility_countries": result.countries,
        "mobility_flow_table": flow_table(result),
        "mobility_definitions": pl.DataFrame(
            {"definition": list(describe_mobility(result.definitions))}
        ),
    }
    first, last = result.years
    figure = FigureSpec(
        "mobility_flows",
        "Researchers recruited from and leaving for abroad",
        f"Authors recruited from abroad, leaving for abroad and with a concurrent foreign "
        f"affiliation per year, {first}-{last} (N = {result.definitions.mobility_window} "
        "years). A proxy from OpenAlex publication histories.",
        lambda: mobility_figure(result, synthetic=synthetic),
    )
    return AnalysisResult(
        key="mobility",
        title="Researcher mobility",
        tables=tables,
        text=mobility_terminal(result, synthetic=synthetic),
        html=mobility_html(result, synthetic=synthetic),
        figures=(figure,),
        notes=(result.note,),
        provenance={
            "institution": result.institution,
            "home_country": result.home_country,
            "years": list(result.years),
            "mobility_window": result.definitions.mobility_window,
            "early_career_years": result.definitions.early_career_years,
            "guest_max_years": result.definitions.guest_max_years,
        },
        synthetic=synthetic,
    )


def mobility_html(result: MobilityResult, *, synthetic: bool = False) -> str:
    """The section's HTML body: note, tables, definitions (the writer adds the figure)."""
    parts = [f"<p>{esc(line)}</p>" for line in _header(result, synthetic)]
    headers = [
        ("Year", False),
        ("Home authors", True),
        ("Recruited from abroad", True),
        ("Left for abroad", True),
        ("Concurrent foreign", True),
        ("Guests", True),
        ("Early career with foreign experience", True),
    ]

    def with_interval(count: object, share: str, row: Mapping[str, object]) -> str:
        # The interval on its own line (as in the yearly tables), so the table fits a page.
        if row[share] is None:
            return f"{esc(count)} · n/a"
        bounds = f"[{_pct(row[f'{share}_low'])}–{_pct(row[f'{share}_high'])}]"
        return f"{esc(count)} · {esc(_pct(row[share]))}<span class=ci>{esc(bounds)}</span>"

    rows = [
        [
            (
                esc(row["year"])
                + (" <abbr title=censored>*</abbr>" if row.get("censored") else ""),
                False,
            ),
            (esc(row["home_authors"]), True),
            (with_interval(row["recruited"], "recruited_share", row), True),
            (with_interval(row["left"], "left_share", row), True),
            (esc(row["concurrent"]), True),
            (esc(row["guests"]), True),
            (
                esc(f"{row['early_intl']}/{row['early_career']} · {_pct(row['early_intl_share'])}"),
                True,
            ),
        ]
        for row in result.yearly.iter_rows(named=True)
    ]
    parts.append(
        table(
            headers,
            rows,
            css_class="yearly",
            caption="Mobility per year (shares with Wilson 95% intervals)",
        )
    )
    flows = flow_table(result)
    parts.append(
        table(
            [("Partner group", False), ("Inflow", True), ("Outflow", True), ("Concurrent", True)],
            [
                [
                    (esc(group_label(result, g)), False),
                    (esc(i), True),
                    (esc(o), True),
                    (esc(c), True),
                ]
                for g, i, o, c in flows.iter_rows()
            ],
            caption="Authors by partner group, summed over the uncensored years",
        )
    )
    if _has_censored(result):
        parts.append(f"<p class=note>* censored: {esc(CENSORING_NOTE)}</p>")
    items = "".join(f"<li>{esc(line)}</li>" for line in describe_mobility(result.definitions))
    parts.append(f"<ul>{items}</ul>")
    return "".join(parts)
