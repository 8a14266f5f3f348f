"""Invariants of the Leiden figures on generated works and per-work frames."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import copub
from copub.indicators import Definitions, ShareSpec, yearly_indicators
from copub.indicators.shares import compute_shares
from reference_leiden import reference_yearly
from strategies import TABLE_SETTINGS, tables_of, unique_works


@given(unique_works(), st.randoms(use_true_random=False))
@TABLE_SETTINGS
def test_leiden_figures_match_the_reference_and_ignore_row_order(
    works: list[dict[str, Any]],
    rnd,  # type: ignore[no-untyped-def]
) -> None:
    tables = tables_of(works)
    if tables.works.is_empty() or "I1" not in tables.institutions["institution_id"].to_list():
        return
    definitions = Definitions(institutions=("I1",), bootstrap=0)
    yearly = yearly_indicators(tables, definitions)
    expected = reference_yearly(works, "I1", universe="leiden")
    assert sorted(yearly["year"].to_list()) == sorted(expected)
    for row in yearly.iter_rows(named=True):
        ref = expected[row["year"]]
        assert row["works"] == ref["works"]
        assert abs(row["works_frac"] - ref["works_frac"]) < 1e-9
        assert row["works_frac"] <= row["works"] + 1e-12
        for stem in ("intl", "collab"):
            assert row[f"{stem}_works"] == ref[f"{stem}_works"]
            assert abs(row[f"{stem}_works_frac"] - ref[f"{stem}_works_frac"]) < 1e-9
    shuffled = list(works)
    rnd.shuffle(shuffled)
    assert yearly_indicators(tables_of(shuffled), definitions).equals(yearly)


def _level_frame(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(1, 40))
    return pl.DataFrame(
        {
            "work_id": [f"W{i}" for i in range(n)],
            "year": [2020] * n,
            "weight": draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)),
            # null: the work's source is not in the register (as channel_levels gives it)
            "level": pl.Series(
                draw(st.lists(st.sampled_from([None, 0, 1, 2]), min_size=n, max_size=n)),
                dtype=pl.Int8,
            ),
            "intl": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        }
    )


_LEVEL_SPECS = [
    ShareSpec("level2", "L2", pl.col("level") == 2, pl.col("level").is_in([1, 2]), "x"),
    ShareSpec("intl", "Intl", pl.col("intl"), None, "x"),
]


@given(st.composite(_level_frame)(), st.sampled_from(["wilson", "bootstrap"]))
@settings(max_examples=40, deadline=None)
def test_every_interval_holds_its_share_and_has_width_when_it_should(
    frame: pl.DataFrame, full_interval: str
) -> None:
    shares = compute_shares(frame, _LEVEL_SPECS, bootstrap=200, seed=3, full_interval=full_interval)  # type: ignore[arg-type]
    for stem in ("level2", "intl"):
        n = shares[f"{stem}_base"][0]
        for suffix in ("", "_frac"):
            share = shares[f"{stem}_share{suffix}"][0]
            low = shares[f"{stem}_share{suffix}_low"][0]
            high = shares[f"{stem}_share{suffix}_high"][0]
            if share is None:
                continue
            assert 0 <= low <= share + 1e-12 and share <= high + 1e-12 <= 1 + 1e-12
            if n > 1 and 1e-9 < share < 1 - 1e-9:
                # The level-2 fractional interval used to be [estimate, estimate].
                assert high - low > 0, (stem, suffix, share, low, high)


def test_level2_fractional_interval_has_width_on_the_sample() -> None:
    from copub.sample import sample_register_path

    tables = copub.load_sample(scale=0.01)
    register = sample_register_path(0, 0.01)
    yearly = yearly_indicators(tables, Definitions(register=register, bootstrap=200))
    inner = yearly.filter((pl.col("level2_share_frac") > 0) & (pl.col("level2_share_frac") < 1))
    assert inner.height > 5
    assert (inner["level2_share_frac_high"] > inner["level2_share_frac_low"]).all()


def test_bootstrap_bounds_are_leidens_order_statistics() -> None:
    """StoredProcedures.cs: sorted means at index floor(0.025 N) and floor(0.975 N)."""
    import numpy as np

    from copub.indicators.intervals import _order_statistic

    rng = np.random.default_rng(0)
    means = rng.permutation(np.arange(1000, dtype=np.float64))[:, None]
    assert _order_statistic(means, 0.025)[0] == 25.0
    assert _order_statistic(means, 0.975)[0] == 975.0
    with_nan = np.vstack([means, np.full((10, 1), np.nan)])
    assert _order_statistic(with_nan, 0.975)[0] == 975.0
    assert np.isnan(_order_statistic(np.full((5, 1), np.nan), 0.5)[0])
