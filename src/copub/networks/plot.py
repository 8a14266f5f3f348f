"""Pictures of the partner networks and of the top partners over time (matplotlib, no pyplot).

Figures are built on :class:`matplotlib.figure.Figure` directly, so drawing
never touches pyplot's global state or needs a display. Each function writes
PNG and SVG by default and returns the paths.

Nodes are sized by works and coloured by their first matching group, in the
order home, alliance, infrastructure, priority country, LMIC, development
partner, Nordic, EU/EEA, other; edge width follows the link weight. Pictures
made from the synthetic sample say so in the title.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from copub.errors import UsageError
from copub.networks.build import top_nodes
from copub.networks.layout import layout_positions

__all__ = ["plot_country_network", "plot_partner_network", "plot_top_partners"]

_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    # (category, legend label, colour)
    ("home", "home", "#3b3b3b"),
    ("alliance", "alliance partner", "#1f77b4"),
    ("infrastructure", "research infrastructure", "#9467bd"),
    ("priority", "priority country", "#d62728"),
    ("lmic", "low/middle income", "#ff7f0e"),
    ("devpartner", "development partner", "#8c564b"),
    ("nordic", "Nordic", "#2ca02c"),
    ("eu", "EU/EEA", "#17becf"),
    ("other", "other", "#b0b0b0"),
)
_COLOURS = {key: colour for key, _, colour in _CATEGORIES}
_ALLIANCE_KEYS = ("enhance", "n5t", "alliance")
_FORMATS = ("png", "svg")


def _category(data: dict[str, Any]) -> str:
    if data.get("is_home"):
        return "home"
    groups = set(data.get("groups") or ())
    if groups & set(_ALLIANCE_KEYS):
        return "alliance"
    for key, aliases in (
        ("infrastructure", ("infrastructure",)),
        ("priority", ("priority", "panorama")),
        ("lmic", ("lmic",)),
        ("devpartner", ("devpartner",)),
        ("nordic", ("nordic",)),
        ("eu", ("eu", "eea")),
    ):
        if groups & set(aliases):
            return key
    return "other"


def _save(figure: Figure, path: str | Path, formats: Sequence[str]) -> list[Path]:
    unknown = [f for f in formats if f not in _FORMATS]
    if unknown or not formats:
        raise UsageError(f"picture formats must be among {', '.join(_FORMATS)}, not {unknown}")
    target = Path(path)
    base = target.with_suffix("") if target.suffix.lower() in (".png", ".svg") else target
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        out = base.with_name(f"{base.name}.{fmt}")
        figure.savefig(out, format=fmt, dpi=150, bbox_inches="tight")
        written.append(out)
    return written


def _title(graph: nx.Graph, what: str) -> str:
    period = graph.graph.get("period") or graph.graph.get("years") or ""
    synthetic = " — SYNTHETIC sample data" if graph.graph.get("synthetic") else ""
    return f"{what}{', ' + str(period) if period else ''}{synthetic}"


def _top_subgraph(graph: nx.Graph, top: int | None) -> nx.Graph:
    return graph if top is None else top_nodes(graph, top)


def _draw(graph: nx.Graph, title: str, *, seed: int, labels: int) -> Figure:
    figure = Figure(figsize=(10, 8))
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=13)
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no co-authored works in this selection", ha="center", va="center")
        return figure
    positions = layout_positions(graph, seed=seed)
    weights = [float(d.get("weight", 1.0)) for _, _, d in graph.edges(data=True)]
    heaviest = max(weights, default=1.0) or 1.0
    segments = [(positions[u], positions[v]) for u, v in graph.edges()]
    ax.add_collection(
        LineCollection(
            segments,
            linewidths=[0.3 + 5.0 * w / heaviest for w in weights],
            colors="#8a8a8a",
            alpha=0.35,
            zorder=1,
        )
    )
    nodes = sorted(graph.nodes)
    works = [float(graph.nodes[n].get("works") or 0) for n in nodes]
    most = max(works, default=1.0) or 1.0
    categories = [_category(graph.nodes[n]) for n in nodes]
    sizes = [40 + 1600 * w / most for w in works]
    ax.scatter(
        [positions[n][0] for n in nodes],
        [positions[n][1] for n in nodes],
        s=sizes,
        c=[_COLOURS[c] for c in categories],
        edgecolors="white",
        linewidths=0.8,
        zorder=2,
    )
    radius = {n: math.sqrt(s) / 2 for n, s in zip(nodes, sizes, strict=True)}
    ranked = sorted(nodes, key=lambda n: (-(graph.nodes[n].get("works") or 0), n))[:labels]
    for node in ranked:
        x, y = positions[node]
        label = str(graph.nodes[node].get("label") or node)
        ax.annotate(
            label if len(label) <= 32 else label[:30] + "…",
            (x, y),
            fontsize=8,
            ha="center",
            va="bottom",
            # Offset by the marker's radius (in points) so big nodes do not hide their labels.
            xytext=(0, radius[node] + 2),
            textcoords="offset points",
            zorder=3,
        )
    present = [c for c, _, _ in _CATEGORIES if c in categories]
    ax.legend(
        handles=[
            Line2D([], [], marker="o", linestyle="", markersize=9, color=_COLOURS[c], label=name)
            for c, name, _ in _CATEGORIES
            if c in present
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=9,
        frameon=False,
        title="node colour (size: works)",
        title_fontsize=9,
    )
    ax.margins(0.08)
    ax.autoscale_view()
    return figure


def plot_country_network(
    graph: nx.Graph,
    path: str | Path,
    *,
    top: int | None = 40,
    labels: int = 25,
    seed: int = 0,
    formats: Sequence[str] = _FORMATS,
) -> list[Path]:
    """Draw a country network (the ``top`` countries by works, plus home).

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`copub.build_network` with ``kind="country"``.
    path : path
        File name; the suffix is replaced by each format's.
    top : int, optional
        Keep the countries with most works (all when None).
    labels : int
        Label this many of the largest nodes.
    seed : int
        Layout seed.
    formats : sequence of {"png", "svg"}

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = nx.Graph(kind="country")
    >>> g.add_node("NO", label="Norway", works=5, is_home=True)
    >>> g.add_node("SE", label="Sweden", works=2, groups=["nordic"])
    >>> g.add_edge("NO", "SE", weight=2)
    >>> [p.suffix for p in plot_country_network(g, tempfile.mkdtemp() + "/countries")]
    ['.png', '.svg']
    """
    sub = _top_subgraph(graph, top)
    figure = _draw(sub, _title(graph, "Co-authorship between countries"), seed=seed, labels=labels)
    return _save(figure, path, formats)


def plot_partner_network(
    graph: nx.Graph,
    path: str | Path,
    *,
    top: int | None = 30,
    labels: int = 20,
    seed: int = 0,
    formats: Sequence[str] = _FORMATS,
) -> list[Path]:
    """Draw the home institution and its ``top`` partner institutions (by works).

    Parameters and returns as :func:`plot_country_network`; ``graph`` is an
    institution network from :func:`copub.build_network`.
    """
    sub = _top_subgraph(graph, top)
    shown = sum(1 for _, d in sub.nodes(data=True) if not d.get("is_home"))
    title = _title(graph, f"Top {shown} partner institutions")
    figure = _draw(sub, title, seed=seed, labels=labels)
    return _save(figure, path, formats)


def plot_top_partners(
    partner_table: pl.DataFrame,
    path: str | Path,
    *,
    top: int = 10,
    formats: Sequence[str] = _FORMATS,
    title: str | None = None,
) -> list[Path]:
    """Co-publications per year of the ``top`` partners of a partner table.

    Parameters
    ----------
    partner_table : pl.DataFrame
        From :func:`copub.partner_table` (reads ``label`` and ``works_YYYY``).
    path : path
    top : int
        The first ``top`` rows (the table is ranked).
    formats : sequence of {"png", "svg"}
    title : str, optional

    Returns
    -------
    list of Path
    """
    year_columns = sorted(
        c for c in partner_table.columns if c.startswith("works_") and c[6:].isdigit()
    )
    if "label" not in partner_table.columns or not year_columns:
        raise UsageError(
            "plot_top_partners needs a partner table with label and works_YYYY columns"
        )
    years = [int(c[6:]) for c in year_columns]
    figure = Figure(figsize=(10, 6))
    ax = figure.add_subplot()
    for row in partner_table.head(top).iter_rows(named=True):
        ax.plot(years, [row[c] for c in year_columns], marker="o", markersize=3, label=row["label"])
    ax.set_xlabel("publication year")
    ax.set_ylabel("co-publications (full counting)")
    ax.set_title(title or f"Top {min(top, partner_table.height)} partners over time")
    ax.grid(alpha=0.3)
    if partner_table.height:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _save(figure, path, formats)
