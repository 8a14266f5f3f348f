"""Node metrics and graph summaries, deterministic for a given seed.

- **degree**: number of partners (links);
- **strength**: sum of the link weights (VOSviewer's "total link strength");
- **betweenness**: shortest-path betweenness with link *length* ``1/weight``
  (a strong link is a short one), normalised to [0, 1]; on graphs with more
  than ``exact_betweenness_up_to`` nodes it is estimated from that many
  seeded pivot nodes (Brandes' sampling, networkx's ``k``);
- **eigenvector**: weighted eigenvector centrality of the largest connected
  component (unit Euclidean norm); nodes outside it get 0, since the
  principal eigenvector of a disconnected graph lives on one component;
- **community**: Louvain communities (networkx, seeded), numbered 1, 2, …
  from the largest (ties: the community holding the smallest node id).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphSummary", "communities", "graph_summary", "network_metrics"]

_METRICS_SCHEMA = {
    "node": pl.String,
    "label": pl.String,
    "country": pl.String,
    "works": pl.Int64,
    "degree": pl.Int64,
    "strength": pl.Float64,
    "betweenness": pl.Float64,
    "eigenvector": pl.Float64,
    "community": pl.Int64,
}


def communities(
    graph: nx.Graph, *, seed: int = 0, weight: str = "weight", resolution: float = 1.0
) -> dict[str, int]:
    """Louvain community of every node, numbered from 1 by decreasing size.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e")])
    >>> communities(g)
    {'a': 1, 'b': 1, 'c': 1, 'd': 2, 'e': 2}
    """
    if graph.number_of_nodes() == 0:
        return {}
    import networkx as nx  # here, not at the top: networkx is slow to import

    found = nx.community.louvain_communities(graph, weight=weight, resolution=resolution, seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    return {
        node: number for number, members in enumerate(ordered, start=1) for node in sorted(members)
    }


def _eigenvector(graph: nx.Graph, weight: str) -> dict[str, float]:
    values = dict.fromkeys(graph.nodes, 0.0)
    if graph.number_of_edges() == 0:
        return values
    import networkx as nx

    largest = min(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    core = graph.subgraph(largest)
    if core.number_of_edges() == 0:
        return values
    try:
        # Power iteration from a fixed start is deterministic (ARPACK's random start is not).
        centrality = nx.eigenvector_centrality(core, weight=weight, max_iter=2000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:
        centrality = nx.eigenvector_centrality_numpy(core, weight=weight)
    values.update({n: abs(float(v)) for n, v in centrality.items()})
    return values


def network_metrics(
    graph: nx.Graph,
    *,
    seed: int = 0,
    weight: str = "weight",
    exact_betweenness_up_to: int = 2000,
) -> pl.DataFrame:
    """One row per node: degree, strength, betweenness, eigenvector, community.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`copub.build_network` (any weighted graph works).
    seed : int
        Seed for Louvain and for sampled betweenness.
    weight : str
        The edge attribute to use (``"weight"``, or a normalisation such as
        ``"association"``).
    exact_betweenness_up_to : int
        Larger graphs get betweenness estimated from this many pivots.

    Returns
    -------
    pl.DataFrame
        ``node, label, country, works, degree, strength, betweenness,
        eigenvector, community``, sorted by strength (descending), then node.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("NO", "SE", weight=3)
    >>> g.add_edge("NO", "US", weight=1)
    >>> network_metrics(g).select("node", "degree", "strength").rows()
    [('NO', 2, 4.0), ('SE', 1, 3.0), ('US', 1, 1.0)]
    """
    if graph.number_of_nodes() == 0:
        return pl.DataFrame(schema=_METRICS_SCHEMA)
    import networkx as nx  # here, not at the top: networkx is slow to import

    distance = "_copub_length"
    lengths = graph.copy()
    for _, _, data in lengths.edges(data=True):
        w = float(data.get(weight, 1.0))
        data[distance] = 1.0 / w if w > 0 else float("inf")
    n = graph.number_of_nodes()
    k = None if n <= exact_betweenness_up_to else exact_betweenness_up_to
    betweenness = nx.betweenness_centrality(
        lengths, k=k, weight=distance, normalized=True, seed=seed
    )
    eigenvector = _eigenvector(graph, weight)
    community = communities(graph, seed=seed, weight=weight)
    strength = dict(graph.degree(weight=weight))
    rows = [
        {
            "node": node,
            "label": data.get("label", node),
            "country": data.get("country"),
            "works": data.get("works"),
            "degree": graph.degree(node),
            "strength": float(strength[node]),
            "betweenness": float(betweenness[node]),
            "eigenvector": eigenvector[node],
            "community": community[node],
        }
        for node, data in graph.nodes(data=True)
    ]
    return pl.DataFrame(rows, schema=_METRICS_SCHEMA).sort(
        ["strength", "node"], descending=[True, False]
    )


@dataclass(frozen=True)
class GraphSummary:
    """Size, density and connectedness of a graph."""

    nodes: int
    edges: int
    density: float
    components: int
    largest_component: int
    isolates: int
    total_weight: float
    mean_degree: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)


def graph_summary(graph: nx.Graph, *, weight: str = "weight") -> GraphSummary:
    """Density, components and totals of a graph.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("c", "d")])
    >>> s = graph_summary(g)
    >>> s.components, s.largest_component, round(s.density, 3)
    (2, 2, 0.333)
    """
    import networkx as nx  # here, not at the top: networkx is slow to import

    n = graph.number_of_nodes()
    sizes = [len(c) for c in nx.connected_components(graph)] if n else []
    return GraphSummary(
        nodes=n,
        edges=graph.number_of_edges(),
        density=float(nx.density(graph)) if n > 1 else 0.0,
        components=len(sizes),
        largest_component=max(sizes, default=0),
        isolates=nx.number_of_isolates(graph),
        total_weight=float(graph.size(weight=weight)),
        mean_degree=2 * graph.number_of_edges() / n if n else 0.0,
    )
