"""Stage 4: labelled works, yearly shares, intervals, trend tests and period comparisons."""

from copub.classify.definitions import Definitions
from copub.indicators.breakdown import Breakdown, breakdown_indicators, where_we_stand
from copub.indicators.catalogue import GOALS, Goal, catalogue, goals, indicator_specs
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
