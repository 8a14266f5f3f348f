"""Independent polars computations side by side, to use both cores.

Many polars operations (string runs, casts, explodes, sorted group-bys) run
on one thread; labelling is a dozen such computations that do not depend on
one another. Polars releases the GIL while it computes, so running them from
a few Python threads keeps every core busy. Results come back in the order
given, so nothing depends on which finishes first.

The threads are one pool for the whole process, made on first use: a pool
made and dropped per call runs Python clean-up code in the main thread each
time, and a Ctrl-C landing in it would be swallowed ("Exception ignored")
instead of stopping the command.

Examples
--------
>>> side_by_side(lambda: 1 + 1, lambda: "b")
[2, 'b']
>>> side_by_side(lambda: 1, workers=1)
[1]
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["WORKERS", "side_by_side"]

#: One thread per core, at most four: more only adds memory.
WORKERS = max(1, min(4, os.cpu_count() or 1))

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_IN_POOL = threading.local()


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="copub")
        return _POOL


def _run_in_pool(job: Callable[[], Any]) -> Any:
    _IN_POOL.active = True
    try:
        return job()
    finally:
        _IN_POOL.active = False


def side_by_side(*jobs: Callable[[], Any], workers: int = WORKERS) -> list[Any]:
    """Run ``jobs`` side by side; their results in order.

    ``workers`` 1 runs them one after another in this thread (to keep memory
    low); more runs them on the process's pool of :data:`WORKERS` threads.
    A failing job's exception is raised here (the first in the order given),
    once every job has ended. A job that itself calls ``side_by_side`` runs
    its jobs one after another (a pool waiting on itself could stall).
    """
    if workers <= 1 or len(jobs) <= 1 or getattr(_IN_POOL, "active", False):
        return [job() for job in jobs]
    futures = [_pool().submit(_run_in_pool, job) for job in jobs]
    errors = [future.exception() for future in futures]
    failed = next((error for error in errors if error is not None), None)
    if failed is not None:
        raise failed
    return [future.result() for future in futures]
