"""Scale beyond memory: ``copub.yearly_indicators`` on ``copub.scan_tables`` under a memory cap.

The library's streaming path (``copub.scan_tables``) labels the works in
passes over ranges of work ids, each pass read lazily from parquet with the
streaming engine, with the very code of the in-memory path; only the narrow
labelled rows are kept. A check case proves, on the uncopied tables, that it
gives ``yearly_indicators``' whole table exactly (every column).

Data: the largest scale's tables copied with distinct work ids into
``.cache/streaming/tables/`` (one parquet file per table, the copies one
after the other: copy ``k``'s ids are prefixed ``c<k>``, so the files stay
sorted by work id and a pass's range filter skips the row groups outside it)
until they are twice the cap in memory. Cap: ``RLIMIT_AS`` of the child, what
``ulimit -v`` sets (no cgroup). Address space is not RSS: polars' jemalloc
reserves more than it touches, and glibc's malloc reserves 64 MiB of address
space for each thread's arena (up to eight per core) even when the thread
allocates a few bytes through it, so capped children run with jemalloc's
``retain:false,narenas:2``, ``MALLOC_ARENA_MAX=2`` and one OpenBLAS thread,
which keeps the reservation close to what is used. (Without
``MALLOC_ARENA_MAX``, the streaming path over 4M works held 11 to 15 such
arenas, 0.7 to 0.9 GiB of the 2 GiB cap with about 1 MiB of them in use, and
failed in six runs of seven.)

Cases:

- the streaming path over the whole dataset, capped: must complete;
- ``load_tables`` + ``yearly_indicators`` (in memory) over the whole dataset,
  capped: must fail (the cap bites);
- in memory and the streaming path in one pass, uncapped, over two copies:
  the cost baseline (seconds per million works) and what passes save.

The whole dataset is ``copies`` identical copies, so its counts must be
``copies`` times the baseline's per copy, with the same shares.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.bench_tables import tables_for, world_missing
from benchmarks.context import Context, note
from benchmarks.datasets import CACHE
from benchmarks.measure import Measurement
from benchmarks.results import Row

__all__ = ["check_route", "copy_dataset", "query_route", "run"]

_BIG_TABLES = ("works", "authorships", "affiliations", "funding")
_SMALL_TABLES = ("institutions", "sources")
_QUERY = "benchmarks.bench_streaming:query_route"
#: Works per pass of the capped case (the library's default).
_WORKS_PER_PASS = 150_000
#: Keeps the address space a capped child reserves close to what it uses:
#: one OpenBLAS thread (scipy, under copub), jemalloc without retained
#: mappings or many arenas (polars' allocator reads ``_RJEM_MALLOC_CONF``),
#: and two glibc malloc arenas (each one reserves 64 MiB of address space;
#: every polars thread would otherwise get its own, up to eight per core).
_CAPPED_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "_RJEM_MALLOC_CONF": "retain:false,narenas:2,background_thread:false",
    "MALLOC_ARENA_MAX": "2",
}
#: The figures compared across copy counts.
_COLUMNS = ("year", "works", "intl_works", "intl_share", "intl_share_frac", "priority_share")


def _definitions() -> Any:
    import copub

    return copub.Definitions(bootstrap=0)


def _rows(yearly: Any) -> list[dict[str, Any]]:
    return yearly.select(_COLUMNS).to_dicts()  # type: ignore[no-any-return]


def _two_copies(root: str) -> Any:
    """The first two copies as a scan in one pass."""
    import polars as pl

    import copub

    scan = copub.scan_tables(root)
    first_two = pl.col("work_id") < "c0002"
    frames = {
        name: frame.filter(first_two) if name in _BIG_TABLES else frame
        for name, frame in scan.frames().items()
    }
    return copub.TableScan(**frames, provenance=scan.provenance, works_per_pass=2**31)


def query_route(args: dict[str, Any]) -> dict[str, Any]:
    """``yearly_indicators`` by the chosen path over the copied dataset.

    ``path``: ``streaming`` (``scan_tables`` with ``works_per_pass``),
    ``in-memory`` (``load_tables``), or ``*-two`` for the first two copies
    (``streaming-two`` in one pass).
    """
    import copub

    path, root = args["path"], args["root"]
    if path == "streaming":
        source: Any = copub.scan_tables(root, works_per_pass=args["works_per_pass"])
    elif path == "in-memory":
        source = copub.load_tables(root)
    elif path == "in-memory-two":
        scan = _two_copies(root)
        frames = {name: frame.collect() for name, frame in scan.frames().items()}
        source = copub.Tables(**frames, provenance=scan.provenance)
    else:  # streaming-two: the same two copies as a scan, in one pass
        source = _two_copies(root)
    yearly = copub.yearly_indicators(source, _definitions())
    return {"rows": _rows(yearly)}


def check_route(args: dict[str, Any]) -> dict[str, Any]:
    """The streaming path in several passes against ``yearly_indicators`` in memory."""
    import copub

    tables = copub.load_tables(args["data_dir"])
    per_pass = max(1, tables.works.height // 4)
    scan = copub.scan_tables(args["data_dir"], works_per_pass=per_pass)
    streamed = copub.yearly_indicators(scan, _definitions())
    reference = copub.yearly_indicators(tables, _definitions())
    passes = sum(1 for _ in scan.passes())
    return {"equal": streamed.equals(reference), "years": streamed.height, "passes": passes}


def copy_dataset(tables_dir: Path, out: Path, copies: int) -> Path:
    """The tables ``copies`` times under ``out/tables``, work ids prefixed per copy."""
    import polars as pl

    marker = out / f"copies-{copies}.done"
    if marker.is_file() and marker.read_text() == str(tables_dir):
        return out
    for old in out.glob("copies-*.done"):
        old.unlink()
    note(f"writing {copies} copies of {tables_dir} to {out}")
    folder = out / "tables"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in _BIG_TABLES:
        source = pl.scan_parquet(tables_dir / f"{name}.parquet")
        pl.concat(
            source.with_columns((pl.lit(f"c{k:04d}") + pl.col("work_id")).alias("work_id"))
            for k in range(copies)
        ).sink_parquet(folder / f"{name}.parquet")
    for name in _SMALL_TABLES:
        shutil.copyfile(tables_dir / f"{name}.parquet", folder / f"{name}.parquet")
    provenance = tables_dir / "provenance.json"
    if provenance.is_file():
        shutil.copyfile(provenance, folder / "provenance.json")
    marker.write_text(str(tables_dir))
    return out


def _table_sizes(tables_dir: Path) -> tuple[int, int]:
    """In-memory bytes of the six tables, and the number of works."""
    import polars as pl

    names = (*_BIG_TABLES, *_SMALL_TABLES)
    frames = {n: pl.read_parquet(tables_dir / f"{n}.parquet") for n in names}
    return sum(f.estimated_size() for f in frames.values()), frames["works"].height


def _per_copy(rows: list[dict[str, Any]], copies: int) -> list[tuple[Any, ...]]:
    """Counts divided by ``copies``, shares rounded: comparable across copy counts."""
    return [
        (
            r["year"],
            r["works"] / copies,
            r["intl_works"] / copies,
            None if r["intl_share"] is None else round(r["intl_share"], 12),
            None if r["intl_share_frac"] is None else round(r["intl_share_frac"], 9),
            None if r["priority_share"] is None else round(r["priority_share"], 12),
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
        sum(p.stat().st_size for p in (root / "tables").glob("*.parquet")),
        cap,
    )
    passes = math.ceil(shape.works / _WORKS_PER_PASS)
    note(
        f"streaming dataset: {copies} copies, {shape.works:,} works, "
        f"{shape.disk / 2**30:.2f} GiB parquet, {shape.memory / 2**30:.1f} GiB in memory; "
        f"cap {cap / 2**30:g} GiB; {passes} passes"
    )
    base = {"root": str(root)}
    got = {
        "streaming": ctx.measure(
            _QUERY,
            {**base, "path": "streaming", "works_per_pass": _WORKS_PER_PASS},
            preload=("copub",),
            mem_limit_bytes=cap,
            env=_CAPPED_ENV,
        ),
        "eager_capped": ctx.measure(
            _QUERY,
            {**base, "path": "in-memory"},
            preload=("copub",),
            mem_limit_bytes=cap,
            env=_CAPPED_ENV,
        ),
        "eager_two": ctx.measure(_QUERY, {**base, "path": "in-memory-two"}, preload=("copub",)),
        "stream_two": ctx.measure(_QUERY, {**base, "path": "streaming-two"}, preload=("copub",)),
    }
    return _result_rows(scale, shape, passes, check, got)


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


def _result_rows(
    scale: str, shape: Shape, passes: int, check: Measurement, got: dict[str, Measurement]
) -> list[Row]:
    label = f"{scale}×{shape.copies}"
    cap = f"cap {shape.cap / 2**30:g} GiB (RLIMIT_AS)"
    size = (
        f"{shape.works / 1e6:.1f}M works, {shape.memory / 2**30:.1f} GiB in memory, "
        f"{shape.disk / 2**30:.2f} GiB parquet"
    )
    streaming, eager_capped = got["streaming"], got["eager_capped"]
    eager_two, stream_two = got["eager_two"], got["stream_two"]
    same = (
        streaming.ok
        and eager_two.ok
        and _per_copy(streaming.extra["rows"], shape.copies)
        == _per_copy(eager_two.extra["rows"], 2)
    )
    stream_rate = _per_million(streaming, shape.works)
    eager_rate = _per_million(eager_two, 2 * shape.works / shape.copies)
    cost = stream_rate / eager_rate if stream_rate and eager_rate else None
    check_ok = check.ok and check.extra.get("equal")
    rows = [
        Row(
            "streaming",
            scale,
            "scan_tables in passes == load_tables (yearly_indicators, every column)",
            verdict="met" if check_ok else "failed",
            note=(
                f"identical, {check.extra.get('passes')} passes"
                if check_ok
                else (check.error or "different")
            ),
        ),
        Row(
            "streaming",
            label,
            f"yearly_indicators(scan_tables(…)), {passes} passes, {cap}",
            seconds=streaming.seconds,
            peak_rss_mib=streaming.peak_rss_mib,
            ratio=cost,
            ratio_label="in-memory time per work",
            target="completes under the cap; same shares",
            verdict="met" if streaming.ok and same else "failed",
            note=(
                f"{size}; same shares and per-copy counts as in memory: {same}"
                if streaming.ok
                else (streaming.error or "")[-160:]
            ),
        ),
        Row(
            "streaming",
            label,
            f"yearly_indicators(load_tables(…)), {cap}",
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
        ("in memory, no cap", eager_two),
        ("scan in one pass, no cap", stream_two),
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

