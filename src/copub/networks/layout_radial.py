"""The partner map's geometry: distance from home is the strength of collaboration with home.

A force layout places countries by how they co-publish with *each other*,
which a reader takes as closeness to home (Malawi beside the United States at
the edge). Here the home node is at the origin and every partner's distance
from it falls with the logarithm of its co-publications with home: the
partner with most co-publications is nearest, those with fewest are
farthest, and labelled rings ("10 co-publications") give the scale.

Association strength (VOSviewer's ``c_ij / (c_i c_j)``) still says which
partners belong together: it sets the *angle*. Partners are grouped into
Louvain clusters of their association-strength links (home left out), each
cluster a contiguous arc, so partners that co-publish with each other more
than their sizes predict sit side by side; within a cluster each partner
follows the one it is most strongly associated with.

The static picture (:func:`copub.networks.plot.plot_country_network`) and
the interactive map (:func:`copub.networks.html_page.partner_map_of`, also
the ``network`` command's page) both take their positions from
:func:`radial_layout`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copub.errors import UsageError
from copub.networks.metrics import communities

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "INNER_RADIUS",
    "LABEL_SECTOR",
    "NO_LINK_RADIUS",
    "OUTER_RADIUS",
    "RADIAL_CAPTION",
    "RadialLayout",
    "Ring",
    "association_strength",
    "radial_layout",
    "ring_label",
]

#: Radius of the partner(s) with most co-publications with home.
INNER_RADIUS = 0.3
#: Radius of the partner(s) with fewest (but some) co-publications with home.
OUTER_RADIUS = 1.0
#: Radius of partners with no co-publication with home (linked to others only).
NO_LINK_RADIUS = 1.15
#: Angle of the empty sector at the top that holds the ring labels.
LABEL_SECTOR = math.radians(18)
#: One sentence for captions and the map's note: what distance and angle mean.
RADIAL_CAPTION = (
    "Distance from home (centre) means co-publications with home: the nearer, the more "
    "(log scale, rings labelled with their counts). Angle groups partners by Louvain "
    "cluster of association strength c_ij / (c_i·c_j), so partners that co-publish with "
    "each other more than their sizes predict sit side by side."
)


@dataclass(frozen=True)
class Ring:
    """A ring guide: the distance of partners with ``value`` co-publications with home."""

    value: float
    radius: float
    label: str

    @property
    def number(self) -> str:
        """The value alone (``"1,000"``), for the inner rings of a crowded map."""
        return _number(self.value)


@dataclass(frozen=True)
class RadialLayout:
    """Positions of a partner map with home at the origin.

    Attributes
    ----------
    positions : dict
        ``node -> (x, y)``; home at ``(0, 0)``.
    rings : tuple of Ring
        Guides with round values (1, 2, 5, 10, …) between the fewest and
        the most co-publications with home.
    with_home : dict
        Every partner's co-publications with home (0 without a link).
    clusters : dict
        Every partner's angular group (Louvain cluster, 1 the largest).
    label_angle : float
        Angle (radians) of the empty sector kept for the ring labels (the top).
    """

    positions: dict[str, tuple[float, float]]
    rings: tuple[Ring, ...]
    with_home: dict[str, float]
    clusters: dict[str, int]
    label_angle: float


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


def ring_label(value: float) -> str:
    """``"1 co-publication"``, ``"1,000 co-publications"``, ``"0.5 co-publications"``."""
    return f"{_number(value)} co-publication{'' if value == 1 else 's'}"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2g}"


def _radius(value: float, low: float, high: float) -> float:
    """Distance of a partner with ``value`` co-publications with home (log scale)."""
    if value <= 0:
        return NO_LINK_RADIUS
    if high <= low:
        return (INNER_RADIUS + OUTER_RADIUS) / 2
    where = (math.log(high) - math.log(value)) / (math.log(high) - math.log(low))
    return INNER_RADIUS + (OUTER_RADIUS - INNER_RADIUS) * where


def _ring_values(low: float, high: float) -> list[float]:
    """Round values (1-2-5 series, or powers of ten when those are many) in ``[low, high]``."""
    if high <= 0:
        return []
    if high <= low:
        return [high]
    series = [
        m * 10.0**k
        for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
        for m in (1, 2, 5)
    ]
    inside = [v for v in series if low * (1 - 1e-9) <= v <= high * (1 + 1e-9)]
    if len(inside) > 6:
        inside = [v for v in inside if math.isclose(math.log10(v), round(math.log10(v)))]
    return inside or [low, high]


def _angular_order(
    graph: nx.Graph, partners: list[str], with_home: dict[str, float], seed: int
) -> tuple[list[str | None], dict[str, int]]:
    """Partners in angular order (``None``: a gap between clusters) and their clusters."""
    import networkx as nx  # here, not at the top: networkx is slow to import

    strength = association_strength(graph)
    linked = nx.Graph()
    linked.add_nodes_from(partners)
    linked.add_edges_from(
        (a, b, {"weight": value})
        for (a, b), value in sorted(strength.items())
        if value > 0 and a in linked and b in linked
    )
    # Partners linked to no other partner are one group, at the end: not a gap each.
    alone = [n for n in partners if linked.degree(n) == 0]
    found = communities(linked.subgraph(n for n in partners if linked.degree(n) > 0), seed=seed)
    groups: list[list[str]] = []
    for number in sorted(set(found.values())):
        groups.append([n for n in partners if found.get(n) == number])
    if alone:
        groups.append(alone)
    clusters = {node: number for number, group in enumerate(groups, start=1) for node in group}
    order: list[str | None] = []
    for group in groups:
        # A chain: start at the partner with most co-publications with home, then
        # each next is the one most strongly associated with the last placed.
        left = set(group)
        current = min(left, key=lambda n: (-with_home[n], n))
        while True:
            order.append(current)
            left.discard(current)
            if not left:
                break
            current = min(
                left,
                key=lambda n: (
                    -(linked[current][n]["weight"] if linked.has_edge(current, n) else 0.0),
                    -with_home[n],
                    n,
                ),
            )
        order.append(None)
    return order[:-1], clusters


def radial_layout(
    graph: nx.Graph, home: str, *, weight: str = "works", seed: int = 0
) -> RadialLayout:
    """Home at the origin, partners at a distance falling with log co-publications with home.

    Parameters
    ----------
    graph : networkx.Graph
        A partner network with ``home`` among its nodes; node ``works`` is
        read for the association strength that orders the angles.
    home : str
        The home node.
    weight : str
        Edge attribute holding co-publications (``weight`` where an edge
        lacks it).
    seed : int
        Seed of the Louvain clusters that order the angles.

    Returns
    -------
    RadialLayout

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("NO", "SE", works=50); g.add_edge("NO", "US", works=5)
    >>> layout = radial_layout(g, "NO")
    >>> layout.positions["NO"], round(math.hypot(*layout.positions["SE"]), 2)
    ((0.0, 0.0), 0.3)
    >>> [ring.label for ring in layout.rings]
    ['5 co-publications', '10 co-publications', '20 co-publications', '50 co-publications']
    """
    if home not in graph:
        raise UsageError(f"the home node {home!r} is not in the network")
    partners = sorted(n for n in graph.nodes if n != home)
    with_home = {}
    for node in partners:
        data = graph.edges[home, node] if graph.has_edge(home, node) else {}
        with_home[node] = max(float(data.get(weight, data.get("weight", 0.0)) or 0.0), 0.0)
    positive = [v for v in with_home.values() if v > 0]
    low, high = (min(positive), max(positive)) if positive else (0.0, 0.0)
    positions: dict[str, tuple[float, float]] = {home: (0.0, 0.0)}
    clusters: dict[str, int] = {}
    if partners:
        order, clusters = _angular_order(graph, partners, with_home, seed)
        for slot, node in enumerate(order):
            if node is None:
                continue
            # Clockwise from the top, as a reader scans a clock face, leaving the
            # top sector empty for the ring labels.
            angle = (
                math.pi / 2
                - LABEL_SECTOR / 2
                - (2 * math.pi - LABEL_SECTOR) * (slot + 0.5) / len(order)
            )
            r = _radius(with_home[node], low, high)
            positions[node] = (r * math.cos(angle), r * math.sin(angle))
    rings = tuple(
        Ring(value, _radius(value, low, high), ring_label(value))
        for value in _ring_values(low, high)
    )
    return RadialLayout(
        positions=positions,
        rings=rings,
        with_home=with_home,
        clusters=clusters,
        label_angle=math.pi / 2,
    )
