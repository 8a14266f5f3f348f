"""Seeded layout coordinates shared by the exports and the pictures."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["layout_positions"]


def layout_positions(
    graph: nx.Graph, *, seed: int = 0, weight: str = "weight"
) -> dict[str, tuple[float, float]]:
    """Force-directed (Fruchterman–Reingold) coordinates in [-1, 1], the same for the same seed.

    Link weights are damped with ``log1p`` first: raw counts would pull every
    partner onto the home node, which shares a link with all of them.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> layout_positions(g) == layout_positions(g)
    True
    """
    if graph.number_of_nodes() == 0:
        return {}
    import networkx as nx  # here, not at the top: networkx is slow to import

    damped = nx.Graph()
    damped.add_nodes_from(sorted(graph.nodes))
    damped.add_edges_from(
        (u, v, {"w": math.log1p(max(float(d.get(weight, 1.0)), 0.0))})
        for u, v, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
    )
    positions = nx.spring_layout(damped, weight="w", seed=seed)
    return {str(n): (float(p[0]), float(p[1])) for n, p in positions.items()}
