"""The report's trend figures (matplotlib, no pyplot).

Each function takes the yearly table and returns a
:class:`matplotlib.figure.Figure`, or ``None`` when its indicator is not in
the table (level 2 without a register). Figures are built on ``Figure``
directly, so drawing never touches pyplot's global state or needs a display.
Shares follow the report's counting method, with their 95% interval as a
band; incomplete years are drawn as hollow markers, and the baseline and
plan periods are shaded. Figures from the sample say so on their face.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from copub.classify import policy_notes
from copub.indicators.catalogue import figure_groups
from copub.indicators.definitions import share_column
from copub.networks.attributes import country_names
from copub.render.figures import PALETTE, percent_formatter, source_footer
from copub.report.data import ReportData

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PALETTE",
    "TREND_FIGURES",
    "FigureFile",
    "TrendFigure",
    "figure_footer",
    "group_shares_figure",
    "international_figure",
    "level2_figure",
    "priority_figure",
    "trend_figures",
]

_BASELINE_SHADE = "#eef1f5"
_PLAN_SHADE = "#e3eef7"
_SYNTHETIC = "SYNTHETIC SAMPLE DATA: not real publications"


@dataclass(frozen=True)
class FigureFile:
    """A figure written as PNG and SVG, with its title and caption."""

    name: str
    title: str
    caption: str
    png: Path
    svg: Path


@dataclass(frozen=True)
class TrendFigure:
    """A figure with the name of its files and the words that go with it."""

    name: str
    title: str
    caption: str
    figure: Figure


def _suffix(data: ReportData) -> str:
    return "_frac" if data.options.fractional else ""


def figure_footer(data: ReportData) -> str:
    """The source line every figure of a report carries."""
    who = f"{data.institution_name} ({data.options.institution})"
    return source_footer(data.provenance, who, data.options.counting)


def _new_figure(data: ReportData, title: str, *, ncols: int = 1, nrows: int = 1) -> Figure:
    # Here, not at the top: matplotlib takes most of a second to import.
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    height = 4.4 if nrows == 1 else 2.5 * nrows + 0.9
    # Keep a strip at the bottom for the source line: constrained layout does
    # not see figure texts, and a fixed strip spares a second "tight" draw.
    strip = 0.32 / height
    layout = ConstrainedLayoutEngine(rect=(0.0, strip, 1.0, 1.0 - strip))
    figure = Figure(figsize=(9.0, height), layout=layout)
    figure.suptitle(title, fontsize=13, fontweight="bold", x=0.01, ha="left")
    figure.text(
        0.01, 0.01, figure_footer(data), fontsize=7, color="#666666", ha="left", va="bottom"
    )
    if data.synthetic:
        figure.text(
            0.99, 0.995, _SYNTHETIC, fontsize=9, color="#b00020", fontweight="bold",
            ha="right", va="top",
        )  # fmt: skip
    figure.subplots(nrows, ncols, squeeze=False)
    return figure


def _style(ax: Axes, data: ReportData, *, label_periods: bool = False) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    years = data.yearly["year"].to_list()
    first, last = min(years), max(years)
    periods = (
        ("baseline", data.options.baseline, _BASELINE_SHADE),
        ("plan", data.options.plan, _PLAN_SHADE),
    )
    for name, (a, b), shade in periods:
        lo, hi = max(a, first), min(b, last)
        if lo <= hi:
            ax.axvspan(lo - 0.5, hi + 0.5, color=shade, zorder=0, linewidth=0)
            if label_periods:
                ax.text(
                    (lo + hi) / 2, 1.0, f"{name} {a}–{b}", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=8, color="#5b6673",
                )  # fmt: skip
    ax.set_xlim(first - 0.6, last + 0.6)


def _line(
    ax: Axes, data: ReportData, column: str, color: str, label: str, *, band: bool = True
) -> None:
    yearly = data.yearly
    if column not in yearly.columns or yearly[column].null_count() == yearly.height:
        return
    years = yearly["year"].to_list()
    values = [math.nan if v is None else float(v) for v in yearly[column].to_list()]
    low, high = f"{column}_low", f"{column}_high"
    if band and low in yearly.columns and yearly[low].null_count() < yearly.height:
        lows = [math.nan if v is None else float(v) for v in yearly[low].to_list()]
        highs = [math.nan if v is None else float(v) for v in yearly[high].to_list()]
        ax.fill_between(years, lows, highs, color=color, alpha=0.18, linewidth=0)
    partial = yearly["partial"].to_list()
    complete = [v if not p else math.nan for v, p in zip(values, partial, strict=True)]
    ax.plot(years, values, color=color, linewidth=1.2, linestyle=":")
    ax.plot(years, complete, color=color, linewidth=2, marker="o", markersize=4, label=label)
    for year, value, is_partial in zip(years, values, partial, strict=True):
        if is_partial:
            ax.plot([year], [value], marker="o", markersize=5, color=color, fillstyle="none")


def _finish(ax: Axes, *, legend: bool = True) -> None:
    """Percent ticks labelled with their exact values; the legend to the right."""
    ax.yaxis.set_major_formatter(percent_formatter())
    handles, _labels = ax.get_legend_handles_labels()
    if legend and handles:
        ax.legend(frameon=False, fontsize=8.5, loc="center left", bbox_to_anchor=(1.01, 0.5))


def international_figure(data: ReportData) -> TrendFigure:
    """The international share over time, both counting methods, each with its 95% band.

    The axis starts at zero, so the size of a change is not exaggerated.
    """
    suffix = _suffix(data)
    figure = _new_figure(data, "International co-publication share")
    ax = figure.axes[0]
    _style(ax, data, label_periods=True)
    methods = [("", "full counting (each work counts 1)", PALETTE[0])]
    methods.append(("_frac", "fractional counting (the institution's author share)", PALETTE[1]))
    if suffix:
        methods.reverse()
    for column_suffix, label, color in methods:
        chosen = " — shown in the report" if column_suffix == suffix else ""
        _line(ax, data, f"intl_share{column_suffix}", color, label + chosen)
    ax.set_ylabel("share of works")
    highs = [
        float(v)
        for c in ("intl_share_high", "intl_share_frac_high", "intl_share", "intl_share_frac")
        if c in data.yearly.columns
        for v in data.yearly[c].drop_nulls().drop_nans().to_list()
    ]
    ax.set_ylim(0, min(1.0, max(highs, default=1.0) * 1.12) or 1.0)
    _finish(ax, legend=False)
    ax.legend(frameon=False, fontsize=8.5, loc="lower center", ncols=1)
    has_frac_band = "intl_share_frac_low" in data.yearly.columns and (
        data.yearly["intl_share_frac_low"].null_count() < data.yearly.height
    )
    frac_band = "bootstrap stability interval" if has_frac_band else "no interval (bootstrap off)"
    return TrendFigure(
        "international_share",
        "International co-publication share",
        "Share of works with at least two countries. Blue, full counting: every work counts "
        "1, with its 95% Wilson interval (band). Vermillion, fractional counting (Leiden): "
        "each work weighs the institution's share of its authors, so large international "
        f"consortia count less; band: its 95% {frac_band}. Shaded: baseline (light) and plan "
        "period (darker); hollow marker: incomplete year. The axis starts at 0.",
        figure,
    )


def notes_sentence(data: ReportData, codes: Iterable[str]) -> str:
    """The policy notes of the partners a figure draws, for its caption ("" when none).

    Each noted country once, by name: " Russia: Institutional cooperation frozen …".
    """
    notes = policy_notes(data.options.definitions.partner_groups)
    names = country_names()
    shown = [code for code in dict.fromkeys(codes) if code in notes]
    return "".join(f" {names.get(code, code)}: {notes[code]}." for code in shown)


def priority_figure(data: ReportData) -> TrendFigure | None:
    """Small multiples: the share of works with each priority country."""
    suffix = _suffix(data)
    codes = sorted(
        c.removeprefix("priority_share_")
        for c in data.yearly.columns
        if len(c) == len("priority_share_XX") and c.startswith("priority_share_")
    )
    if not codes:
        return None
    ncols = 3
    nrows = math.ceil(len(codes) / ncols)
    figure = _new_figure(data, "Priority countries: share of works", ncols=ncols, nrows=nrows)
    names = country_names()
    notes = policy_notes(data.options.definitions.partner_groups)
    for ax, code in zip(figure.axes, codes, strict=False):
        _style(ax, data)
        _line(ax, data, f"{share_column(f'priority_{code}')}{suffix}", PALETTE[1], code)
        ax.set_title(names.get(code, code), fontsize=10, loc="left")
        if code in notes:  # the policy context belongs on the panel it explains
            ax.text(
                0.02, 0.04, textwrap.fill(notes[code], 48), transform=ax.transAxes,
                fontsize=6.5, color="#5b6673", va="bottom", ha="left",
            )  # fmt: skip
        ax.tick_params(labelsize=8)
        ax.set_ylim(bottom=0)
        _finish(ax, legend=False)
    for ax in figure.axes[len(codes) : nrows * ncols]:
        ax.set_visible(False)
    noted = notes_sentence(data, codes)
    return TrendFigure(
        "priority_countries",
        "Priority countries",
        "Share of works with at least one co-author in each of Norway's priority countries "
        f"(Panorama), with 95% intervals. Each panel has its own scale.{noted}",
        figure,
    )


def group_shares_figure(data: ReportData) -> TrendFigure:
    """Partner-group shares: country groups and institution groups side by side."""
    suffix = _suffix(data)
    figure = _new_figure(data, "Partner-group shares", nrows=2)
    for ax, groups, title in zip(
        figure.axes,
        # The lines come from the catalogue under the report's definitions (its groups).
        (
            figure_groups("country", data.options.defs),
            figure_groups("institution", data.options.defs),
        ),
        ("Country groups", "Alliances and infrastructures"),
        strict=True,
    ):
        _style(ax, data)
        for (stem, label), color in zip(groups, PALETTE, strict=False):
            _line(ax, data, f"{share_column(stem)}{suffix}", color, label, band=False)
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_ylim(bottom=0)
        _finish(ax)
    return TrendFigure(
        "group_shares",
        "Partner-group shares",
        "Share of works with at least one co-author in each group. Alliances match "
        "member institutions by ROR, then OpenAlex id.",
        figure,
    )


def level2_figure(data: ReportData) -> TrendFigure | None:
    """The level-2 share (with interval) and the share of works outside the register."""
    suffix = _suffix(data)
    column = f"level2_share{suffix}"
    if column not in data.yearly.columns or data.yearly[column].null_count() == data.yearly.height:
        return None
    figure = _new_figure(data, "Level-2 channels")
    ax = figure.axes[0]
    _style(ax, data, label_periods=True)
    _line(ax, data, column, PALETTE[2], "level 2, of level-1 and level-2 works")
    _line(
        ax, data, f"channel_unmatched_share{suffix}", "#9aa7b4", "channel not in register",
        band=False,
    )  # fmt: skip
    ax.set_ylim(bottom=0)
    _finish(ax)
    return TrendFigure(
        "level2_share",
        "Level-2 channels",
        "Share of level-2 works among level-1 and level-2 works, by the register level of "
        "the work's channel in its year, with its 95% interval; grey: works whose channel "
        "is not in the register.",
        figure,
    )


#: The trend figures in report order, each by the name of its files.
TREND_FIGURES: tuple[tuple[str, Callable[[ReportData], TrendFigure | None]], ...] = (
    ("international_share", international_figure),
    ("priority_countries", priority_figure),
    ("group_shares", group_shares_figure),
    ("level2_share", level2_figure),
)


def trend_figures(data: ReportData) -> list[TrendFigure]:
    """Every trend figure the data allows, in report order."""
    figures = [make(data) for _name, make in TREND_FIGURES]
    return [f for f in figures if f is not None]
