"""On the sample, distance from home on the partner map means co-publications with home.

Read back from what a reader sees: the static picture's drawn node positions
(the scatter's offsets) and the interactive page's embedded node coordinates
(decoded as the browser does). The counts come from elsewhere: the network's
links to home, and the page's own works lists intersected in plain Python.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from itertools import accumulate
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from matplotlib.collections import PathCollection

from copub.networks import build_network, partner_map
from copub.networks.build import top_nodes
from copub.networks.plot import _draw, _draw_map, map_nodes
from copub.networks.plot_periods import ego_periods, plot_ego_periods
from copub.networks.prepared import prepare_network
from report_helpers import sample_tables

TOP = 25


@pytest.fixture(scope="module")
def graph() -> nx.Graph:
    return build_network(sample_tables(), "country")


def _check_distances(distance: dict[str, float], count: dict[str, int]) -> None:
    """The partner with most co-publications is nearest, those with fewest are farthest,
    and every partner with fewer co-publications is farther than every one with more."""
    most = max(count, key=lambda n: count[n])
    assert sum(1 for n in count if count[n] == count[most]) == 1  # a single top partner
    assert all(distance[most] < distance[n] for n in count if n != most), most
    fewest = min(count.values())
    farthest = max(distance.values())
    for node in (n for n in count if count[n] == fewest):
        assert distance[node] == pytest.approx(farthest), node
    for a in count:
        for b in count:
            if count[a] > count[b]:
                assert distance[a] < distance[b], (a, count[a], b, count[b])


def test_static_map_places_partners_by_copublications_with_home(graph: nx.Graph) -> None:
    home = next(n for n, d in graph.nodes(data=True) if d.get("is_home"))
    shown = map_nodes(graph, TOP)
    figure = _draw_map(graph, "map", top=TOP, seed=0, footer=None)
    (dots,) = [c for c in figure.axes[0].collections if isinstance(c, PathCollection)]
    drawn = dict(zip(sorted(shown), (tuple(p) for p in dots.get_offsets()), strict=True))
    hx, hy = drawn[home]
    distance = {n: math.hypot(x - hx, y - hy) for n, (x, y) in drawn.items() if n != home}
    count = {n: graph.edges[home, n]["works"] for n in distance}
    assert {"MW", "MZ", "US"} <= set(count)
    _check_distances(distance, count)
    # The caption on the picture says what distance means.
    words = " ".join(t.get_text() for t in figure.texts)
    assert "Distance from home" in words and "co-publications with home" in words
    # Rings: one labelled with its count, the outermost at the fewest partners' distance.
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert any(label.endswith(("co-publication", "co-publications")) for label in labels)


def test_institution_picture_places_partners_by_copublications_with_home() -> None:
    # The home institution is in its institution network: the same radial rule.
    graph = top_nodes(build_network(sample_tables(), "institution"), 30)
    (home,) = [n for n, d in graph.nodes(data=True) if d.get("is_home")]
    figure = _draw(graph, "institutions", seed=0, labels=20)
    (dots,) = [c for c in figure.axes[0].collections if isinstance(c, PathCollection)]
    drawn = dict(zip(sorted(graph.nodes), (tuple(p) for p in dots.get_offsets()), strict=True))
    hx, hy = drawn[home]
    distance = {n: math.hypot(x - hx, y - hy) for n, (x, y) in drawn.items() if n != home}
    count = {n: graph.edges[home, n]["works"] for n in distance}
    _check_distances(distance, count)
    assert any("co-publications with home" in t.get_text() for t in figure.texts)


def _page_data() -> dict[str, Any]:
    html = partner_map(sample_tables(), "country").html()
    start = html.index('<script id="copub-map-data" type="application/octet-stream">')
    payload = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    data: dict[str, Any] = json.loads(gzip.decompress(base64.b64decode(payload)))
    return data


def test_interactive_map_places_partners_by_copublications_with_home(graph: nx.Graph) -> None:
    data = _page_data()
    nodes = data["nodes"]
    (home_at,) = data["home"]
    ids = nodes["id"]
    works = [set(accumulate(deltas)) for deltas in nodes["works"]]
    hx, hy = nodes["x"][home_at], nodes["y"][home_at]
    assert (hx, hy) == (0, 0)
    distance = {
        ids[i]: math.hypot(nodes["x"][i] - hx, nodes["y"][i] - hy)
        for i in range(len(ids))
        if i != home_at
    }
    # Co-publications with home: the works the page lists for both home and the partner.
    count = {ids[i]: len(works[i] & works[home_at]) for i in range(len(ids)) if i != home_at}
    home = ids[home_at]
    assert count == {n: graph.edges[home, n]["works"] for n in count}
    _check_distances(distance, count)
    assert "co-publications with home" in data["note"]
    # Ring guides travel with the page, each where a partner with that count sits.
    assert data["rings"]
    for ring in data["rings"]:
        for node in (n for n in count if count[n] == ring["value"]):
            assert distance[node] == pytest.approx(ring["radius"], abs=1e-4)


def test_periods_picture_places_partners_by_copublications_with_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib.figure

    prepared = prepare_network(sample_tables(), "country")
    table = ego_periods(prepared)
    together: dict[str, int] = {}
    label_of: dict[str, str] = {}
    for row in table.iter_rows(named=True):
        together[row["partner"]] = together.get(row["partner"], 0) + row["works"]
        label_of[str(row["label"])[:28]] = row["partner"]
    drawn: list[matplotlib.figure.Figure] = []
    original = matplotlib.figure.Figure.savefig

    def keep(self: matplotlib.figure.Figure, *args: Any, **kwargs: Any) -> None:
        drawn.append(self)
        original(self, *args, **kwargs)

    # The figure as saved, read back: where its partners' labels are anchored.
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", keep)
    plot_ego_periods(prepared, tmp_path / "periods", formats=["svg"])
    home = table["home"][0]
    for ax in drawn[0].axes:
        # Each labelled partner's label is anchored at its dot; home's at the centre.
        at = {label_of[t.get_text()]: t.xy for t in ax.texts if t.get_text() in label_of}
        (hx, hy) = next(t.xy for t in ax.texts if t.get_text() == home)
        assert len(at) >= 15
        distance = {n: math.hypot(x - hx, y - hy) for n, (x, y) in at.items()}
        for a in at:
            for b in at:
                if together[a] > together[b]:
                    assert distance[a] < distance[b], (a, b)
