"""Shares by period in both counting methods, with their intervals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from copub.classify.definitions import FullInterval
from copub.indicators.definitions import ShareSpec, share_column, share_columns
from copub.indicators.intervals import bootstrap_ratios, wilson_columns

__all__ = ["compute_shares"]


def _base(spec: ShareSpec) -> pl.Expr:
    """The spec's base mask; a null label (e.g. no register level) is outside it."""
    base = spec.denominator if spec.denominator is not None else pl.col("_all")
    return base.fill_null(False)


def _hit(spec: ShareSpec) -> pl.Expr:
    """Numerator and base; a null label is not a hit (null would poison the bootstrap)."""
    return (spec.numerator & _base(spec)).fill_null(False)


def _sums(specs: Sequence[ShareSpec]) -> list[pl.Expr]:
    exprs: list[pl.Expr] = [
        pl.len().cast(pl.Int64).alias("works"),
        pl.col("weight").sum().alias("works_frac"),
    ]
    for spec in specs:
        if not spec.available:
            continue
        base, hit = _base(spec), _hit(spec)
        exprs += [
            hit.sum().cast(pl.Int64).alias(f"{spec.name}_works"),
            base.sum().cast(pl.Int64).alias(f"{spec.name}_base"),
            (pl.col("weight") * hit.cast(pl.Float64)).sum().alias(f"{spec.name}_works_frac"),
            (pl.col("weight") * base.cast(pl.Float64)).sum().alias(f"{spec.name}_base_frac"),
        ]
    return exprs


