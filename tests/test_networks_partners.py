"""The partner table and the works behind partners and edges."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

import copub
from copub.errors import UsageError
from copub.indicators.trends import two_proportion_p
from copub.networks import build_network, build_networks_by_period, partner_table, works_between
from networks_world import HOME, small_groups, small_world, tables_from


def _z_test(k1: int, n1: int, k2: int, n2: int) -> float:
    """The pooled two-proportion z-test, written out with the error function."""
    pooled = (k1 + k2) / (n1 + n2)
    z = (k2 / n2 - k1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


@pytest.fixture()
def tables(tmp_path: Path) -> copub.Tables:
    return tables_from(small_world(), tmp_path)


def test_country_partners_by_hand(tables: copub.Tables) -> None:
    table = partner_table(tables, "country", institution=HOME, groups=small_groups())
    rows = {r["partner_id"]: r for r in table.iter_rows(named=True)}
    assert "NO" not in rows  # the home country is never a partner
    assert table["partner_id"].to_list()[:2] == ["US", "SE"]
    assert table["rank"].to_list() == list(range(1, table.height + 1))
    us = rows["US"]
    assert (us["works"], us["share"]) == (3, pytest.approx(3 / 7))
    assert (us["works_2019"], us["works_2020"], us["works_2021"], us["works_2022"]) == (1, 1, 0, 1)
    # Baseline 2018-2021 has W1-W3 (US in W2, W3); the plan 2022-2025 has W4-W7 (US in W4).
    assert (us["baseline_works"], us["baseline_share"]) == (2, pytest.approx(2 / 3))
    assert (us["plan_works"], us["plan_share"]) == (1, pytest.approx(1 / 4))
    assert us["share_change"] == pytest.approx(1 / 4 - 2 / 3)
    assert us["p_value"] == pytest.approx(_z_test(2, 3, 1, 4))
    # W1 has two authors at two institutions: NTNU's Leiden weight there is 1/2.
    assert rows["SE"]["works_frac"] == pytest.approx(0.5 + 0.5)
    assert rows["CN"]["is_priority"] and rows["CN"]["is_lmic"]
    assert rows["CN"]["works"] == 2  # Hong Kong counts as China
    assert not rows["SE"]["is_priority"] and rows["SE"]["groups"] == ["nordic"]
    assert sum(r["works_frac"] for r in rows.values()) <= sum(r["works"] for r in rows.values())


def test_institution_partners_and_flags(tables: copub.Tables) -> None:
    table = partner_table(tables, "institution", institution=HOME, groups=small_groups())
    rows = {r["partner_id"]: r for r in table.iter_rows(named=True)}
    assert HOME not in rows and "I11" not in rows  # nor the home institution's units
    assert rows["I2"]["is_alliance"] and not rows["I3"]["is_alliance"]
    assert rows["I5"]["is_infrastructure"]
    assert rows["I7"]["is_priority"]  # a Hong Kong institution is in a Chinese partner
    assert rows["I6"]["label"] == 'Institute "Alpha, Beta; Gamma"'


def test_years_restrict_the_counts_not_the_periods(tables: copub.Tables) -> None:
    table = partner_table(
        tables, "country", institution=HOME, groups=small_groups(), years=(2022, 2024)
    )
    assert [c for c in table.columns if c.startswith("works_2")] == [
        "works_2022",
        "works_2023",
        "works_2024",
    ]
    assert "SE" not in table["partner_id"].to_list()
    us = table.row(by_predicate=pl.col("partner_id") == "US", named=True)
    assert us["share"] == pytest.approx(1 / 4)
    assert us["baseline_works"] == 2  # the baseline still covers 2018-2021


def test_bad_partner_arguments(tables: copub.Tables) -> None:
    with pytest.raises(UsageError, match="kind"):
        partner_table(tables, "author", institution=HOME, groups=small_groups())  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="baseline"):
        partner_table(
            tables,
            institution=HOME,
            groups=small_groups(),
            baseline=(2020, 2023),
            plan=(2022, 2025),
        )


def test_two_proportion_p_is_nan_without_variation() -> None:
    import numpy as np

    p = two_proportion_p(
        np.array([0.0, 3.0]), np.array([5.0, 0.0]), np.array([0.0, 1.0]), np.array([5.0, 4.0])
    )
    assert np.isnan(p).all()


def test_works_between_partners_match_the_table(real_tables: copub.Tables) -> None:
    busiest = real_tables.affiliations.group_by("institution_id").agg(pl.col("work_id").n_unique())
    home = busiest.sort("work_id", "institution_id", descending=[True, False])["institution_id"][0]
    table = partner_table(real_tables, "country", institution=home, types="all")
    assert table.height > 0
    for row in table.iter_rows(named=True):
        works = works_between(real_tables, row["partner_id"], institution=home, types="all")
        assert works.height == row["works"]
        assert works["home_weight"].sum() == pytest.approx(row["works_frac"])


def test_works_between_edges_are_exactly_the_counted_works(tables: copub.Tables) -> None:
    for kind in ("country", "institution", "author"):
        graph = build_network(
            tables, kind, institution=HOME, groups=small_groups(), max_nodes_per_work=3
        )
        for u, v, data in graph.edges(data=True):
            works = works_between(tables, u, v, network=graph)
            assert works.height == data["works"]
            assert works["fractional"].sum() == pytest.approx(data["fractional"])
            assert works["n_nodes"].max() <= 3
    us_se = works_between(tables, "us", "SE", institution=HOME)
    assert us_se["work_id"].to_list() == ["W3"]
    assert works_between(tables, "SE", "US", institution=HOME).equals(us_se)


def test_works_between_a_period_graph(tables: copub.Tables) -> None:
    graphs = build_networks_by_period(tables, institution=HOME, groups=small_groups())
    works = works_between(tables, "NO", "US", network=graphs["2019"])
    assert works["work_id"].to_list() == ["W2"]


def test_works_between_unknown_node(tables: copub.Tables) -> None:
    with pytest.raises(UsageError, match="'FR' is not a country"):
        works_between(tables, "FR", institution=HOME)
    with pytest.raises(UsageError, match="two different nodes"):
        works_between(tables, "US", "us", institution=HOME)


def test_a_year_without_works(tables: copub.Tables) -> None:
    table = partner_table(tables, institution=HOME, groups=small_groups(), years=(2021, 2021))
    assert table.height == 0
    assert "works_2021" in table.columns
    graph = build_network(tables, institution=HOME, groups=small_groups(), years=(2021, 2021))
    assert graph.number_of_nodes() == 0 and graph.graph["works_in_universe"] == 0
