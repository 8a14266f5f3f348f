"""How long copub takes to start: ``copub --version``, ``copub --help`` and ``import copub``.

Each case runs ``--runs`` times in a fresh interpreter (wall time of the whole
process, interpreter start included) and the median is printed beside its
target (issue 24: 0.3 s for the two commands, 0.8 s for the import, on a quiet
machine), with the median CPU time (user + system) of the process: on a busy
machine the wall time grows with the load, the CPU time much less, so it is
the closer guess of the quiet machine's figure. ``--importtime`` adds the
heaviest entries of ``python -X importtime -c "import copub"`` (cumulative),
which say where the time goes.

Usage::

    python -m benchmarks.bench_startup                 # 7 runs of each case
    python -m benchmarks.bench_startup --runs 15 --importtime 25

The ``copub`` script beside the interpreter is used when it exists (as a user
runs it), ``python -m copub`` otherwise. Nothing here runs in the test suite;
``tests/test_startup.py`` checks what is imported, not how long it takes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["cases", "importtime_top", "main", "median_seconds"]

#: Issue 24's targets, seconds on a quiet machine.
TARGETS = {"copub --version": 0.3, "copub --help": 0.3, "import copub": 0.8}


def _copub_command() -> list[str]:
    script = Path(sys.executable).with_name("copub")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("copub")
    return [found] if found else [sys.executable, "-m", "copub"]


def cases() -> dict[str, list[str]]:
    """The three commands, by the name the targets use."""
    copub = _copub_command()
    return {
        "copub --version": [*copub, "--version"],
        "copub --help": [*copub, "--help"],
        "import copub": [sys.executable, "-c", "import copub"],
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_seconds(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU time of ``runs`` runs of ``command`` (each must exit 0)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _children_cpu()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def importtime_top(count: int) -> list[tuple[int, str]]:
    """The ``count`` heaviest modules of ``import copub`` by cumulative time (microseconds)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import copub"],
        check=True,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
        rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each case (median)")
    parser.add_argument(
        "--importtime", type=int, default=0, metavar="N", help="also list the N heaviest imports"
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"load average {load:.2f} on {os.cpu_count()} cores; median of {args.runs} runs")
    for name, command in cases().items():
        seconds, cpu = median_seconds(command, args.runs)
        verdict = "met" if seconds <= TARGETS[name] else "missed"
        print(
            f"{name:<16} {seconds:6.3f} s wall, {cpu:6.3f} s CPU"
            f"  (target {TARGETS[name]:.1f} s, {verdict})"
        )
    if args.importtime:
        print("\npython -X importtime -c 'import copub', cumulative:")
        for cumulative, module in importtime_top(args.importtime):
            print(f"{cumulative / 1e6:8.3f} s  {module}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
