"""Node metrics, Louvain communities and graph summaries."""

from __future__ import annotations

import networkx as nx
import pytest

from copub.networks import communities, graph_summary, network_metrics


def _two_cliques() -> nx.Graph:
    graph = nx.Graph()
    left, right = ["a", "b", "c", "d"], ["w", "x", "y", "z", "v"]
    for group in (left, right):
        graph.add_edges_from(
            (u, v, {"weight": 5}) for i, u in enumerate(group) for v in group[i + 1 :]
        )
    graph.add_edge("d", "w", weight=1)
    graph.add_node("lonely")
    return graph


def test_louvain_is_deterministic_with_a_seed() -> None:
    graph = nx.les_miserables_graph()
    runs = [communities(graph, seed=7) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert len(set(runs[0].values())) > 2
    # Communities are numbered by size: community 1 is the largest.
    sizes = {c: list(runs[0].values()).count(c) for c in set(runs[0].values())}
    assert sizes[1] == max(sizes.values())


def test_louvain_finds_the_cliques() -> None:
    found = communities(_two_cliques(), seed=1)
    assert found["w"] == found["z"] == 1  # the five-clique is the larger community
    assert found["a"] == found["d"] == 2
    assert found["lonely"] == 3


def test_metrics() -> None:
    metrics = network_metrics(_two_cliques(), seed=3)
    assert metrics.columns == [
        "node",
        "label",
        "country",
        "works",
        "degree",
        "strength",
        "betweenness",
        "eigenvector",
        "community",
    ]
    rows = {r["node"]: r for r in metrics.iter_rows(named=True)}
    assert rows["d"]["degree"] == 4 and rows["d"]["strength"] == 16.0
    # The bridge ends carry every shortest path between the cliques; w (4 x 4 pairs) most.
    assert rows["w"]["betweenness"] == max(r["betweenness"] for r in rows.values())
    assert rows["w"]["betweenness"] > rows["d"]["betweenness"] > 0
    assert rows["a"]["betweenness"] == 0.0
    # Eigenvector centrality lives on the largest component; the isolate gets 0.
    assert rows["lonely"]["eigenvector"] == 0.0 and rows["x"]["eigenvector"] > 0
    assert metrics["strength"].is_sorted(descending=True)
    assert metrics.equals(network_metrics(_two_cliques(), seed=3))


def test_sampled_betweenness_is_seeded() -> None:
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1)
    graph = nx.relabel_nodes(graph, {n: f"n{n}" for n in graph})
    first = network_metrics(graph, seed=5, exact_betweenness_up_to=20)
    assert first.equals(network_metrics(graph, seed=5, exact_betweenness_up_to=20))


def test_empty_graph() -> None:
    assert network_metrics(nx.Graph()).height == 0
    assert graph_summary(nx.Graph()).nodes == 0


def test_summary() -> None:
    summary = graph_summary(_two_cliques())
    assert (summary.nodes, summary.edges) == (10, 6 + 10 + 1)
    assert summary.components == 2 and summary.largest_component == 9
    assert summary.isolates == 1
    assert summary.density == pytest.approx(17 / 45)
    assert summary.total_weight == pytest.approx(16 * 5 + 1)
    assert summary.to_dict()["components"] == 2
