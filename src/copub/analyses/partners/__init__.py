"""The partner review: partner countries or institutions ranked by co-publications."""

from __future__ import annotations

import polars as pl

from copub.analyses.contract import Analysis, AnalysisInputs
from copub.analyses.partners.present import compute_partners
from copub.classify.definitions import Definitions

__all__ = ["ANALYSIS"]


def _wanted(inputs: AnalysisInputs, definitions: Definitions) -> bool:
    # The report's own Partner review section holds both kinds already.
    return False


ANALYSIS = Analysis(
    key="partners",
    title="Partner review",
    compute=compute_partners,
    schemas={
        "partners": pl.Schema(
            {
                "rank": pl.Int64,
                "partner_id": pl.String,
                "label": pl.String,
                "works": pl.Int64,
                "share": pl.Float64,
            }
        )
    },
    wanted=_wanted,
    summary="partner countries or institutions ranked by co-publications, with their change",
)
