"""Is the change real? The Cochran–Armitage trend test and plan-versus-baseline.

Many indicators are tested at once (about 28 in a report), so at the 0.05
level one or two would be flagged by chance alone. Every p-value of a
comparison therefore comes with its Holm-adjusted value (Holm 1979: controls
the chance of any false "significant" among the indicators tested, at no cost
in assumptions), and ``significant`` is read from the adjusted one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

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
    "ADJUSTMENT",
    "ADJUSTMENT_NOTE",
    "SIGNIFICANCE",
    "TrendDirection",
    "TrendTest",
    "cochran_armitage",
    "compare_periods",
    "holm_adjust",
    "share_names",
    "trend_direction",
    "two_proportion_p",
]

#: Two-sided level below which an (adjusted) p-value counts as significant.
SIGNIFICANCE: Final = 0.05
#: The multiplicity adjustment of :func:`compare_periods` (and of the breakdown's standing).
ADJUSTMENT: Final = "holm"
#: One sentence for every output that shows adjusted p-values.
ADJUSTMENT_NOTE: Final = (
    "Many indicators are tested at once, so each p-value is also shown Holm-adjusted "
    "(p adj.), and a change counts as significant only when the adjusted p is below 0.05."
)

TrendDirection = Literal["rising", "falling", "no monotone trend"]


@dataclass(frozen=True)
class TrendTest:
    """The result of a Cochran–Armitage test for a trend in proportions.

    Attributes
    ----------
    z, p_value : float
        The test statistic and its two-sided p-value.
    direction : int
        The sign of ``z``: +1 rising, -1 falling, 0 no change. A sign, not a
        finding: read :func:`trend_direction` for the words.
    monotone : bool
        Whether the proportions of the first, middle and last third of the
        groups lie in the order of ``direction`` (a series that rose and then
        fell is not monotone, whatever its linear fit says).
    """

    z: float
    p_value: float
    direction: int
    monotone: bool = True


def _thirds_monotone(k: np.ndarray, n: np.ndarray, sign: int) -> bool:
    """Pooled proportions of the first, middle and last third are ordered by ``sign``."""
    if sign == 0 or len(n) < 3:
        return sign != 0
    parts = [
        float(kk.sum() / nn.sum())
        for kk, nn in zip(np.array_split(k, 3), np.array_split(n, 3), strict=True)
    ]
    first, middle, last = (sign * p for p in parts)
    return first <= middle <= last and first < last


def trend_direction(
    test: TrendTest, p_value: float | None = None, *, alpha: float = SIGNIFICANCE
) -> TrendDirection:
    """The trend in words: ``rising`` or ``falling`` only when significant and monotone.

    Parameters
    ----------
    test : TrendTest
    p_value : float, optional
        The p-value to judge by (e.g. the Holm-adjusted one); default ``test.p_value``.
    alpha : float

    Examples
    --------
    >>> trend_direction(cochran_armitage([50, 60, 70, 80], [100] * 4, [1, 2, 3, 4]))
    'rising'
    >>> rose_then_fell = cochran_armitage([50, 80, 95, 90, 75], [100] * 5, [1, 2, 3, 4, 5])
    >>> rose_then_fell.p_value < 0.05, trend_direction(rose_then_fell)
    (True, 'no monotone trend')
    """
    p = test.p_value if p_value is None else p_value
    if p != p or p >= alpha or test.direction == 0 or not test.monotone:
        return "no monotone trend"
    return "rising" if test.direction > 0 else "falling"


def holm_adjust(p_values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Holm's step-down adjusted p-values, in the input's order.

    The i-th smallest of m p-values becomes ``max over j <= i of (m - j + 1) p_(j)``,
    capped at 1. NaN (nothing tested) stays NaN and is not counted in m.

    Examples
    --------
    >>> holm_adjust([0.01, 0.04, 0.03, float("nan")]).round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    m = int(tested.sum())
    if m == 0:
        return out
    values = p[tested]
    order = np.argsort(values, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * values[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    out[tested] = adjusted
    return out


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
        return TrendTest(z=float("nan"), p_value=float("nan"), direction=0, monotone=False)
    p_bar = k.sum() / total
    statistic = float(np.sum(t * (k - n * p_bar)))
    variance = p_bar * (1 - p_bar) * (np.sum(n * t**2) - np.sum(n * t) ** 2 / total)
    if variance <= 0:
        return TrendTest(z=0.0, p_value=1.0, direction=0, monotone=False)
    z = statistic / float(np.sqrt(variance))
    from scipy import stats  # here, not at the top: half a second of every start

    sign = int(np.sign(z))
    order = np.argsort(t, kind="stable")
    return TrendTest(
        z=z,
        p_value=float(2 * stats.norm.sf(abs(z))),
        direction=sign,
        monotone=_thirds_monotone(k[order], n[order], sign),
    )


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
    the two-proportion z-test, beside its Holm adjustment over every indicator
    compared (``adjustment`` names it); ``significant`` reads the adjusted
    p-value at :data:`SIGNIFICANCE`. The trend columns are the Cochran–Armitage
    test over every complete year in the table, its Holm-adjusted p-value and
    its direction in words (:func:`trend_direction`, judged on the adjusted p).

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
        difference_low, difference_high, p_value, p_value_adjusted, adjustment,
        significant, baseline_share_frac, plan_share_frac, difference_frac,
        trend_z, trend_p, trend_p_adjusted, trend_direction, plan_partial,
        baseline_works, plan_works``.

    Examples
    --------
    >>> import copub
    >>> yearly = copub.yearly_indicators(copub.load_sample(scale=0.01), bootstrap=0)
    >>> table = copub.compare_periods(yearly)
    >>> table.filter(indicator="intl")["difference"].item() > -1
    True
    >>> set(table["adjustment"]), bool((table["p_value_adjusted"] >= table["p_value"]).all())
    ({'holm'}, True)
    """
    if definitions is not None:
        baseline, plan = definitions.baseline, definitions.plan  # validated once, there
    else:
        baseline, plan = check_periods(baseline, plan)
    years = shares_by_year["year"]
    in_base = years.is_between(*baseline)
    in_plan = years.is_between(*plan)
    complete = ~shares_by_year["partial"] if "partial" in shares_by_year.columns else None
    rows = []
    trends = []
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
        trends.append(trend)
        row |= {
            "trend_z": trend.z,
            "trend_p": trend.p_value,
            "plan_partial": bool(shares_by_year["partial"].filter(in_plan).any())
            if "partial" in shares_by_year.columns
            else False,
        }
        rows.append(row)
    _adjust(rows, trends)
    table = pl.DataFrame([{c: r.get(c) for c in COMPARISON} for r in rows], schema=COMPARISON)
    return check_table(table, COMPARISON, "period comparison")


def _adjust(rows: list[dict[str, object]], trends: list[TrendTest]) -> None:
    """Add the Holm-adjusted p-values, ``significant`` and the trend's direction to ``rows``."""
    raw = [np.nan if r.get("p_value") is None else float(r["p_value"]) for r in rows]  # type: ignore[arg-type]
    adjusted = holm_adjust(raw)
    trend_adjusted = holm_adjust([t.p_value for t in trends])
    for row, p, trend, tp in zip(rows, adjusted, trends, trend_adjusted, strict=True):
        tested = not np.isnan(p)
        row |= {
            "p_value_adjusted": float(p) if tested else None,
            "adjustment": ADJUSTMENT,
            "significant": bool(p < SIGNIFICANCE) if tested else None,
            "trend_p_adjusted": None if np.isnan(tp) else float(tp),
            "trend_direction": trend_direction(trend, float(tp)),
        }
