"""Indicators: ``copub.yearly_indicators`` on the cached tables (target: 1M works in seconds).

Two cases per scale, each in its own process, tables loaded from parquet
before the clock of the indicator call starts (loading is reported apart):

- full and fractional counting with Wilson intervals, no bootstrap;
- the same with the bootstrap stability intervals (1,000 resamples).

Peak RSS is compared with the in-memory size of the six tables
(``estimated_size``). Targets (``DESIGN.md``, issue 13): at 1M works, ≤ 3 s
on 2 cores and a peak ≤ 3× the tables. The default groups are used and no
channel register (its columns are null).
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.bench_tables import load_tables_timed, tables_for, world_missing
from benchmarks.context import Context, note
from benchmarks.results import Row, verdict_at_most

__all__ = ["indicators_route", "run"]

SECONDS_TARGET = 3.0
MEMORY_MULTIPLE = 3.0


def indicators_route(args: dict[str, Any]) -> dict[str, Any]:
    """Load the tables, then time ``yearly_indicators`` alone."""
    import copub

    yearly_indicators = copub.yearly_indicators
    tables, info = load_tables_timed(args["data_dir"])
    start = time.perf_counter()
    yearly = yearly_indicators(tables, bootstrap=args["bootstrap"])
    info["call_seconds"] = time.perf_counter() - start
    info["years"] = yearly.height
    info["columns"] = yearly.width
    return info


def run(ctx: Context) -> list[Row]:
    """Indicator rows at every scale."""
    missing = world_missing()
    if missing:
        return [
            Row("indicators", s, "yearly_indicators", verdict="not available", note=missing)
            for s in ctx.scales
        ]
    rows = []
    for scale in ctx.scales:
        dataset = tables_for(ctx, scale)
        for bootstrap in (0, 1000):
            case = (
                "both countings + Wilson"
                if not bootstrap
                else "both countings + Wilson + bootstrap 1000"
            )
            m = ctx.best_of(
                "benchmarks.bench_indicators:indicators_route",
                {"data_dir": str(dataset.root), "bootstrap": bootstrap},
                repeat=1 if scale == "1m" else ctx.repeat,
                preload=("copub",),
            )
            rows.append(_row(scale, f"yearly_indicators, {case}", m))
            note(
                f"indicators {scale} bootstrap={bootstrap}: "
                + (f"{m.extra['call_seconds']:.2f} s" if m.ok else f"failed: {m.error}")
            )
    return rows


def _row(scale: str, case: str, m: Any) -> Row:
    target = f"≤ {SECONDS_TARGET:.0f} s at 1M; peak ≤ {MEMORY_MULTIPLE:.0f}× tables"
    if not m.ok:
        return Row("indicators", scale, case, verdict="failed", note=m.error or "", target=target)
    x = m.extra
    # Memory above the interpreter and its imports, against the tables it holds.
    added = m.peak_rss_bytes - (m.baseline_rss_bytes or 0)
    multiple = added / x["tables_bytes"] if x["tables_bytes"] else None
    seconds_ok = verdict_at_most(x["call_seconds"], SECONDS_TARGET) == "met"
    memory_ok = verdict_at_most(multiple, MEMORY_MULTIPLE) == "met"
    verdict = "met" if seconds_ok and memory_ok else "missed"
    return Row(
        "indicators",
        scale,
        case,
        seconds=x["call_seconds"],
        peak_rss_mib=m.peak_rss_mib,
        ratio=multiple,
        ratio_label="tables' size (peak RSS above imports)",
        target=target,
        verdict=verdict if scale == "1m" else "info",
        note=(
            f"{x['works']:,} works, {x['authorships']:,} authorships, tables "
            f"{x['tables_bytes'] / 2**20:,.0f} MiB in memory, loaded in {x['load_seconds']:.1f} s"
        ),
        extra=x,
    )
