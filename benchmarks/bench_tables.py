"""Shared by the indicator, network and streaming benchmarks: tables of a cached scale.

The tables are those ``copub.read_works`` built from the scale's list pages
(``ensure_tables``); their building runs in a child process too, so the
runner itself stays small.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.context import Context, note
from benchmarks.datasets import Dataset, ensure_dataset, generator_name

__all__ = ["build_tables_route", "load_tables_timed", "tables_for", "world_missing"]


def build_tables_route(args: dict[str, Any]) -> dict[str, Any]:
    """``read_works`` on the list pages, written as parquet under the dataset."""
    import copub

    tables = copub.read_works(args["paths"])
    tables.write(args["root"])
    return {name: frame.height for name, frame in tables.frames().items()}


def tables_for(ctx: Context, scale: str) -> Dataset:
    """The dataset with its parquet tables, building them once."""
    dataset = ensure_dataset(scale)
    if not (dataset.tables_dir / "works.parquet").is_file():
        note(f"building parquet tables for {scale} (once)")
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
