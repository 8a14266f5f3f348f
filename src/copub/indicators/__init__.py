"""Stage 4: labelled works, yearly shares, intervals, trend tests and period comparisons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

# ``catalogue`` names a submodule and the function exported from it: the function is
# imported now, because importing the submodule later would set the name to the module.
from copub.indicators.catalogue import catalogue

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.classify.definitions import Definitions
    from copub.indicators.breakdown import Breakdown, breakdown_indicators, where_we_stand
    from copub.indicators.catalogue import GOALS, Goal, goals, indicator_specs
    from copub.indicators.counting import fractional_weights
    from copub.indicators.definitions import Indicator, ShareSpec, share_column
    from copub.indicators.impact import impact_difference, impact_indicators, impact_per_work
    from copub.indicators.intervals import bootstrap_ratios, wilson_interval
    from copub.indicators.labels import LabelledWorks, label_works
    from copub.indicators.peers import PeerIndicators, peer_indicators, shared_works_matrix
    from copub.indicators.presets import PRESETS
    from copub.indicators.scan import TableScan, scan_tables
    from copub.indicators.schemas import (
        COMPARISON,
        SHARE_COLUMNS,
        WINDOW_LEAD,
        YEARLY_LEAD,
        window_schema,
        yearly_schema,
    )
    from copub.indicators.trends import TrendTest, cochran_armitage, compare_periods
    from copub.indicators.universe import CORE_TYPES, institution_works, universe_works
    from copub.indicators.yearly import resolve_definitions, window_indicators, yearly_indicators

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "Definitions": "copub.classify.definitions",
    "Breakdown": "copub.indicators.breakdown",
    "breakdown_indicators": "copub.indicators.breakdown",
    "where_we_stand": "copub.indicators.breakdown",
    "GOALS": "copub.indicators.catalogue",
    "Goal": "copub.indicators.catalogue",
    "goals": "copub.indicators.catalogue",
    "indicator_specs": "copub.indicators.catalogue",
    "fractional_weights": "copub.indicators.counting",
    "Indicator": "copub.indicators.definitions",
    "ShareSpec": "copub.indicators.definitions",
    "share_column": "copub.indicators.definitions",
    "impact_difference": "copub.indicators.impact",
    "impact_indicators": "copub.indicators.impact",
    "impact_per_work": "copub.indicators.impact",
    "bootstrap_ratios": "copub.indicators.intervals",
    "wilson_interval": "copub.indicators.intervals",
    "LabelledWorks": "copub.indicators.labels",
    "label_works": "copub.indicators.labels",
    "PeerIndicators": "copub.indicators.peers",
    "peer_indicators": "copub.indicators.peers",
    "shared_works_matrix": "copub.indicators.peers",
    "PRESETS": "copub.indicators.presets",
    "TableScan": "copub.indicators.scan",
    "scan_tables": "copub.indicators.scan",
    "COMPARISON": "copub.indicators.schemas",
    "SHARE_COLUMNS": "copub.indicators.schemas",
    "WINDOW_LEAD": "copub.indicators.schemas",
    "YEARLY_LEAD": "copub.indicators.schemas",
    "window_schema": "copub.indicators.schemas",
    "yearly_schema": "copub.indicators.schemas",
    "TrendTest": "copub.indicators.trends",
    "cochran_armitage": "copub.indicators.trends",
    "compare_periods": "copub.indicators.trends",
    "CORE_TYPES": "copub.indicators.universe",
    "institution_works": "copub.indicators.universe",
    "universe_works": "copub.indicators.universe",
    "resolve_definitions": "copub.indicators.yearly",
    "window_indicators": "copub.indicators.yearly",
    "yearly_indicators": "copub.indicators.yearly",
}

__all__ = [
    "COMPARISON",
    "CORE_TYPES",
    "GOALS",
    "PRESETS",
    "SHARE_COLUMNS",
    "WINDOW_LEAD",
    "YEARLY_LEAD",
    "Breakdown",
    "Definitions",
    "Goal",
    "Indicator",
    "LabelledWorks",
    "PeerIndicators",
    "ShareSpec",
    "TableScan",
    "TrendTest",
    "bootstrap_ratios",
    "breakdown_indicators",
    "catalogue",
    "cochran_armitage",
    "compare_periods",
    "fractional_weights",
    "goals",
    "impact_difference",
    "impact_indicators",
    "impact_per_work",
    "indicator_specs",
    "institution_works",
    "label_works",
    "peer_indicators",
    "resolve_definitions",
    "scan_tables",
    "share_column",
    "shared_works_matrix",
    "universe_works",
    "where_we_stand",
    "wilson_interval",
    "window_indicators",
    "window_schema",
    "yearly_indicators",
    "yearly_schema",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
