"""What every benchmark module receives from the runner, and how it launches a case."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import Any

from benchmarks.measure import Measurement, measure

__all__ = ["Context", "cpu_idle", "note"]


def note(message: str) -> None:
    """Progress on stderr, so stdout keeps only the figures."""
    print(f"benchmarks: {message}", file=sys.stderr, flush=True)


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return idle, sum(fields)


def cpu_idle(seconds: float = 2.0) -> float:
    """Share of all CPUs idle over the next ``seconds`` (1.0: nothing else runs)."""
    idle0, total0 = _cpu_times()
    time.sleep(seconds)
    idle1, total1 = _cpu_times()
    return (idle1 - idle0) / max(total1 - total0, 1)


@dataclass(frozen=True)
class Context:
    """The run's choices.

    ``mem_guard_bytes`` caps every child's address space (``RLIMIT_AS``) so a
    route that would exhaust the machine fails with MemoryError instead of
    waking the kernel's OOM killer. ``min_idle`` (0 to 1) makes each case wait
    until that share of the CPUs is idle, at most ``max_wait`` seconds, since
    this machine is shared with other work. ``stream_cap_bytes`` is the
    memory cap of the streaming benchmark.
    """

    scales: tuple[str, ...]
    formats: tuple[str, ...]
    repeat: int
    mem_guard_bytes: int
    timeout: float
    min_idle: float = 0.0
    max_wait: float = 600.0
    stream_cap_bytes: int = 2 * 2**30

    def wait_quiet(self) -> float:
        """Wait for an idle machine (bounded); return the idle share last seen."""
        deadline = time.monotonic() + self.max_wait
        idle = cpu_idle(1.0)
        while self.min_idle and idle < self.min_idle and time.monotonic() < deadline:
            idle = cpu_idle(2.0)
        return idle

    def measure(
        self,
        target: str,
        args: dict[str, Any],
        *,
        preload: tuple[str, ...] = (),
        mem_limit_bytes: int | None = None,
        env: dict[str, str] | None = None,
    ) -> Measurement:
        """One run of a case in a child process, after waiting for a quiet machine.

        The page cache's dirty pages are written out first (``os.sync``): a
        case that writes gigabytes (the 1M pages, a route's temporary parts)
        would otherwise leave the next case to wait on their writeback. At 1M
        works, ``read_works`` took 52-55 s on a settled disk and 60-82 s right
        after such a case, with the same CPU time.
        """
        os.sync()
        idle = self.wait_quiet()
        result = measure(
            target,
            args,
            timeout=self.timeout,
            mem_limit_bytes=mem_limit_bytes or self.mem_guard_bytes,
            preload=preload,
            env=env,
        )
        return Measurement(**{**result.__dict__, "extra": {**result.extra, "idle_before": idle}})

    def best_of(
        self,
        target: str,
        args: dict[str, Any],
        *,
        repeat: int,
        preload: tuple[str, ...] = (),
        mem_limit_bytes: int | None = None,
    ) -> Measurement:
        """The fastest of ``repeat`` runs (stopping at the first failure)."""
        best: Measurement | None = None
        for _ in range(max(1, repeat)):
            result = self.measure(target, args, preload=preload, mem_limit_bytes=mem_limit_bytes)
            if not result.ok:
                return result
            if best is None or (result.seconds or 0) < (best.seconds or 0):
                best = result
        assert best is not None
        return best
