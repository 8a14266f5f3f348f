"""Run one benchmark route in a fresh subprocess and read its time and peak memory.

Every route is a function ``route(args: dict) -> dict`` in a benchmark module.
The child imports the module first, so imports are not timed, then times the
call alone with ``perf_counter`` and reads ``VmHWM`` from ``/proc/self/status``
when it returns: the peak resident set of the whole process, polars' threads
included. (``ru_maxrss`` would also do, but it survives ``exec`` and can carry
the parent's size over a ``fork``; ``VmHWM`` belongs to the new image alone.)

Why a subprocess per route: peak RSS is a high-water mark that never falls, so
two routes in one process would hide each other's peak; and an optional
address-space limit (``RLIMIT_AS``, what ``ulimit -v`` sets) can be imposed on
the child alone.

Child usage (the parent builds this command): ``python -m benchmarks.measure
MODULE:FUNCTION [PRELOAD,MODULES]`` with the JSON arguments on stdin.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Measurement", "measure"]

_MARK = "BENCHMARK-RESULT "
_REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Measurement:
    """What one route cost. ``ok`` is False when it failed, timed out or ran out of memory."""

    target: str
    ok: bool
    seconds: float | None = None
    peak_rss_bytes: int | None = None
    baseline_rss_bytes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    mem_limit_bytes: int | None = None

    @property
    def peak_rss_mib(self) -> float | None:
        return None if self.peak_rss_bytes is None else self.peak_rss_bytes / 2**20

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _limit_address_space(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def measure(
    target: str,
    args: dict[str, Any],
    *,
    timeout: float = 3600.0,
    mem_limit_bytes: int | None = None,
    env: dict[str, str] | None = None,
    preload: tuple[str, ...] = (),
) -> Measurement:
    """Run ``target`` (``"module:function"``) with ``args`` in a child process.

    ``mem_limit_bytes`` caps the child's address space like ``ulimit -v``; a
    route that needs more fails with MemoryError (reported, not raised).
    ``preload`` names modules the child imports before the clock starts.
    """
    # The arguments go through stdin: 5,000 page paths exceed the command line's limit.
    command = [sys.executable, "-m", "benchmarks.measure", target, ",".join(preload)]
    child_env = {**os.environ, **(env or {})}
    child_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_REPO), child_env.get("PYTHONPATH", "")) if p
    )
    preexec = None
    if mem_limit_bytes is not None:

        def preexec() -> None:
            _limit_address_space(mem_limit_bytes)

    try:
        done = subprocess.run(
            command,
            input=json.dumps(args),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=child_env,
            cwd=_REPO,
            preexec_fn=preexec,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Measurement(
            target,
            ok=False,
            seconds=timeout,  # a lower bound of the time the case needs
            error=f"timed out after {timeout:.0f} s",
            mem_limit_bytes=mem_limit_bytes,
        )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(_MARK):
            payload = json.loads(line[len(_MARK) :])
            return Measurement(target, mem_limit_bytes=mem_limit_bytes, **payload)
    tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
    return Measurement(
        target,
        ok=False,
        error=f"exit {done.returncode}: {tail[-400:]}",
        mem_limit_bytes=mem_limit_bytes,
    )


def _status_kib(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/self/status")


def _child(target: str, preload: str) -> None:
    for name in filter(None, preload.split(",")):
        importlib.import_module(name)
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    args = json.loads(sys.stdin.read())
    baseline = _status_kib("VmRSS") * 1024
    start = time.perf_counter()
    try:
        extra = function(args)
    except MemoryError:
        elapsed = time.perf_counter() - start
        result: dict[str, Any] = {
            "ok": False,
            "error": f"MemoryError (address-space cap) after {elapsed:.0f} s",
            # How long it ran before failing: a lower bound on its time.
            "seconds": elapsed,
        }
    else:
        result = {"ok": True, "seconds": time.perf_counter() - start, "extra": extra or {}}
    result["peak_rss_bytes"] = _status_kib("VmHWM") * 1024
    result["baseline_rss_bytes"] = baseline
    print(_MARK + json.dumps(result), flush=True)


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
