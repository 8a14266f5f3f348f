"""The figures per OpenAlex field, domain, subfield or unit, and where we stand."""

from __future__ import annotations

import polars as pl

from copub.analyses.breakdown.present import compute_breakdown
from copub.analyses.contract import Analysis, AnalysisInputs
from copub.classify.definitions import Definitions

__all__ = ["ANALYSIS"]


def _wanted(inputs: AnalysisInputs, definitions: Definitions) -> bool:
    return definitions.breakdown_by is not None


ANALYSIS = Analysis(
    key="breakdown",
    title="Breakdown by field or unit",
    compute=compute_breakdown,
    schemas={
        "breakdown_*": pl.Schema(
            {
                "group_id": pl.String,
                "group_name": pl.String,
                "small": pl.Boolean,
                "works": pl.Int64,
                "works_frac": pl.Float64,
            }
        ),
        "standing_*": pl.Schema(
            {
                "end": pl.String,
                "group_id": pl.String,
                "group_name": pl.String,
                "works": pl.Int64,
                "share": pl.Float64,
            }
        ),
    },
    wanted=_wanted,
    summary="the figures per OpenAlex field, domain, subfield or unit, and where we stand",
)
