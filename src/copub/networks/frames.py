"""A graph as two polars frames, built once and shared by every export format.

Large co-authorship graphs (the author network of an NTNU-sized university
has millions of links) are written from these frames with vectorised string
expressions. A network built as :class:`NetworkFrames` (what ``copub
network`` does) is exported without any networkx graph and without any
per-link Python work; a networkx graph is iterated once, whatever the number
of formats. Both routes give the same frames.

Layout and Louvain clusters are computed only where they are cheap
(:data:`LAYOUT_MAX_NODES`, :data:`CLUSTER_MAX_EDGES`); above that the files
carry no coordinates or clusters, and VOSviewer and Gephi compute their own
when they open them, as they do for any file without them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from copub.errors import UsageError
from copub.networks.layout import layout_positions
from copub.networks.metrics import GraphSummary, communities
from copub.progress import Progress

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "CLUSTER_MAX_EDGES",
    "LAYOUT_MAX_NODES",
    "GraphFrames",
    "NetworkFrames",
    "graph_frames",
    "network_frames",
]

#: networkx lays out fewer than 500 nodes with its vectorised force solver
#: (about a second for 450 nodes and 85,000 links on this project's 2-core
#: machine); from 500 nodes it switches to an optimiser that took 4-10 s for
#: 614 nodes, 17 s for 1,716 and 29 s for 2,000. VOSviewer and Gephi lay out
#: larger maps themselves in a moment.
LAYOUT_MAX_NODES = 499
#: networkx's Louvain took about 1 s for 121,000 links and 9-13 s for 300,000
#: on the same machine under load; beyond this the clusters are left to the viewer.
CLUSTER_MAX_EDGES = 300_000
#: From this many links the clustering is announced before it starts.
_ANNOUNCE_EDGES = 100_000
#: Node attributes that are not written as columns (nested or internal).
_FIXED_NODE_COLUMNS = ("node", "number", "label", "x", "y", "cluster", "links", "strength")
_SKIP_NODE_ATTRS = frozenset({*_FIXED_NODE_COLUMNS, "viz"})


@dataclass(frozen=True)
class GraphFrames:
    """Nodes and edges of one graph, ready to be written.

    Attributes
    ----------
    nodes : pl.DataFrame
        ``node, number`` (1, 2, … in node order), ``label``, ``x, y`` (null
        without a layout), ``cluster`` (null without clusters), ``links``,
        ``strength``, then every scalar node attribute of the graph (lists
        joined by ``"; "``).
    edges : pl.DataFrame
        ``source, target`` (``source < target``), ``source_number,
        target_number``, ``weight``, then every other edge attribute.
    has_layout, has_clusters : bool
        Whether coordinates and clusters were computed.
    attributes : dict
        The graph attributes (kind, options, provenance, ``synthetic``).
    """

    nodes: pl.DataFrame
    edges: pl.DataFrame
    has_layout: bool
    has_clusters: bool
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def node_attributes(self) -> list[str]:
        """The graph's own node attributes, in column order."""
        return [c for c in self.nodes.columns if c not in _FIXED_NODE_COLUMNS]

    @property
    def edge_attributes(self) -> list[str]:
        """Edge attributes other than ``weight``, in column order."""
        fixed = {"source", "target", "source_number", "target_number", "weight"}
        return [c for c in self.edges.columns if c not in fixed]


def _column(values: list[Any]) -> pl.Series:
    """One attribute as a typed column; mixed types fall back to strings."""
    joined = [
        "; ".join(str(v) for v in value)
        if isinstance(value, list | tuple | set | frozenset)
        else value
        for value in values
    ]
    try:
        series = pl.Series(joined, strict=True)
    except (TypeError, pl.exceptions.PolarsError):
        series = pl.Series([None if v is None else str(v) for v in joined], dtype=pl.String)
    if series.dtype == pl.Null:
        return series.cast(pl.String)
    return series


def _attribute_columns(records: list[dict[str, Any]], skip: frozenset[str]) -> dict[str, pl.Series]:
    keys: dict[str, None] = {}
    for data in records:
        for key, value in data.items():
            if key not in skip and not isinstance(value, dict):
                keys[key] = None
    return {key: _column([data.get(key) for data in records]) for key in keys}


