"""copub: co-publication analysis from OpenAlex for a university's strategy office."""

from __future__ import annotations

from copub.classify import load_groups, load_register
from copub.errors import CopubError
from copub.fetch import FetchResult, fetch_works
from copub.indicators import compare_periods, window_indicators, yearly_indicators
from copub.networks import build_network, partner_table, works_between
from copub.normalize import Tables, load_tables, read_works
from copub.provenance import Provenance
from copub.sample import load_sample
from copub.settings import Settings

__all__ = [
    "CopubError",
    "FetchResult",
    "Provenance",
    "Settings",
    "Tables",
    "build_network",
    "compare_periods",
    "fetch_works",
    "load_groups",
    "load_register",
    "load_sample",
    "load_tables",
    "partner_table",
    "read_works",
    "window_indicators",
    "works_between",
    "yearly_indicators",
]
