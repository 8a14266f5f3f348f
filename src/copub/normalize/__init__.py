"""Stage 2: raw OpenAlex works to tidy polars tables."""

from __future__ import annotations

from copub.normalize.read import BuiltTables, build_tables, read_works
from copub.normalize.snapshot import expand_inputs
from copub.normalize.tables import TABLE_NAMES, Tables, load_tables

__all__ = [
    "TABLE_NAMES",
    "BuiltTables",
    "Tables",
    "build_tables",
    "expand_inputs",
    "load_tables",
    "read_works",
]
