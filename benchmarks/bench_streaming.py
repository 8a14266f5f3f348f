"""Scale beyond memory: the indicator query in polars' streaming engine under a memory cap.

``copub.yearly_indicators`` takes ``Tables`` of eager DataFrames, so it cannot
stream as it stands. This benchmark writes the core of it, the yearly
international share under full counting (with Wilson intervals) and under
fractional counting, with copub's own definitions (core document types, home
institution by lineage, countries from institutions and authorships with
Hong Kong and Macao as China, ``copub.classify.countries`` helpers and
``copub.indicators.intervals.wilson_exprs``), as one ``pl.LazyFrame`` over
``scan_parquet``. A check case proves it gives ``yearly_indicators``' own
``works``, ``intl_works``, ``intl_share`` and ``intl_share_frac``.

The dataset is the largest cached scale's tables, copied ``--copies`` times
with distinct work ids into ``.cache/streaming/`` (one parquet file per copy
and table), so that it is larger than the cap both on disk and in memory.
The cap is ``RLIMIT_AS`` of the child (what ``ulimit -v`` sets). Cases:

- streaming engine, capped: must complete;
- in-memory engine, same cap: expected to fail, which shows the cap bites;
- in-memory engine, uncapped: the cost baseline (time, peak RSS);
the results of the first and the last must be identical.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from benchmarks.bench_tables import tables_for, world_missing
from benchmarks.context import Context, note
from benchmarks.datasets import CACHE
from benchmarks.results import Row

__all__ = ["check_route", "indicator_query", "query_route", "run"]

INSTITUTION = "I204778367"
_BIG_TABLES = ("works", "authorships", "affiliations")
#: OpenBLAS (under scipy, which copub imports) reserves address space per
#: thread; one thread keeps that small under a tight RLIMIT_AS.
_CAPPED_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def indicator_query(tables: dict[str, Any], institution: str = INSTITUTION) -> Any:
    """Yearly international shares, full and fractional, as one lazy query.

    ``tables`` maps ``works, authorships, affiliations, institutions`` to
    LazyFrames (``scan_parquet`` or ``DataFrame.lazy()``).
    """
    import polars as pl

    from copub.classify.countries import country_code_expr, valid_country_codes
    from copub.indicators.intervals import wilson_exprs
    from copub.indicators.universe import CORE_TYPES

    works, authorships = tables["works"], tables["authorships"]
    affiliations, institutions = tables["affiliations"], tables["institutions"]
    home_ids = (
        institutions.filter(
            (pl.col("institution_id") == institution) | pl.col("lineage").list.contains(institution)
        )
        .select("institution_id")
        .collect()["institution_id"]
        .to_list()
    )
    flagged = affiliations.with_columns(is_home=pl.col("institution_id").is_in(home_ids))
    universe = works.filter(
        pl.col("type").is_in(CORE_TYPES) & ~pl.col("is_retracted") & ~pl.col("is_paratext")
    ).select("work_id", "year", "n_authors")
    weights = (
        flagged.group_by("work_id", "position")
        .agg(home_slots=pl.col("is_home").sum(), n_slots=pl.len())
        .filter(pl.col("home_slots") > 0)
        .join(universe, on="work_id")
        .group_by("work_id", "year")
        .agg(
            weight=(
                pl.col("home_slots").cast(pl.Float64)
                / pl.col("n_slots")
                / pl.col("n_authors").cast(pl.Float64)
            ).sum()
        )
    )
    reported = authorships.select("work_id", code=pl.col("countries")).explode("code")
    institutional = flagged.join(
        institutions.select("institution_id", code="country_code"), on="institution_id"
    ).select("work_id", "code")
    countries = (
        pl.concat([reported, institutional])
        .with_columns(code=country_code_expr(pl.col("code")))
        .filter(pl.col("code").is_in(sorted(valid_country_codes())))
        .group_by("work_id")
        .agg(n_countries=pl.col("code").n_unique())
    )
    intl = pl.col("is_international")
    per_year = (
        weights.join(countries, on="work_id", how="left")
        .with_columns(is_international=pl.col("n_countries").fill_null(0) >= 2)
        .group_by("year")
        .agg(
            works=pl.len(),
            intl_works=intl.sum(),
            works_frac=pl.col("weight").sum(),
            intl_works_frac=(pl.col("weight") * intl.cast(pl.Float64)).sum(),
        )
    )
    low, high = wilson_exprs(pl.col("intl_works"), pl.col("works"))
    return per_year.with_columns(
        intl_share=pl.col("intl_works") / pl.col("works"),
        intl_share_low=low,
        intl_share_high=high,
        intl_share_frac=pl.col("intl_works_frac") / pl.col("works_frac"),
    ).sort("year")


def _scan(root: str) -> dict[str, Any]:
    import polars as pl

    return {
        name: pl.scan_parquet(f"{root}/{name}/*.parquet") for name in (*_BIG_TABLES, "institutions")
    }


def query_route(args: dict[str, Any]) -> dict[str, Any]:
    """Run the query over the copied dataset in the chosen engine."""
    yearly = indicator_query(_scan(args["root"])).collect(engine=args["engine"])
    return {"rows": yearly.to_dicts()}


def check_route(args: dict[str, Any]) -> dict[str, Any]:
    """The lazy query against ``yearly_indicators`` on the same (uncopied) tables."""
    import polars as pl

    import copub

    yearly_indicators = getattr(copub, "yearly_indicators", None)
    if yearly_indicators is None:  # not exported yet
        from copub.indicators.yearly import yearly_indicators

    tables = copub.load_tables(args["data_dir"])
    lazy = indicator_query({n: f.lazy() for n, f in tables.frames().items()}).collect()
    reference = yearly_indicators(tables, bootstrap=0)
    columns = ["year", "works", "intl_works", "intl_share", "intl_share_frac"]
    mine = lazy.select(columns).with_columns(pl.col("works", "intl_works").cast(pl.Int64))
    theirs = reference.select(columns).with_columns(pl.col("works", "intl_works").cast(pl.Int64))
    equal = mine.equals(theirs) or bool(
        (mine.drop("intl_share_frac").equals(theirs.drop("intl_share_frac")))
        and ((mine["intl_share_frac"] - theirs["intl_share_frac"]).abs().max() or 0) < 1e-9
    )
    return {"equal": equal, "years": mine.height}


def _dataset_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.parquet"))


def copy_dataset(tables_dir: Path, out: Path, copies: int) -> Path:
    """The tables ``copies`` times, work ids suffixed per copy; institutions once."""
    import polars as pl

    marker = out / f"copies-{copies}.done"
    if marker.is_file():
        return out
    for old in out.glob("copies-*.done"):
        old.unlink()
    note(f"writing {copies} copies of {tables_dir} to {out}")
    for name in _BIG_TABLES:
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.parquet"):
            old.unlink()
        for k in range(copies):
            (
                pl.scan_parquet(tables_dir / f"{name}.parquet")
                .with_columns(pl.col("work_id") + f"c{k}")
                .sink_parquet(folder / f"part_{k:03d}.parquet")
            )
    (out / "institutions").mkdir(parents=True, exist_ok=True)
    pl.read_parquet(tables_dir / "institutions.parquet").write_parquet(
        out / "institutions" / "part_000.parquet"
    )
    marker.write_text("done\n")
    return out


def _in_memory_bytes(tables_dir: Path) -> int:
    import polars as pl

    return sum(
        pl.read_parquet(tables_dir / f"{name}.parquet").estimated_size()
        for name in (*_BIG_TABLES, "institutions")
    )


def run(ctx: Context) -> list[Row]:
    """Streaming rows, on the largest scale of this run."""
    scale = ctx.scales[-1]
    missing = world_missing()
    if missing:
        return [Row("streaming", scale, "indicator query", verdict="not available", note=missing)]
    dataset = tables_for(ctx, scale)
    check = ctx.measure(
        "benchmarks.bench_streaming:check_route",
        {"data_dir": str(dataset.root)},
        preload=("copub",),
    )
    base_memory = _in_memory_bytes(dataset.tables_dir)
    cap = ctx.stream_cap_bytes
    copies = min(64, max(2, math.ceil(4 * cap / base_memory)))
    root = copy_dataset(dataset.tables_dir, CACHE / "streaming", copies)
    disk = _dataset_bytes(root)
    memory = base_memory * copies
    note(
        f"streaming dataset: {copies} copies, {disk / 2**30:.2f} GiB parquet, "
        f"about {memory / 2**30:.1f} GiB in memory; cap {cap / 2**30:.0f} GiB"
    )
    args = {"root": str(root)}
    capped = ctx.measure(
        "benchmarks.bench_streaming:query_route",
        {**args, "engine": "streaming"},
        preload=("copub",),
        mem_limit_bytes=cap,
        env=_CAPPED_ENV,
    )
    eager_capped = ctx.measure(
        "benchmarks.bench_streaming:query_route",
        {**args, "engine": "in-memory"},
        preload=("copub",),
        mem_limit_bytes=cap,
        env=_CAPPED_ENV,
    )
    eager = ctx.measure(
        "benchmarks.bench_streaming:query_route",
        {**args, "engine": "in-memory"},
        preload=("copub",),
    )
    same = capped.ok and eager.ok and capped.extra["rows"] == eager.extra["rows"]
    return _rows(scale, copies, disk, memory, cap, check, capped, eager_capped, eager, same)


def _rows(
    scale: str,
    copies: int,
    disk: int,
    memory: int,
    cap_bytes: int,
    check: Any,
    capped: Any,
    eager_capped: Any,
    eager: Any,
    same: bool,
) -> list[Row]:
    label = f"{scale}×{copies}"
    size = f"{disk / 2**30:.1f} GiB parquet, ~{memory / 2**30:.0f} GiB in memory"
    cap = f"cap {cap_bytes / 2**30:g} GiB (RLIMIT_AS)"
    works = sum(r["works"] for r in capped.extra.get("rows", [])) if capped.ok else None
    rows = [
        Row(
            "streaming",
            scale,
            "lazy query == yearly_indicators (works, intl share full/frac)",
            verdict="met" if check.ok and check.extra.get("equal") else "failed",
            note=(
                "identical"
                if check.ok and check.extra.get("equal")
                else (check.error or "different")
            ),
        )
    ]
    ratio = (capped.seconds / eager.seconds) if capped.ok and eager.ok and eager.seconds else None
    rows.append(
        Row(
            "streaming",
            label,
            f"streaming engine, {cap}",
            seconds=capped.seconds,
            peak_rss_mib=capped.peak_rss_mib,
            ratio=ratio,
            ratio_label="of in-memory time",
            target="completes under the cap",
            verdict="met" if capped.ok and same else "failed",
            note=(
                f"{size}; {works:,} works in universe; same result as in-memory: {same}"
                if capped.ok
                else (capped.error or "")
            ),
        )
    )
    rows.append(
        Row(
            "streaming",
            label,
            f"in-memory engine, {cap}",
            seconds=eager_capped.seconds,
            peak_rss_mib=eager_capped.peak_rss_mib,
            target="fails (shows the cap bites)",
            verdict="info" if not eager_capped.ok else "missed",
            note=("failed as expected: " + (eager_capped.error or "")[-120:])
            if not eager_capped.ok
            else "completed: the cap does not bite; raise --copies",
        )
    )
    rows.append(
        Row(
            "streaming",
            label,
            "in-memory engine, no cap",
            seconds=eager.seconds,
            peak_rss_mib=eager.peak_rss_mib,
            verdict="info" if eager.ok else "failed",
            note="" if eager.ok else (eager.error or ""),
        )
    )
    return rows
