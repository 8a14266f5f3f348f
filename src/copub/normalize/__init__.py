"""Stage 2: raw OpenAlex works to tidy polars tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.normalize.read import BuiltTables, build_tables, read_works
    from copub.normalize.snapshot import expand_inputs
    from copub.normalize.tables import TABLE_NAMES, Tables, load_tables

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "BuiltTables": "copub.normalize.read",
    "build_tables": "copub.normalize.read",
    "read_works": "copub.normalize.read",
    "expand_inputs": "copub.normalize.snapshot",
    "TABLE_NAMES": "copub.normalize.tables",
    "Tables": "copub.normalize.tables",
    "load_tables": "copub.normalize.tables",
}

__all__ = [
    "TABLE_NAMES",
    "BuiltTables",
    "Tables",
    "build_tables",
    "expand_inputs",
    "load_tables",
    "read_works",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
