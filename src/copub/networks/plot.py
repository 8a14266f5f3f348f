"""Pictures of the partner networks and of the top partners over time (matplotlib, no pyplot).

Figures are built on :class:`matplotlib.figure.Figure` directly, so drawing
never touches pyplot's global state or needs a display. Each function writes
PNG and SVG by default and returns the paths.

Nodes are sized by works and coloured by their first matching group, in the
order home, alliance, infrastructure, priority country, LMIC, development
partner, Nordic, EU/EEA, other, in the Okabe–Ito colour-blind-safe palette.

The country picture is the home institution's partner map: the home node in
the middle, its ``top`` partners plus every priority and development-partner
country it shares works with, each labelled. The partners are placed as
VOSviewer does, by a force layout on association-strength–normalised links
(``c_ij / (c_i c_j)``), so countries sit near those they co-publish with more
than their sizes predict rather than all in one hairball; only each partner's
two strongest normalised links are drawn. Every picture can carry a source
footer, and pictures made from the synthetic sample say so on their face.
"""

from __future__ import annotations

import math
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

if TYPE_CHECKING:
    import networkx as nx
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
        metadata = {"Description": description} if description else None
        figure.savefig(out, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
        written.append(out)
    return written


def _title(graph: nx.Graph, what: str) -> str:
    period = graph.graph.get("period") or graph.graph.get("years") or ""
    synthetic = " — SYNTHETIC sample data" if graph.graph.get("synthetic") else ""
    return f"{what}{', ' + str(period) if period else ''}{synthetic}"


def _top_subgraph(graph: nx.Graph, top: int | None) -> nx.Graph:
    return graph if top is None else top_nodes(graph, top)


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


def association_strength(graph: nx.Graph) -> dict[tuple[str, str], float]:
    """VOSviewer's association strength of every link: ``c_ij / (c_i c_j)``.

    ``c_ij`` is the link's full count (``works``, else ``weight``) and ``c_i``
    a node's works. Dividing by both sizes removes what size alone predicts,
    so a link says how much more two nodes co-publish than expected.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("A", {"works": 10}), ("B", {"works": 5}), ("C", {"works": 100})])
    >>> g.add_edge("A", "B", works=4); g.add_edge("A", "C", works=8)
    >>> strength = association_strength(g)
    >>> strength[("A", "B")] > strength[("A", "C")]
    True
    """
    out = {}
    for u, v, d in graph.edges(data=True):
        shared = float(d.get("works", d.get("weight", 0.0)) or 0.0)
        ci = float(graph.nodes[u].get("works") or 0)
        cj = float(graph.nodes[v].get("works") or 0)
        a, b = sorted((str(u), str(v)))
        out[(a, b)] = shared / (ci * cj) if ci > 0 and cj > 0 else 0.0
    return out


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


def _map_positions(
    sub: nx.Graph, strength: dict[tuple[str, str], float], seed: int
) -> dict[str, tuple[float, float]]:
    """Partners laid out on normalised links; home fixed in the middle."""
    home = [n for n, d in sub.nodes(data=True) if d.get("is_home")]
    partners = [n for n in sorted(sub.nodes) if n not in home]
    import networkx as nx  # here, not at the top: networkx is slow to import

    layout = nx.Graph()
    layout.add_nodes_from(partners)
    top = max((strength.get(tuple(sorted((u, v))), 0.0) for u, v in sub.edges()), default=0.0)
    for u, v in sorted(sub.edges()):
        if u in home or v in home:
            continue
        value = strength.get(tuple(sorted((u, v))), 0.0)  # type: ignore[arg-type]
        if value > 0 and top > 0:
            layout.add_edge(u, v, w=value / top)
    if not partners:
        return {n: (0.0, 0.0) for n in home}
    raw = nx.spring_layout(layout, weight="w", seed=seed, k=1.6 / math.sqrt(len(partners)))
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    positions = {str(n): (float(p[0]) - cx, float(p[1]) - cy) for n, p in raw.items()}
    for node in home:
        positions[node] = (0.0, 0.0)
    # Nudge partners off the home node, which sits in the middle.
    for node in partners:
        x, y = positions[node]
        r = math.hypot(x, y)
        if r < 0.18:
            angle = math.atan2(y, x) if r > 0 else (hash(node) % 360) * math.pi / 180
            positions[node] = (0.18 * math.cos(angle), 0.18 * math.sin(angle))
    return positions


def _draw_map(
    graph: nx.Graph, title: str, *, top: int | None, seed: int, footer: str | None
) -> Figure:
    # Here, not at the top: matplotlib takes most of a second to import.
    from matplotlib.collections import LineCollection
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
    strength = association_strength(sub)
    positions = _map_positions(sub, strength, seed)
    home = [n for n, d in sub.nodes(data=True) if d.get("is_home")]
    works = {n: float(sub.nodes[n].get("works") or 0) for n in sub.nodes}
    most = max((w for n, w in works.items() if n not in home), default=1.0) or 1.0
    # Spokes: the home node's co-publications with each partner (width: works).
    spokes = [(positions[h], positions[n]) for h in home for n in sub.nodes if n not in home]
    spoke_width = [0.4 + 4.0 * works[n] / most for h in home for n in sub.nodes if n not in home]
    ax.add_collection(
        LineCollection(spokes, linewidths=spoke_width, colors="#9aa7b4", alpha=0.45, zorder=1)
    )
    # Each partner's two strongest normalised links to other partners.
    strongest: set[tuple[str, str]] = set()
    for node in sub.nodes:
        if node in home:
            continue
        links = sorted(
            (
                (value, pair)
                for pair, value in strength.items()
                if node in pair and not set(pair) & set(home)
            ),
            reverse=True,
        )
        strongest |= {pair for _, pair in links[:2]}
    ax.add_collection(
        LineCollection(
            [(positions[a], positions[b]) for a, b in sorted(strongest)],
            linewidths=0.8,
            colors="#555555",
            alpha=0.5,
            linestyles="dotted",
            zorder=1,
        )
    )
    nodes = sorted(sub.nodes)
    categories = [_category(sub.nodes[n]) for n in nodes]
    sizes = [900.0 if n in home else 30 + 1300 * works[n] / most for n in nodes]
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
        Line2D([], [], color="#9aa7b4", linewidth=3, label="co-publications with home"),
        Line2D([], [], color="#555555", linestyle="dotted", label="strongest normalised links"),
    ]
    figure.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.74, 0.9), fontsize=9,
        frameon=False, title="node colour (size: works)", title_fontsize=9,
    )  # fmt: skip
    figure.text(
        0.74, 0.30,
        "Every priority and development-\npartner country with a shared work\nis shown and "
        "labelled, with the\n" + (f"{top} partners with most works." if top else "partners.")
        + "\nPlacement: association strength\nc_ij / (c_i·c_j), as in VOSviewer.",
        fontsize=8, color="#444444", va="top",
    )  # fmt: skip
    ax.margins(0.1)
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
        Layout seed.
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
