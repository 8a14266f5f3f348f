"""The exports that carry the works behind a network: page data, VOSviewer Online, dynamic GEXF.

Each is checked against an independent reference: ``copub.works_between``
(the provenance lookup) for the works behind a link, networkx's GEXF reader
for the dynamic file, and a JSON Schema written from VOSviewer Online's own
sample files for the map.
"""

from __future__ import annotations

import base64
import gzip
import json
from itertools import accumulate
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import polars as pl
import pytest

import copub
from copub.errors import UsageError
from copub.networks.dynamic import write_dynamic_gexf
from copub.networks.html_page import partner_map_of, shown_network
from copub.networks.plot_periods import ego_periods, plot_ego_periods
from copub.networks.prepared import PreparedNetwork, prepare_network
from copub.networks.vosviewer_online import (
    TOP_WORKS,
    vosviewer_online_map,
    vosviewer_online_schema,
)

SCALE = 0.01


@pytest.fixture(scope="module")
def tables() -> copub.Tables:
    return copub.load_sample(scale=SCALE)


@pytest.fixture(scope="module")
def country(tables: copub.Tables) -> PreparedNetwork:
    return prepare_network(tables, "country")


@pytest.fixture(scope="module")
def institution(tables: copub.Tables) -> PreparedNetwork:
    return prepare_network(tables, "institution")


def _page_data(prepared: PreparedNetwork, **options: Any) -> dict[str, Any]:
    """The data a page embeds, decoded as the browser does (base64, gzip, JSON)."""
    page = partner_map_of(prepared, **options)
    html = page.html()
    start = html.index('<script id="copub-map-data" type="application/octet-stream">')
    payload = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    data: dict[str, Any] = json.loads(gzip.decompress(base64.b64decode(payload)))
    return data


def _node_works(data: dict[str, Any]) -> dict[str, set[str]]:
    ids = data["works"]["id"]
    return {
        node: {ids[i] for i in accumulate(deltas)}
        for node, deltas in zip(data["nodes"]["id"], data["nodes"]["works"], strict=True)
    }


@pytest.mark.parametrize(("pair", "kind"), [(("NO", "JP"), "country"), (("NO", "US"), "country")])
def test_page_works_behind_a_link_are_works_between(
    tables: copub.Tables, country: PreparedNetwork, pair: tuple[str, str], kind: str
) -> None:
    data = _page_data(country)
    works = _node_works(data)
    behind = works[pair[0]] & works[pair[1]]
    expected = copub.works_between(tables, *pair)
    assert behind == set(expected["work_id"])
    # One shared table: each work once, sorted by year then id, as works_between sorts.
    table = pl.DataFrame({"work_id": data["works"]["id"], "year": data["works"]["year"]})
    assert table["work_id"].is_unique().all()
    assert table.equals(table.sort("year", "work_id"))


