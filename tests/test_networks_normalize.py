"""Normalised link strengths against hand-computed values (bibliometrix's formulas)."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from copub.errors import UsageError
from copub.networks import build_network, normalize_graph
from copub.networks.normalize import similarity_expr
from networks_world import HOME, small_groups, small_world, tables_from

# c_A = 4 works, c_B = 9 works, c_AB = 3 shared works.
EXPECTED = {
    "association": 3 / (4 * 9),
    "cosine": 3 / math.sqrt(4 * 9),
    "jaccard": 3 / (4 + 9 - 3),
    "inclusion": 3 / 4,
    "equivalence": 3**2 / (4 * 9),
}


def _tiny() -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from([("A", {"works": 4}), ("B", {"works": 9}), ("C", {"works": 0})])
    graph.add_edge("A", "B", works=3, weight=3)
    graph.add_edge("B", "C", works=0, weight=0)
    return graph


@pytest.mark.parametrize(("method", "expected"), EXPECTED.items())
def test_each_index_by_hand(method: str, expected: float) -> None:
    graph = normalize_graph(_tiny(), method)
    assert graph.edges["A", "B"][method] == pytest.approx(expected)
    # A zero denominator gives 0, as bibliometrix sets NaN to 0.
    assert graph.edges["B", "C"][method] == 0.0
    assert method not in _tiny().edges["A", "B"], "normalize_graph must not change its input"


def test_known_values() -> None:
    assert EXPECTED["cosine"] == pytest.approx(0.5)
    assert EXPECTED["jaccard"] == pytest.approx(0.3)
    assert EXPECTED["equivalence"] == pytest.approx(EXPECTED["cosine"] ** 2)


def test_salton_is_cosine() -> None:
    assert normalize_graph(_tiny(), "salton").edges["A", "B"]["cosine"] == pytest.approx(0.5)


def test_expression_is_vectorised() -> None:
    frame = pl.DataFrame({"cij": [3, 1, 0], "ci": [4, 1, 0], "cj": [9, 2, 5]})
    out = frame.select(s=similarity_expr("inclusion", pl.col("cij"), pl.col("ci"), pl.col("cj")))[
        "s"
    ].to_list()
    assert out == pytest.approx([0.75, 1.0, 0.0])


def test_build_network_stores_the_index_from_full_counts(tmp_path: Path) -> None:
    tables = tables_from(small_world(), tmp_path)
    for counting in ("full", "fractional"):
        graph = build_network(
            tables,
            "country",
            institution=HOME,
            groups=small_groups(),
            counting=counting,  # type: ignore[arg-type]
            normalization="jaccard",
        )
        # NO: 7 works, SE: 2 works, 2 shared: Jaccard = 2 / (7 + 2 - 2).
        assert graph.edges["NO", "SE"]["jaccard"] == pytest.approx(2 / 7)
        assert graph.graph["normalization"] == "jaccard"


def test_unknown_method() -> None:
    with pytest.raises(UsageError, match="normalization must be one of"):
        normalize_graph(_tiny(), "pearson")
