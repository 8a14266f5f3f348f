"""copub: co-publication analysis from OpenAlex for a university's strategy office.

The public API follows the pipeline: ``fetch_works`` / ``read_works`` /
``load_tables`` / ``load_sample`` give :class:`Tables`; ``load_register`` and
``load_groups`` give the classification's inputs; ``yearly_indicators``,
``window_indicators`` and ``compare_periods`` give the figures;
``build_network``, ``partner_table`` and ``works_between`` the partner review;
``impact_indicators`` and ``impact_difference`` the citation impact by
collaboration type (OpenAlex field-normalised percentiles, FWCI).
Every error copub raises on purpose is a :class:`CopubError`.

Examples
--------
>>> import copub
>>> tables = copub.load_sample(scale=0.01)
>>> yearly = copub.yearly_indicators(tables, bootstrap=0)
>>> bool((yearly["intl_share_low"] <= yearly["intl_share"]).all())
True
>>> tables.provenance.synthetic
True
"""

from __future__ import annotations

from copub.classify import load_groups, load_register
from copub.errors import CopubError
from copub.fetch import FetchResult, fetch_works
from copub.indicators import compare_periods, window_indicators, yearly_indicators
from copub.indicators.impact import (
    IMPACT_DEFINITIONS,
    impact_difference,
    impact_indicators,
    impact_per_work,
)
from copub.networks import build_network, partner_table, works_between
from copub.normalize import Tables, load_tables, read_works
from copub.provenance import Provenance
from copub.sample import load_sample
from copub.settings import Settings

__all__ = [
    "IMPACT_DEFINITIONS",
    "CopubError",
    "FetchResult",
    "Provenance",
    "Settings",
    "Tables",
    "build_network",
    "compare_periods",
    "fetch_works",
    "impact_difference",
    "impact_indicators",
    "impact_per_work",
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
