"""What ``test_library_threads`` computes, in its process and in a subprocess.

Run as a script (``python library_threads_job.py OUT SCALE PAGE...``) it writes
each frame to ``OUT/<name>.parquet`` and its thread counts to ``OUT/threads.json``.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from threadpoolctl import threadpool_info

import copub


def thread_counts() -> dict[str, int]:
    """Polars' threads and numpy's BLAS threads in this process."""
    blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return {"polars": pl.thread_pool_size(), "blas": max(blas)}


def compute(pages: Sequence[Path], scale: float) -> dict[str, pl.DataFrame]:
    """The real pages' six tables, then the sample's labelled works, yearly figures
    (with a bootstrap) and fractional country network's edges."""
    tables = copub.read_works(pages).frames()
    frames = {f"pages_{name}": frame for name, frame in tables.items()}
    # A copy of the sample is unknown to the label and result caches: computed afresh.
    sample = dataclasses.replace(copub.load_sample(scale=scale))
    definitions = copub.Definitions(bootstrap=50)
    labelled = copub.label_works(sample, definitions)
    frames["labelled"] = labelled.works
    frames["yearly"] = copub.yearly_indicators(labelled, definitions)
    network = copub.build_network(labelled, "country", definitions, counting="fractional")
    edges = [{"a": min(a, b), "b": max(a, b), **data} for a, b, data in network.edges(data=True)]
    frames["network"] = pl.DataFrame(edges).sort("a", "b")
    return frames


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for name, frame in compute([Path(p) for p in sys.argv[3:]], float(sys.argv[2])).items():
        frame.write_parquet(out / f"{name}.parquet")
    (out / "threads.json").write_text(json.dumps(thread_counts()))
