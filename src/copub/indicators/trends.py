"""Is the change real? The Cochran–Armitage trend test and plan-versus-baseline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from copub.classify.definitions import (
    DEFAULT_BASELINE,
    DEFAULT_PLAN,
    Definitions,
    check_periods,
)
from copub.indicators.definitions import share_column
from copub.indicators.intervals import wilson_interval
from copub.indicators.schemas import COMPARISON, check_table

__all__ = [
    "TrendTest",
    "cochran_armitage",
    "compare_periods",
    "share_names",
    "two_proportion_p",
]


@dataclass(frozen=True)
class TrendTest:
    """The result of a Cochran–Armitage test for a trend in proportions."""

    z: float
    p_value: float
    direction: int  # +1 rising, -1 falling, 0 no change


def cochran_armitage(
    successes: npt.ArrayLike, trials: npt.ArrayLike, scores: npt.ArrayLike
) -> TrendTest:
    """Two-sided Cochran–Armitage test for a linear trend in proportions.

    Parameters
    ----------
    successes, trials : array-like
        Counts per group (e.g. international works and all works per year).
    scores : array-like
        The group scores (e.g. the years).

    Examples
    --------
    >>> t = cochran_armitage([50, 60, 70, 80], [100, 100, 100, 100], [1, 2, 3, 4])
    >>> t.direction, t.p_value < 0.001
    (1, True)
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    t = np.asarray(scores, dtype=np.float64)
    keep = n > 0
    k, n, t = k[keep], n[keep], t[keep]
    total = n.sum()
    if total == 0 or len(n) < 2:
        return TrendTest(z=float("nan"), p_value=float("nan"), direction=0)
    p_bar = k.sum() / total
    statistic = float(np.sum(t * (k - n * p_bar)))
    variance = p_bar * (1 - p_bar) * (np.sum(n * t**2) - np.sum(n * t) ** 2 / total)
    if variance <= 0:
        return TrendTest(z=0.0, p_value=1.0, direction=0)
    z = statistic / float(np.sqrt(variance))
    from scipy import stats  # here, not at the top: half a second of every start

    return TrendTest(z=z, p_value=float(2 * stats.norm.sf(abs(z))), direction=int(np.sign(z)))


def two_proportion_p(k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-sided p-values of the pooled two-proportion z-test, vectorised.

    NaN where either period has no works or the pooled proportion is 0 or 1
    (no variation, nothing to test).

    Examples
    --------
    >>> import numpy as np
    >>> k1, n1, k2, n2 = (np.array([x]) for x in (10.0, 100.0, 20.0, 100.0))
    >>> p = two_proportion_p(k1, n1, k2, n2)
    >>> round(float(p[0]), 4)
    0.0477
    """
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (k2 / n2 - k1 / n1) / se
    from scipy import stats

    p = 2 * stats.norm.sf(np.abs(z))
    ok = (n1 > 0) & (n2 > 0) & (se > 0)
    return np.where(ok, p, np.nan)


def share_names(shares_by_year: pl.DataFrame) -> list[str]:
    """The share stems present in a yearly table (``intl``, ``priority_BR``, …)."""
    return [
        c.removesuffix("_works_frac") for c in shares_by_year.columns if c.endswith("_works_frac")
    ]


def _newcombe(k1: float, n1: float, k2: float, n2: float) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p2 - p1, from the two Wilson intervals."""
    l1, u1 = (float(x[0]) for x in wilson_interval([k1], [n1]))
    l2, u2 = (float(x[0]) for x in wilson_interval([k2], [n2]))
    p1, p2 = k1 / n1, k2 / n2
    delta = p2 - p1
    return (
        delta - float(np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)),
        delta + float(np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)),
    )


