"""Pictures of the partner networks and of the top partners over time (matplotlib, no pyplot).

Figures are built on :class:`matplotlib.figure.Figure` directly, so drawing
never touches pyplot's global state or needs a display. Each function writes
PNG and SVG by default and returns the paths.

Nodes are sized by works and coloured by their first matching group, in the
order home, alliance, infrastructure, priority country, LMIC, development
partner, Nordic, EU/EEA, other, in the Okabe–Ito colour-blind-safe palette.

The country picture is the home institution's partner map: the home node in
the middle, its ``top`` partners plus every priority and development-partner
country it shares works with, each labelled. Distance from home means
co-publications with home (:func:`copub.networks.layout_radial.radial_layout`:
log scale, labelled rings), so nearer is more; association strength
(``c_ij / (c_i c_j)``, as in VOSviewer) orders the angles, by Louvain cluster,
and draws each partner's two strongest links to other partners. Every
picture can carry a source footer, and pictures made from the synthetic
sample say so on their face.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from copub.errors import UsageError
from copub.networks.build import top_nodes
from copub.networks.categories import CATEGORIES as _CATEGORIES
from copub.networks.categories import CATEGORY_COLOURS as _COLOURS
from copub.networks.categories import OKABE_ITO
from copub.networks.categories import node_category as _category
from copub.networks.layout import layout_positions
from copub.networks.layout_radial import (
    RADIAL_CAPTION,
    Ring,
    association_strength,
    radial_layout,
)
from copub.render.figures import save_svg

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "MAP_GROUPS",
    "OKABE_ITO",
    "association_strength",
    "map_nodes",
    "plot_country_network",
    "plot_partner_network",
    "plot_top_partners",
]

_SYNTHETIC = "SYNTHETIC SAMPLE DATA: not real publications"
#: Groups whose every country with a shared work is on the partner map.
MAP_GROUPS = ("priority", "devpartner")
_FORMATS = ("png", "svg")


def _stamp(figure: Figure, *, synthetic: bool, footer: str | None) -> None:
    """The synthetic tag (top right) and the source footer (bottom left)."""
    if synthetic:
        figure.text(
            0.99, 0.995, _SYNTHETIC, fontsize=9, color="#b00020", fontweight="bold",
            ha="right", va="top",
        )  # fmt: skip
    if footer:
        figure.text(0.01, 0.005, footer, fontsize=7, color="#666666", ha="left", va="bottom")


def _save(
    figure: Figure,
    path: str | Path,
    formats: Sequence[str],
    *,
    synthetic: bool = False,
    footer: str | None = None,
) -> list[Path]:
    unknown = [f for f in formats if f not in _FORMATS]
    if unknown or not formats:
        raise UsageError(f"picture formats must be among {', '.join(_FORMATS)}, not {unknown}")
    target = Path(path)
    base = target.with_suffix("") if target.suffix.lower() in (".png", ".svg") else target
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    description = " ".join(
        part for part in (_SYNTHETIC + "." if synthetic else "", footer or "") if part
    )
    for fmt in formats:
        out = base.with_name(f"{base.name}.{fmt}")
        metadata: dict[str, str | None] = {"Description": description} if description else {}
        if fmt == "svg":  # the same picture, the same file
            save_svg(figure, out, metadata=metadata, dpi=150, bbox_inches="tight")
        else:
            figure.savefig(out, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
        written.append(out)
    return written


def _title(graph: nx.Graph, what: str) -> str:
    period = graph.graph.get("period") or graph.graph.get("years") or ""
    synthetic = " — SYNTHETIC sample data" if graph.graph.get("synthetic") else ""
    return f"{what}{', ' + str(period) if period else ''}{synthetic}"


def _top_subgraph(graph: nx.Graph, top: int | None) -> nx.Graph:
    return graph if top is None else top_nodes(graph, top)


def _draw_rings(ax: Axes, rings: Sequence[Ring], label_angle: float) -> None:
    """Ring guides: the distance of a partner with that many co-publications with home.

    The outermost ring says what the numbers count; the inner ones give the number.
    """
    from matplotlib.patches import Circle  # here, not at the top: slow to import

    outermost = max((ring.radius for ring in rings), default=0.0)
    for ring in rings:
        ax.add_patch(
            Circle((0.0, 0.0), ring.radius, fill=False, edgecolor="#c9d1d9", linewidth=0.8,
                   linestyle="--", zorder=0)
        )  # fmt: skip
        ax.text(
            ring.radius * math.cos(label_angle), ring.radius * math.sin(label_angle),
            ring.label if ring.radius == outermost else ring.number, fontsize=7,
            color="#6b7785", ha="center", va="center", zorder=0,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )  # fmt: skip


def _home_layout(
    graph: nx.Graph, seed: int
) -> tuple[dict[str, tuple[float, float]], tuple[Ring, ...], float]:
    """Positions, rings and ring-label angle: radial around a single home node, else force."""
    home = [n for n, d in graph.nodes(data=True) if d.get("is_home")]
    if len(home) == 1:
        radial = radial_layout(graph, home[0], seed=seed)
        return radial.positions, radial.rings, radial.label_angle
    # No single home node to put in the middle: the force layout, no rings.
    return layout_positions(graph, seed=seed), (), 0.0


def _draw(graph: nx.Graph, title: str, *, seed: int, labels: int) -> Figure:
    # Here, not at the top: matplotlib takes most of a second to import.
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = Figure(figsize=(10, 8))
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=13)
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no co-authored works in this selection", ha="center", va="center")
        return figure
    positions, rings, label_angle = _home_layout(graph, seed)
    home = [n for n, d in graph.nodes(data=True) if d.get("is_home")]
    nodes = sorted(graph.nodes)
    works = [float(graph.nodes[n].get("works") or 0) for n in nodes]
    if rings:
        # Radial: distance already says how much each partner co-publishes with home,
        # so no spokes; the links between partners by association strength.
        _draw_rings(ax, rings, label_angle)
        _draw_partner_links(ax, graph, positions, home)
        most = max((w for n, w in zip(nodes, works, strict=True) if n not in home), default=1.0)
        sizes = [
            500.0 if n in home else 30 + 900 * w / (most or 1.0)
            for n, w in zip(nodes, works, strict=True)
        ]
        figure.text(
            0.01,
            0.02,
            "\n".join(textwrap.wrap(RADIAL_CAPTION, 130)),
            fontsize=8,
            color="#444444",
            va="bottom",
        )
        ax.set_aspect("equal", adjustable="datalim")
    else:
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
        most = max(works, default=1.0) or 1.0
        sizes = [40 + 1600 * w / most for w in works]
    categories = [_category(graph.nodes[n]) for n in nodes]
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


def map_nodes(graph: nx.Graph, top: int | None) -> list[str]:
    """The partner map's nodes: home, the ``top`` partners by works, and every
    priority and development-partner country with a shared work.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("NO", {"works": 50, "is_home": True}), ("SE", {"works": 9}),
    ...     ("US", {"works": 7}), ("MZ", {"works": 1, "groups": ["devpartner", "lmic"]})])
    >>> map_nodes(g, 1)
    ['MZ', 'NO', 'SE']
    """
    home = [str(n) for n, d in graph.nodes(data=True) if d.get("is_home")]
    partners = sorted(
        ((str(n), d) for n, d in graph.nodes(data=True) if not d.get("is_home")),
        key=lambda nd: (-(nd[1].get("works") or 0), nd[0]),
    )
    keep = {n for n, _ in (partners if top is None else partners[:top])}
    keep |= {
        n
        for n, d in partners
        if (d.get("works") or 0) > 0 and set(d.get("groups") or ()) & set(MAP_GROUPS)
    }
    return sorted(keep | set(home))


def _strongest_links(
    sub: nx.Graph, strength: dict[tuple[str, str], float], home: list[str]
) -> dict[tuple[str, str], float]:
    """Each partner's two strongest association-strength links to other partners."""
    kept: dict[tuple[str, str], float] = {}
    for node in sorted(sub.nodes):
        if node in home:
            continue
        links = sorted(
            (
                (value, pair)
                for pair, value in strength.items()
                if node in pair and value > 0 and not set(pair) & set(home)
            ),
            reverse=True,
        )
        kept.update({pair: value for value, pair in links[:2]})
    return kept


