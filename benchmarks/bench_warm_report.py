"""How long a warm ``copub report --sample`` takes, in the terminal and with ``--out``.

The cache (``COPUB_CACHE_DIR``, a folder of its own unless ``--cache-dir`` is
given) is warmed by one run of each command first; then each command runs
``--runs`` times in a fresh process and the median wall time is printed beside
its target (issue 29, quiet machine: 3 s for the terminal report, 8 s with
``--out``), with the median CPU time (user + system) of the process, the
closer guess of a quiet machine's figure when the machine is busy.

Usage::

    python -m benchmarks.bench_warm_report                # 5 runs of each command
    python -m benchmarks.bench_warm_report --runs 3 --cache-dir /tmp/copub-cache

Nothing here runs in the test suite; ``tests/test_result_cache.py`` checks that
a warm report shows exactly what a cold one does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_startup import _copub_command, median_seconds

__all__ = ["TARGETS", "main"]

#: Issue 29's targets, seconds on a quiet machine.
TARGETS = {"report --sample": 3.0, "report --sample --out": 8.0}


def _commands(out: Path) -> dict[str, list[str]]:
    copub = _copub_command()
    return {
        "report --sample": [*copub, "report", "--sample"],
        "report --sample --out": [*copub, "report", "--sample", "--out", str(out), "--replace"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    parser.add_argument("--cache-dir", type=Path, help="COPUB_CACHE_DIR (default: a new folder)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="copub-bench-warm-"))
    cache = args.cache_dir or work / "cache"
    os.environ["COPUB_CACHE_DIR"] = str(cache)
    commands = _commands(work / "out")
    try:
        for command in commands.values():  # warm: the sample, its labels and results
            subprocess.run(command, check=True, capture_output=True)
        load = os.getloadavg()[0]
        print(f"load average {load:.2f} on {os.cpu_count()} cores; median of {args.runs} runs")
        for name, command in commands.items():
            wall, cpu = median_seconds(command, args.runs)
            verdict = "met" if wall <= TARGETS[name] else "missed"
            print(
                f"{name:<22} {wall:6.2f} s wall, {cpu:6.2f} s CPU"
                f"  (target {TARGETS[name]:.0f} s, {verdict})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
