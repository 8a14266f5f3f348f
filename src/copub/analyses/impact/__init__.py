"""Citation impact by collaboration type (OpenAlex percentiles and FWCI), with the difference
international minus domestic and its test."""

from __future__ import annotations

import polars as pl

from copub.analyses.contract import Analysis, AnalysisInputs
from copub.analyses.impact.present import compute_impact
from copub.classify.definitions import Definitions

__all__ = ["ANALYSIS"]


def _wanted(inputs: AnalysisInputs, definitions: Definitions) -> bool:
    return True


ANALYSIS = Analysis(
    key="impact",
    title="Citation impact by collaboration type",
    compute=compute_impact,
    schemas={
        "impact": pl.Schema(
            {
                "collaboration": pl.String,
                "label": pl.String,
                "partial": pl.Boolean,
                "works": pl.UInt32,
                "works_frac": pl.Float64,
            }
        ),
        "impact_difference": pl.Schema(
            {"indicator": pl.String, "a": pl.String, "b": pl.String, "partial": pl.Boolean}
        ),
        "impact_overall": pl.Schema(
            {
                "period": pl.String,
                "first_year": pl.Int32,
                "last_year": pl.Int32,
                "indicator": pl.String,
            }
        ),
    },
    wanted=_wanted,
    summary="PP(top 10%), PP(top 1%), FWCI and windowed citations by collaboration type",
)
