"""Country, institution and author networks: counts checked against the raw JSON and by hand."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import copub
from copub.errors import DataError, UsageError
from copub.networks import build_network, build_networks_by_period, period_ranges
from networks_world import HOME, INSTITUTIONS, small_groups, small_world, tables_from, work

CORE = ("article", "review", "book-chapter")


def _short(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _raw_works(pages: list[Path]) -> list[dict[str, Any]]:
    works: dict[str, dict[str, Any]] = {}
    for page in pages:
        for w in json.loads(page.read_text())["results"]:
            works[_short(w["id"])] = w
    return list(works.values())


def _in_universe(w: dict[str, Any], home: str, types: str) -> bool:
    if types == "core" and (w["type"] not in CORE or w.get("is_retracted") or w.get("is_paratext")):
        return False
    return any(
        _short(i["id"]) == home or home in {_short(x) for x in i.get("lineage") or []}
        for a in w["authorships"]
        for i in a["institutions"]
        if i.get("id")
    )


def _countries(w: dict[str, Any]) -> set[str]:
    valid = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    codes = set()
    for a in w["authorships"]:
        codes |= {c.upper() for c in a.get("countries") or [] if c}
        codes |= {i["country_code"].upper() for i in a["institutions"] if i.get("country_code")}
    codes = {"CN" if c in ("HK", "MO") else c for c in codes}
    return codes & valid


def _busiest_institutions(raw: list[dict[str, Any]], n: int) -> list[str]:
    counts: Counter[str] = Counter()
    for w in raw:
        counts.update(
            {_short(i["id"]) for a in w["authorships"] for i in a["institutions"] if i.get("id")}
        )
    return [iid for iid, _ in counts.most_common(n)]


@pytest.mark.parametrize("types", ["all", "core"])
def test_country_edges_equal_a_pairwise_count_of_the_raw_json(
    openalex_pages: list[Path], real_tables: copub.Tables, types: str
) -> None:
    raw = _raw_works(openalex_pages)
    checked_edges = 0
    for home in _busiest_institutions(raw, 4):
        expected_pairs: Counter[tuple[str, str]] = Counter()
        expected_frac: Counter[tuple[str, str]] = Counter()
        expected_nodes: Counter[str] = Counter()
        for w in raw:
            if not _in_universe(w, home, types):
                continue
            countries = sorted(_countries(w))
            expected_nodes.update(countries)
            for pair in itertools.combinations(countries, 2):
                expected_pairs[pair] += 1
                expected_frac[pair] += 1 / (len(countries) - 1)
        graph = build_network(real_tables, "country", institution=home, types=types)
        fractional = build_network(
            real_tables, "country", institution=home, types=types, counting="fractional"
        )
        got_pairs = {tuple(sorted((u, v))): d["weight"] for u, v, d in graph.edges(data=True)}
        assert got_pairs == dict(expected_pairs), home
        assert {n: d["works"] for n, d in graph.nodes(data=True)} == dict(expected_nodes)
        for pair, value in expected_frac.items():
            assert fractional.edges[pair]["weight"] == pytest.approx(value)
        checked_edges += len(expected_pairs)
    if types == "all":
        assert checked_edges > 0, "the real pages should give at least one international edge"


def test_small_world_by_hand(tmp_path: Path) -> None:
    tables = tables_from(small_world(), tmp_path)
    graph = build_network(tables, "country", institution=HOME, groups=small_groups())
    # W9 is an editorial and W8 has no home author: neither is counted.
    assert graph.graph["works_in_universe"] == 7
    assert dict(graph.nodes(data="works")) == {"NO": 7, "SE": 2, "US": 3, "CN": 2, "CH": 1, "BR": 1}
    assert graph.edges["NO", "US"]["works"] == 3
    assert graph.edges["US", "SE"]["works"] == 1  # W3: one author at a Swedish and a US institution
    assert graph.nodes["CN"]["works"] == 2  # W2 (Tsinghua) and W6 (Hong Kong counts as China)
    assert graph.nodes["NO"]["is_home"] and not graph.nodes["SE"]["is_home"]
    assert graph.nodes["BR"]["groups"] == ["priority", "lmic"]
    assert graph.nodes["NO"]["label"] == "Norway"
    # The home institution's child unit (I11, W2) is the home institution.
    institutions = build_network(tables, "institution", institution=HOME, groups=small_groups())
    assert "I11" not in institutions
    assert institutions.nodes[HOME]["works"] == 7
    assert institutions.nodes["I6"]["label"] == 'Institute "Alpha, Beta; Gamma"'
    authors = build_network(tables, "author", institution=HOME, groups=small_groups())
    assert authors.edges["A1", "A2"]["works"] == 2
    assert authors.nodes["A1"]["is_home"] and not authors.nodes["A2"]["is_home"]
    assert authors.nodes["A2"]["country"] == "SE"


def test_cap_skips_hyperauthored_works(tmp_path: Path) -> None:
    many = [("A1", ["I1"], None)] + [(f"A{k}", ["I2"], None) for k in range(10, 20)]
    works = [*small_world(), work("W50", 2021, many)]
    tables = tables_from(works, tmp_path)
    capped = build_network(
        tables, "author", institution=HOME, groups=small_groups(), max_nodes_per_work=5
    )
    assert capped.graph["skipped_works"] == 1
    assert "A10" not in capped
    assert capped.nodes["A1"]["works"] == 5  # W50 is left out of the node counts too
    uncapped = build_network(
        tables, "author", institution=HOME, groups=small_groups(), max_nodes_per_work=None
    )
    assert uncapped.graph["skipped_works"] == 0
    assert uncapped.edges["A10", "A11"]["works"] == 1
    assert uncapped.edges["A10", "A11"]["fractional"] == pytest.approx(1 / 10)
    # Country networks have no cap by default; author networks cap at 50.
    assert (
        build_network(tables, "country", institution=HOME, groups=small_groups()).graph[
            "max_nodes_per_work"
        ]
        == "none"
    )
    assert capped.graph["max_nodes_per_work"] == 5


def test_periods(tmp_path: Path) -> None:
    tables = tables_from(small_world(), tmp_path)
    whole = build_network(tables, "country", institution=HOME, groups=small_groups())
    yearly = build_networks_by_period(tables, "country", institution=HOME, groups=small_groups())
    assert list(yearly) == ["2019", "2020", "2021", "2022", "2023", "2024"]
    summed: Counter[tuple[str, str]] = Counter()
    for graph in yearly.values():
        for u, v, d in graph.edges(data=True):
            summed[tuple(sorted((u, v)))] += d["works"]
    assert summed == {tuple(sorted((u, v))): d["works"] for u, v, d in whole.edges(data=True)}
    assert yearly["2021"].number_of_nodes() == 0
    windows = build_networks_by_period(
        tables, "country", institution=HOME, groups=small_groups(), window=4, years=(2019, 2024)
    )
    assert list(windows) == ["2019-2022", "2020-2023", "2021-2024"]
    assert windows["2019-2022"].graph["years"] == "2019-2022"
    assert period_ranges(2020, 2021, window=4) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "journal"}, "network kind"),
        ({"counting": "half"}, "counting"),
        ({"normalization": "pearson"}, "normalization"),
        ({"max_nodes_per_work": 1}, "max_nodes_per_work"),
        ({"years": (2024, 2019)}, "ends before"),
        ({"institution": "NTNU"}, "not an OpenAlex institution id"),
        ({"types": "most"}, "types"),
    ],
)
def test_bad_arguments_are_usage_errors(
    tmp_path: Path, arguments: dict[str, Any], message: str
) -> None:
    tables = tables_from(small_world(), tmp_path)
    options: dict[str, Any] = {"institution": HOME, "groups": small_groups(), **arguments}
    kind = options.pop("kind", "country")
    with pytest.raises(UsageError, match=message):
        build_network(tables, kind, **options)


def test_an_institution_with_no_works_is_missing_data(tmp_path: Path) -> None:
    tables = tables_from(small_world(), tmp_path)
    with pytest.raises(DataError, match="does not occur"):
        build_network(tables, "country", institution="I999", groups=small_groups())


def _same_value(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b)  # sums in another order may differ in the last bit
    return a == b


def _assert_same_graph(one: nx.Graph, other: nx.Graph) -> None:
    assert dict(one.nodes).keys() == dict(other.nodes).keys()
    assert {tuple(sorted(e)) for e in one.edges} == {tuple(sorted(e)) for e in other.edges}
    for node, data in one.nodes(data=True):
        assert data.keys() == other.nodes[node].keys()
        assert all(_same_value(v, other.nodes[node][k]) for k, v in data.items()), node
    for u, v, data in one.edges(data=True):
        assert all(_same_value(x, other.edges[u, v][k]) for k, x in data.items()), (u, v)


def _home_node(kind: str) -> str:
    return {"country": "NO", "institution": HOME, "author": "A9"}[kind]


def _nodes_of(kind: str, authors: list[tuple[str | None, list[str]]]) -> set[str]:
    """The nodes of a generated work, from the world's own facts (the home author A9 at I1)."""
    if kind == "author":
        return {"A9"} | {a for a, _ in authors if a}
    ids = {"I1"} | {i for _, inst in authors for i in inst}
    if kind == "institution":
        return {"I1" if i == "I11" else i for i in ids}
    countries = {INSTITUTIONS[i][1] for i in ids}
    return {"CN" if c == "HK" else c for c in countries}


