"""The breakdown analysis presented: the figures per field or unit, and where we stand."""

from __future__ import annotations

import textwrap
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
from copub.indicators.breakdown import (
    Breakdown,
    breakdown_indicators,
    standing_sentence,
    where_we_stand,
)
from copub.indicators.definitions import share_column
from copub.progress import Progress
from copub.render.figures import PALETTE, new_figure, stamp
from copub.render.html import esc
from copub.render.text import clip, percent, text_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["breakdown_text", "compute_breakdown", "fields_figure"]


def breakdown_text(result: Breakdown, indicator: str = "intl", top: int = 5) -> str:
    """Each group over the pooled years, then "where we stand", within 100 columns."""
    share = share_column(indicator)
    pooled = result.pooled.sort(pl.col(share).fill_null(-1.0), descending=True)
    period = pooled["period"][0] if pooled.height else ""
    rows = [
        [
            str(r["group_id"]),
            str(r["group_name"]),
            f"{r['works']:,}",
            percent(r[share], r[f"{share}_low"], r[f"{share}_high"]),
            percent(r[f"{share}_frac"]),
            "small" if r["small"] else "",
        ]
        for r in pooled.iter_rows(named=True)
    ]
    headers = [result.by.capitalize(), "Name", "Works", f"{indicator} full [95%]", "frac", ""]
    parts = [
        f"{indicator} share by {result.by}, {period}:",
        # long ids and names go on below, never cut
        text_table(
            headers, rows, [False, False, True, True, True, False], wrap=[14, 38, *[None] * 4]
        ),
        f"small: fewer than {result.min_works} works (shown, not hidden)",
    ]
    stand = where_we_stand(result, indicator, top)
    lines = [
        [
            r["end"],
            str(r["rank"]),
            str(r["group_name"]),
            f"{r['works']:,}",
            percent(r["share"], r["share_low"], r["share_high"]),
            "small" if r["small"] else "",
        ]
        for r in stand.iter_rows(named=True)
    ]
    parts.append("\nWhere we stand:")
    if lines:
        parts.append(
            text_table(
                ["End", "#", "Name", "Works", f"{indicator} full [95%]", ""],
                lines,
                [False, True, False, True, True, False],
                wrap=[None, None, 38, None, None, None],
            )
        )
    parts.append(textwrap.fill(standing_sentence(result, stand, indicator), 100))
    return "\n".join(parts) + "\n"


def fields_figure(result: Breakdown, *, synthetic: bool, indicator: str = "intl") -> Figure:
    """A ranked dot plot: the pooled share per group with its 95% interval; small groups hollow."""
    share = share_column(indicator)
    rows = result.pooled.filter(pl.col(share).is_not_null()).sort(share)
    height = max(3.0, 0.32 * rows.height + 1.2)
    figure = new_figure((9.0, height))
    figure.suptitle(f"{indicator} share by {result.by}, ranked", x=0.01, ha="left")
    ax = figure.subplots()
    y = list(range(rows.height))
    values = rows[share].to_list()
    low = [v - lo for v, lo in zip(values, rows[f"{share}_low"].to_list(), strict=True)]
    high = [hi - v for v, hi in zip(values, rows[f"{share}_high"].to_list(), strict=True)]
    ax.errorbar(values, y, xerr=[low, high], fmt="none", ecolor="grey", capsize=2)
    small = rows["small"].to_list()
    ax.scatter(
        values, y, color=["white" if s else PALETTE[0] for s in small], edgecolors=PALETTE[0],
        zorder=3,
    )  # fmt: skip
    labels = [
        clip(str(n), 40) + (" (small)" if s else "")
        for n, s in zip(rows["group_name"], small, strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"{indicator} share, full counting, 95% interval")
    ax.grid(axis="x", alpha=0.3)
    stamp(figure, footer=None, synthetic=synthetic)
    return figure


def compute_breakdown(
    inputs: AnalysisInputs, definitions: Definitions, options: ShowOptions, progress: Progress
) -> AnalysisResult:
    """The figures per ``definitions.breakdown_by`` group, and where we stand."""
    by = definitions.breakdown_by
    if by is None:
        return unavailable(
            "breakdown", "Breakdown",
            "No breakdown was asked for (--by field|domain|subfield|unit).",
            synthetic=inputs.synthetic,
        )  # fmt: skip
    progress.note(f"breaking the figures down by {by}")
    result = breakdown_indicators(
        inputs.tables, definitions, by=by, period=options.table_rows(),
        units=list(definitions.breakdown_units) or None, min_works=definitions.min_works,
    )  # fmt: skip
    synthetic = inputs.synthetic
    text = breakdown_text(result, options.indicator, options.top)
    figure = FigureSpec(
        f"by_{by}",
        f"By {by}",
        f"{options.indicator} share per {by} over the requested years, full counting, with 95% "
        f"Wilson intervals; hollow dots have fewer than {result.min_works} works.",
        lambda: fields_figure(result, synthetic=synthetic, indicator=options.indicator),
    )
    return AnalysisResult(
        key="breakdown",
        title=f"By {by}",
        tables={
            f"breakdown_{by}": result.table,
            f"standing_{by}": where_we_stand(result, options.indicator, options.top),
        },
        text=text,
        html=f"<pre>{esc(text)}</pre>",
        figures=(figure,),
        provenance={"by": by, "min_works": result.min_works, "period": options.period},
        synthetic=synthetic,
    )