def _flat(frame: pl.DataFrame, skip: frozenset[str]) -> pl.DataFrame:
    """Attribute columns as :func:`_column` makes them from Python values.

    Lists joined by ``"; "``, integers as Int64, all-null columns as strings,
    nested structs left out: the same columns whether a graph's attributes or
    a network's frames are written.
    """
    columns = []
    for name, dtype in frame.schema.items():
        if name in skip or isinstance(dtype, pl.Struct):
            continue
        col = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            col = col.list.eval(pl.element().cast(pl.String)).list.join("; ")
        elif dtype.is_integer():
            col = col.cast(pl.Int64)
        elif dtype == pl.Null:
            col = col.cast(pl.String)
        columns.append(col)
    return frame.select(columns)


@dataclass(frozen=True)
class NetworkFrames:
    """A co-authorship network as polars frames: what :func:`copub.build_network` makes a graph of.

    Exporting from these frames needs no networkx graph at all, which on a
    graph of millions of links saves most of the time and memory
    (:func:`copub.networks.build.build_network_frames`).

    Attributes
    ----------
    nodes : pl.DataFrame
        ``node`` (unique, sorted), then the node attributes of the graph
        (``works, home_weight, …, label, country, …``).
    edges : pl.DataFrame
        ``source, target`` (``source < target``, sorted), then the edge
        attributes (``works, fractional``, the normalisation, ``weight``).
    attributes : dict
        The graph attributes (``graph.graph``).

    Examples
    --------
    >>> net = NetworkFrames(
    ...     pl.DataFrame({"node": ["NO", "SE"], "works": [3, 1]}),
    ...     pl.DataFrame({"source": ["NO"], "target": ["SE"], "weight": [1]}),
    ...     {"kind": "country"},
    ... )
    >>> graph = net.to_graph()
    >>> graph.edges["NO", "SE"]["weight"], graph.nodes["NO"]["works"], graph.graph["kind"]
    (1, 3, 'country')
    >>> net.summary().components
    1
    """

    nodes: pl.DataFrame
    edges: pl.DataFrame
    attributes: dict[str, Any] = field(default_factory=dict)

    def number_of_nodes(self) -> int:
        """As :meth:`networkx.Graph.number_of_nodes`."""
        return self.nodes.height

    def number_of_edges(self) -> int:
        """As :meth:`networkx.Graph.number_of_edges`."""
        return self.edges.height

    def to_graph(self) -> nx.Graph:
        """The networkx graph: nodes in node order, edges in (source, target) order."""
        import networkx as nx  # here, not at the top: networkx is slow to import

        graph = nx.Graph()
        graph.graph.update(self.attributes)
        graph.add_nodes_from(
            zip(self.nodes["node"].to_list(), self.nodes.drop("node").to_dicts(), strict=True)
        )
        graph.add_edges_from(
            zip(
                self.edges["source"].to_list(),
                self.edges["target"].to_list(),
                self.edges.drop("source", "target").to_dicts(),
                strict=True,
            )
        )
        return graph

    def weighted_graph(self, weight: str = "weight") -> nx.Graph:
        """A networkx graph with ``weight`` alone on every edge, for layout and Louvain.

        Nodes and links come in the order :meth:`to_graph` adds them, so the
        seeded layout and Louvain clusters are those of the full graph.
        """
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(self.nodes["node"].to_list())
        graph.add_weighted_edges_from(
            zip(
                self.edges["source"].to_list(),
                self.edges["target"].to_list(),
                self.edges[weight].to_list(),
                strict=True,
            ),
            weight=weight,
        )
        return graph

    def top(self, top: int, *, keep_home: bool = True) -> NetworkFrames:
        """As :func:`copub.networks.build.top_nodes`: the ``top`` nodes by works, plus home."""
        if top < 1:
            raise UsageError(f"top must be at least 1, not {top}")
        nodes = self.nodes
        home = (
            pl.col("is_home").fill_null(False)
            if keep_home and "is_home" in nodes.columns
            else pl.lit(False)
        )
        works = pl.col("works").fill_null(0) if "works" in nodes.columns else pl.lit(0)
        partners = (
            nodes.filter(~home)
            .sort(works, pl.col("node"), descending=[True, False])
            .head(top)
            .select("node")
        )
        keep = pl.concat([partners, nodes.filter(home).select("node")])["node"].implode()
        edges = self.edges.filter(pl.col("source").is_in(keep) & pl.col("target").is_in(keep))
        return NetworkFrames(nodes.filter(pl.col("node").is_in(keep)), edges, dict(self.attributes))

    def summary(self, weight: str = "weight") -> GraphSummary:
        """As :func:`copub.graph_summary` of the graph, from the frames (components by scipy)."""
        n, m = self.nodes.height, self.edges.height
        sizes: list[int] = []
        degree = np.zeros(n, dtype=np.int64)
        if n:
            index = pl.DataFrame({"node": self.nodes["node"], "i": np.arange(n)})
            ends = (
                self.edges.select("source", "target")
                .join(index.rename({"node": "source", "i": "u"}), on="source")
                .join(index.rename({"node": "target", "i": "v"}), on="target")
            )
            u, v = ends["u"].to_numpy(), ends["v"].to_numpy()
            from scipy.sparse import coo_array  # here, not at the top: scipy is slow to import
            from scipy.sparse.csgraph import connected_components

            matrix = coo_array((np.ones(m), (u, v)), shape=(n, n))
            count, labels = connected_components(matrix, directed=False)
            sizes = np.bincount(labels, minlength=count).tolist()
            degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
        # nx.density's own expression, so the figure is the same to the last bit.
        density = m / (n * (n - 1)) * 2 if n > 1 else 0.0
        return GraphSummary(
            nodes=n,
            edges=m,
            density=float(density),
            components=len(sizes),
            largest_component=max(sizes, default=0),
            isolates=int((degree == 0).sum()),
            total_weight=float(self.edges[weight].cast(pl.Float64).sum()) if m else 0.0,
            mean_degree=2 * m / n if n else 0.0,
        )


