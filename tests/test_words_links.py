"""No dead links: copub's invented ids get no openalex.org link in any output.

The synthetic world's works, authors and institutions have ids OpenAlex has
never issued (``W9…``, ``I9…``, ``A8…``): a link to their page would lead
nowhere. The network files (VOSviewer, Gephi, GEXF, GraphML, VOSviewer
Online) give them no url; real ids (the sample's home, NTNU, and the real
alliance members) keep theirs.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from copub.networks import export_networks
from copub.networks.prepared import PreparedNetwork, prepare_network
from copub.networks.vosviewer_online import vosviewer_online_map
from copub.provenance import is_synthetic_id, openalex_page
from report_helpers import sample_tables

#: A link to the page of an invented id (independent of copub's own pattern).
DEAD = re.compile(r"openalex\.org/[A-Z][89]\d{11}\b")


@pytest.fixture(scope="module")
def institutions() -> PreparedNetwork:
    return prepare_network(sample_tables(), "institution")


def test_an_invented_id_has_no_page_and_a_real_one_has() -> None:
    assert openalex_page("I900000000042") == "" and openalex_page("W800000000001") == ""
    assert openalex_page("I204778367") == "https://openalex.org/I204778367"
    assert not is_synthetic_id("A5023888391") and not is_synthetic_id("W4391234567")


def test_network_files_link_no_invented_id(institutions: PreparedNetwork, tmp_path: Path) -> None:
    files = export_networks(
        institutions.network, tmp_path, ["vosviewer", "gephi", "gexf", "graphml"]
    )
    text = "".join(p.read_text(errors="replace") for p in files)
    assert DEAD.findall(text) == []
    nodes = institutions.network.nodes["node"].to_list()
    assert any(is_synthetic_id(n) for n in nodes)  # the sample has invented institutions
    assert "https://openalex.org/I204778367" in text  # a real id keeps its link


def test_the_vosviewer_online_map_links_no_invented_id(institutions: PreparedNetwork) -> None:
    network = vosviewer_online_map(institutions)
    text = orjson.dumps(network).decode()
    assert DEAD.findall(text) == []
    urls = {item["label"]: item.get("url", "") for item in network["network"]["items"]}
    assert any(url == "" for url in urls.values())
    assert "https://openalex.org/I204778367" in urls.values()
    # synthetic data: the templates name works and institutions without a link
    templates = network["config"]["templates"]
    assert "href" not in templates["item_description"]
    assert "href" not in templates["link_description"]
