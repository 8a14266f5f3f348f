"""Peers: each institution's rows are its own single-institution table, ranked and tested."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import copub
from copub.classify.definitions import Definitions
from copub.errors import DataError, UsageError
from copub.indicators.catalogue import indicator_specs
from copub.indicators.definitions import share_column
from copub.indicators.peers import (
    PEER_LEAD,
    SHARED_WORKS,
    peer_group,
    peer_indicators,
    peer_schema,
    resolve_peers,
)
from copub.settings import Settings

HOME = "I204778367"
KTH = "I86987016"
N5T_IDS = {"I66862912", "I96673099", KTH}


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> copub.Tables:
    # Module scope runs before the root conftest's per-test cache isolation: use
    # the session's cache directory explicitly, never the user's.
    cache = tmp_path_factory.getbasetemp() / "copub-cache"
    return copub.load_sample(scale=0.02, settings=Settings(cache_dir=cache))


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    # A few resamples so the bootstrap intervals are part of the comparison.
    return Definitions(years=(2019, 2022), bootstrap=20, seed=3)


@pytest.fixture(scope="module")
def n5t(tables: copub.Tables, definitions: Definitions) -> copub.PeerIndicators:
    return peer_indicators(tables, definitions, group="n5t")


def _own_rows(result: copub.PeerIndicators, institution: str) -> pl.DataFrame:
    lead = list(PEER_LEAD)
    extra = [c for c in result.table.columns if c.endswith(("_rank", "_vs_home_p", "_differs"))]
    return result.table.filter(pl.col("institution_id") == institution).drop(*lead, *extra)


def test_every_rows_equal_single_institution_yearly_table(
    tables: copub.Tables, definitions: Definitions, n5t: copub.PeerIndicators
) -> None:
    assert set(n5t.institutions) >= N5T_IDS
    assert n5t.institutions[0] == HOME
    for institution in n5t.institutions:
        alone = copub.yearly_indicators(tables, definitions.with_(institutions=(institution,)))
        assert_frame_equal(_own_rows(n5t, institution), alone)


def test_schema_names_and_home_mark(n5t: copub.PeerIndicators, tables: copub.Tables) -> None:
    assert n5t.table.schema == peer_schema(n5t.definitions)
    home = n5t.table.filter("is_home")
    assert home["institution_id"].unique().to_list() == [HOME]
    # The home's own test against itself is meaningless: null, not 1.
    assert home["intl_share_vs_home_p"].null_count() == home.height
    names = dict(
        zip(tables.institutions["institution_id"], tables.institutions["name"], strict=True)
    )
    for row in n5t.table.select("institution_id", "institution_name").unique().iter_rows():
        assert names[row[0]] == row[1]


def test_ranks_are_recomputed_independently(n5t: copub.PeerIndicators) -> None:
    for spec in indicator_specs(n5t.definitions)[:4]:
        share = share_column(spec.name)
        for _year, rows in n5t.table.group_by("year"):
            values = rows[share].to_list()
            for value, rank in zip(values, rows[f"{share}_rank"].to_list(), strict=True):
                if value is None:
                    assert rank is None
                else:
                    assert rank == 1 + sum(v is not None and v > value for v in values)


def test_significance_is_the_pooled_two_proportion_test(n5t: copub.PeerIndicators) -> None:
    from math import erf, sqrt

    table = n5t.table
    for row in table.filter(~pl.col("is_home")).iter_rows(named=True):
        home = table.filter(pl.col("is_home") & (pl.col("year") == row["year"])).row(0, named=True)
        k1, n1, k2, n2 = home["intl_works"], home["intl_base"], row["intl_works"], row["intl_base"]
        pooled = (k1 + k2) / (n1 + n2)
        se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        if se == 0:
            assert row["intl_share_vs_home_p"] is None
            continue
        z = abs(k2 / n2 - k1 / n1) / se
        p = 1 - erf(z / sqrt(2))
        assert row["intl_share_vs_home_p"] == pytest.approx(p, rel=1e-9)
        assert row["intl_share_differs"] == (p < 0.05)


def test_shared_matrix_counts_by_plain_sets(
    tables: copub.Tables, n5t: copub.PeerIndicators
) -> None:
    assert n5t.shared.schema == SHARED_WORKS
    home = set(copub.label_works(tables, n5t.definitions).works["work_id"])
    kth = set(
        copub.label_works(tables, n5t.definitions.with_(institutions=(KTH,))).works["work_id"]
    )
    row = n5t.shared.filter((pl.col("institution_id") == KTH) & (pl.col("partner_id") == HOME)).row(
        0, named=True
    )
    assert (row["works"], row["shared_works"]) == (len(kth), len(kth & home))
    back = n5t.shared.filter((pl.col("institution_id") == HOME) & (pl.col("partner_id") == KTH))
    assert back["shared_works"].item() == row["shared_works"]
    assert back["share"].item() == pytest.approx(len(kth & home) / len(home))


def test_windows(tables: copub.Tables) -> None:
    d = Definitions(years=(2018, 2022), bootstrap=0, period_window=4)
    result = peer_indicators(tables, d, peers=[KTH], period="window")
    assert result.table["period"].unique().sort().to_list() == ["2018-2021", "2019-2022"]
    alone = copub.window_indicators(tables, d.with_(institutions=(KTH,)))
    assert_frame_equal(_own_rows(result, KTH), alone)


def test_unresolved_members_are_named(tables: copub.Tables) -> None:
    group = peer_group("norway_universities", Definitions())
    found, missing = resolve_peers(tables, group)
    assert HOME in found
    assert any(m.startswith("University of Bergen (no ROR or OpenAlex id") for m in missing)
    assert len(found) + len(missing) == len(group.current_members())


def test_bad_input(tables: copub.Tables) -> None:
    d = Definitions(bootstrap=0)
    with pytest.raises(UsageError, match="no institution group 'nowhere'"):
        peer_indicators(tables, d, group="nowhere")
    with pytest.raises(UsageError, match="not institutions"):
        peer_indicators(tables, d, group="priority")
    with pytest.raises(DataError, match="I1234567 does not occur"):
        peer_indicators(tables, d, peers=["I1234567"])
    with pytest.raises(UsageError, match="at least one peer"):
        peer_indicators(tables, d, peers=[HOME])


def test_an_institution_without_works_is_named(tables: copub.Tables) -> None:
    # KTH occurs in the tables, but has no works in a year range before the world starts.
    known = tables.works["year"].min()
    d = Definitions(years=(1990, int(known) - 1), bootstrap=0)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"I204778367 \(Norwegian University .*\) has no works"):
        peer_indicators(tables, d, peers=[KTH])


def test_real_pages_three_institutions_equal_three_single_runs(
    openalex_pages: list[Path],
) -> None:
    tables = copub.read_works(openalex_pages)
    d = Definitions(universe="all", bootstrap=0)
    # The three institutions on the most works of the pages (found there, not held here).
    on_works = tables.affiliations.unique(["work_id", "institution_id"])["institution_id"]
    home, *peers = on_works.value_counts(sort=True).head(3)["institution_id"].to_list()
    result = peer_indicators(tables, d.with_(institutions=(home,)), peers=peers)
    assert set(result.table["institution_id"]) == {home, *peers}
    for institution in (home, *peers):
        alone = copub.yearly_indicators(tables, d.with_(institutions=(institution,)))
        assert_frame_equal(_own_rows(result, institution), alone)
        assert not np.isnan(alone["works"].sum())


def test_a_peer_with_only_co_publications_is_not_compared(tables: copub.Tables) -> None:
    # In the sample, ENHANCE members other than Chalmers appear only on NTNU's works:
    # their "shares" would be those of their co-publications with NTNU.
    d = Definitions(years=(2019, 2020), bootstrap=0)
    eth = "I35440088"
    with pytest.raises(UsageError, match="every one of its works in these tables is shared"):
        peer_indicators(tables, d, peers=[eth])
    result = peer_indicators(tables, d, group="enhance")
    assert eth not in result.institutions
    assert "I66862912" in result.institutions  # Chalmers has works of its own
    assert any(m.startswith("ETH Zurich (I35440088: every one") for m in result.unresolved)
    assert set(result.table["institution_id"]) == set(result.institutions)
