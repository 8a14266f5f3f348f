"""Confidence intervals: Wilson, and the Leiden Ranking's bootstrap stability interval.

Examples
--------
>>> from scipy import stats
>>> Z95 == float(stats.norm.ppf(0.975))
True
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = ["Z95", "bootstrap_estimates", "bootstrap_ratios", "wilson_columns", "wilson_interval"]

#: The two-sided 95% normal quantile, ``scipy.stats.norm.ppf(0.975)`` to the last bit, written
#: out so that importing copub does not import scipy (half a second); the module's doctest
#: checks it against scipy.
Z95: float = 1.959963984540054


def wilson_interval(
    successes: npt.ArrayLike, trials: npt.ArrayLike, z: float = Z95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wilson score interval, vectorised; NaN where ``trials`` is 0.

    The same bounds as ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``,
    computed for whole arrays at once.

    Examples
    --------
    >>> low, high = wilson_interval([6], [10])
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.3127, 0.8318)
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        center = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    # At k = 0 and k = n the bounds are exactly 0 and 1; rounding would leave dust.
    low = np.where((k == 0) & (n > 0), 0.0, np.clip(center - half, 0, 1))
    high = np.where((k == n) & (n > 0), 1.0, np.clip(center + half, 0, 1))
    return low, high


def wilson_columns(
    successes: pl.Series, trials: pl.Series, z: float = Z95
) -> tuple[pl.Series, pl.Series]:
    """:func:`wilson_interval` of two count columns: Float64 bounds, null where ``trials`` is 0.

    For tables of counts (a row per period): numpy over the columns costs far
    less than the same formulas as polars expressions, whose planning took
    most of a yearly table's time (0.04 s of 0.05 s for 35 shares).

    Examples
    --------
    >>> low, high = wilson_columns(pl.Series([6, 0]), pl.Series([10, 0]))
    >>> [round(v, 4) for v in low.to_list()[:1]], low[1] is None
    ([0.3127], True)
    """
    low, high = wilson_interval(successes.to_numpy(), trials.to_numpy(), z)
    return pl.Series(low, nan_to_null=True), pl.Series(high, nan_to_null=True)


def _distinct_columns(
    matrix: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Column index into the distinct columns, and those columns (by exact bytes)."""
    seen: dict[bytes, int] = {}
    firsts: list[int] = []
    index = np.empty(matrix.shape[1], dtype=np.intp)
    for j in range(matrix.shape[1]):
        key = matrix[:, j].tobytes()
        if key not in seen:
            seen[key] = len(firsts)
            firsts.append(j)
        index[j] = seen[key]
    return index, matrix[:, firsts]


