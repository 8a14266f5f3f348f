"""copub: co-publication analysis from OpenAlex for a university's strategy office."""

from __future__ import annotations

from copub.errors import CopubError
from copub.normalize import Tables, load_tables, read_works
from copub.provenance import Provenance
from copub.settings import Settings

__all__ = [
    "CopubError",
    "Provenance",
    "Settings",
    "Tables",
    "load_tables",
    "read_works",
]
