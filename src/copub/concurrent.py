"""Independent polars computations side by side, to use both cores.

Many polars operations (string runs, casts, explodes, sorted group-bys) run
on one thread; labelling is a dozen such computations that do not depend on
one another. Polars releases the GIL while it computes, so running them from
a few Python threads keeps every core busy. Results come back in the order
given, so nothing depends on which finishes first.

Examples
--------
>>> side_by_side(lambda: 1 + 1, lambda: "b")
[2, 'b']
>>> side_by_side(lambda: 1, workers=1)
[1]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["side_by_side"]

#: One thread per core, at most four: more only adds memory.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def side_by_side(*jobs: Callable[[], Any], workers: int = WORKERS) -> list[Any]:
    """Run ``jobs`` on up to ``workers`` threads; their results in order.

    A failing job's exception is raised here (the first in the order given),
    once every job has ended, so no thread is left running.
    """
    if workers <= 1 or len(jobs) <= 1:
        return [job() for job in jobs]
    threads = min(workers, len(jobs))
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="copub") as pool:
        futures = [pool.submit(job) for job in jobs]
        return [future.result() for future in futures]
