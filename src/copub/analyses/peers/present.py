"""The peers analysis presented: the home beside its peers, as text, figure and tables.

:func:`copub.peer_indicators` computes; this module only formats: a terminal
table of one share with ranks and tests against the home, the shared-works
matrix, and small multiples of each institution's share over the years with
its interval (the home dashed in each panel).
"""

from __future__ import annotations

import math
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
from copub.indicators.definitions import share_column
from copub.indicators.peers import PeerIndicators, peer_group, peer_indicators
from copub.progress import Progress
from copub.render.figures import PALETTE, new_figure, stamp
from copub.render.html import esc
from copub.render.text import clip, percent, text_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["compute_peers", "peers_figure", "peers_text"]

_GROUPS = ("n5t", "enhance", "norway_universities")


def _codes(result: PeerIndicators) -> dict[str, str]:
    """Short labels: a packaged group's member code (by id, else by name), else the id."""
    by_id: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for key in _GROUPS:
        for member in peer_group(key, result.definitions).members:
            if member.openalex_id:
                by_id.setdefault(member.openalex_id, member.code)
            if member.name:
                by_name.setdefault(member.name, member.code)
    names = dict(result.table.select("institution_id", "institution_name").unique().iter_rows())
    return {i: by_id.get(i) or by_name.get(str(names.get(i, ""))) or i for i in result.institutions}


def peers_text(result: PeerIndicators, indicator: str = "intl") -> str:
    """The peers table of one share (within 100 columns), then the shared-works matrix."""
    share = share_column(indicator)
    by = "year" if "year" in result.table.columns else "period"
    rows = []
    for row in result.table.iter_rows(named=True):
        name = row["institution_name"] + (" (home)" if row["is_home"] else "")
        mark = "" if row["is_home"] else ("*" if row[f"{share}_differs"] else "")
        rank = row[f"{share}_rank"]
        rows.append(
            [
                str(row[by]),
                name,
                f"{row['works']:,}",
                percent(row[share], row[f"{share}_low"], row[f"{share}_high"]) + f" {mark:1}",
                percent(row[f"{share}_frac"]),
                "-" if rank is None else str(rank),
            ]
        )
    headers = [by.capitalize(), "Institution", "Works", f"{indicator} full [95%]", "frac", "Rank"]
    # a long name goes on below, never cut
    wrap = [None, 41, None, None, None, None]
    parts = [text_table(headers, rows, [False, False, True, True, True, True], wrap=wrap)]
    parts.append("* differs from the home institution (two-proportion z-test, p < 0.05)")
    for missing in result.unresolved:
        parts.append(f"not in the data: {missing}")
    codes = _codes(result)
    share_of = {
        (a, b): s
        for a, b, s in result.shared.select("institution_id", "partner_id", "share").iter_rows()
    }
    order = list(result.institutions)
    lines = [
        [codes[a], *("-" if a == b else percent(share_of[(a, b)]) for b in order)] for a in order
    ]
    parts.append(
        "\nShare of the row institution's works that the column institution is also on:\n"
        + text_table(["", *(codes[i] for i in order)], lines, [False] + [True] * len(order))
    )
    return "\n".join(parts) + "\n"


def peers_figure(result: PeerIndicators, *, synthetic: bool, indicator: str = "intl") -> Figure:
    """Small multiples: one panel per institution, its share over time with the 95% interval.

    The home institution's line is repeated, grey, in every peer's panel.
    """
    share = share_column(indicator)
    by = "year" if "year" in result.table.columns else "first_year"
    n = len(result.institutions)
    ncols = min(3, n)
    nrows = math.ceil(n / ncols)
    figure = new_figure((9.0, 2.6 * nrows + 0.8))
    figure.suptitle(f"{indicator} share beside the peers", x=0.01, ha="left")
    home = result.table.filter("is_home").sort(by)
    axes = figure.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    for ax, institution in zip(axes.flat, result.institutions, strict=False):
        rows = result.table.filter(pl.col("institution_id") == institution).sort(by)
        x = rows[by].to_list()
        ax.fill_between(
            x,
            rows[f"{share}_low"].fill_null(float("nan")).to_list(),
            rows[f"{share}_high"].fill_null(float("nan")).to_list(),
            alpha=0.25,
            color=PALETTE[0],
            linewidth=0,
        )
        ax.plot(x, rows[share].fill_null(float("nan")).to_list(), color=PALETTE[0], marker="o")
        if institution != result.home:
            ax.plot(home[by].to_list(), home[share].fill_null(float("nan")).to_list(),
                    color="grey", linestyle="--", linewidth=1)  # fmt: skip
        ax.set_title(clip(str(rows["institution_name"][0]), 34), fontsize=9)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    for ax in list(axes.flat)[:n]:
        ax.xaxis.set_tick_params(labelbottom=True)  # a panel with none below keeps its years
    stamp(figure, footer=None, synthetic=synthetic)
    return figure


def compute_peers(
    inputs: AnalysisInputs, definitions: Definitions, options: ShowOptions, progress: Progress
) -> AnalysisResult:
    """The home beside ``definitions.peer_group``'s members and ``definitions.peers``."""
    if definitions.peer_group is None and not definitions.peers:
        return unavailable(
            "peers", "Beside the peers",
            "No peers were asked for (--peers GROUP or --institution).",
            synthetic=inputs.synthetic,
        )  # fmt: skip
    label = definitions.peer_group or ", ".join(definitions.peers)
    progress.note(f"computing the figures beside the peers ({label})")
    result = peer_indicators(
        inputs.tables, definitions, peers=list(definitions.peers), group=definitions.peer_group,
        period=options.table_rows(),
    )  # fmt: skip
    for missing in result.unresolved:
        progress.note(f"not in the data: {missing}")
    synthetic = inputs.synthetic
    text = peers_text(result, options.indicator)
    share = share_column(options.indicator)
    figure = FigureSpec(
        "peers",
        "Beside the peers",
        f"Each panel: one institution's {options.indicator} share per year (line) with its 95% "
        "interval (band); the dashed grey line is the home institution.",
        lambda: peers_figure(result, synthetic=synthetic, indicator=options.indicator),
    )
    return AnalysisResult(
        key="peers",
        title="Beside the peers",
        tables={"peers": result.table, "peers_shared_works": result.shared},
        text=text,
        html=f"<pre>{esc(text)}</pre>",
        figures=(figure,) if options.period == "year" and share in result.table.columns else (),
        notes=tuple(f"not in the data: {m}" for m in result.unresolved),
        provenance={
            "institutions": list(result.institutions),
            "peer_group": definitions.peer_group,
            "period": options.period,
        },
        synthetic=synthetic,
    )
