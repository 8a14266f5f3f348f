"""The tables and figures do not depend on how many threads polars and numpy's BLAS run.

Under pytest-xdist each worker runs both on one thread (``tests/conftest.py``:
the workers already fill the cores), while users run them on every core. So a
subprocess computes with the libraries' defaults (several threads) what this
process computes with its own counts (:mod:`library_threads_job`), and every
frame must agree: the real pages
read into tables, and the sample's labelled works, yearly figures (with their
bootstrap) and country network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

import library_threads_job
from conftest import ONE_THREAD

SCALE = 0.02  # about 3,900 works (2,000 in the default universe)


def test_tables_and_figures_agree_whatever_the_thread_counts(
    openalex_pages: list[Path], tmp_path: Path
) -> None:
    mine = library_threads_job.compute(openalex_pages, SCALE)
    # The subprocess runs as users do: each library with its default thread count.
    done = subprocess.run(
        [sys.executable, library_threads_job.__file__, str(tmp_path), str(SCALE),
         *map(str, openalex_pages)],
        env={name: value for name, value in os.environ.items() if name not in ONE_THREAD},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    theirs = json.loads((tmp_path / "threads.json").read_text())
    if len(os.sched_getaffinity(0)) > 1:
        assert min(theirs.values()) > 1, theirs  # several threads, so the test compares
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert library_threads_job.thread_counts() == {"polars": 1, "blas": 1}

    assert set(mine) == {p.stem for p in tmp_path.glob("*.parquet")}
    assert mine["labelled"].height > 1500 and mine["network"].height > 50
    for name, frame in mine.items():
        try:
            # Integers, strings and flags exactly; floats to 1e-12 (a sum's terms
            # may be added in another order on more threads).
            assert_frame_equal(frame, pl.read_parquet(tmp_path / f"{name}.parquet"),
                               rel_tol=1e-12, abs_tol=1e-15)  # fmt: skip
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None