def test_page_institution_links_match_the_capped_network(
    tables: copub.Tables, institution: PreparedNetwork
) -> None:
    data = _page_data(institution)
    works = _node_works(data)
    graph = institution.network.to_graph()
    ids = data["nodes"]["id"]
    edges = list(zip(data["edges"]["source"], data["edges"]["target"], strict=True))
    # Every drawn link: its shared works count is the graph's edge weight.
    for s, t in edges:
        assert len(works[ids[s]] & works[ids[t]]) == graph.edges[ids[s], ids[t]]["works"]
    s, t = edges[len(edges) // 2]
    expected = copub.works_between(tables, ids[s], ids[t], network=graph)
    assert works[ids[s]] & works[ids[t]] == set(expected["work_id"])


def test_page_is_self_contained_and_marked(country: PreparedNetwork) -> None:
    html = partner_map_of(country).html()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "SYNTHETIC sample data" in html
    lowered = html.lower()
    assert "<link" not in lowered and "<iframe" not in lowered
    assert " src=" not in lowered.replace("img-src", "")
    assert "sourcemappingurl" not in lowered


def test_page_link_cap_keeps_home_links(institution: PreparedNetwork) -> None:
    data = _page_data(institution, max_links=500)
    home = data["home"][0]
    pairs = list(zip(data["edges"]["source"], data["edges"]["target"], strict=True))
    home_links = sum(1 for s, t in pairs if home in (s, t))
    assert len(pairs) == 500
    # Home's links among the nodes drawn, before the link cap.
    whole, _ = shown_network(institution, max_links=10**9)
    home_id = data["nodes"]["id"][home]
    expected_home = whole.edges.filter(
        (pl.col("source") == home_id) | (pl.col("target") == home_id)
    )
    assert home_links == min(expected_home.height, 500)
    assert "left out (--max-links 500)" in data["note"]


def test_author_page_is_an_ego_view_within_its_cap(tables: copub.Tables) -> None:
    data = _page_data(prepare_network(tables, "author"), max_authors=25)
    assert len(data["nodes"]["id"]) == 25
    assert "--max-authors 25" in data["note"]
    with pytest.raises(UsageError, match="--max-authors must be between 2 and 499"):
        _page_data(prepare_network(tables, "author"), max_authors=500)


# --- VOSviewer Online -------------------------------------------------------------

#: A small map written by hand in the shape of VOSviewer Online's sample files
#: (integer ids, weights and scores, terminology and templates with source_/target_).
FIXTURE_LIKE_THEIRS = {
    "config": {
        "terminology": {"item": "Organization", "items": "Organizations", "link": "Link"},
        "templates": {
            "item_description": "<div class='description_label'>{label}</div>",
            "link_description": "<div>{source_label}</div><div>{target_label}</div>",
        },
        "styles": {"description_heading": "color: #757575;"},
        "parameters": {"largest_component": True, "attraction": 1, "repulsion": -1},
    },
    "network": {
        "items": [
            {"id": 14, "label": "a", "x": -0.75, "y": 0.8, "cluster": 1,
             "weights": {"Links": 1.0, "Documents": 4.0}, "scores": {"Avg. pub. year": 2020.25},
             "address": "Oslo, Norway"},
            {"id": 23, "label": "b", "x": 0.5, "y": -0.1, "cluster": 2,
             "weights": {"Links": 1.0, "Documents": 2.0}, "outstanding": False},
        ],
        "links": [{"source_id": 14, "target_id": 23, "strength": 2}],
        "clusters": [{"cluster": 1, "label": "one"}],
    },
}  # fmt: skip


def _errors(document: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(vosviewer_online_schema())
    return [e.message for e in validator.iter_errors(document)]


def test_schema_is_valid_and_accepts_a_map_shaped_like_theirs() -> None:
    jsonschema.Draft202012Validator.check_schema(vosviewer_online_schema())
    assert _errors(FIXTURE_LIKE_THEIRS) == []


@pytest.mark.parametrize(
    "broken",
    [
        {"config": {}},  # no network
        {"network": {"items": [{"label": "no id"}]}},
        {"network": {"items": [], "links": [{"source_id": 1}]}},
        {"network": {"items": [{"id": 1, "weights": {"Documents": "four"}}]}},
        {"network": {"items": [{"id": 1, "nested": {"a": 1}}]}},
        {"network": {"items": [], "links": [{"source_id": 1, "target_id": 2, "strength": -1}]}},
        {"network": {"items": []}, "config": {"templates": {"item_description": 3}}},
    ],
)
def test_schema_rejects_what_vosviewer_online_cannot_read(broken: dict[str, Any]) -> None:
    assert _errors(broken) != []


@pytest.mark.parametrize("kind", ["country", "institution", "author"])
def test_every_vosviewer_online_map_passes_the_schema(
    tables: copub.Tables, kind: str, tmp_path: Path
) -> None:
    from copub.networks.vosviewer_online import write_vosviewer_online

    prepared = prepare_network(tables, kind)  # type: ignore[arg-type]
    path = write_vosviewer_online(prepared, tmp_path / "map.json", max_authors=30)
    assert _errors(json.loads(path.read_bytes())) == []


def test_vosviewer_online_lists_the_most_cited_works_of_a_link(
    tables: copub.Tables, country: PreparedNetwork
) -> None:
    vos = vosviewer_online_map(country)
    assert vos["config"]["terminology"]["link_strength"] == "Co-publications"
    assert "{work1_title}" in vos["config"]["templates"]["link_description"]
    assert vos["info"]["description"].startswith("SYNTHETIC")
    link = next(
        x for x in vos["network"]["links"] if {x["source_id"], x["target_id"]} == {"JP", "NO"}
    )
    behind = copub.works_between(tables, "NO", "JP").join(
        tables.works.select("work_id", "cited_by_count"), on="work_id"
    )
    assert link["works"] == behind.height == link["strength"]
    top = behind.sort(["cited_by_count", "year", "work_id"], descending=[True, True, False]).head(
        TOP_WORKS
    )
    assert [link[f"work{i}_title"] for i in range(1, TOP_WORKS + 1)] == top["title"].to_list()
    item = next(x for x in vos["network"]["items"] if x["id"] == "JP")
    assert (
        item["weights"]["Works"]
        == country.network.nodes.filter(pl.col("node") == "JP")["works"].item()
    )


# --- dynamic GEXF and the periods -------------------------------------------------------


def test_dynamic_gexf_years_are_the_works_between_per_year(
    tables: copub.Tables, country: PreparedNetwork, tmp_path: Path
) -> None:
    graph = nx.read_gexf(write_dynamic_gexf(country, tmp_path / "dynamic.gexf"))
    assert graph.graph["mode"] == "dynamic"
    per_year = copub.works_between(tables, "NO", "JP").group_by("year").agg(n=pl.len()).sort("year")
    edge = graph.edges["NO", "JP"]
    assert [(n, y) for n, y, _ in edge["works"]] == list(
        zip(per_year["n"], per_year["year"], strict=True)
    )
    assert all(start == end for _, start, end in edge["works"])
    years = per_year["year"].to_list()
    spells = [y for a, b in edge["spells"] for y in range(a, b + 1)]
    assert spells == years  # a spell is a run of years with works, nothing else
    assert graph.nodes["JP"]["group"] == "priority country"


def test_ego_periods_count_the_works_of_each_period(
    tables: copub.Tables, country: PreparedNetwork, tmp_path: Path
) -> None:
    table = ego_periods(country, [(2014, 2016), (2020, 2022)], top=5)
    assert table["period"].unique(maintain_order=True).to_list() == ["2014-2016", "2020-2022"]
    row = table.filter(pl.col("partner") == "US", pl.col("period") == "2020-2022").row(
        0, named=True
    )
    assert row["works"] == copub.works_between(tables, "NO", "US", years=(2020, 2022)).height
    files = plot_ego_periods(country, tmp_path / "ego", formats=["svg"])
    svg = files[0].read_text()
    assert "SYNTHETIC" in svg and "2018-2021" in svg and "2022-2025" in svg
    with pytest.raises(UsageError, match="countries and institutions"):
        ego_periods(prepare_network(tables, "author"))


def test_page_escapes_a_hostile_home_name(tables: copub.Tables) -> None:
    from copub.networks import partner_map

    hostile = '</script><script>alert(1)</script>"<b>'
    home = pl.col("institution_id") == "I204778367"
    institutions = tables.institutions.with_columns(
        name=pl.when(home).then(pl.lit(hostile)).otherwise(pl.col("name"))
    )
    page = partner_map(tables.with_(institutions=institutions), "institution").html()
    assert hostile not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page
    assert page.count("<script") == 4  # the data, graphology, sigma and the page's own


def test_page_of_a_network_too_large_to_lay_out_shows_the_strongest_partners(
    institution: PreparedNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copub.networks import frames, html_page

    # The real institution networks have thousands of partners; here 50 stands for 499.
    monkeypatch.setattr(frames, "LAYOUT_MAX_NODES", 50)
    monkeypatch.setattr(html_page, "LAYOUT_MAX_NODES", 50)
    data = _page_data(institution, max_authors=40)
    assert len(data["nodes"]["id"]) == 50
    assert None not in data["nodes"]["x"] and None not in data["nodes"]["y"]
    strongest = (
        institution.network.nodes.filter(~pl.col("is_home"))
        .sort(["works", "node"], descending=[True, False])
        .head(49)["node"]
    )
    assert set(strongest) < set(data["nodes"]["id"])
    assert "the top 49 partners by works of" in data["note"]
