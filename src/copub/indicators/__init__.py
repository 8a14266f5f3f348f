"""Stage 4: yearly shares, intervals, trend tests and period comparisons."""

from copub.indicators.counting import fractional_weights
from copub.indicators.definitions import ShareSpec, share_column
from copub.indicators.impact import impact_difference, impact_indicators, impact_per_work
from copub.indicators.intervals import bootstrap_ratios, wilson_interval
from copub.indicators.presets import PRESETS
from copub.indicators.trends import TrendTest, cochran_armitage, compare_periods
from copub.indicators.universe import CORE_TYPES, institution_works
from copub.indicators.yearly import indicator_specs, window_indicators, yearly_indicators

__all__ = [
    "CORE_TYPES",
    "PRESETS",
    "ShareSpec",
    "TrendTest",
    "bootstrap_ratios",
    "cochran_armitage",
    "compare_periods",
    "fractional_weights",
    "impact_difference",
    "impact_indicators",
    "impact_per_work",
    "indicator_specs",
    "institution_works",
    "share_column",
    "wilson_interval",
    "window_indicators",
    "yearly_indicators",
]