def compare_periods(
    shares_by_year: pl.DataFrame,
    *,
    baseline: tuple[int, int] = DEFAULT_BASELINE,
    plan: tuple[int, int] = DEFAULT_PLAN,
    definitions: Definitions | None = None,
) -> pl.DataFrame:
    """Compare the plan period with the baseline for every share.

    Counts are pooled over each period's years. The difference (plan minus
    baseline) carries Newcombe's hybrid score 95% interval and the p-value of
    the two-proportion z-test; the trend column is the Cochran–Armitage test
    over every complete year in the table.

    Parameters
    ----------
    shares_by_year : pl.DataFrame
        The output of :func:`copub.yearly_indicators`.
    baseline, plan : (int, int)
        Inclusive year ranges, checked by the one period rule
        (:func:`copub.classify.definitions.check_periods`: the baseline ends
        before the plan starts).
    definitions : Definitions, optional
        When given, its ``baseline`` and ``plan`` are used instead.

    Returns
    -------
    pl.DataFrame
        One row per share: ``indicator, baseline_share, plan_share, difference,
        difference_low, difference_high, p_value, baseline_share_frac,
        plan_share_frac, difference_frac, trend_z, trend_p, plan_partial,
        baseline_works, plan_works``.

    Examples
    --------
    >>> import copub
    >>> yearly = copub.yearly_indicators(copub.load_sample(scale=0.01), bootstrap=0)
    >>> table = copub.compare_periods(yearly)
    >>> table.filter(indicator="intl")["difference"].item() > -1
    True
    """
    if definitions is not None:
        baseline, plan = definitions.baseline, definitions.plan
    baseline, plan = check_periods(baseline, plan)
    years = shares_by_year["year"]
    in_base = years.is_between(*baseline)
    in_plan = years.is_between(*plan)
    complete = ~shares_by_year["partial"] if "partial" in shares_by_year.columns else None
    rows = []
    for name in share_names(shares_by_year):
        k_col, n_col = f"{name}_works", f"{name}_base"
        if shares_by_year[share_column(name)].null_count() == shares_by_year.height:
            continue
        k = shares_by_year[k_col].fill_null(0).cast(pl.Float64)
        n = shares_by_year[n_col].fill_null(0).cast(pl.Float64)
        kf = shares_by_year[f"{name}_works_frac"].fill_null(0.0)
        nf = shares_by_year[f"{name}_base_frac"].fill_null(0.0)
        k1, n1 = float(k.filter(in_base).sum()), float(n.filter(in_base).sum())
        k2, n2 = float(k.filter(in_plan).sum()), float(n.filter(in_plan).sum())
        row: dict[str, object] = {"indicator": name, "baseline_works": n1, "plan_works": n2}
        if n1 > 0 and n2 > 0:
            p1, p2 = k1 / n1, k2 / n2
            low, high = _newcombe(k1, n1, k2, n2)
            tested = two_proportion_p(*(np.array([x]) for x in (k1, n1, k2, n2)))[0]
            # No variation at all (0% or 100% in both periods): nothing changed.
            p_value = 1.0 if np.isnan(tested) else float(tested)
            row |= {
                "baseline_share": p1,
                "plan_share": p2,
                "difference": p2 - p1,
                "difference_low": low,
                "difference_high": high,
                "p_value": p_value,
            }
        nf1, nf2 = float(nf.filter(in_base).sum()), float(nf.filter(in_plan).sum())
        if nf1 > 0 and nf2 > 0:
            bf = float(kf.filter(in_base).sum()) / nf1
            pf = float(kf.filter(in_plan).sum()) / nf2
            row |= {"baseline_share_frac": bf, "plan_share_frac": pf, "difference_frac": pf - bf}
        mask = complete if complete is not None else pl.Series([True] * len(years))
        trend = cochran_armitage(
            k.filter(mask).to_numpy(), n.filter(mask).to_numpy(), years.filter(mask).to_numpy()
        )
        row |= {
            "trend_z": trend.z,
            "trend_p": trend.p_value,
            "plan_partial": bool(shares_by_year["partial"].filter(in_plan).any())
            if "partial" in shares_by_year.columns
            else False,
        }
        rows.append(row)
    table = pl.DataFrame([{c: r.get(c) for c in COMPARISON} for r in rows], schema=COMPARISON)
    return check_table(table, COMPARISON, "period comparison")
