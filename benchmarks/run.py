"""Run the benchmark suite: ``python -m benchmarks.run [--scales …] [--only …]``.

Prints each figure as it is measured (stderr) and the results table at the
end (stdout), writes ``benchmarks/results/latest.json`` and rewrites the
results section of ``benchmarks/README.md``. Rows of benchmarks and scales
that this run did not measure are kept from the previous ``latest.json``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shlex
import sys
import time
from typing import Any

from benchmarks.context import Context, note
from benchmarks.datasets import CACHE, SCALES
from benchmarks.results import (
    Row,
    machine,
    markdown_table,
    merge_with_previous,
    now,
    update_readme,
    write_results,
)

__all__ = ["BENCHMARKS", "main"]

#: Benchmark name -> module with ``run(ctx) -> list[Row]``, in the order they run.
BENCHMARKS = {
    "normalize": "benchmarks.bench_normalize",
    "indicators": "benchmarks.bench_indicators",
    "networks": "benchmarks.bench_networks",
    "fetch": "benchmarks.bench_fetch",
    "streaming": "benchmarks.bench_streaming",
}
_FORMATS = ("jsonl", "pages")


def _csv(choices: tuple[str, ...] | list[str]) -> Any:
    def parse(text: str) -> tuple[str, ...]:
        items = tuple(part.strip().lower() for part in text.split(",") if part.strip())
        unknown = [item for item in items if item not in choices]
        if unknown or not items:
            raise argparse.ArgumentTypeError(
                f"choose from {', '.join(choices)} (comma-separated), not {text!r}"
            )
        return items

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="copub against the orjson floor, the pandas route and its own targets.",
        epilog="Example: python -m benchmarks.run --scales 10k,100k --only normalize",
    )
    parser.add_argument(
        "--scales",
        type=_csv(tuple(SCALES)),
        default=tuple(SCALES),
        help="work counts to run (default: 10k,100k,1m; quick run: 10k,100k)",
    )
    parser.add_argument(
        "--only",
        type=_csv(tuple(BENCHMARKS)),
        default=tuple(BENCHMARKS),
        help="benchmarks to run (default: all)",
    )
    parser.add_argument(
        "--formats",
        type=_csv(_FORMATS),
        default=_FORMATS,
        help="input formats for normalization (default: jsonl,pages)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per case below 1M, best time kept (default 3; 1M runs once)",
    )
    parser.add_argument(
        "--mem-guard-gib",
        type=float,
        default=20.0,
        help="address-space cap of every child process (default 20 GiB)",
    )
    parser.add_argument(
        "--timeout-min",
        type=float,
        default=120.0,
        help="give up on one case after this many minutes (default 120)",
    )
    parser.add_argument(
        "--min-idle",
        type=float,
        default=0.0,
        help="before each case wait (up to --max-wait-min) until this share of the CPUs "
        "is idle, e.g. 0.9 on a shared machine (default 0: do not wait)",
    )
    parser.add_argument(
        "--max-wait-min",
        type=float,
        default=10.0,
        help="longest wait for an idle machine before one case (default 10)",
    )
    parser.add_argument(
        "--stream-cap-gib",
        type=float,
        default=2.0,
        help="address-space cap for the streaming benchmark (default 2 GiB)",
    )
    parser.add_argument(
        "--no-readme", action="store_true", help="do not rewrite benchmarks/README.md"
    )
    return parser


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; return the process exit code."""
    args = _parser().parse_args(argv)
    ctx = Context(
        scales=args.scales,
        formats=args.formats,
        repeat=args.repeat,
        mem_guard_bytes=int(args.mem_guard_gib * 2**30),
        timeout=args.timeout_min * 60,
        min_idle=args.min_idle,
        max_wait=args.max_wait_min * 60,
        stream_cap_bytes=int(args.stream_cap_gib * 2**30),
    )
    command = "python -m benchmarks.run " + shlex.join(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    load_before = _load()
    rows: list[Row] = []
    for name in args.only:
        note(f"--- {name} ---")
        module = importlib.import_module(BENCHMARKS[name])
        try:
            rows += module.run(ctx)
        except (Exception, SystemExit) as exc:  # one broken benchmark must not sink the run
            note(f"{name} failed: {exc!r}")
            rows.append(Row(name, ",".join(ctx.scales), name, verdict="failed", note=repr(exc)))
    datasets = {}
    for label in ctx.scales:
        marker = CACHE / f"works-{label}" / "dataset.json"
        if marker.is_file():
            datasets[label] = json.loads(marker.read_text())
    run = {
        "command": command.strip(),
        "finished": now(),
        "wall_seconds": time.perf_counter() - started,
        "load_before": load_before,
        "load_after": _load(),
        "machine": machine(),
        "datasets": datasets,
    }
    payload, merged = merge_with_previous(run, rows)
    path = write_results(payload)
    print(markdown_table(rows))
    note(f"wrote {path}")
    if not args.no_readme:
        update_readme(payload, merged)
        note("updated benchmarks/README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
