"""Scale beyond memory: the indicator query over parquet larger than a memory cap.

``copub.yearly_indicators`` takes ``Tables`` of eager DataFrames, so it cannot
stream as it stands. This benchmark writes its core, the yearly international
share under full counting (with Wilson bounds) and under fractional counting,
with copub's own definitions and helpers (core document types, home
institution by lineage, countries from institutions and authorships with Hong
Kong and Macao as China, ``wilson_exprs``), as lazy queries over
``scan_parquet``. A check case proves it gives ``yearly_indicators``' own
``works``, ``intl_works``, ``intl_share`` and ``intl_share_frac``.

Data: the largest scale's tables copied with distinct work ids into
``.cache/streaming/`` (one parquet file per copy and table) until they are
twice the cap in memory. Cap: ``RLIMIT_AS`` of the child, what ``ulimit -v``
sets (no cgroup). Address space is not RSS: polars' jemalloc reserves more
than it touches, so capped children run with ``retain:false,narenas:2`` and
one OpenBLAS thread, which keeps the reservation close to what is used.

Why buckets: one streaming query still holds hash tables keyed by work (the
join of home affiliations with authorships, the group-bys), so its memory
grows with the number of works; it is measured uncapped to show that. Split
into passes by a hash of the work id (a work never straddles passes, and the
yearly sums of the passes add up exactly), each pass streams with 1/passes of
that state. Cases:

- bucketed streaming over the whole dataset, capped: must complete;
- in-memory engine over the whole dataset, capped: must fail (the cap bites);
- in-memory engine and one streaming query, uncapped, over two copies: the
  cost baseline (seconds per million works) and what streaming alone saves.
The whole dataset is ``copies`` identical copies, so its counts must be
``copies`` times the baseline's per copy, with the same shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.bench_tables import tables_for, world_missing
from benchmarks.context import Context, note
from benchmarks.datasets import CACHE
from benchmarks.measure import Measurement
from benchmarks.results import Row

__all__ = ["check_route", "indicator_query", "query_route", "run", "yearly_shares", "yearly_sums"]

INSTITUTION = "I204778367"
_BIG_TABLES = ("works", "authorships", "affiliations")
_QUERY = "benchmarks.bench_streaming:query_route"
#: Works per pass. At 400k a pass holds about 1.1 GiB resident and reserves
#: 2.4 GiB of address space; at 150k about 0.6 and 1.9 GiB, under a 2 GiB cap.
_WORKS_PER_PASS = 150_000
#: Keeps the address space a capped child reserves close to what it uses:
#: one OpenBLAS thread (scipy, under copub) and jemalloc without retained
#: mappings or many arenas (polars' allocator reads ``_RJEM_MALLOC_CONF``).
_CAPPED_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "_RJEM_MALLOC_CONF": "retain:false,narenas:2,background_thread:false",
}


def yearly_sums(tables: dict[str, Any], institution: str = INSTITUTION) -> Any:
    """Per year: works and international works, counted in full and fractionally.

    ``tables`` maps ``works, authorships, affiliations, institutions`` to
    LazyFrames (``scan_parquet`` or ``DataFrame.lazy()``). The query is
    shaped for the streaming engine: its per-row state is per work, never per
    authorship. The fractional weight sums ``1 / (n_institutions · n_authors)``
    over the home affiliations (the same as copub's slots per authorship), and
    a work is international when the smallest and the largest of its valid
    country codes differ (the same as "at least two distinct countries").
    """
    import polars as pl

    from copub.classify.countries import country_code_expr, valid_country_codes
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
    universe = works.filter(
        pl.col("type").is_in(CORE_TYPES) & ~pl.col("is_retracted") & ~pl.col("is_paratext")
    ).select("work_id", "year", "n_authors")
    home_slots = affiliations.filter(pl.col("institution_id").is_in(home_ids)).select(
        "work_id", "position"
    )
    weights = (
        authorships.select("work_id", "position", "n_institutions")
        .join(home_slots, on=["work_id", "position"])
        .join(universe, on="work_id")
        .group_by("work_id", "year")
        .agg(
            weight=(
                1.0
                / (pl.col("n_institutions").cast(pl.Float64) * pl.col("n_authors").cast(pl.Float64))
            ).sum()
        )
    )
    reported = authorships.select("work_id", code=pl.col("countries")).explode("code")
    institutional = affiliations.join(
        institutions.select("institution_id", code="country_code"), on="institution_id"
    ).select("work_id", "code")
    spans = (
        pl.concat([reported, institutional])
        .with_columns(code=country_code_expr(pl.col("code")))
        .filter(pl.col("code").is_in(sorted(valid_country_codes())))
        .group_by("work_id")
        .agg(lowest=pl.col("code").min(), highest=pl.col("code").max())
    )
    intl = pl.col("is_international")
    return (
        weights.join(spans, on="work_id", how="left")
        .with_columns(is_international=(pl.col("lowest") != pl.col("highest")).fill_null(False))
        .group_by("year")
        .agg(
            works=pl.len(),
            intl_works=intl.sum(),
            works_frac=pl.col("weight").sum(),
            intl_works_frac=(pl.col("weight") * intl.cast(pl.Float64)).sum(),
        )
    )


def yearly_shares(sums: Any) -> Any:
    """Shares and Wilson bounds from the yearly sums (a frame or a lazy frame)."""
    import polars as pl

    from copub.indicators.intervals import wilson_exprs

    low, high = wilson_exprs(pl.col("intl_works"), pl.col("works"))
    return sums.with_columns(
        intl_share=pl.col("intl_works") / pl.col("works"),
        intl_share_low=low,
        intl_share_high=high,
        intl_share_frac=pl.col("intl_works_frac") / pl.col("works_frac"),
    ).sort("year")


def indicator_query(tables: dict[str, Any], institution: str = INSTITUTION) -> Any:
    """Yearly international shares, full and fractional, with Wilson bounds, as one lazy query."""
    return yearly_shares(yearly_sums(tables, institution))


def _scan(root: str, parts: int | None = None) -> dict[str, Any]:
    import polars as pl

    scans = {}
    for name in (*_BIG_TABLES, "institutions"):
        files = sorted(Path(root, name).glob("*.parquet"))
        if name in _BIG_TABLES and parts is not None:
            files = files[:parts]
        scans[name] = pl.scan_parquet(files)
    return scans


def query_route(args: dict[str, Any]) -> dict[str, Any]:
    """The query in the chosen engine, over ``parts`` copies (all by default), in passes.

    With more than one bucket, each pass keeps the works whose id hashes into
    it (in all three big tables alike, so a work is never split); the yearly
    sums of the passes add up to the whole, so the shares are exact.
    """
    import polars as pl

    buckets = int(args.get("buckets", 1))
    scans = _scan(args["root"], args.get("parts"))
    if buckets == 1:
        yearly = indicator_query(scans).collect(engine=args["engine"])
        return {"rows": yearly.to_dicts()}
    partial = []
    for bucket in range(buckets):
        in_bucket = pl.col("work_id").hash(seed=0) % buckets == bucket
        tables = {
            name: scan.filter(in_bucket) if name in _BIG_TABLES else scan
            for name, scan in scans.items()
        }
        partial.append(yearly_sums(tables).collect(engine=args["engine"]))
    sums = pl.concat(partial).group_by("year").agg(pl.all().sum())
    return {"rows": yearly_shares(sums).to_dicts()}


def check_route(args: dict[str, Any]) -> dict[str, Any]:
    """The lazy query against ``yearly_indicators`` on the same (uncopied) tables."""
    import polars as pl

    import copub

    tables = copub.load_tables(args["data_dir"])
    lazy = indicator_query({n: f.lazy() for n, f in tables.frames().items()}).collect()
    # The streaming query keeps copub's pre-Leiden rules (document types; the split
    # over institutions), so it is checked against those definitions.
    rules = copub.Definitions(universe="types", fractional="institutions", bootstrap=0)
    reference = copub.yearly_indicators(tables, rules)
    columns = ["year", "works", "intl_works", "intl_share", "intl_share_frac"]
    mine = lazy.select(columns).with_columns(pl.col("works", "intl_works").cast(pl.Int64))
    theirs = reference.select(columns).with_columns(pl.col("works", "intl_works").cast(pl.Int64))
    exact = ["year", "works", "intl_works", "intl_share"]
    frac_gap = (mine["intl_share_frac"] - theirs["intl_share_frac"]).abs().max()
    equal = mine.select(exact).equals(theirs.select(exact)) and float(frac_gap or 0) < 1e-9
    return {"equal": equal, "years": mine.height}


def copy_dataset(tables_dir: Path, out: Path, copies: int) -> Path:
    """The tables ``copies`` times, work ids suffixed per copy; institutions once."""
    import polars as pl

    marker = out / f"copies-{copies}.done"
    if marker.is_file() and marker.read_text() == str(tables_dir):
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
    marker.write_text(str(tables_dir))
    return out


def _table_sizes(tables_dir: Path) -> tuple[int, int]:
    """In-memory bytes of the four tables the query reads, and the number of works."""
    import polars as pl

    frames = {
        n: pl.read_parquet(tables_dir / f"{n}.parquet") for n in (*_BIG_TABLES, "institutions")
    }
    return sum(f.estimated_size() for f in frames.values()), frames["works"].height


def _per_copy(rows: list[dict[str, Any]], copies: int) -> list[tuple[Any, ...]]:
    """Counts divided by ``copies``, shares rounded: comparable across copy counts."""
    return [
        (
            r["year"],
            r["works"] / copies,
            r["intl_works"] / copies,
            round(r["intl_share"], 12),
            round(r["intl_share_frac"], 9),
        )
        for r in rows
    ]


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
    cap = ctx.stream_cap_bytes
    base_memory, base_works = _table_sizes(dataset.tables_dir)
    copies = min(64, max(2, math.ceil(2 * cap / base_memory)))
    root = copy_dataset(dataset.tables_dir, CACHE / "streaming", copies)
    shape = Shape(
        copies,
        base_works * copies,
        base_memory * copies,
        sum(p.stat().st_size for p in root.rglob("*.parquet")),
        cap,
    )
    buckets = max(2, math.ceil(shape.works / _WORKS_PER_PASS))
    note(
        f"streaming dataset: {copies} copies, {shape.works:,} works, "
        f"{shape.disk / 2**30:.2f} GiB parquet, {shape.memory / 2**30:.1f} GiB in memory; "
        f"cap {cap / 2**30:g} GiB; {buckets} passes"
    )
    base = {"root": str(root)}
    got = {
        "bucketed": ctx.measure(
            _QUERY,
            {**base, "engine": "streaming", "buckets": buckets},
            preload=("copub",),
            mem_limit_bytes=cap,
            env=_CAPPED_ENV,
        ),
        "eager_capped": ctx.measure(
            _QUERY,
            {**base, "engine": "in-memory"},
            preload=("copub",),
            mem_limit_bytes=cap,
            env=_CAPPED_ENV,
        ),
        "eager_two": ctx.measure(
            _QUERY, {**base, "engine": "in-memory", "parts": 2}, preload=("copub",)
        ),
        "stream_two": ctx.measure(
            _QUERY, {**base, "engine": "streaming", "parts": 2}, preload=("copub",)
        ),
    }
    return _rows(scale, shape, buckets, check, got)


@dataclass(frozen=True)
class Shape:
    """The copied dataset: copies, works, bytes in memory and on disk, and the cap."""

    copies: int
    works: int
    memory: int
    disk: int
    cap: int


def _per_million(m: Measurement, works: float) -> float | None:
    """Seconds per million works, or None when the case failed."""
    return m.seconds / (works / 1e6) if m.ok and m.seconds else None


def _rows(
    scale: str, shape: Shape, buckets: int, check: Measurement, got: dict[str, Measurement]
) -> list[Row]:
    label = f"{scale}×{shape.copies}"
    cap = f"cap {shape.cap / 2**30:g} GiB (RLIMIT_AS)"
    size = (
        f"{shape.works / 1e6:.1f}M works, {shape.memory / 2**30:.1f} GiB in memory, "
        f"{shape.disk / 2**30:.2f} GiB parquet"
    )
    bucketed, eager_capped = got["bucketed"], got["eager_capped"]
    eager_two, stream_two = got["eager_two"], got["stream_two"]
    same = (
        bucketed.ok
        and eager_two.ok
        and _per_copy(bucketed.extra["rows"], shape.copies) == _per_copy(eager_two.extra["rows"], 2)
    )
    stream_rate = _per_million(bucketed, shape.works)
    eager_rate = _per_million(eager_two, 2 * shape.works / shape.copies)
    cost = stream_rate / eager_rate if stream_rate and eager_rate else None
    check_ok = check.ok and check.extra.get("equal")
    rows = [
        Row(
            "streaming",
            scale,
            "lazy query == yearly_indicators (works, intl share full/frac)",
            verdict="met" if check_ok else "failed",
            note="identical" if check_ok else (check.error or "different"),
        ),
        Row(
            "streaming",
            label,
            f"streaming engine in {buckets} passes, {cap}",
            seconds=bucketed.seconds,
            peak_rss_mib=bucketed.peak_rss_mib,
            ratio=cost,
            ratio_label="in-memory time per work",
            target="completes under the cap",
            verdict="met" if bucketed.ok and same else "failed",
            note=(
                f"{size}; same shares and per-copy counts as in-memory: {same}"
                if bucketed.ok
                else (bucketed.error or "")[-160:]
            ),
        ),
        Row(
            "streaming",
            label,
            f"in-memory engine, {cap}",
            seconds=eager_capped.seconds,
            peak_rss_mib=eager_capped.peak_rss_mib,
            target="fails (the cap bites)",
            verdict="met" if not eager_capped.ok else "missed",
            note="failed as expected: " + (eager_capped.error or "")[-100:]
            if not eager_capped.ok
            else "completed: the cap does not bite",
        ),
    ]
    two = f"{scale}×2"
    for name, m in (
        ("in-memory engine, no cap", eager_two),
        ("one streaming query, no cap", stream_two),
    ):
        rate = _per_million(m, 2 * shape.works / shape.copies)
        rows.append(
            Row(
                "streaming",
                two,
                name,
                seconds=m.seconds,
                peak_rss_mib=m.peak_rss_mib,
                verdict="info" if m.ok else "failed",
                note=f"{rate:.1f} s per million works" if rate else (m.error or ""),
            )
        )
    return rows
