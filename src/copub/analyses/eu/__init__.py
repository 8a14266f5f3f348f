"""EU programme participation (CORDIS, the Norwegian H2020 grants file) and the plan's EU goals."""

from __future__ import annotations

import polars as pl

from copub.analyses.contract import Analysis, AnalysisInputs
from copub.analyses.eu.present import compute_eu
from copub.classify.definitions import Definitions

__all__ = ["ANALYSIS"]


def _wanted(inputs: AnalysisInputs, definitions: Definitions) -> bool:
    # Always in a report: without its inputs the section says what is missing.
    return True


ANALYSIS = Analysis(
    key="eu",
    title="EU programme participation",
    compute=compute_eu,
    schemas={
        "eu_summary": pl.Schema({"organisation": pl.String}),
        "eu_goals": pl.Schema({"goal": pl.String}),
        "eu_pillar2_ranking": pl.Schema({}),
        "eu_pillar2_standing": pl.Schema({}),
        "eu_matches": pl.Schema({"organisation": pl.String}),
        "eu_participations": pl.Schema({"organisation": pl.String}),
        "eu_publication_links": pl.Schema({"work_id": pl.String}),
        "eu_goal_status": pl.Schema({"goal": pl.String, "label": pl.String, "status": pl.String}),
    },
    wanted=_wanted,
    summary="EU projects won per programme part; the plan's ERC, EIC Pathfinder, MSCA and "
    "Pillar 2 goals",
)
