"""The publication points presented: per year for the home and each peer; text, figure, HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from copub.analyses.contract import (
    AnalysisInputs,
    AnalysisResult,
    FigureSpec,
    ShowOptions,
    unavailable,
)
from copub.analyses.points.compute import PointsResult, compute_points
from copub.classify.definitions import Definitions
from copub.indicators.peers import peer_group, resolve_peers
from copub.progress import Progress
from copub.render import fmt
from copub.render.figures import PALETTE, new_figure
from copub.render.html import esc, table
from copub.render.text import clip, text_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["compute_points_analysis", "points_figure", "points_text"]

TITLE = "Publication points (NVI)"


def _institutions(inputs: AnalysisInputs, definitions: Definitions) -> tuple[str, ...]:
    """The home, then (in a peers run) every peer found in the tables."""
    ids = [*definitions.institutions, *definitions.peers]
    if definitions.peer_group is not None:
        found, _ = resolve_peers(inputs.tables, peer_group(definitions.peer_group, definitions))
        ids += found
    return tuple(dict.fromkeys(ids))


def compute_points_analysis(
    inputs: AnalysisInputs, definitions: Definitions, options: ShowOptions, progress: Progress
) -> AnalysisResult:
    """Publication points of the home institution (and each peer in a peers run)."""
    if definitions.channel_register is None:
        return unavailable(
            "points", TITLE,
            "Publication points need the Norwegian channel register for the channel levels: "
            "give --register FILE (or COPUB_REGISTER).",
            synthetic=inputs.synthetic,
        )  # fmt: skip
    progress.note("computing publication points (NVI)")
    institutions = _institutions(inputs, definitions)
    result = compute_points(
        inputs.labelled(definitions), definitions.with_(institutions=institutions)
    )
    names = dict(
        inputs.tables.institutions.filter(pl.col("institution_id").is_in(institutions))
        .select("institution_id", "name")
        .iter_rows()
    )
    return present_points(result, institutions, names, synthetic=inputs.synthetic)


def _pct(value: object) -> str:
    return fmt.percent(value)  # type: ignore[arg-type]


def points_text(result: PointsResult, names: dict[str, str], home: str) -> str:
    """The home's points per year, then (with peers) each institution over the years."""
    by_year = result.points_by_year
    rows = [
        [
            str(r["year"]),
            f"{r['works']:,}",
            "n/a" if r["points"] is None else f"{r['points']:,.1f}",
            "n/a" if r["points_per_work"] is None else f"{r['points_per_work']:.3f}",
            _pct(r["level2_points_share"]),
            "n/a" if r["intl_factor_effect"] is None else f"{r['intl_factor_effect']:,.1f}",
            "" if r["register_covers_year"] else "register has no levels",
        ]
        for r in by_year.filter(pl.col("institution_id") == home).sort("year").iter_rows(named=True)
    ]
    headers = ["Year", "Works", "Points", "Per work", "Level 2", "From ×1.3", ""]
    parts = [
        f"Publication points of {names.get(home, home)} ({home}):",
        text_table(headers, rows, [False, True, True, True, True, True, False]),
    ]
    others = by_year.filter(pl.col("institution_id") != home)
    if others.height:
        pooled = (
            by_year.group_by("institution_id")
            .agg(pl.col("works").sum(), pl.col("points").sum(), pl.col("level2_points").sum())
            .with_columns(per_work=pl.col("points") / pl.col("works"))
            .sort("points", descending=True)
        )
        lines = [
            [
                clip(names.get(r["institution_id"], r["institution_id"]), 40)
                + (" (home)" if r["institution_id"] == home else ""),
                f"{r['works']:,}",
                f"{r['points']:,.1f}",
                "n/a" if r["per_work"] is None else f"{r['per_work']:.3f}",
            ]
            for r in pooled.iter_rows(named=True)
        ]
        parts += [
            "",
            "Beside the peers, over the years:",
            text_table(
                ["Institution", "Works", "Points", "Per work"], lines, [False, True, True, True]
            ),
        ]
    return "\n".join(parts) + "\n"


def points_figure(result: PointsResult, names: dict[str, str]) -> Figure:
    """Points per year for each institution (the home first)."""
    from matplotlib.ticker import MaxNLocator

    figure = new_figure((9.0, 4.4))
    figure.suptitle("Publication points (NVI) per year", x=0.01, ha="left", fontweight="bold")
    ax = figure.subplots()
    by_year = result.points_by_year
    order = by_year["institution_id"].unique(maintain_order=True).to_list()
    for colour, institution in zip(PALETTE, order, strict=False):
        rows = by_year.filter(pl.col("institution_id") == institution).sort("year")
        ax.plot(
            rows["year"].to_list(), rows["points"].fill_null(float("nan")).to_list(),
            marker="o", color=colour, label=clip(names.get(institution, institution), 40),
        )  # fmt: skip
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("publication points")
    ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.legend(frameon=False, fontsize=8)
    return figure


def _html(result: PointsResult, names: dict[str, str], home: str) -> str:
    rows = [
        [
            (esc(r["year"]), False),
            (esc(f"{r['works']:,}"), True),
            (esc("n/a" if r["points"] is None else f"{r['points']:,.1f}"), True),
            (esc("n/a" if r["points_per_work"] is None else f"{r['points_per_work']:.3f}"), True),
            (esc(_pct(r["level2_points_share"])), True),
            (
                esc(
                    "n/a" if r["intl_factor_effect"] is None else f"{r['intl_factor_effect']:,.1f}"
                ),
                True,
            ),
        ]
        for r in result.points_by_year.filter(pl.col("institution_id") == home)
        .sort("year")
        .iter_rows(named=True)
    ]
    headers = [
        ("Year", False), ("Works", True), ("Points", True), ("Per work", True),
        ("Level 2 share of points", True), ("Points from the ×1.3 factor", True),
    ]  # fmt: skip
    caption = f"Publication points of {names.get(home, home)}, as the national system computes them"
    return table(headers, rows, css_class="yearly", caption=esc(caption))


def present_points(
    result: PointsResult, institutions: tuple[str, ...], names: dict[str, str], *, synthetic: bool
) -> AnalysisResult:
    """``result`` for every writer."""
    if not result.available:
        return unavailable("points", TITLE, result.reason or "", synthetic=synthetic)
    home = institutions[0]
    figure = FigureSpec(
        "publication_points",
        TITLE,
        "Publication points per year (NVI rules: base points by type and channel level, ×1.3 "
        "for international co-authorship, × the square root of the institution's share of "
        "author shares), computed from OpenAlex records; see the notes for every difference "
        "from the national system.",
        lambda: points_figure(result, names),
    )
    return AnalysisResult(
        key="points",
        title=TITLE,
        tables={"points_by_year": result.points_by_year, "points_per_work": result.points_per_work},
        text=points_text(result, names, home),
        html=_html(result, names, home),
        figures=(figure,),
        notes=result.notes,
        provenance={
            "institutions": list(institutions),
            "rules": "BIBSYSDEV/nva-nvi PointCalculator (ported in copub.analyses.points.rules)",
        },
        synthetic=synthetic,
    )
