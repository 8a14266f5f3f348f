"""copub: co-publication analysis from OpenAlex for a university's strategy office.

The public API follows the pipeline: ``fetch_works`` / ``read_works`` /
``load_tables`` / ``load_sample`` give :class:`Tables`; ``load_register`` and
``load_groups`` give the classification's inputs; ``yearly_indicators``,
``window_indicators`` and ``compare_periods`` give the figures;
``build_network``, ``partner_table`` and ``works_between`` the partner review.
``eu_participation`` gives the EU projects won (CORDIS, the Norwegian grants
file) and ``eu_project_links`` the works behind them.
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
>>> import tempfile
>>> from copub.sample.cordis import write_cordis_sample
>>> cordis = write_cordis_sample(tempfile.mkdtemp(), tables=tables)
>>> inputs = copub.EuInputs(cordis=(cordis / "h2020", cordis / "horizon-europe"))
>>> eu = copub.eu_participation(inputs)
>>> eu.synthetic, eu.home.key
(True, 'ntnu')
>>> links = copub.eu_project_links(tables, eu.projects)
>>> set(links.columns) >= {"work_id", "project_id", "programme_part"}
True
"""

from __future__ import annotations

from copub.classify import load_groups, load_register
from copub.errors import CopubError
from copub.eu import EuInputs, EuParticipation, eu_participation
from copub.eu import project_links as eu_project_links
from copub.fetch import FetchResult, fetch_works
from copub.indicators import compare_periods, window_indicators, yearly_indicators
from copub.networks import build_network, partner_table, works_between
from copub.normalize import Tables, load_tables, read_works
from copub.provenance import Provenance
from copub.sample import load_sample
from copub.settings import Settings

__all__ = [
    "CopubError",
    "EuInputs",
    "EuParticipation",
    "FetchResult",
    "Provenance",
    "Settings",
    "Tables",
    "build_network",
    "compare_periods",
    "eu_participation",
    "eu_project_links",
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
