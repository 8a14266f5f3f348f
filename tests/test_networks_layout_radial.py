"""The radial partner map: distance from home means co-publications with home, for any graph."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.errors import UsageError
from copub.networks.layout_radial import LABEL_SECTOR, radial_layout, ring_label


@st.composite
def home_graphs(draw: st.DrawFn) -> nx.Graph:
    """A home node linked to some partners (counts 1..5000), with links among partners."""
    n = draw(st.integers(min_value=0, max_value=25))
    partners = [f"P{i}" for i in range(n)]
    graph = nx.Graph()
    graph.add_node("HOME", works=10_000, is_home=True)
    for node in partners:
        graph.add_node(node, works=draw(st.integers(min_value=1, max_value=6000)))
        # Some partners share no work with home (linked to other partners only).
        count = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=5000)))
        if count is not None:
            graph.add_edge("HOME", node, works=count, weight=count)
    pairs = [(a, b) for i, a in enumerate(partners) for b in partners[i + 1 :]]
    for a, b in draw(st.lists(st.sampled_from(pairs), max_size=40) if pairs else st.just([])):
        graph.add_edge(a, b, works=draw(st.integers(min_value=1, max_value=300)))
    return graph


@settings(max_examples=150, deadline=None)
@given(home_graphs(), st.integers(min_value=0, max_value=3))
def test_distance_from_home_falls_with_copublications(graph: nx.Graph, seed: int) -> None:
    layout = radial_layout(graph, "HOME", seed=seed)
    assert layout.positions["HOME"] == (0.0, 0.0)
    assert set(layout.positions) == set(graph.nodes)
    # Counts read here from the graph, not from the layout.
    count = {
        n: graph.edges["HOME", n]["works"] if graph.has_edge("HOME", n) else 0
        for n in graph.nodes
        if n != "HOME"
    }
    distance = {n: math.hypot(*layout.positions[n]) for n in count}
    for a in count:
        assert distance[a] > 0
        for b in count:
            if count[a] > count[b]:
                assert distance[a] < distance[b], (a, b)
            elif count[a] == count[b]:
                assert distance[a] == pytest.approx(distance[b])
    # The sector kept for the ring labels holds no partner.
    for node in count:
        x, y = layout.positions[node]
        gap = abs(math.remainder(math.atan2(y, x) - layout.label_angle, 2 * math.pi))
        assert gap >= LABEL_SECTOR / 2 - 1e-9
    # Two partners never share a place.
    places = {(round(x, 9), round(y, 9)) for n, (x, y) in layout.positions.items()}
    assert len(places) == graph.number_of_nodes()
    # Each ring sits where a partner with that many co-publications would.
    for ring in layout.rings:
        same = [n for n in count if count[n] == ring.value]
        for node in same:
            assert distance[node] == pytest.approx(ring.radius)
    radii = [ring.radius for ring in layout.rings]
    assert radii == sorted(radii, reverse=True)


def test_rings_carry_their_values() -> None:
    graph = nx.Graph()
    for node, count in {"US": 1500, "SE": 120, "MW": 2}.items():
        graph.add_edge("NO", node, works=count)
    layout = radial_layout(graph, "NO")
    assert [ring.label for ring in layout.rings] == [
        "10 co-publications",
        "100 co-publications",
        "1,000 co-publications",
    ]
    assert ring_label(1) == "1 co-publication"


def test_related_partners_share_an_arc() -> None:
    # Two tight pairs: each pair's members are angular neighbours, whatever their counts.
    graph = nx.Graph()
    for node, count in {"A": 100, "B": 3, "C": 90, "D": 4}.items():
        graph.add_node(node, works=count)
        graph.add_edge("H", node, works=count)
    graph.add_edge("A", "B", works=3)
    graph.add_edge("C", "D", works=4)
    layout = radial_layout(graph, "H")
    assert layout.clusters["A"] == layout.clusters["B"] != layout.clusters["C"]
    angle = {n: math.atan2(y, x) for n, (x, y) in layout.positions.items() if n != "H"}

    def apart(a: str, b: str) -> float:
        gap = abs(angle[a] - angle[b]) % (2 * math.pi)
        return min(gap, 2 * math.pi - gap)

    assert apart("A", "B") < apart("A", "C") and apart("C", "D") < apart("C", "B")


def test_home_must_be_in_the_network() -> None:
    with pytest.raises(UsageError, match="home node"):
        radial_layout(nx.Graph([("a", "b")]), "NO")
