"""The frame-based writers against networkx's own writers and readers, at any size.

copub writes GEXF and GraphML itself (networkx's writers take minutes on a
million links); networkx's readers are the independent check that the files
are what networkx would have written.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest

import copub.networks.frames as frames_module
from copub.networks import export_networks
from copub.progress import Progress


def _hostile_graph() -> nx.Graph:
    graph = nx.Graph(kind="institution", counting="full", name="test network", synthetic=True)
    graph.add_node(
        "I1",
        label='A & B <"Lab">\x01',
        works=7,
        mean_year=2020.5,
        is_home=True,
        groups=["nordic", "enhance"],
        country="NO",
    )
    graph.add_node("I2", label="Plain, with; punctuation", works=3, is_home=False, country="SE")
    graph.add_node("I3", label="Third", works=1, is_home=False, country=None)
    graph.add_edge("I1", "I2", weight=2, works=2, fractional=0.5)
    graph.add_edge("I3", "I1", weight=1, works=1, fractional=1 / 3)
    return graph


def _scalar(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _networkx_reference(graph: nx.Graph, path: Path, fmt: str) -> nx.Graph:
    """What networkx writes and reads back for the same graph (its own writer)."""
    flat = nx.Graph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, data in graph.edges(data=True):
        flat.add_edge(u, v, **data)
    # networkx would write the control character into invalid XML; copub drops it.
    for _, data in flat.nodes(data=True):
        data["label"] = data["label"].replace("\x01", "")
    if fmt == "gexf":
        nx.write_gexf(flat, path)
        return nx.read_gexf(path)
    nx.write_graphml(flat, path)
    return nx.read_graphml(path)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_xml_formats_equal_networkx_round_trip(tmp_path: Path, fmt: str) -> None:
    graph = _hostile_graph()
    ours = export_networks(graph, tmp_path / "ours", [fmt])[0]  # type: ignore[list-item]
    back = nx.read_gexf(ours) if fmt == "gexf" else nx.read_graphml(ours)
    reference = _networkx_reference(graph, tmp_path / f"ref.{fmt}", fmt)
    assert set(back.nodes) == set(reference.nodes)
    for node in reference.nodes:
        expected = reference.nodes[node]
        got = back.nodes[node]
        assert got["label"] == expected["label"].replace("\x01", "")
        for key in ("works", "is_home", "groups", "country", "mean_year"):
            if key in expected:
                assert got[key] == expected[key], (node, key)
    for u, v, data in reference.edges(data=True):
        assert back.edges[u, v]["weight"] == pytest.approx(float(data["weight"]))
        assert back.edges[u, v]["fractional"] == pytest.approx(data["fractional"])


def test_large_graphs_leave_layout_and_clusters_to_the_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(frames_module, "LAYOUT_MAX_NODES", 2)
    monkeypatch.setattr(frames_module, "CLUSTER_MAX_EDGES", 1)
    graph = _hostile_graph()
    notes: list[str] = []

    class Collect(Progress):
        def note(self, message: str) -> None:
            notes.append(message)

    files = export_networks(
        graph, tmp_path, ["vosviewer", "gephi", "pajek", "gexf", "graphml"], progress=Collect()
    )
    by_name = {p.name: p for p in files}
    header = by_name["institution_network_map.txt"].read_text().splitlines()[0].split("\t")
    assert "x" not in header and "y" not in header and "cluster" not in header
    assert "community" not in by_name["institution_network_nodes.csv"].read_text().splitlines()[0]
    pajek = nx.read_pajek(by_name["institution_network.net"])
    assert pajek.number_of_nodes() == 3
    gexf = nx.read_gexf(by_name["institution_network.gexf"])
    assert "viz" not in gexf.nodes["I1"] or "position" not in gexf.nodes["I1"]["viz"]
    assert gexf.edges["I1", "I2"]["weight"] == 2.0
    about = by_name["institution_network_about.txt"].read_text()
    assert "layout: none" in about and "clusters: none" in about
    # One note lists every file of every format, not only the last format's.
    for path in files[:-1]:
        assert path.name in about
    assert any("no layout" in n for n in notes) and any("no Louvain" in n for n in notes)


def test_small_graphs_keep_layout_in_range(tmp_path: Path) -> None:
    files = export_networks(_hostile_graph(), tmp_path, ["graphml"])
    back = nx.read_graphml(files[0])
    for _, data in back.nodes(data=True):
        assert -1.0 <= float(data["x"]) <= 1.0 and not math.isnan(float(data["y"]))
    assert back.graph["synthetic"] is True


def test_large_export_is_announced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import copub.networks.export as export_module

    monkeypatch.setattr(export_module, "LARGE_EXPORT_LINKS", 1)
    notes: list[str] = []

    class Collect(Progress):
        def note(self, message: str) -> None:
            notes.append(message)

    export_networks(_hostile_graph(), tmp_path, ["gephi"], progress=Collect())
    assert notes[0].startswith("warning: 2 links") and "MB" in notes[0]
