"""The tables and figures do not depend on how many threads polars runs.

Under pytest-xdist each worker runs polars on one thread (``tests/conftest.py``:
the workers already fill the cores), while users run it on every core. So a
subprocess computes with polars on several threads what this process computes
with its own count (:mod:`polars_threads_job`), and every frame must agree: the
real pages read into tables, and the sample's labelled works, yearly figures
(with their bootstrap) and country network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

import polars_threads_job

SCALE = 0.02  # about 3,900 works (2,000 in the default universe)


def test_tables_and_figures_agree_whatever_polars_thread_count(
    openalex_pages: list[Path], tmp_path: Path
) -> None:
    threads = 4 if pl.thread_pool_size() != 4 else 3
    done = subprocess.run(
        [sys.executable, polars_threads_job.__file__, str(tmp_path), str(SCALE),
         *map(str, openalex_pages)],
        env={**os.environ, "POLARS_MAX_THREADS": str(threads)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "threads").read_text() == str(threads)

    mine = polars_threads_job.compute(openalex_pages, SCALE)
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