def _bootstrap(
    per_work: pl.DataFrame,
    by: str,
    specs: Sequence[ShareSpec],
    resamples: int,
    seed: int,
    *,
    weight_column: str = "weight",
    suffix: str = "_frac",
) -> pl.DataFrame:
    """Bootstrap intervals of every share, one period at a time.

    ``weight_column="weight"`` gives the fractional shares' intervals
    (``<share>_frac_low``); a column of ones gives the full-counting shares'
    (``suffix=""``: ``<share>_low``), as the Leiden Ranking's stability intervals.
    """
    live = [s for s in specs if s.available]
    hits = [_hit(s).cast(pl.Float64) for s in live]
    bases = [_base(s).cast(pl.Float64) for s in live]
    matrix = per_work.select(
        by,
        pl.col(weight_column).alias("weight"),
        *[h.alias(f"h{i}") for i, h in enumerate(hits)],
        *[b.alias(f"b{i}") for i, b in enumerate(bases)],
    )
    rng = np.random.default_rng(seed)
    rows = []
    for (period,), group in matrix.sort(by).group_by(by, maintain_order=True):
        weight = group["weight"].to_numpy()[:, None]
        num = group.select([f"h{i}" for i in range(len(live))]).to_numpy() * weight
        den = group.select([f"b{i}" for i in range(len(live))]).to_numpy() * weight
        low, high = bootstrap_ratios(num, den, resamples=resamples, rng=rng)
        row: dict[str, object] = {by: period}
        for i, spec in enumerate(live):
            share = share_column(spec.name)
            row[f"{share}{suffix}_low"] = None if np.isnan(low[i]) else float(low[i])
            row[f"{share}{suffix}_high"] = None if np.isnan(high[i]) else float(high[i])
        rows.append(row)
    schema = {by: matrix.schema[by]} | {
        f"{share_column(s.name)}{suffix}_{end}": pl.Float64 for s in live for end in ("low", "high")
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def compute_shares(
    per_work: pl.DataFrame,
    specs: Sequence[ShareSpec],
    *,
    by: str = "year",
    bootstrap: int = 1000,
    seed: int = 0,
    full_interval: FullInterval = "wilson",
) -> pl.DataFrame:
    """Aggregate a per-work frame into shares by ``by``.

    Parameters
    ----------
    per_work : pl.DataFrame
        One row per work (per period), with ``by``, ``weight`` (the
        institution's fractional weight) and the columns the specs read.
    specs : sequence of ShareSpec
    by : str
        The period column.
    bootstrap : int
        Resamples for the fractional shares' intervals; 0 leaves them null.
    seed : int
        Seed of the bootstrap.
    full_interval : {"wilson", "bootstrap"}
        The full-counting shares' interval: Wilson, or the bootstrap (the
        Leiden Ranking's stability interval, ``bootstrap`` resamples).

    Returns
    -------
    pl.DataFrame
        One row per period: ``by, works, works_frac`` then the columns of
        :func:`~copub.indicators.definitions.share_columns` for every spec.
    """
    # Only the columns the shares read are sorted and summed (the labelled works
    # carry more, e.g. their list of countries).
    needed = {by, "weight", "work_id"}
    for spec in specs:
        if spec.available:
            for expr in (spec.numerator, spec.denominator):
                if expr is not None:
                    needed.update(expr.meta.root_names())
    per_work = per_work.select(c for c in per_work.columns if c in needed)
    # A fixed row order makes floating-point sums, and so the result, independent
    # of the order the works arrived in.
    if "work_id" in per_work.columns:
        per_work = per_work.sort(by, "work_id")
    per_work = per_work.with_columns(_all=pl.lit(True))
    sums = per_work.lazy().group_by(by).agg(_sums(specs)).sort(by).collect()
    exprs: list[pl.Expr | pl.Series] = []
    for spec in specs:
        cols = share_columns(spec.name)
        if not spec.available:
            exprs += [
                pl.lit(None, pl.Int64 if c.endswith(("_works", "_base")) else pl.Float64).alias(c)
                for c in cols
            ]
            continue
        k, n = pl.col(f"{spec.name}_works"), pl.col(f"{spec.name}_base")
        kf, nf = pl.col(f"{spec.name}_works_frac"), pl.col(f"{spec.name}_base_frac")
        low, high = wilson_columns(sums[f"{spec.name}_works"], sums[f"{spec.name}_base"])
        share = share_column(spec.name)
        exprs += [
            (k.cast(pl.Float64) / pl.when(n > 0).then(n)).alias(share),
            low.alias(f"{share}_low"),
            high.alias(f"{share}_high"),
            (kf / pl.when(nf > 0).then(nf)).alias(f"{share}_frac"),
        ]
    shares = sums.with_columns(exprs)
    if full_interval == "bootstrap" and bootstrap > 0:
        full = _bootstrap(
            per_work.with_columns(_one=pl.lit(1.0)),
            by,
            specs,
            bootstrap,
            seed,
            weight_column="_one",
            suffix="",
        )
        shares = shares.drop(full.columns[1:]).join(full, on=by, how="left")
        shares = shares.with_columns(
            expr
            for s in specs
            if s.available
            for c in [share_column(s.name)]
            for expr in (
                pl.min_horizontal(f"{c}_low", c).clip(0.0, 1.0),
                pl.max_horizontal(f"{c}_high", c).clip(0.0, 1.0),
            )
        )
    if bootstrap > 0:
        shares = shares.join(_bootstrap(per_work, by, specs, bootstrap, seed), on=by, how="left")
        # A percentile interval of a very skewed resampling distribution can
        # miss the estimate itself; widen it so the interval always holds it.
        # The resamples are summed in single precision, so a share of exactly
        # 0 or 1 can come back a rounding step outside [0, 1]: clip it.
        shares = shares.with_columns(
            expr
            for s in specs
            if s.available
            for c in [share_column(s.name)]
            for expr in (
                pl.min_horizontal(f"{c}_frac_low", f"{c}_frac").clip(0.0, 1.0),
                pl.max_horizontal(f"{c}_frac_high", f"{c}_frac").clip(0.0, 1.0),
            )
        )
    order = [by, "works", "works_frac"] + [c for s in specs for c in share_columns(s.name)]
    present = set(shares.columns)
    return shares.with_columns(
        [pl.lit(None, pl.Float64).alias(c) for c in order if c not in present]
    ).select(order)
