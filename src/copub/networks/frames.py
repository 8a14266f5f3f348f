"""A graph as two polars frames, built once and shared by every export format.

Large co-authorship graphs (the author network of an NTNU-sized university
has millions of links) are written from these frames with vectorised string
expressions: iterating networkx's edges once is the only per-edge Python
work, whatever the number of formats.

Layout and Louvain clusters are computed only where they are cheap
(:data:`LAYOUT_MAX_NODES`, :data:`CLUSTER_MAX_EDGES`); above that the files
carry no coordinates or clusters, and VOSviewer and Gephi compute their own
when they open them, as they do for any file without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import polars as pl

from copub.networks.layout import layout_positions
from copub.networks.metrics import communities
from copub.progress import Progress

__all__ = ["CLUSTER_MAX_EDGES", "LAYOUT_MAX_NODES", "GraphFrames", "graph_frames"]

#: Force-directed layout costs O(n²) per iteration; beyond this many nodes it
#: takes minutes, and VOSviewer and Gephi lay out large maps themselves.
LAYOUT_MAX_NODES = 2_000
#: networkx's Louvain takes about a minute per million links on this
#: project's reference machine; beyond this the clusters are left to the viewer.
CLUSTER_MAX_EDGES = 300_000
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
    """

    nodes: pl.DataFrame
    edges: pl.DataFrame
    has_layout: bool
    has_clusters: bool

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


def _edge_frame(graph: nx.Graph, number: dict[str, int]) -> pl.DataFrame:
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
    numbers = pl.DataFrame({"node": list(number), "n": list(number.values())})
    frame = pl.DataFrame(
        {"source": sources, "target": targets, "weight": weights, **columns},
        schema_overrides={"source": pl.String, "target": pl.String},
    )
    return (
        frame.join(numbers.rename({"node": "source", "n": "source_number"}), on="source")
        .join(numbers.rename({"node": "target", "n": "target_number"}), on="target")
        .select("source", "target", "source_number", "target_number", "weight", *columns)
        .sort("source_number", "target_number")
    )


def graph_frames(
    graph: nx.Graph, *, seed: int = 0, progress: Progress | None = None
) -> GraphFrames:
    """Turn ``graph`` into :class:`GraphFrames`, with layout and clusters where cheap.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("NO", "SE", weight=2.0)
    >>> frames = graph_frames(g)
    >>> frames.nodes.select("node", "number", "links", "strength").rows()
    [('NO', 1, 1, 2.0), ('SE', 2, 1, 2.0)]
    >>> frames.has_layout, frames.has_clusters
    (True, True)
    """
    progress = progress or Progress.silent()
    nodes = sorted(str(n) for n in graph.nodes)
    number = {node: i for i, node in enumerate(nodes, start=1)}
    n_edges = graph.number_of_edges()
    has_layout = 0 < len(nodes) <= LAYOUT_MAX_NODES
    has_clusters = len(nodes) > 0 and n_edges <= CLUSTER_MAX_EDGES
    if not has_layout and nodes:
        progress.note(
            f"{len(nodes):,} nodes: no layout in the files (above {LAYOUT_MAX_NODES:,}); "
            "VOSviewer and Gephi lay them out when they open them"
        )
    if not has_clusters and nodes:
        progress.note(
            f"{n_edges:,} links: no Louvain clusters in the files (above "
            f"{CLUSTER_MAX_EDGES:,}); VOSviewer and Gephi cluster them themselves"
        )
    positions = layout_positions(graph, seed=seed) if has_layout else {}
    clusters = communities(graph, seed=seed) if has_clusters else {}
    records = [graph.nodes[node] for node in nodes]
    edges = _edge_frame(graph, number)
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
    node_frame = (
        pl.DataFrame(
            {
                "node": nodes,
                "number": list(range(1, len(nodes) + 1)),
                "label": [str(d.get("label") or n) for n, d in zip(nodes, records, strict=True)],
                "x": [positions[n][0] if n in positions else None for n in nodes],
                "y": [positions[n][1] if n in positions else None for n in nodes],
                "cluster": [clusters.get(n) for n in nodes],
                **_attribute_columns(records, _SKIP_NODE_ATTRS),
            },
            schema_overrides={
                "node": pl.String,
                "number": pl.Int64,
                "label": pl.String,
                "x": pl.Float64,
                "y": pl.Float64,
                "cluster": pl.Int64,
            },
        )
        .join(strength, on="node", how="left")
        .with_columns(pl.col("links").fill_null(0), pl.col("strength").fill_null(0.0))
    )
    ordered = list(_FIXED_NODE_COLUMNS)
    node_frame = node_frame.select(*ordered, pl.exclude(ordered)).sort("number")
    return GraphFrames(node_frame, edges, has_layout, has_clusters)