def _edge_frame(graph: nx.Graph) -> pl.DataFrame:
    """``source, target`` (``source < target``), ``weight`` and every other edge attribute."""
    sources: list[str] = []
    targets: list[str] = []
    records: list[dict[str, Any]] = []
    for u, v, data in graph.edges(data=True):
        if str(u) <= str(v):
            sources.append(str(u))
            targets.append(str(v))
        else:
            sources.append(str(v))
            targets.append(str(u))
        records.append(data)
    columns = _attribute_columns(records, frozenset({"weight"}))
    weights = pl.Series("weight", [float(d.get("weight", 1.0)) for d in records], pl.Float64)
    return pl.DataFrame(
        {"source": sources, "target": targets, "weight": weights, **columns},
        schema_overrides={"source": pl.String, "target": pl.String},
    )


def graph_frames(
    graph: nx.Graph, *, seed: int = 0, progress: Progress | None = None
) -> GraphFrames:
    """Turn ``graph`` into :class:`GraphFrames`, with layout and clusters where cheap.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("NO", "SE", weight=2.0)
    >>> frames = graph_frames(g)
    >>> frames.nodes.select("node", "number", "links", "strength").rows()
    [('NO', 1, 1, 2.0), ('SE', 2, 1, 2.0)]
    >>> frames.has_layout, frames.has_clusters
    (True, True)
    """
    nodes = sorted(str(n) for n in graph.nodes)
    records = [graph.nodes[node] for node in nodes]
    node_frame = pl.DataFrame(
        {
            "node": nodes,
            "label": [str(d.get("label") or n) for n, d in zip(nodes, records, strict=True)],
            **_attribute_columns(records, _SKIP_NODE_ATTRS),
        },
        schema_overrides={"node": pl.String, "label": pl.String},
    )
    return _prepare(
        node_frame, _edge_frame(graph), dict(graph.graph), lambda: graph, seed, progress
    )


def network_frames(
    network: NetworkFrames, *, seed: int = 0, progress: Progress | None = None
) -> GraphFrames:
    """:func:`graph_frames` of ``network.to_graph()``, without building that graph.

    Examples
    --------
    >>> net = NetworkFrames(
    ...     pl.DataFrame({"node": ["NO", "SE"], "label": ["Norway", None]}),
    ...     pl.DataFrame({"source": ["NO"], "target": ["SE"], "weight": [2]}),
    ... )
    >>> network_frames(net).nodes.select("node", "label", "links", "strength").rows()
    [('NO', 'Norway', 1, 2.0), ('SE', 'SE', 1, 2.0)]
    """
    nodes = network.nodes.sort("node")
    label = pl.col("label") if "label" in nodes.columns else pl.lit(None, pl.String)
    label = label.cast(pl.String)
    node_frame = pl.concat(
        [
            nodes.select(
                pl.col("node").cast(pl.String),
                label=pl.when(label.is_null() | (label == ""))
                .then(pl.col("node").cast(pl.String))
                .otherwise(label),
            ),
            _flat(nodes, _SKIP_NODE_ATTRS),
        ],
        how="horizontal",
    )
    edges = network.edges
    edge_frame = pl.concat(
        [
            edges.select(
                pl.col("source").cast(pl.String),
                pl.col("target").cast(pl.String),
                pl.col("weight").cast(pl.Float64),
            ),
            _flat(edges, frozenset({"source", "target", "weight"})),
        ],
        how="horizontal",
    )
    return _prepare(
        node_frame, edge_frame, dict(network.attributes), network.weighted_graph, seed, progress
    )


