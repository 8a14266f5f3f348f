"""The figures answer the question: colour-blind-safe colours, both counting methods with
their bands on an axis from zero, and a partner map with every priority country labelled."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from matplotlib.collections import PolyCollection

from copub.networks import build_network
from copub.networks.plot import (
    _CATEGORIES,
    OKABE_ITO,
    _draw_map,
    association_strength,
    map_nodes,
    plot_country_network,
)
from copub.progress import Progress
from copub.report import ReportOptions, build_report
from copub.report.plots import PALETTE, figure_footer, international_figure
from report_helpers import sample_tables


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return build_report(
        sample_tables(), ReportOptions(bootstrap=30), scope="table", progress=Progress.silent()
    )


def test_palettes_are_okabe_ito() -> None:
    assert set(PALETTE) <= set(OKABE_ITO)
    assert {c for _, _, c in _CATEGORIES} - {"#BBBBBB"} <= set(OKABE_ITO)


def test_international_figure_has_both_bands_and_starts_at_zero(data) -> None:  # type: ignore[no-untyped-def]
    trend = international_figure(data)
    ax = trend.figure.axes[0]
    assert ax.get_ylim()[0] == 0
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    # two counting bands (full: Wilson, fractional: bootstrap); the period shading is not a band
    fills = [b for b in bands if b.get_alpha() == pytest.approx(0.18)]
    assert len(fills) == 2
    labels = ax.get_legend().get_texts()
    assert [t.get_text().split(" (")[0] for t in labels] == ["full counting", "fractional counting"]
    assert "fractional counting (Leiden)" in trend.caption
    texts = [t.get_text() for t in trend.figure.texts]
    assert figure_footer(data) in texts and any("SYNTHETIC" in t for t in texts)


def test_association_strength_matches_a_plain_reference() -> None:
    graph = build_network(sample_tables(), "country")
    strength = association_strength(graph)
    works = {n: d["works"] for n, d in graph.nodes(data=True)}
    for (a, b), value in list(strength.items())[:50]:
        shared = graph.edges[a, b]["works"]
        assert value == pytest.approx(shared / (works[a] * works[b]))


def test_partner_map_keeps_every_priority_and_development_partner() -> None:
    graph = build_network(sample_tables(), "country")
    kept = set(map_nodes(graph, 10))
    for node, d in graph.nodes(data=True):
        if (d.get("works") or 0) > 0 and {"priority", "devpartner"} & set(d.get("groups") or ()):
            assert node in kept, node
    assert any(d.get("is_home") for n, d in graph.nodes(data=True) if n in kept)
    # the ten partners with most works are there too
    partners = sorted(
        (n for n, d in graph.nodes(data=True) if not d.get("is_home")),
        key=lambda n: (-graph.nodes[n]["works"], n),
    )
    assert set(partners[:10]) <= kept


def test_partner_map_labels_every_node_and_is_no_hairball(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    graph = build_network(sample_tables(), "country")
    paths = plot_country_network(graph, tmp_path / "map", top=15, formats=("svg",))
    svg = paths[0].read_text(encoding="utf-8")
    for node in map_nodes(graph, 15):
        label = str(graph.nodes[node].get("label") or node)
        shown = label if len(label) <= 22 else label[:21]
        assert shown in svg, label
    assert "SYNTHETIC" in svg
    # Drawn links: at most two association-strength links per partner (no spokes: distance
    # from home already says how much each partner co-publishes with home), far fewer than
    # the links between the same partners.
    from matplotlib.collections import LineCollection

    figure = _draw_map(graph, "map", top=15, seed=0, footer=None)
    (lines,) = [c for c in figure.axes[0].collections if isinstance(c, LineCollection)]
    links = len(lines.get_segments())
    n = len(map_nodes(graph, 15))
    assert 0 < links <= 2 * (n - 1)
    sub = nx.Graph(graph.subgraph(map_nodes(graph, 15)))
    home = [v for v, d in sub.nodes(data=True) if d.get("is_home")]
    sub.remove_nodes_from(home)
    assert sub.number_of_edges() > 3 * links / 2
