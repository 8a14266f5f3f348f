"""Shared by the indicator, network and streaming benchmarks: tables of a cached scale.

The tables are those ``copub.read_works`` built from the scale's list pages
(``ensure_tables``); their building runs in a child process too, so the
runner itself stays small.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks.context import Context, note
from benchmarks.datasets import Dataset, ensure_dataset, generator_name

__all__ = [
    "build_tables_route",
    "load_tables_timed",
    "stored_keys",
    "tables_for",
    "world_missing",
]


def build_tables_route(args: dict[str, Any]) -> dict[str, Any]:
    """``read_works`` on the list pages, written as parquet under the dataset."""
    import copub

    tables = copub.read_works(args["paths"])
    tables.write(args["root"])
    return {name: frame.height for name, frame in tables.frames().items()}


def stored_keys(data_dir: str | Path) -> bool:
    """True when the tables in ``data_dir`` follow this copub's contract, keys included.

    Tables an older copub built (no ``work_key``, say) still load, keyed on
    load; ``tables_for`` rebuilds them so the benchmark times the stored keys.
    """
    import polars as pl

    from copub.normalize.generations import current_tables
    from copub.normalize.schemas import SCHEMAS

    folder = current_tables(data_dir)
    if folder is None:
        return False
    for name, schema in SCHEMAS.items():
        path = folder / f"{name}.parquet"
        if not path.is_file() or pl.read_parquet_schema(path) != dict(schema):
            return False
    return True


def tables_for(ctx: Context, scale: str) -> Dataset:
    """The dataset with its parquet tables, building them once (again when stale)."""
    dataset = ensure_dataset(scale)
    if not stored_keys(dataset.root):
        note(f"building parquet tables for {scale} (once; tables of an older copub are rebuilt)")
        done = ctx.measure(
            "benchmarks.bench_tables:build_tables_route",
            # From the pages: copub's JSON Lines path needs far more memory at 1M.
            {"paths": [str(p) for p in dataset.pages], "root": str(dataset.root)},
        )
        if not done.ok:
            raise SystemExit(f"benchmarks: could not build tables for {scale}: {done.error}")
    return dataset


def load_tables_timed(data_dir: str) -> tuple[Any, dict[str, Any]]:
    """Load tables and describe them: load time, rows, in-memory size."""
    import copub

    start = time.perf_counter()
    tables = copub.load_tables(data_dir)
    info = {
        "load_seconds": time.perf_counter() - start,
        "tables_bytes": sum(f.estimated_size() for f in tables.frames().values()),
        "works": tables.works.height,
        "authorships": tables.authorships.height,
        "affiliations": tables.affiliations.height,
    }
    return tables, info


def world_missing() -> str | None:
    """Why the synthetic world cannot be used yet, or None when it can."""
    if generator_name() == "synthetic-world":
        return None
    return (
        "waits for copub.sample.write_sample(fat=True): interim copies of real works "
        "are not an institution's universe"
    )
