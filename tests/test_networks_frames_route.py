"""The frames route (no networkx graph) against the networkx graph it stands for.

``copub network`` builds :class:`NetworkFrames` and exports them without a
graph. These tests hold that route to the graph route: the same files byte
for byte, the same degree, strength, Louvain clusters and summary, and the
same ``--top`` subgraph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl
import pytest

import copub
from copub.networks import (
    NetworkFrames,
    build_network,
    build_network_frames,
    communities,
    export_networks,
    graph_summary,
)
from copub.networks.build import top_nodes
from copub.networks.frames import graph_frames, network_frames
from networks_world import HOME, small_groups, small_world, tables_from

FORMATS: list[Any] = ["gexf", "graphml", "vosviewer", "gephi", "pajek"]
CASES = [
    ("country", "full", None),
    ("institution", "fractional", "association"),
    ("author", "full", "cosine"),
]


@pytest.fixture(scope="module")
def sample() -> copub.Tables:
    return copub.load_sample(scale=0.01)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> copub.Tables:
    return tables_from(small_world(), tmp_path_factory.mktemp("world"))


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _same_graph(a: nx.Graph, b: nx.Graph) -> None:
    # top_nodes' subgraph lists its nodes in set order; the frames keep node order.
    assert sorted(a.nodes) == sorted(b.nodes)
    assert a.graph == b.graph
    for node in a.nodes:
        assert a.nodes[node].keys() == b.nodes[node].keys()
        for key, value in a.nodes[node].items():
            assert b.nodes[node][key] == pytest.approx(value), (node, key)
    assert sorted(tuple(sorted(e)) for e in a.edges) == sorted(tuple(sorted(e)) for e in b.edges)
    for u, v, data in a.edges(data=True):
        assert b.edges[u, v] == pytest.approx(data), (u, v)


@pytest.mark.parametrize(("kind", "counting", "normalization"), CASES)
def test_frames_write_the_graphs_files(
    sample: copub.Tables, tmp_path: Path, kind: Any, counting: Any, normalization: Any
) -> None:
    net = build_network_frames(sample, kind, counting=counting, normalization=normalization)
    graph = net.to_graph()
    # build_network is the frames' graph (its float sums may differ in the last bit
    # between two builds, since polars adds in parallel).
    _same_graph(graph, build_network(sample, kind, counting=counting, normalization=normalization))
    fast = export_networks(net, tmp_path / "frames", FORMATS, seed=3)
    slow = export_networks(graph, tmp_path / "graph", FORMATS, seed=3)
    assert [p.name for p in fast] == [p.name for p in slow]
    assert _files(tmp_path / "frames") == _files(tmp_path / "graph")


def test_hostile_labels_and_groups_write_the_same(hostile: copub.Tables, tmp_path: Path) -> None:
    net = build_network_frames(
        hostile, "institution", institution=HOME, groups=small_groups(), counting="fractional"
    )
    export_networks(net, tmp_path / "frames", FORMATS)
    export_networks(net.to_graph(), tmp_path / "graph", FORMATS)
    assert _files(tmp_path / "frames") == _files(tmp_path / "graph")
    assert b"nordic; enhance" in _files(tmp_path / "frames")["institution_network_nodes.csv"]


@pytest.mark.parametrize("kind", ["institution", "author"])
def test_degree_strength_and_clusters_equal_networkx(sample: copub.Tables, kind: Any) -> None:
    net = build_network_frames(sample, kind, counting="fractional")
    graph = net.to_graph()
    frames = network_frames(net, seed=5)
    assert frames.has_clusters
    rows = {r["node"]: r for r in frames.nodes.iter_rows(named=True)}
    strength = dict(graph.degree(weight="weight"))
    expected = communities(graph, seed=5)
    for node, degree in graph.degree():
        assert rows[node]["links"] == degree
        assert rows[node]["strength"] == pytest.approx(strength[node], rel=1e-12)
        assert rows[node]["cluster"] == expected[node]
    # The graph route's own frames agree too (the clusters are Louvain's on the full graph).
    assert frames.nodes.equals(graph_frames(graph, seed=5).nodes)


@pytest.mark.parametrize("kind", ["country", "author"])
def test_summary_equals_graph_summary(sample: copub.Tables, kind: Any) -> None:
    net = build_network_frames(sample, kind)
    ours, theirs = net.summary().to_dict(), graph_summary(net.to_graph()).to_dict()
    assert ours.pop("total_weight") == pytest.approx(theirs.pop("total_weight"))
    assert ours == theirs


def test_summary_of_a_disconnected_network_with_isolates() -> None:
    net = NetworkFrames(
        pl.DataFrame({"node": ["a", "b", "c", "d", "e", "f"]}),
        pl.DataFrame({"source": ["a", "a", "d"], "target": ["b", "c", "e"], "weight": [1, 2, 3]}),
    )
    graph = net.to_graph()
    assert net.summary() == graph_summary(graph)
    assert net.summary().isolates == 1 and net.summary().components == 3


@pytest.mark.parametrize("top", [1, 5, 40])
def test_top_equals_top_nodes(sample: copub.Tables, top: int) -> None:
    net = build_network_frames(sample, "institution")
    _same_graph(net.top(top).to_graph(), top_nodes(net.to_graph(), top))
    assert net.top(top).number_of_nodes() == top_nodes(net.to_graph(), top).number_of_nodes()


def test_empty_network_exports(tmp_path: Path) -> None:
    net = NetworkFrames(
        pl.DataFrame(schema={"node": pl.String, "label": pl.String}),
        pl.DataFrame(schema={"source": pl.String, "target": pl.String, "weight": pl.Float64}),
        {"kind": "country"},
    )
    export_networks(net, tmp_path / "frames", FORMATS)
    export_networks(net.to_graph(), tmp_path / "graph", FORMATS)
    assert _files(tmp_path / "frames") == _files(tmp_path / "graph")


def test_ids_that_need_escaping_read_back(tmp_path: Path) -> None:
    # The writers skip escaping when no id needs it; these ids do.
    odd = 'I&"<1>\\'
    net = NetworkFrames(
        pl.DataFrame({"node": ["I2", odd], "label": ["Two", "Odd"], "flag": [None, True]}),
        pl.DataFrame({"source": ["I2"], "target": [odd], "weight": [2.0]}),
        {"kind": "institution"},
    )
    files = {p.name: p for p in export_networks(net, tmp_path, FORMATS)}
    for back in (
        nx.read_gexf(files["institution_network.gexf"]),
        nx.read_graphml(files["institution_network.graphml"]),
    ):
        assert set(back.nodes) == {"I2", odd}
        assert back.edges["I2", odd]["weight"] == 2.0
        assert "flag" not in back.nodes["I2"] and back.nodes[odd]["flag"] in (True, "true")
    vos = json.loads(files["institution_network.json"].read_text())
    assert vos["network"]["links"] == [{"source_id": "I2", "target_id": odd, "strength": 2.0}]


@pytest.mark.parametrize("kind", ["country", "author"])
def test_links_are_the_same_on_every_build(sample: copub.Tables, kind: Any) -> None:
    # Counts by team size add up exactly; the fractional sums run in a fixed order.
    first = build_network_frames(sample, kind, counting="fractional").edges
    for _ in range(3):
        assert build_network_frames(sample, kind, counting="fractional").edges.equals(first)
    assert first["source"].lt(first["target"]).all()
    assert first.select("source", "target").is_duplicated().sum() == 0
