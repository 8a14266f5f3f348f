"""Words a reader understands, in the analyses and the network files.

A Norwegian partner is "domestic", not "home" (which reads as the home
institution); a network's note names the universe it really counts; GraphML
says "none" for no cap instead of 0.0; the impact table's two coverage
columns have two headers.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import polars as pl

import copub
from copub.analyses.impact.present import comparison_lines
from copub.analyses.impact.section import build_impact_section
from copub.networks import build_network, export_network
from copub.networks.memberships import DOMESTIC_TAG, node_groups
from copub.networks.options import NetworkOptions
from networks_world import HOME, small_groups, small_world, tables_from
from report_helpers import sample_tables


def test_a_norwegian_partner_is_domestic_not_home() -> None:
    nodes = pl.DataFrame(
        {"node": ["I9", "I8"], "country": ["NO", "SE"], "type": ["education"] * 2,
         "ror": [None, None], "lineage": [["I9"], ["I8"]]},
        schema_overrides={"ror": pl.String, "lineage": pl.List(pl.String)},
    )  # fmt: skip
    tags = node_groups(nodes, small_groups())["groups"].to_list()
    assert tags[0] == [DOMESTIC_TAG, "nordic"] and DOMESTIC_TAG == "domestic"
    assert all("home" not in t for t in tags)


def test_the_network_note_names_the_universe_and_graphml_says_none(tmp_path: Path) -> None:
    graph = build_network(sample_tables(), "country")
    assert graph.graph["universe"] == "leiden"
    files = export_network(graph, tmp_path, "graphml")
    about = files[-1].read_text()
    assert "universe: Leiden Ranking universe" in about
    assert "document types: article,review,book-chapter" not in about
    assert "cap: none" in about
    back = nx.read_graphml(files[0])
    assert back.graph["max_nodes_per_work"] == "none"
    assert NetworkOptions.from_graph(back.graph).max_nodes_per_work is None


def test_a_capped_network_keeps_its_cap(tmp_path: Path) -> None:
    (tmp_path / "world").mkdir()
    tables = tables_from(small_world(), tmp_path / "world")
    graph = build_network(
        tables, "institution", institution=HOME, groups=small_groups(), max_nodes_per_work=3
    )
    files = export_network(graph, tmp_path / "out", "graphml")
    back = nx.read_graphml(files[0])
    assert int(back.graph["max_nodes_per_work"]) == 3
    assert NetworkOptions.from_graph(back.graph).max_nodes_per_work == 3
    assert "cap: works with more than 3 nodes skipped" in files[-1].read_text()
    # files written before said 0 (0.0 in GraphML) for no cap: still read as no cap
    assert (
        NetworkOptions.from_graph(back.graph | {"max_nodes_per_work": 0.0}).max_nodes_per_work
        is None
    )


def test_the_impact_table_has_one_header_per_column() -> None:
    section = build_impact_section(sample_tables(), copub.Definitions(bootstrap=0))
    lines = comparison_lines(section)
    header = next(line for line in lines if line.startswith(("Year", "Period")))
    words = header.split()
    coverage = [w for w in words if w.startswith("No%")]
    assert len(coverage) == 2 and len(set(coverage)) == 2, header
    assert "NoPct" not in header
    legend = " ".join(lines[-3:])
    assert all(w in legend for w in coverage)
