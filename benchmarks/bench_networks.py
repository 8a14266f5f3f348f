"""Networks: ``copub.build_network`` on the cached tables (target: countries at 1M in seconds).

Cases per scale, each in its own process with the tables loaded first:

- the country network over all years (full counting);
- the institution network over all years;
- the institution network one year at a time (``build_networks_by_period``,
  window 1), the "streamed by year" route of the design.

And once per run, at no scale of its own (scale ``sample``): every network of
the full NTNU-sized synthetic sample (``copub.load_sample()``) built and
exported, the design's "every network of the NTNU-sized sample built and
exported in ≤ 60 s". One child loads the sample, then for each of the
country, institution and author networks does what ``copub network --sample
--kind K`` with every ``--format`` does (``build_network_frames``, the
summary, ``export_networks``) into a scratch directory; the row's time is the
three together, without the sample's loading.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.bench_tables import load_tables_timed, tables_for, world_missing
from benchmarks.context import Context, note
from benchmarks.results import Row, verdict_at_most

__all__ = ["network_route", "run", "sample_networks_route"]

SECONDS_TARGET = 10.0
SAMPLE_SECONDS_TARGET = 60.0
_KINDS = ("country", "institution", "author")
_CASES = (
    ("country", False, "country network, all years"),
    ("institution", False, "institution network, all years"),
    ("institution", True, "institution networks, one per year"),
)


def network_route(args: dict[str, Any]) -> dict[str, Any]:
    """Load the tables, then time one network build."""
    import copub
    from copub.networks.build import build_networks_by_period

    build_network = getattr(copub, "build_network", None)
    if build_network is None:  # not exported yet
        from copub.networks.build import build_network

    tables, info = load_tables_timed(args["data_dir"])
    start = time.perf_counter()
    if args["by_year"]:
        graphs = build_networks_by_period(tables, args["kind"], window=1)
        info["graphs"] = len(graphs)
        info["nodes"] = max((g.number_of_nodes() for g in graphs.values()), default=0)
        info["edges"] = max((g.number_of_edges() for g in graphs.values()), default=0)
    else:
        graph = build_network(tables, args["kind"])
        info["graphs"] = 1
        info["nodes"] = graph.number_of_nodes()
        info["edges"] = graph.number_of_edges()
    info["call_seconds"] = time.perf_counter() - start
    return info


def sample_networks_route(args: dict[str, Any]) -> dict[str, Any]:
    """Load the sample, then build and export every network kind in every format.

    ``args``: ``kinds`` (default all three), ``scale`` (default 1, the
    NTNU-sized sample; tests of the route use less).
    """
    import shutil
    import tempfile
    from pathlib import Path
    from typing import get_args

    import copub
    from copub.networks import ExportFormat, build_network_frames, export_networks

    scale = float(args.get("scale", 1.0))
    start = time.perf_counter()
    tables = copub.load_sample(scale=scale)
    info: dict[str, Any] = {
        "load_seconds": time.perf_counter() - start,
        "works": tables.works.height,
        "scale": scale,
    }
    formats = list(get_args(ExportFormat))
    total = 0.0
    for kind in args.get("kinds", _KINDS):
        out = Path(tempfile.mkdtemp(prefix=f"copub-bench-{kind}-"))
        try:
            begin = time.perf_counter()
            network = build_network_frames(tables, kind)
            network.summary()
            files = export_networks(network, out, formats)
            seconds = time.perf_counter() - begin
            written = sum(p.stat().st_size for p in files)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        total += seconds
        info[kind] = {
            "seconds": seconds,
            "nodes": network.number_of_nodes(),
            "edges": network.number_of_edges(),
            "bytes": written,
            "files": len(files),
        }
    info["call_seconds"] = total
    return info


def _sample_row(ctx: Context) -> Row:
    case = "every network of the sample built and exported (every format)"
    target = f"≤ {SAMPLE_SECONDS_TARGET:.0f} s"
    m = ctx.measure(
        "benchmarks.bench_networks:sample_networks_route",
        {"kinds": list(_KINDS)},
        preload=("copub",),
    )
    if not m.ok:
        note(f"networks sample: failed: {m.error}")
        return Row("networks", "sample", case, verdict="failed", note=m.error or "", target=target)
    x = m.extra
    note(f"networks sample, every network and format: {x['call_seconds']:.1f} s")
    kinds = "; ".join(
        f"{kind} {x[kind]['seconds']:.1f} s ({x[kind]['nodes']:,} nodes, "
        f"{x[kind]['edges']:,} links, {x[kind]['bytes'] / 1e6:,.0f} MB)"
        for kind in _KINDS
    )
    return Row(
        "networks",
        "sample",
        case,
        seconds=x["call_seconds"],
        peak_rss_mib=m.peak_rss_mib,
        target=target,
        verdict=verdict_at_most(x["call_seconds"], SAMPLE_SECONDS_TARGET),
        note=f"{kinds}; {x['works']:,} works loaded in {x['load_seconds']:.1f} s",
        extra=x,
    )


def run(ctx: Context) -> list[Row]:
    """Network rows at every scale, and the sample's every-network row."""
    rows = [_sample_row(ctx)]
    missing = world_missing()
    if missing:
        return rows + [
            Row("networks", s, "build_network", verdict="not available", note=missing)
            for s in ctx.scales
        ]
    for scale in ctx.scales:
        dataset = tables_for(ctx, scale)
        for kind, by_year, case in _CASES:
            m = ctx.best_of(
                "benchmarks.bench_networks:network_route",
                {"data_dir": str(dataset.root), "kind": kind, "by_year": by_year},
                repeat=1 if scale == "1m" else ctx.repeat,
                preload=("copub",),
            )
            note(
                f"networks {scale} {case}: "
                + (f"{m.extra['call_seconds']:.2f} s" if m.ok else f"failed: {m.error}")
            )
            rows.append(_row(scale, case, kind, m))
    return rows


def _row(scale: str, case: str, kind: str, m: Any) -> Row:
    target = f"≤ {SECONDS_TARGET:.0f} s at 1M" if kind == "country" else "streamed by year"
    if not m.ok:
        return Row("networks", scale, case, verdict="failed", note=m.error or "", target=target)
    x = m.extra
    verdict: Any = "info"
    if kind == "country" and scale == "1m":
        verdict = verdict_at_most(x["call_seconds"], SECONDS_TARGET)
    shape = (
        f"{x['graphs']} graphs, largest {x['nodes']:,} nodes / {x['edges']:,} edges"
        if x["graphs"] > 1
        else f"{x['nodes']:,} nodes, {x['edges']:,} edges"
    )
    return Row(
        "networks",
        scale,
        case,
        seconds=x["call_seconds"],
        peak_rss_mib=m.peak_rss_mib,
        target=target,
        verdict=verdict,
        note=f"{shape}; tables {x['tables_bytes'] / 2**20:,.0f} MiB, "
        f"loaded in {x['load_seconds']:.1f} s",
        extra=x,
    )
