"""The impact figure: PP(top 10%) by collaboration type over time, with intervals."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from copub.analyses.impact.section import ImpactSection
from copub.render.figures import PALETTE, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURE_TYPES", "can_draw", "impact_caption", "impact_figure"]

#: Collaboration types drawn, in legend order (those present in the table).
FIGURE_TYPES = ("domestic", "international", "priority", "lmic", "enhance")
#: Types drawn with their interval band (the others as lines, to stay readable).
_BANDS = ("domestic", "international")


def _values(rows: list[dict[str, object]], column: str) -> list[float]:
    return [math.nan if r.get(column) is None else float(r[column]) for r in rows]  # type: ignore[arg-type]


def can_draw(section: ImpactSection) -> bool:
    """True when the section has yearly PP(top 10%) rows to draw."""
    return section.available and "year" in section.table.columns


def impact_figure(section: ImpactSection, *, fractional: bool = False) -> Figure:
    """PP(top 10%) per year for each collaboration type (see :func:`can_draw`).

    Lines are solid over years whose citation window has closed and dotted
    (hollow markers) where it is still open; bands are the 95% intervals
    (Wilson under full counting, the bootstrap under fractional counting).
    """
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    suffix = "_frac" if fractional else ""
    column = f"top10_share{suffix}"
    figure = new_figure((9.0, 4.6))
    figure.suptitle(
        "PP(top 10%) by collaboration type", fontsize=13, fontweight="bold", x=0.01, ha="left"
    )
    ax = figure.subplots()
    table = section.table
    for color, key in zip(
        PALETTE, [k for k in FIGURE_TYPES if k in set(table["collaboration"])], strict=False
    ):
        rows = table.filter(collaboration=key).sort("year").to_dicts()
        values = _values(rows, column)
        if all(math.isnan(v) for v in values):
            continue
        years = [int(r["year"]) for r in rows]  # type: ignore[call-overload]
        lows, highs = _values(rows, f"{column}_low"), _values(rows, f"{column}_high")
        if key in _BANDS and not all(math.isnan(v) for v in lows):
            ax.fill_between(years, lows, highs, color=color, alpha=0.15, linewidth=0)
        partial = [bool(r["partial"]) for r in rows]
        closed = [v if not p else math.nan for v, p in zip(values, partial, strict=True)]
        ax.plot(years, values, color=color, linewidth=1.2, linestyle=":")
        ax.plot(years, closed, color=color, linewidth=2, marker="o", markersize=4,
                label=str(rows[0]["label"]))  # fmt: skip
        open_years = [(y, v) for y, v, p in zip(years, values, partial, strict=True) if p]
        if open_years:
            ax.plot(*zip(*open_years, strict=True), linestyle="none", marker="o", markersize=5,
                    color=color, fillstyle="none")  # fmt: skip
    ax.axhline(0.10, color="#888888", linewidth=1, linestyle="--", label="10% (all OpenAlex)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8.5, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return figure


def impact_caption(section: ImpactSection) -> str:
    """The words under the impact figure."""
    return (
        "Share of works among OpenAlex's top 10% most cited of their year, type and subfield "
        f"(self-citations included; not Leiden's PP(top 10%)), by collaboration type, with "
        "95% intervals (bands for domestic and international). Dotted, hollow: the citation "
        f"window (publication year + {section.window} years) is still open. Works without a "
        "percentile are left out and counted in the coverage columns of tables/impact.csv."
    )