_AUTHOR = st.tuples(
    st.sampled_from(["A1", "A2", "A3", "A4", "A5", None]),
    st.lists(st.sampled_from(sorted(INSTITUTIONS)), max_size=2, unique=True),
)
_WORK = st.tuples(st.integers(2018, 2024), st.lists(_AUTHOR, min_size=1, max_size=6))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(_WORK, min_size=1, max_size=8), seed=st.integers(0, 1000))
def test_invariants(
    tmp_path: Path, specs: list[tuple[int, list[tuple[str | None, list[str]]]]], seed: int
) -> None:
    works = [
        work(f"W{n}", year, [("A9", ["I1"], None), *((a, i, None) for a, i in authors)])
        for n, (year, authors) in enumerate(specs, start=1)
    ]
    shuffled = works[:]
    random.Random(seed).shuffle(shuffled)
    tables = tables_from(works, tmp_path, "ordered")
    permuted = tables_from(shuffled, tmp_path, "shuffled")
    for kind in ("country", "institution", "author"):
        full = build_network(tables, kind, institution=HOME, groups=small_groups())
        frac = build_network(
            tables, kind, institution=HOME, groups=small_groups(), counting="fractional"
        )
        assert not full.is_directed()
        assert set(full.edges) == set(frac.edges)
        for u, v, d in full.edges(data=True):
            assert d["weight"] == d["works"] >= 1
            assert full.edges[v, u] is d  # one undirected edge, the same both ways
            assert 0 < frac.edges[u, v]["weight"] <= d["weight"] + 1e-12
        # Every work with n >= 2 nodes hands out n/2 fractional link strength in total.
        sizes = [len(_nodes_of(kind, authors)) for _, authors in specs]
        assert frac.size(weight="weight") == pytest.approx(sum(n / 2 for n in sizes if n >= 2))
        assert full.nodes[_home_node(kind)]["works"] == len(specs)
        again = build_network(permuted, kind, institution=HOME, groups=small_groups())
        _assert_same_graph(full, again)
