"""Every export reads back: GEXF, GraphML, VOSviewer (map, network, JSON), Gephi CSV, Pajek."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from copub.errors import UsageError
from copub.networks import build_network, export_network
from networks_world import HOME, small_groups, small_world, tables_from

VOS_HEADER = [
    "id",
    "label",
    "description",
    "url",
    "x",
    "y",
    "cluster",
    "weight<Links>",
    "weight<Total link strength>",
    "weight<Documents>",
    "score<Avg. pub. year>",
]


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> nx.Graph:
    tables = tables_from(small_world(), tmp_path_factory.mktemp("world"))
    return build_network(
        tables,
        "institution",
        institution=HOME,
        groups=small_groups(),
        counting="fractional",
        normalization="association",
    )


def _edges(g: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((u, v)): float(d["weight"]) for u, v, d in g.edges(data=True)}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_networkx_formats_read_back(graph: nx.Graph, tmp_path: Path, fmt: str) -> None:
    files = export_network(graph, tmp_path, fmt)  # type: ignore[arg-type]
    assert files[-1].name == "institution_network_about.txt"
    back = nx.read_gexf(files[0]) if fmt == "gexf" else nx.read_graphml(files[0])
    assert set(back.nodes) == set(graph.nodes)
    assert _edges(back) == pytest.approx(_edges(graph))
    assert back.nodes["I6"]["label"] == 'Institute "Alpha, Beta; Gamma"'
    assert back.nodes["I2"]["groups"] == "nordic; enhance"
    assert int(back.nodes[HOME]["works"]) == 7
    assert back.edges[HOME, "I2"]["association"] == pytest.approx(
        graph.edges[HOME, "I2"]["association"]
    )
    assert -1.0 <= float(back.nodes[HOME]["x"]) <= 1.0


def test_vosviewer_map_and_network_files(graph: nx.Graph, tmp_path: Path) -> None:
    map_path, network_path, json_path, about = export_network(graph, tmp_path, "vosviewer")
    text = map_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].split("\t") == VOS_HEADER
    assert all(line.count("\t") == len(VOS_HEADER) - 1 for line in lines)
    # Labels with commas or semicolons are enclosed in double quotes; inner quotes become '.
    assert "\t\"Institute 'Alpha, Beta; Gamma'\"\t" in text
    assert "\tStanford University\t" in text
    rows = list(csv.DictReader(map_path.open(encoding="utf-8"), delimiter="\t", quotechar='"'))
    assert len(rows) == graph.number_of_nodes()
    by_id = {row["description"].split(" | ")[0]: row for row in rows}
    assert by_id["I6"]["label"] == "Institute 'Alpha, Beta; Gamma'"
    home = by_id[HOME]
    assert int(home["weight<Links>"]) == graph.degree(HOME)
    assert float(home["weight<Total link strength>"]) == pytest.approx(
        graph.degree(HOME, weight="weight"), abs=1e-5
    )
    assert int(home["weight<Documents>"]) == 7
    assert home["url"] == f"https://openalex.org/{HOME}"
    assert all(1 <= int(row["cluster"]) <= 1000 for row in rows)
    assert all(int(row["id"]) >= 1 for row in rows)
    number_to_node = {row["id"]: row["description"].split(" | ")[0] for row in rows}
    links = {}
    for line in network_path.read_text(encoding="utf-8").splitlines():
        a, b, strength = line.split("\t")
        links[frozenset((number_to_node[a], number_to_node[b]))] = float(strength)
    assert links == pytest.approx(_edges(graph), abs=1e-5)
    document = json.loads(json_path.read_text(encoding="utf-8"))
    items = {item["id"]: item for item in document["network"]["items"]}
    assert set(items) == set(graph.nodes)
    assert items[HOME]["weights"]["Documents"] == 7
    assert items["I6"]["label"] == 'Institute "Alpha, Beta; Gamma"'
    json_links = {
        frozenset((link["source_id"], link["target_id"])): link["strength"]
        for link in document["network"]["links"]
    }
    assert json_links == pytest.approx(_edges(graph))
    assert "fractional counting" in about.read_text(encoding="utf-8")


def test_gephi_csv(graph: nx.Graph, tmp_path: Path) -> None:
    nodes_path, edges_path, _ = export_network(graph, tmp_path, "gephi")
    nodes = pl.read_csv(nodes_path)
    edges = pl.read_csv(edges_path)
    assert nodes.columns[:2] == ["Id", "Label"]
    assert edges.columns[:4] == ["Source", "Target", "Type", "Weight"]
    assert set(nodes["Id"]) == set(graph.nodes)
    assert set(edges["Type"]) == {"Undirected"}
    assert nodes.filter(pl.col("Id") == "I6")["Label"].item() == 'Institute "Alpha, Beta; Gamma"'
    got = {frozenset((s, t)): w for s, t, w in edges.select("Source", "Target", "Weight").rows()}
    assert got == pytest.approx(_edges(graph))


def test_pajek(graph: nx.Graph, tmp_path: Path) -> None:
    net_path, _ = export_network(graph, tmp_path, "pajek")
    back = nx.Graph(nx.read_pajek(net_path))
    assert back.number_of_nodes() == graph.number_of_nodes()
    label = {n: d["label"].replace('"', "'") for n, d in graph.nodes(data=True)}
    expected = {
        frozenset((label[u], label[v])): float(d["weight"]) for u, v, d in graph.edges(data=True)
    }
    got = {frozenset((u, v)): float(d["weight"]) for u, v, d in back.edges(data=True)}
    assert got == pytest.approx(expected, abs=1e-5)


def test_synthetic_data_is_labelled(graph: nx.Graph, tmp_path: Path) -> None:
    synthetic = graph.copy()
    synthetic.graph["synthetic"] = True
    *_, json_path, about = export_network(synthetic, tmp_path, "vosviewer")
    assert "SYNTHETIC" in about.read_text(encoding="utf-8")
    assert "SYNTHETIC" in json.loads(json_path.read_text())["info"]["description"]


def test_export_is_deterministic(graph: nx.Graph, tmp_path: Path) -> None:
    first = export_network(graph, tmp_path / "a", "vosviewer", seed=3)
    second = export_network(graph, tmp_path / "b", "vosviewer", seed=3)
    assert [p.read_bytes() for p in first] != [] and all(
        a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True)
    )


def test_bad_format(graph: nx.Graph, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="export format"):
        export_network(graph, tmp_path, "csv")  # type: ignore[arg-type]