class _CountsMemo:
    """The last resample counts drawn, by generator state and shape, within a byte budget.

    A report resamples the same works with the same seed for several tables
    (the yearly shares, the impact table, the impact differences): the draws
    depend only on the generator's state and the number of works, so equal
    draws are made once and the generator is moved on to where drawing them
    would have left it. The numbers are exactly those drawn afresh.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.entries: OrderedDict[tuple[str, int, int], tuple[npt.NDArray[Any], Mapping[str, Any]]]
        self.entries = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple[str, int, int]) -> tuple[npt.NDArray[Any], Mapping[str, Any]] | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
            return hit

    def put(
        self, key: tuple[str, int, int], counts: npt.NDArray[Any], after: Mapping[str, Any]
    ) -> None:
        if counts.nbytes > self.budget:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (counts, after)
            self.size += counts.nbytes
            while self.size > self.budget:
                _, (old, _) = self.entries.popitem(last=False)
                self.size -= old.nbytes


#: 256 MB of counts (one byte a count): every year's resamples of an NTNU-sized
#: sample, so each table of a report reuses them.
_COUNTS = _CountsMemo(256 * 2**20)


def _resample_counts(rng: np.random.Generator, n: int, size: int) -> npt.NDArray[Any]:
    """How often each of ``n`` works is drawn in each of ``size`` resamples: ``(size, n)``.

    Memoised by the generator's state (see :class:`_CountsMemo`), so repeated
    equal draws cost a lookup.
    """
    key = (repr(rng.bit_generator.state), n, size)
    hit = _COUNTS.get(key)
    if hit is not None:
        rng.bit_generator.state = hit[1]
        return hit[0]
    # One resample at a time: the same draws in the same order as one (size, n) draw,
    # but each bincount fits in the CPU cache (ten times faster for 100,000 works).
    counts: npt.NDArray[Any] = np.empty((size, n), dtype=np.uint8)
    for row in range(size):
        drawn = np.bincount(rng.integers(0, n, size=n), minlength=n)
        if drawn.max(initial=0) > 255 and counts.dtype == np.uint8:  # one byte a count, mostly
            counts = counts.astype(np.int64)
        counts[row] = drawn
    _COUNTS.put(key, counts, rng.bit_generator.state)
    return counts


def bootstrap_estimates(
    numerators: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    *,
    resamples: int = 1000,
    rng: np.random.Generator,
    batch: int = 250,
) -> npt.NDArray[np.float64]:
    """The ratios ``Σ num / Σ den`` in each resample of works: a ``(resamples, m)`` array.

    The resampling behind :func:`bootstrap_ratios`, for callers that need the
    resampled values themselves (e.g. the difference of two ratios in each
    resample). NaN where a ratio is undefined in a resample.

    Examples
    --------
    >>> import numpy as np
    >>> num = np.array([[1.0], [0.0], [1.0]])
    >>> den = np.ones((3, 1))
    >>> est = bootstrap_estimates(num, den, resamples=4, rng=np.random.default_rng(0))
    >>> est.shape, bool(((est >= 0) & (est <= 1)).all())
    ((4, 1), True)
    """
    n, m = numerators.shape
    # Many shares share one base (all works): multiply each distinct
    # denominator column once. Single precision halves the matrix products'
    # cost; its rounding (~1e-7 relative) is far below an interval's width.
    den_index, unique_den = _distinct_columns(denominators)
    num32 = np.ascontiguousarray(numerators, dtype=np.float32)
    den32 = np.ascontiguousarray(unique_den, dtype=np.float32)
    estimates = np.empty((resamples, m), dtype=np.float64)
    if n == 0:
        estimates.fill(np.nan)
    done = 0
    while n and done < resamples:
        size = min(batch, resamples - done)
        counts32 = _resample_counts(rng, n, size).astype(np.float32)
        totals = (counts32 @ den32)[:, den_index]
        with np.errstate(divide="ignore", invalid="ignore"):
            estimates[done : done + size] = counts32 @ num32 / totals
        done += size
    return estimates


def bootstrap_ratios(
    numerators: npt.NDArray[np.float64],
    denominators: npt.NDArray[np.float64],
    *,
    resamples: int = 1000,
    rng: np.random.Generator,
    level: float = 0.95,
    batch: int = 250,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Percentile bootstrap intervals of ratios ``Σ num / Σ den`` over resampled works.

    Works are resampled with replacement and the bounds are order statistics
    of the resampled ratios, as in the Leiden Ranking's stability intervals.
    All ratios share the same resamples, and each batch is one matrix
    product, so there is no Python loop per resample.

    Parameters
    ----------
    numerators, denominators : (n, m) arrays
        Per-work contributions to each of ``m`` ratios.
    resamples : int
        Number of bootstrap resamples.
    rng : numpy Generator
        Seeded generator, so results are reproducible.

    Returns
    -------
    low, high : (m,) arrays
        The percentile interval of each ratio; NaN where undefined.
    """
    estimates = bootstrap_estimates(
        numerators, denominators, resamples=resamples, rng=rng, batch=batch
    )
    n, m = numerators.shape
    alpha = (1 - level) / 2
    if not n:
        return np.full(m, np.nan), np.full(m, np.nan)
    return _order_statistic(estimates, alpha), _order_statistic(estimates, 1 - alpha)


def _order_statistic(estimates: npt.NDArray[np.float64], q: float) -> npt.NDArray[np.float64]:
    """The Leiden Ranking's bound: the sorted resample means at index ``floor(q * N)``.

    As ``CalcStabilityIntervals`` in the Leiden Ranking Open Edition's
    ``StoredProcedures.cs`` takes them (index 25 and 975 of 1,000). Resamples
    where a ratio is undefined (an empty base) are left out, so ``N`` counts
    the defined ones; a ratio undefined in every resample gives NaN (null in
    the table), which is the answer.
    """
    ordered = np.sort(estimates, axis=0)  # NaN sorts last
    defined = np.sum(~np.isnan(estimates), axis=0)
    index = np.minimum(np.floor(q * defined).astype(np.intp), np.maximum(defined - 1, 0))
    picked = np.take_along_axis(ordered, index[None, :], axis=0)[0]
    return np.where(defined > 0, picked, np.nan).astype(np.float64)
