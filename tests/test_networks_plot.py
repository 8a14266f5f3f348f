"""Pictures: PNG and SVG files that open, for the country, partner and trend plots."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from copub.errors import UsageError
from copub.networks import (
    build_network,
    partner_table,
    plot_country_network,
    plot_partner_network,
    plot_top_partners,
)
from copub.networks.plot import _category
from networks_world import HOME, small_groups, small_world, tables_from

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _check(paths: list[Path]) -> None:
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert paths[0].read_bytes()[:8] == PNG_MAGIC
    assert b"<svg" in paths[1].read_bytes()[:2000]


def test_network_pictures(tmp_path: Path) -> None:
    tables = tables_from(small_world(), tmp_path)
    countries = build_network(tables, "country", institution=HOME, groups=small_groups())
    _check(plot_country_network(countries, tmp_path / "countries.png"))
    institutions = build_network(tables, "institution", institution=HOME, groups=small_groups())
    _check(plot_partner_network(institutions, tmp_path / "partners", top=3))
    table = partner_table(tables, "country", institution=HOME, groups=small_groups())
    _check(plot_top_partners(table, tmp_path / "trend"))


def test_node_colour_categories() -> None:
    assert _category({"is_home": True, "groups": ["nordic"]}) == "home"
    assert _category({"groups": ["nordic", "enhance"]}) == "alliance"
    assert _category({"groups": ["priority", "lmic"]}) == "priority"
    assert _category({"groups": []}) == "other"


def test_empty_graph_still_draws(tmp_path: Path) -> None:
    _check(plot_country_network(nx.Graph(), tmp_path / "empty"))


def test_bad_picture_arguments(tmp_path: Path) -> None:
    graph = nx.Graph([("NO", "SE")])
    with pytest.raises(UsageError, match="picture formats"):
        plot_country_network(graph, tmp_path / "x", formats=("gif",))
    with pytest.raises(UsageError, match="top"):
        plot_country_network(graph, tmp_path / "x", top=0)
