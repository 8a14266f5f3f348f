"""Impact figures of a prepared per-work frame: sums, shares, means and their intervals.

The frame has one row per work (per period): ``_period``, ``work_id``,
``weight``, a Boolean ``c:<key>`` per collaboration type and the impact
columns made by :func:`copub.indicators.impact.impact_per_work`
(``has_percentile, top10, top1, has_fwci, fwci_ge1, fwci_value,
has_cites_window, cites_value``; values are 0 and flags False where the
input is missing, and every ``has_*`` says which rows count).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import polars as pl

from copub.indicators.intervals import bootstrap_estimates, bootstrap_ratios, wilson_columns
from copub.indicators.trends import two_proportion_p

__all__ = ["COVERAGE", "MEANS", "SHARES", "aggregate_impact", "impact_differences"]

#: Shares: (stem, numerator flag, base flag).
SHARES: tuple[tuple[str, str, str], ...] = (
    ("top10", "top10", "has_percentile"),
    ("top1", "top1", "has_percentile"),
    ("fwci_ge1", "fwci_ge1", "has_fwci"),
)
#: Means: (stem, value column, base flag).
MEANS: tuple[tuple[str, str, str], ...] = (
    ("fwci", "fwci_value", "has_fwci"),
    ("cites_window", "cites_value", "has_cites_window"),
)
#: Coverage: (stem, flag of the works that have the input).
COVERAGE: tuple[tuple[str, str], ...] = (
    ("percentile_missing", "has_percentile"),
    ("fwci_missing", "has_fwci"),
    ("cites_window_missing", "has_cites_window"),
)

FloatArray = npt.NDArray[np.float64]


def _sum_exprs() -> list[pl.Expr]:
    w = pl.col("weight")
    exprs = [pl.len().alias("works"), w.sum().alias("works_frac")]
    for stem, num, den in SHARES:
        hit = pl.col(num) & pl.col(den)
        exprs += [
            hit.sum().cast(pl.Int64).alias(f"{stem}_works"),
            pl.col(den).sum().cast(pl.Int64).alias(f"{stem}_base"),
            (w * hit.cast(pl.Float64)).sum().alias(f"{stem}_works_frac"),
            (w * pl.col(den).cast(pl.Float64)).sum().alias(f"{stem}_base_frac"),
        ]
    for stem, value, den in MEANS:
        has = pl.col(den).cast(pl.Float64)
        exprs += [
            pl.col(den).sum().cast(pl.Int64).alias(f"{stem}_base"),
            (pl.col(value) * has).sum().alias(f"_{stem}_sum"),
            (w * has).sum().alias(f"{stem}_base_frac"),
            (w * pl.col(value) * has).sum().alias(f"_{stem}_sum_frac"),
        ]
    return exprs


def _ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return num.cast(pl.Float64) / pl.when(den > 0).then(den.cast(pl.Float64))


def _figure_exprs(sums: pl.DataFrame) -> list[pl.Expr | pl.Series]:
    exprs: list[pl.Expr | pl.Series] = []
    for stem, _, _ in SHARES:
        k, n = pl.col(f"{stem}_works"), pl.col(f"{stem}_base")
        low, high = wilson_columns(sums[f"{stem}_works"], sums[f"{stem}_base"])
        exprs += [
            _ratio(k, n).alias(f"{stem}_share"),
            low.alias(f"{stem}_share_low"),
            high.alias(f"{stem}_share_high"),
            _ratio(pl.col(f"{stem}_works_frac"), pl.col(f"{stem}_base_frac")).alias(
                f"{stem}_share_frac"
            ),
        ]
    for stem, _, _ in MEANS:
        exprs += [
            _ratio(pl.col(f"_{stem}_sum"), pl.col(f"{stem}_base")).alias(f"{stem}_mean"),
            _ratio(pl.col(f"_{stem}_sum_frac"), pl.col(f"{stem}_base_frac")).alias(
                f"{stem}_mean_frac"
            ),
        ]
    for stem, _ in COVERAGE:
        base = next(s for s, _, d in SHARES + MEANS if d == dict(COVERAGE)[stem])
        exprs += [
            (1 - _ratio(pl.col(f"{base}_base"), pl.col("works"))).alias(f"{stem}_share"),
            (1 - _ratio(pl.col(f"{base}_base_frac"), pl.col("works_frac"))).alias(
                f"{stem}_share_frac"
            ),
        ]
    return exprs


def _ratio_parts(
    period: pl.DataFrame, masks: FloatArray, *, full_shares: bool = False
) -> tuple[list[str], FloatArray, FloatArray]:
    """Per-work numerators and denominators of every bootstrapped ratio × collaboration."""
    w = period["weight"].to_numpy().astype(np.float64)

    def flag(name: str) -> FloatArray:
        return period[name].to_numpy().astype(np.float64)

    names: list[str] = []
    nums: list[FloatArray] = []
    dens: list[FloatArray] = []
    for stem, hit, has in SHARES:
        names.append(f"{stem}_share_frac")
        nums.append(w * flag(hit) * flag(has))
        dens.append(w * flag(has))
        if full_shares:
            names.append(f"{stem}_share")
            nums.append(flag(hit) * flag(has))
            dens.append(flag(has))
    for stem, value, has in MEANS:
        names += [f"{stem}_mean_frac", f"{stem}_mean"]
        nums += [w * flag(value) * flag(has), flag(value) * flag(has)]
        dens += [w * flag(has), flag(has)]
    numerators = np.hstack([masks * x[:, None] for x in nums])
    denominators = np.hstack([masks * x[:, None] for x in dens])
    return names, numerators, denominators


def _masks(period: pl.DataFrame, keys: Sequence[str]) -> FloatArray:
    return period.select(f"c:{k}" for k in keys).to_numpy().astype(np.float64)


def _bootstrap(
    impact_works: pl.DataFrame, keys: Sequence[str], resamples: int, seed: int
) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for (period,), group in impact_works.group_by("_period", maintain_order=True):
        names, num, den = _ratio_parts(group, _masks(group, keys))
        low, high = bootstrap_ratios(num, den, resamples=resamples, rng=rng)
        for j, key in enumerate(keys):
            row: dict[str, object] = {"_period": period, "collaboration": key}
            for i, name in enumerate(names):
                at = i * len(keys) + j
                row[f"{name}_low"] = None if np.isnan(low[at]) else float(low[at])
                row[f"{name}_high"] = None if np.isnan(high[at]) else float(high[at])
            rows.append(row)
    names = [f"{s}_share_frac" for s, _, _ in SHARES] + [
        n for s, _, _ in MEANS for n in (f"{s}_mean_frac", f"{s}_mean")
    ]
    schema: dict[str, pl.DataType] = {
        "_period": impact_works.schema["_period"],
        "collaboration": pl.String(),
    } | {f"{n}_{end}": pl.Float64() for n in names for end in ("low", "high")}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _interval_columns() -> list[str]:
    shares = [f"{s}_share_frac" for s, _, _ in SHARES]
    means = [n for s, _, _ in MEANS for n in (f"{s}_mean", f"{s}_mean_frac")]
    return [f"{n}_{end}" for n in shares + means for end in ("low", "high")]


def aggregate_impact(
    impact_works: pl.DataFrame, keys: Sequence[str], *, bootstrap: int, seed: int
) -> pl.DataFrame:
    """One row per ``_period`` × collaboration type with every impact figure.

    Full-counting shares carry Wilson 95% intervals; fractional shares and all
    means carry seeded bootstrap 95% intervals over works (null when
    ``bootstrap`` is 0), widened to hold the estimate.
    """
    impact_works = impact_works.sort("_period", "work_id")
    long = pl.concat(
        [impact_works.filter(pl.col(f"c:{k}")).with_columns(collaboration=pl.lit(k)) for k in keys]
    )
    sums = long.group_by("_period", "collaboration").agg(_sum_exprs())
    table = sums.with_columns(_figure_exprs(sums)).drop(
        pl.selectors.starts_with("_").exclude("_period")
    )
    if bootstrap > 0 and impact_works.height:
        table = table.join(
            _bootstrap(impact_works, keys, bootstrap, seed),
            on=["_period", "collaboration"],
            how="left",
        )
        widen: list[pl.Expr] = []
        for name in _interval_columns():
            estimate = name.rsplit("_", 1)[0]
            bound = (
                pl.min_horizontal(name, estimate)
                if name.endswith("_low")
                else pl.max_horizontal(name, estimate)
            )
            widen.append(bound.clip(0.0, 1.0) if "_share" in name else bound)
        table = table.with_columns(widen)
    else:
        table = table.with_columns(pl.lit(None, pl.Float64).alias(c) for c in _interval_columns())
    order = {k: i for i, k in enumerate(keys)}
    return (
        table.with_columns(
            _order=pl.col("collaboration").replace_strict(order, return_dtype=pl.Int32)
        )
        .sort("_period", "_order")
        .drop("_order")
    )


def _point(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(num.sum(axis=0) / den.sum(axis=0), dtype=np.float64)


def _welch_p(a: FloatArray, b: FloatArray) -> float:
    if a.size < 2 or b.size < 2 or (np.var(a) == 0 and np.var(b) == 0):
        return float("nan")
    from scipy import stats  # here, not at the top: half a second of every start

    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def _full_p(group: pl.DataFrame, a: str, b: str, stem: str) -> tuple[float, float, float]:
    """Full-counting p-value of ``a`` against ``b``, and the two bases."""
    for s, num, den in SHARES:
        if s == stem:
            in_a = group.filter(pl.col(f"c:{a}") & pl.col(den))
            in_b = group.filter(pl.col(f"c:{b}") & pl.col(den))
            counts = (float(in_b[num].sum()), float(in_b.height))
            counts_a = (float(in_a[num].sum()), float(in_a.height))
            p = two_proportion_p(*(np.array([x]) for x in (*counts, *counts_a)))[0]
            return float(p), counts_a[1], counts[1]
    value, den = next((v, d) for s, v, d in MEANS if s == stem)
    xa = group.filter(pl.col(f"c:{a}") & pl.col(den))[value].to_numpy().astype(np.float64)
    xb = group.filter(pl.col(f"c:{b}") & pl.col(den))[value].to_numpy().astype(np.float64)
    return _welch_p(xa, xb), float(xa.size), float(xb.size)


def _quantiles(d: FloatArray) -> tuple[float, float]:
    finite = d[np.isfinite(d)]
    if finite.size == 0:
        return float("nan"), float("nan")
    return float(np.quantile(finite, 0.025)), float(np.quantile(finite, 0.975))


def _bootstrap_p(d: FloatArray) -> float:
    finite = d[np.isfinite(d)]
    if finite.size == 0:
        return float("nan")
    # (k + 1) / (R + 1): a resampling p-value is never 0 (Davison & Hinkley 1997).
    size = finite.size + 1
    below, above = (np.sum(finite <= 0) + 1) / size, (np.sum(finite >= 0) + 1) / size
    return float(min(1.0, 2 * min(below, above)))


def _clean(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _value_name(stem: str, fractional: bool) -> str:
    kind = "share" if stem in {s for s, _, _ in SHARES} else "mean"
    return f"{stem}_{kind}{'_frac' if fractional else ''}"


def _difference_schema(period_dtype: pl.DataType) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {
        "_period": period_dtype,
        "indicator": pl.String(),
        "a_base": pl.Float64(),
        "b_base": pl.Float64(),
    }
    for suffix in ("", "_frac"):
        for name in (
            f"value_a{suffix}",
            f"value_b{suffix}",
            f"difference{suffix}",
            f"difference{suffix}_low",
            f"difference{suffix}_high",
            f"p_value{suffix}",
        ):
            schema[name] = pl.Float64()
    return schema


def impact_differences(
    impact_works: pl.DataFrame, a: str, b: str, *, bootstrap: int, seed: int
) -> pl.DataFrame:
    """Collaboration ``a`` minus ``b`` for every impact figure, per ``_period``.

    The interval is the seeded percentile bootstrap over the period's works
    (both groups resampled together), widened to hold the estimate; null when
    ``bootstrap`` is 0. ``p_value`` (full counting) is the two-proportion
    z-test for shares and Welch's t-test for means; ``p_value_frac`` is the
    bootstrap's two-sided p (twice the smaller share of resampled differences
    on either side of 0, counted as (k + 1) / (R + 1) so it is never 0; null
    without resamples).
    """
    impact_works = impact_works.sort("_period", "work_id")
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    indicators = [s for s, _, _ in SHARES] + [s for s, _, _ in MEANS]
    for (period,), group in impact_works.group_by("_period", maintain_order=True):
        names, num, den = _ratio_parts(group, _masks(group, [a, b]), full_shares=True)
        values = _point(num, den)
        if bootstrap > 0:
            est = bootstrap_estimates(num, den, resamples=bootstrap, rng=rng)
            diffs = est[:, 0::2] - est[:, 1::2]
        else:
            diffs = np.full((1, len(names)), np.nan)
        for stem in indicators:
            p_full, a_base, b_base = _full_p(group, a, b, stem)
            row: dict[str, object] = {
                "_period": period,
                "indicator": stem,
                "a_base": a_base,
                "b_base": b_base,
            }
            for fractional in (False, True):
                i = names.index(_value_name(stem, fractional))
                va, vb = float(values[2 * i]), float(values[2 * i + 1])
                d = diffs[:, i]
                low, high = _quantiles(d)
                diff = va - vb
                if not np.isfinite(diff):
                    low = high = float("nan")
                suffix = "_frac" if fractional else ""
                row |= {
                    f"value_a{suffix}": _clean(va),
                    f"value_b{suffix}": _clean(vb),
                    f"difference{suffix}": _clean(diff),
                    f"difference{suffix}_low": _clean(min(low, diff)),
                    f"difference{suffix}_high": _clean(max(high, diff)),
                    f"p_value{suffix}": _clean(_bootstrap_p(d) if fractional else p_full),
                }
            rows.append(row)
    schema = _difference_schema(impact_works.schema["_period"])
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)
