"""Indicators: ``copub.yearly_indicators`` on the cached tables (target: 1M works in seconds).

Two cases per scale, each in its own process, tables loaded from parquet
before the clock of the indicator call starts (loading is reported apart):

- full and fractional counting with Wilson intervals, no bootstrap;
- the same with the bootstrap stability intervals (1,000 resamples).

Peak RSS is compared with the in-memory size of the six tables
(``estimated_size``). Targets (``DESIGN.md``, issue 13): at 1M works, ≤ 3 s
on 2 cores and a peak ≤ 3× the tables. The default groups are used and no
channel register (its columns are null).

The call is timed in two steps, so the note shows where the time goes:
labelling (``label_works``: keying the tables on integers, then the labels)
and the figures from the labelled works. Keying alone is timed once more
after the call (``KeyedTables.from_tables``), and CPU time is reported beside
wall time, since a loaded machine stretches the wall clock. The tables carry
the integer keys the build stores (:mod:`copub.normalize.keys`); tables
built by an older copub, without them, are rebuilt by ``tables_for``.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.bench_tables import load_tables_timed, stored_keys, tables_for, world_missing
from benchmarks.context import Context, note
from benchmarks.results import Row, verdict_at_most

__all__ = ["indicators_route", "run"]

SECONDS_TARGET = 3.0
MEMORY_MULTIPLE = 3.0


def indicators_route(args: dict[str, Any]) -> dict[str, Any]:
    """Load the tables, then time ``yearly_indicators`` alone, labelling apart."""
    import copub
    from copub.classify.home import home_institution_ids
    from copub.classify.keyed import KeyedTables
    from copub.indicators import Definitions, label_works

    tables, info = load_tables_timed(args["data_dir"])
    info["stored_keys"] = stored_keys(args["data_dir"])
    definitions = Definitions(bootstrap=args["bootstrap"])
    start, cpu = time.perf_counter(), time.process_time()
    labelled = label_works(tables, definitions)
    info["label_seconds"] = time.perf_counter() - start
    info["label_cpu_seconds"] = time.process_time() - cpu
    yearly = copub.yearly_indicators(labelled)
    info["call_seconds"] = time.perf_counter() - start
    info["call_cpu_seconds"] = time.process_time() - cpu
    info["years"] = yearly.height
    info["columns"] = yearly.width
    # Keying alone, once more (outside the call's clock): the first step of labelling.
    home = home_institution_ids(tables, definitions.institutions)
    start, cpu = time.perf_counter(), time.process_time()
    KeyedTables.from_tables(tables, home)
    info["key_seconds"] = time.perf_counter() - start
    info["key_cpu_seconds"] = time.process_time() - cpu
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
            f"{x['tables_bytes'] / 2**20:,.0f} MiB in memory, loaded in {x['load_seconds']:.1f} s; "
            + _breakdown(x)
        ),
        extra=x,
    )


def _breakdown(x: dict[str, Any]) -> str:
    """Where the call's time went: labelling (of it, keying) and the figures; CPU beside wall."""
    call, label = x["call_seconds"], x["label_seconds"]
    keys = "stored" if x["stored_keys"] else "made on load"
    return (
        f"call {call:.2f} s wall / {x['call_cpu_seconds']:.2f} s CPU; labelling {label:.2f} s "
        f"({label / call:.0%} of the call; keys {keys}; keying alone "
        f"{x['key_seconds']:.2f} s wall / {x['key_cpu_seconds']:.2f} s CPU), "
        f"the figures from the labels {call - label:.2f} s"
    )