def _draw_partner_links(
    ax: Axes, graph: nx.Graph, positions: dict[str, tuple[float, float]], home: list[str]
) -> None:
    """Each partner's two strongest association-strength links, wider and darker the stronger."""
    from matplotlib.collections import LineCollection  # here, not at the top: slow to import

    strongest = _strongest_links(graph, association_strength(graph), home)
    top_strength = max(strongest.values(), default=1.0) or 1.0
    pairs = sorted(strongest)
    ax.add_collection(
        LineCollection(
            [(positions[a], positions[b]) for a, b in pairs],
            linewidths=[0.4 + 2.6 * strongest[p] / top_strength for p in pairs],
            colors=[(0.33, 0.33, 0.33, 0.15 + 0.55 * strongest[p] / top_strength) for p in pairs],
            zorder=1,
        )
    )


def _draw_map(
    graph: nx.Graph, title: str, *, top: int | None, seed: int, footer: str | None
) -> Figure:
    # Here, not at the top: matplotlib takes most of a second to import.
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = Figure(figsize=(10, 8.4))
    ax = figure.add_axes((0.01, 0.04, 0.72, 0.88))
    ax.set_axis_off()
    figure.suptitle(title, fontsize=13, fontweight="bold", x=0.01, ha="left", y=0.975)
    _stamp(figure, synthetic=bool(graph.graph.get("synthetic")), footer=footer)
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no co-authored works in this selection", ha="center", va="center")
        return figure
    sub = graph.subgraph(map_nodes(graph, top)).copy()
    home = [n for n, d in sub.nodes(data=True) if d.get("is_home")]
    positions, rings, label_angle = _home_layout(sub, seed)
    _draw_rings(ax, rings, label_angle)
    works = {n: float(sub.nodes[n].get("works") or 0) for n in sub.nodes}
    most = max((w for n, w in works.items() if n not in home), default=1.0) or 1.0
    _draw_partner_links(ax, sub, positions, home)
    nodes = sorted(sub.nodes)
    categories = [_category(sub.nodes[n]) for n in nodes]
    sizes = [500.0 if n in home else 25 + 600 * works[n] / most for n in nodes]
    ax.scatter(
        [positions[n][0] for n in nodes],
        [positions[n][1] for n in nodes],
        s=sizes,
        c=[_COLOURS[c] for c in categories],
        edgecolors="#333333",
        linewidths=0.6,
        zorder=2,
    )
    for node, size in zip(nodes, sizes, strict=True):
        x, y = positions[node]
        label = str(sub.nodes[node].get("label") or node)
        label = label if len(label) <= 22 else label[:21] + "…"
        ax.annotate(
            label,
            (x, y),
            fontsize=7.5,
            ha="center",
            va="bottom",
            xytext=(0, math.sqrt(size) / 2 + 1.5),
            textcoords="offset points",
            zorder=3,
            fontweight="bold" if node in home else "normal",
        )
    present = [c for c, _, _ in _CATEGORIES if c in categories]
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=9, color=_COLOURS[c],
               markeredgecolor="#333333", label=name)
        for c, name, _ in _CATEGORIES
        if c in present
    ]  # fmt: skip
    handles += [
        Line2D([], [], color="#9aa7b4", linestyle="--", label="rings: co-publications with home"),
        Line2D([], [], color="#555555", linewidth=2, label="strongest association links"),
    ]
    figure.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.74, 0.9), fontsize=9,
        frameon=False, title="node colour (size: works)", title_fontsize=9,
    )  # fmt: skip
    shown = f"{top} partners with most works." if top else "partners."
    placement = (
        "\n".join(textwrap.wrap(RADIAL_CAPTION, 34))
        if len(home) == 1
        else "Placement: force layout (no\nsingle home node)."
    )
    figure.text(
        0.74, 0.36,
        "Every priority and development-\npartner country with a shared work\nis shown and "
        f"labelled, with the\n{shown}\n\n{placement}\n\nLines: each partner's two strongest\n"
        "association links (width and\ndarkness: strength).",
        fontsize=8, color="#444444", va="top",
    )  # fmt: skip
    ax.margins(0.06)
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    return figure


