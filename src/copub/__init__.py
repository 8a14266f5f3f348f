"""copub: co-publication analysis from OpenAlex for a university's strategy office.

The public API follows the pipeline: ``fetch_works`` / ``read_works`` /
``load_tables`` / ``load_sample`` give :class:`Tables` (``build_tables`` writes
them to a data directory in bounded memory), and ``scan_tables`` gives a
:class:`TableScan` of the same parquet files for data larger than memory (the
yearly and window tables read it in passes, with the same figures);
``load_register`` and
``load_groups`` give the classification's inputs; :class:`Definitions` says
what every figure means, and ``label_works`` labels the universe once with
it; ``yearly_indicators``,
``window_indicators`` and ``compare_periods`` give the figures;
``build_network``, ``partner_table`` and ``works_between`` the partner review;
``impact_indicators`` and ``impact_difference`` the citation impact by
collaboration type (OpenAlex field-normalised percentiles, FWCI).
``fetch_authors`` / ``read_authors`` / ``load_authors`` / ``load_sample_authors``
give the authors table (author affiliation histories) and ``mobility_indicators``
the researcher-mobility figures (a publication-based proxy).
``eu_participation`` gives the EU projects won (CORDIS, the Norwegian grants
file) and ``eu_project_links`` the works behind them.
``compute_points`` gives the Norwegian publication points (NVI). ``ANALYSES`` is
the registry of analyses the report and the commands share; each computes an
:class:`AnalysisResult` from :class:`AnalysisInputs`, a :class:`Definitions`
and :class:`ShowOptions`.
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
>>> import tempfile
>>> data = tempfile.mkdtemp()
>>> _ = tables.write(data)
>>> scan = copub.scan_tables(data, works_per_pass=400)
>>> copub.yearly_indicators(scan, bootstrap=0).equals(copub.yearly_indicators(tables, bootstrap=0))
True
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

from typing import TYPE_CHECKING

# First: Ctrl-C while the command line starts is one line and exit 130 (see _startup).
from copub import _startup  # noqa: F401
from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.analyses.contract import AnalysisInputs, AnalysisResult, ShowOptions
    from copub.analyses.points import PointsResult, compute_points
    from copub.analyses.registry import ANALYSES
    from copub.classify import load_groups, load_register
    from copub.classify.definitions import Definitions
    from copub.errors import CopubError
    from copub.eu import EuInputs, EuParticipation, eu_participation
    from copub.eu import project_links as eu_project_links
    from copub.fetch import FetchResult, fetch_works
    from copub.fetch.authors import AuthorFetchResult, fetch_authors
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
    from copub.indicators.impact import (
        IMPACT_DEFINITIONS,
        impact_difference,
        impact_indicators,
        impact_per_work,
    )
    from copub.indicators.mobility import MobilityResult, mobility_indicators
    from copub.indicators.scan import TableScan, scan_tables
    from copub.networks import build_network, partner_table, works_between
    from copub.normalize import BuiltTables, Tables, build_tables, load_tables, read_works
    from copub.normalize.authors import load_authors, read_authors
    from copub.provenance import Provenance
    from copub.sample import load_sample
    from copub.sample.author_histories import load_sample_authors
    from copub.settings import Settings

#: Where each public name lives (see copub._lazy): ``import copub`` imports none of them,
#: so it does not pay for polars, scipy, matplotlib, DuckDB or networkx until a name is used.
_EXPORTS = {
    "load_groups": "copub.classify",
    "load_register": "copub.classify",
    "Definitions": "copub.classify.definitions",
    "CopubError": "copub.errors",
    "EuInputs": "copub.eu",
    "EuParticipation": "copub.eu",
    "eu_participation": "copub.eu",
    "eu_project_links": "copub.eu:project_links",
    "FetchResult": "copub.fetch",
    "fetch_works": "copub.fetch",
    "AuthorFetchResult": "copub.fetch.authors",
    "fetch_authors": "copub.fetch.authors",
    "Breakdown": "copub.indicators",
    "LabelledWorks": "copub.indicators",
    "PeerIndicators": "copub.indicators",
    "breakdown_indicators": "copub.indicators",
    "compare_periods": "copub.indicators",
    "label_works": "copub.indicators",
    "peer_indicators": "copub.indicators",
    "where_we_stand": "copub.indicators",
    "window_indicators": "copub.indicators",
    "yearly_indicators": "copub.indicators",
    "IMPACT_DEFINITIONS": "copub.indicators.impact",
    "impact_difference": "copub.indicators.impact",
    "impact_indicators": "copub.indicators.impact",
    "impact_per_work": "copub.indicators.impact",
    "MobilityResult": "copub.indicators.mobility",
    "mobility_indicators": "copub.indicators.mobility",
    "TableScan": "copub.indicators.scan",
    "scan_tables": "copub.indicators.scan",
    "build_network": "copub.networks",
    "partner_table": "copub.networks",
    "works_between": "copub.networks",
    "ANALYSES": "copub.analyses.registry",
    "AnalysisInputs": "copub.analyses.contract",
    "AnalysisResult": "copub.analyses.contract",
    "ShowOptions": "copub.analyses.contract",
    "PointsResult": "copub.analyses.points",
    "compute_points": "copub.analyses.points",
    "BuiltTables": "copub.normalize",
    "Tables": "copub.normalize",
    "build_tables": "copub.normalize",
    "load_tables": "copub.normalize",
    "read_works": "copub.normalize",
    "load_authors": "copub.normalize.authors",
    "read_authors": "copub.normalize.authors",
    "Provenance": "copub.provenance",
    "load_sample": "copub.sample",
    "load_sample_authors": "copub.sample.author_histories",
    "Settings": "copub.settings",
}

__all__ = [
    "ANALYSES",
    "IMPACT_DEFINITIONS",
    "AnalysisInputs",
    "AnalysisResult",
    "AuthorFetchResult",
    "Breakdown",
    "BuiltTables",
    "CopubError",
    "Definitions",
    "EuInputs",
    "EuParticipation",
    "FetchResult",
    "LabelledWorks",
    "MobilityResult",
    "PeerIndicators",
    "PointsResult",
    "Provenance",
    "Settings",
    "ShowOptions",
    "TableScan",
    "Tables",
    "breakdown_indicators",
    "build_network",
    "build_tables",
    "compare_periods",
    "compute_points",
    "eu_participation",
    "eu_project_links",
    "fetch_authors",
    "fetch_works",
    "impact_difference",
    "impact_indicators",
    "impact_per_work",
    "label_works",
    "load_authors",
    "load_groups",
    "load_register",
    "load_sample",
    "load_sample_authors",
    "load_tables",
    "mobility_indicators",
    "partner_table",
    "peer_indicators",
    "read_authors",
    "read_works",
    "scan_tables",
    "where_we_stand",
    "window_indicators",
    "works_between",
    "yearly_indicators",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
