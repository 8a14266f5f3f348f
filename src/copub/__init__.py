"""copub: co-publication analysis from OpenAlex for a university's strategy office.

The public API follows the pipeline: ``fetch_works`` / ``read_works`` /
``load_tables`` / ``load_sample`` give :class:`Tables`; ``load_register`` and
``load_groups`` give the classification's inputs; :class:`Definitions` says
what every figure means, and ``label_works`` labels the universe once with
it; ``yearly_indicators``,
``window_indicators`` and ``compare_periods`` give the figures;
``build_network``, ``partner_table`` and ``works_between`` the partner review.
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
>>> labelled = copub.label_works(tables, copub.Definitions(years=(2020, 2024), bootstrap=0))
>>> copub.yearly_indicators(labelled)["year"].to_list()
[2020, 2021, 2022, 2023, 2024]
"""

from __future__ import annotations

from copub.classify import load_groups, load_register
from copub.classify.definitions import Definitions
from copub.errors import CopubError
from copub.fetch import FetchResult, fetch_works
from copub.indicators import (
    Breakdown,
    LabelledWorks,
    PeerIndicators,
    breakdown_indicators,
    compare_periods,
    label_works,
    peer_indicators,
    where_we_stand,
    window_indicators,
    yearly_indicators,
)
from copub.networks import build_network, partner_table, works_between
from copub.normalize import Tables, load_tables, read_works
from copub.provenance import Provenance
from copub.sample import load_sample
from copub.settings import Settings

__all__ = [
    "Breakdown",
    "CopubError",
    "Definitions",
    "FetchResult",
    "LabelledWorks",
    "PeerIndicators",
    "Provenance",
    "Settings",
    "Tables",
    "breakdown_indicators",
    "build_network",
    "compare_periods",
    "fetch_works",
    "label_works",
    "load_groups",
    "load_register",
    "load_sample",
    "load_tables",
    "partner_table",
    "peer_indicators",
    "read_works",
    "where_we_stand",
    "window_indicators",
    "works_between",
    "yearly_indicators",
]