def _prepare(
    node_frame: pl.DataFrame,
    edge_frame: pl.DataFrame,
    attributes: dict[str, Any],
    weighted: Callable[[], nx.Graph],
    seed: int,
    progress: Progress | None,
) -> GraphFrames:
    """Numbers, links, strength, layout and clusters: the same for a graph and for frames.

    ``weighted`` gives the graph the layout and Louvain read (only called when
    either is computed).
    """
    progress = progress or Progress.silent()
    n_nodes, n_edges = node_frame.height, edge_frame.height
    has_layout = 0 < n_nodes <= LAYOUT_MAX_NODES
    has_clusters = n_nodes > 0 and n_edges <= CLUSTER_MAX_EDGES
    if not has_layout and n_nodes:
        progress.note(
            f"{n_nodes:,} nodes: no layout in the files (above {LAYOUT_MAX_NODES:,}, where "
            "networkx's layout gets slow); VOSviewer and Gephi lay them out when they open them"
        )
    if not has_clusters and n_nodes:
        progress.note(
            f"{n_edges:,} links: no Louvain clusters in the files (above "
            f"{CLUSTER_MAX_EDGES:,}); VOSviewer and Gephi cluster them themselves"
        )
    positions: dict[str, tuple[float, float]] = {}
    clusters: dict[str, int] = {}
    if has_layout or has_clusters:
        graph = weighted()
        if has_layout:
            started = time.perf_counter()
            positions = layout_positions(graph, seed=seed)
            _took(progress, f"layout of {n_nodes:,} nodes", started)
        if has_clusters:
            if n_edges >= _ANNOUNCE_EDGES:
                progress.note(f"clustering {n_edges:,} links (seeded Louvain)")
            started = time.perf_counter()
            clusters = communities(graph, seed=seed)
            _took(progress, f"Louvain clusters of {n_edges:,} links", started)
    number = node_frame.select("node", number=pl.int_range(1, n_nodes + 1, dtype=pl.Int64))
    edges = (
        edge_frame.join(number.rename({"node": "source", "number": "source_number"}), on="source")
        .join(number.rename({"node": "target", "number": "target_number"}), on="target")
        .select(
            "source",
            "target",
            "source_number",
            "target_number",
            "weight",
            pl.exclude("source", "target", "source_number", "target_number", "weight"),
        )
        .sort("source_number", "target_number")
    )
    strength = (
        pl.concat(
            [
                edges.select(node="source", weight="weight"),
                edges.select(node="target", weight="weight"),
            ]
        )
        .group_by("node")
        .agg(links=pl.len().cast(pl.Int64), strength=pl.col("weight").sum())
    )
    nodes = node_frame["node"].to_list()
    placed = pl.DataFrame(
        {
            "x": [positions[n][0] if n in positions else None for n in nodes],
            "y": [positions[n][1] if n in positions else None for n in nodes],
            "cluster": [clusters.get(n) for n in nodes],
        },
        schema={"x": pl.Float64, "y": pl.Float64, "cluster": pl.Int64},
    )
    frame = (
        pl.concat([node_frame.with_columns(number["number"]), placed], how="horizontal")
        .join(strength, on="node", how="left")
        .with_columns(pl.col("links").fill_null(0), pl.col("strength").fill_null(0.0))
    )
    ordered = list(_FIXED_NODE_COLUMNS)
    frame = frame.select(*ordered, pl.exclude(ordered)).sort("number")
    return GraphFrames(frame, edges, has_layout, has_clusters, attributes)


def _took(progress: Progress, what: str, started: float) -> None:
    seconds = time.perf_counter() - started
    if seconds >= 1.0:
        progress.note(f"{what}: {seconds:.1f} s")
