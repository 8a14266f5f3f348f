"""The statistics behind the shares: Wilson, bootstrap, trend test, share aggregation."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from copub.errors import UsageError
from copub.indicators.definitions import ShareSpec
from copub.indicators.intervals import bootstrap_estimates, bootstrap_ratios, wilson_interval
from copub.indicators.shares import compute_shares
from copub.indicators.trends import cochran_armitage, compare_periods


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
@settings(max_examples=200, deadline=None)
def test_wilson_equals_scipy(kn: tuple[int, int]) -> None:
    k, n = kn
    low, high = wilson_interval([k], [n])
    ref = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert low[0] == pytest.approx(ref.low, abs=1e-12)
    assert high[0] == pytest.approx(ref.high, abs=1e-12)
    assert low[0] <= k / n <= high[0]


def test_wilson_of_nothing_is_nan() -> None:
    low, high = wilson_interval([0], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_bootstrap_is_seeded_and_holds_the_estimate() -> None:
    rng_data = np.random.default_rng(1)
    weights = rng_data.uniform(0.05, 1, size=300)
    flags = rng_data.uniform(size=(300, 3)) < [0.2, 0.5, 0.9]
    num = weights[:, None] * flags
    den = np.repeat(weights[:, None], 3, axis=1)
    a = bootstrap_ratios(num, den, resamples=500, rng=np.random.default_rng(7))
    b = bootstrap_ratios(num, den, resamples=500, rng=np.random.default_rng(7))
    c = bootstrap_ratios(num, den, resamples=500, rng=np.random.default_rng(8))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])
    point = num.sum(axis=0) / den.sum(axis=0)
    assert np.all(a[0] <= point) and np.all(point <= a[1])
    # The interval narrows like 1/sqrt(n): ~ 2 * 1.96 * sqrt(p(1-p)/n) for near-equal weights.
    assert np.all(a[1] - a[0] < 0.2)


def _plain_estimates(
    num: np.ndarray, den: np.ndarray, resamples: int, seed: int, batch: int
) -> tuple[np.ndarray, float]:
    """The resampled ratios drawn the obvious way (one resample at a time), and the next draw."""
    rng = np.random.default_rng(seed)
    n = num.shape[0]
    rows = []
    done = 0
    while done < resamples:
        size = min(batch, resamples - done)
        picks = rng.integers(0, n, size=(size, n))  # the same draws, batch by batch
        for row in picks:
            rows.append(num[row].sum(axis=0) / den[row].sum(axis=0))
        done += size
    return np.array(rows), float(rng.random())


@pytest.mark.parametrize("n", [1, 40, 300])
def test_repeated_resamples_are_drawn_once_and_equal_fresh_ones(n: int) -> None:
    """Two tables resampling the same works with one seed get the same resamples.

    The second draw is served from memory (the generator moved on as if it had
    drawn): both equal the resamples drawn one by one, and so do the draws after.
    """
    data = np.random.default_rng(n)
    num = data.uniform(size=(n, 2)) * (data.uniform(size=(n, 2)) < 0.4)
    den = np.ones((n, 2))
    want, want_next = _plain_estimates(num, den, resamples=70, seed=11, batch=30)
    for _ in range(2):
        rng = np.random.default_rng(11)
        got = bootstrap_estimates(num, den, resamples=70, rng=rng, batch=30)
        np.testing.assert_allclose(got, want, rtol=1e-5)
        assert float(rng.random()) == want_next


def test_a_work_drawn_more_than_255_times_is_counted_in_full() -> None:
    """Counts are kept in one byte while they fit; a larger one widens them."""
    from copub.indicators.intervals import _resample_counts

    class Skewed:
        """A generator that draws the first work every time.

        Its state is an MT19937's, which no generator of copub's (PCG64) shares,
        so its counts are never served to another test.
        """

        bit_generator = np.random.MT19937(3)

        def integers(self, low: int, high: int, size: int) -> np.ndarray:
            return np.zeros(size, dtype=np.int64)

    counts = _resample_counts(Skewed(), 300, 2)  # type: ignore[arg-type]
    assert counts[:, 0].tolist() == [300, 300] and int(counts[:, 1:].sum()) == 0


def _trend_rejections(rates: list[float], n: int, runs: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    years = np.arange(len(rates))
    hits = 0
    for _ in range(runs):
        k = rng.binomial(n, rates)
        hits += cochran_armitage(k, [n] * len(rates), years).p_value < 0.05
    return hits / runs


def test_trend_test_detects_a_planted_trend() -> None:
    power = _trend_rejections([0.55, 0.57, 0.59, 0.61, 0.63, 0.65], n=1000, runs=300, seed=3)
    assert power > 0.95


def test_trend_test_keeps_its_size_on_a_flat_series() -> None:
    size = _trend_rejections([0.6] * 6, n=1000, runs=1000, seed=4)
    # Nominal 5%; with 1,000 runs the binomial 99.9% band is about 2.7%–7.6%.
    assert 0.027 < size < 0.076


def test_trend_test_matches_the_linear_chi_square() -> None:
    # The Cochran–Armitage z² equals the linear-by-linear association statistic (N-1)/N * ...;
    # here, check the sign and a known value computed by hand.
    t = cochran_armitage([10, 20, 30], [100, 100, 100], [0, 1, 2])
    p_bar = 0.2
    expected_z = (0 * (10 - 20) + 1 * (20 - 20) + 2 * (30 - 20)) / np.sqrt(
        p_bar * (1 - p_bar) * (100 * (0 + 1 + 4) - (100 * 3) ** 2 / 300)
    )
    assert t.z == pytest.approx(expected_z)
    assert t.direction == 1


_SPECS = [
    ShareSpec("a", "A", pl.col("a"), None, "a"),
    ShareSpec("b_of_a", "B of A", pl.col("b"), pl.col("a"), "b among a"),
]


@st.composite
def _per_work(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(1, 60))
    return pl.DataFrame(
        {
            "work_id": [f"W{i}" for i in range(n)],
            "year": draw(st.lists(st.integers(2018, 2021), min_size=n, max_size=n)),
            "weight": draw(
                st.lists(st.floats(0.001, 1.0, allow_nan=False), min_size=n, max_size=n)
            ),
            "a": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
            "b": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        }
    )


@given(_per_work(), st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_shares_are_proportions_inside_their_intervals(per_work: pl.DataFrame, rnd) -> None:  # type: ignore[no-untyped-def]
    shares = compute_shares(per_work, _SPECS, bootstrap=50, seed=1)
    for stem in ("a", "b_of_a"):
        for suffix in ("", "_frac"):
            share = shares[f"{stem}_share{suffix}"]
            low = shares[f"{stem}_share{suffix}_low"]
            high = shares[f"{stem}_share{suffix}_high"]
            ok = share.is_null() | (
                (low <= share + 1e-12) & (share <= high + 1e-12) & (low >= 0) & (high <= 1)
            )
            assert ok.all()
        # Full counting counts at least as much as fractional counting.
        assert (shares[f"{stem}_works"] >= shares[f"{stem}_works_frac"] - 1e-9).all()
    # Permuting rows changes nothing.
    order = list(range(per_work.height))
    rnd.shuffle(order)
    permuted = compute_shares(per_work[order], _SPECS, bootstrap=0)
    base = compute_shares(per_work, _SPECS, bootstrap=0)
    assert permuted.equals(base)


def test_shares_by_hand() -> None:
    per_work = pl.DataFrame(
        {
            "year": [2020, 2020, 2020, 2021],
            "weight": [1.0, 0.5, 0.25, 1.0],
            "a": [True, True, False, False],
            "b": [True, False, True, True],
        }
    )
    shares = compute_shares(per_work, _SPECS, bootstrap=0).row(0, named=True)
    assert shares["works"] == 3 and shares["a_works"] == 2
    assert shares["a_share"] == pytest.approx(2 / 3)
    assert shares["a_share_frac"] == pytest.approx(1.5 / 1.75)
    assert shares["b_of_a_share"] == pytest.approx(1 / 2)
    assert shares["b_of_a_share_frac"] == pytest.approx(1.0 / 1.5)


def _yearly_counts() -> pl.DataFrame:
    years = list(range(2016, 2026))
    works = [1000] * len(years)
    intl = [500 + 15 * i for i in range(len(years))]
    return pl.DataFrame(
        {
            "year": years,
            "partial": [False] * (len(years) - 1) + [True],
            "intl_works": intl,
            "intl_base": works,
            "intl_share": [k / n for k, n in zip(intl, works, strict=True)],
            "intl_works_frac": [k * 0.4 for k in intl],
            "intl_base_frac": [n * 0.4 for n in works],
        }
    )


def test_compare_periods_by_hand() -> None:
    row = compare_periods(_yearly_counts()).row(0, named=True)
    k1 = sum(500 + 15 * i for i in range(2, 6))
    k2 = sum(500 + 15 * i for i in range(6, 10))
    assert row["baseline_share"] == pytest.approx(k1 / 4000)
    assert row["plan_share"] == pytest.approx(k2 / 4000)
    assert row["difference_low"] < row["difference"] < row["difference_high"]
    assert row["p_value"] < 1e-6 and row["trend_p"] < 1e-6 and row["plan_partial"]
    table = [[k2, 4000 - k2], [k1, 4000 - k1]]
    chi2 = stats.chi2_contingency(table, correction=False)
    assert row["p_value"] == pytest.approx(chi2.pvalue, rel=1e-6)


@pytest.mark.parametrize(
    ("baseline", "plan"), [((2021, 2018), (2022, 2025)), ((2018, 2022), (2022, 2025))]
)
def test_compare_periods_rejects_bad_periods(
    baseline: tuple[int, int], plan: tuple[int, int]
) -> None:
    with pytest.raises(UsageError):
        compare_periods(_yearly_counts(), baseline=baseline, plan=plan)