def plot_country_network(
    graph: nx.Graph,
    path: str | Path,
    *,
    top: int | None = 25,
    labels: int = 25,
    seed: int = 0,
    formats: Sequence[str] = _FORMATS,
    footer: str | None = None,
) -> list[Path]:
    """Draw the home institution's partner map from a country network.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`copub.build_network` with ``kind="country"``.
    path : path
        File name; the suffix is replaced by each format's.
    top : int, optional
        Show the countries with most works (all when None), and always every
        priority and development-partner country with a shared work.
    labels : int
        Kept for compatibility: every node on the map is labelled.
    seed : int
        Seed of the Louvain clusters that order the partners' angles.
    formats : sequence of {"png", "svg"}
    footer : str, optional
        Source line printed at the bottom.

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
    del labels
    if top is not None and top < 1:
        raise UsageError(f"top must be at least 1, not {top}")
    figure = _draw_map(
        graph, _title(graph, "Partner map: co-authorship between countries"),
        top=top, seed=seed, footer=footer,
    )  # fmt: skip
    return _save(figure, path, formats, synthetic=bool(graph.graph.get("synthetic")), footer=footer)


def plot_partner_network(
    graph: nx.Graph,
    path: str | Path,
    *,
    top: int | None = 30,
    labels: int = 20,
    seed: int = 0,
    formats: Sequence[str] = _FORMATS,
    footer: str | None = None,
) -> list[Path]:
    """Draw the home institution and its ``top`` partner institutions (by works).

    Parameters and returns as :func:`plot_country_network`; ``graph`` is an
    institution network from :func:`copub.build_network`.
    """
    sub = _top_subgraph(graph, top)
    shown = sum(1 for _, d in sub.nodes(data=True) if not d.get("is_home"))
    title = _title(graph, f"Top {shown} partner institutions")
    figure = _draw(sub, title, seed=seed, labels=labels)
    _stamp(figure, synthetic=bool(graph.graph.get("synthetic")), footer=footer)
    return _save(figure, path, formats, synthetic=bool(graph.graph.get("synthetic")), footer=footer)


def plot_top_partners(
    partner_table: pl.DataFrame,
    path: str | Path,
    *,
    top: int = 10,
    formats: Sequence[str] = _FORMATS,
    title: str | None = None,
    synthetic: bool = False,
    footer: str | None = None,
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
    synthetic : bool
        Tag the picture as made from synthetic data.
    footer : str, optional
        Source line printed at the bottom.

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
    from matplotlib.figure import Figure  # here, not at the top: slow to import

    figure = Figure(figsize=(10, 6))
    ax = figure.add_axes((0.08, 0.14, 0.68, 0.76))
    _stamp(figure, synthetic=synthetic, footer=footer)
    colours = [c for c in OKABE_ITO if c != "#F0E442"]  # yellow is too faint for lines
    for i, row in enumerate(partner_table.head(top).iter_rows(named=True)):
        ax.plot(
            years,
            [row[c] for c in year_columns],
            marker="os^D"[i // len(colours) % 4],
            markersize=3.5,
            linestyle="-" if i < len(colours) else "--",
            color=colours[i % len(colours)],
            label=row["label"],
        )
    ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("publication year")
    ax.set_ylabel("co-publications (full counting)")
    figure.suptitle(
        title or f"Top {min(top, partner_table.height)} partners over time",
        fontsize=13, fontweight="bold", x=0.01, ha="left", y=0.975,
    )  # fmt: skip
    ax.grid(alpha=0.3)
    if partner_table.height:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _save(figure, path, formats, synthetic=synthetic, footer=footer)
