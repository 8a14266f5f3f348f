"""Norwegian publication points (NVI), as the national research-documentation system computes them.

:mod:`~copub.analyses.points.rules` ports the system's rules to plain
functions on one work; :mod:`~copub.analyses.points.compute` applies them to
copub's labelled works for a :class:`~copub.classify.definitions.Definitions`;
:mod:`~copub.analyses.points.differences` states where OpenAlex records differ
from the national system's, and every result carries those sentences.
"""

from copub.analyses.contract import Analysis, AnalysisInputs
from copub.analyses.points.compute import (
    POINTS_BY_YEAR_SCHEMA,
    POINTS_PER_WORK_SCHEMA,
    PointsResult,
    compute_points,
)
from copub.analyses.points.differences import DIFFERENCES
from copub.analyses.points.present import TITLE, compute_points_analysis
from copub.classify.definitions import Definitions

__all__ = [
    "ANALYSIS",
    "DIFFERENCES",
    "POINTS_BY_YEAR_SCHEMA",
    "POINTS_PER_WORK_SCHEMA",
    "PointsResult",
    "compute_points",
]


def _wanted(inputs: AnalysisInputs, definitions: Definitions) -> bool:
    # Always in a report: without a register the section says it is unavailable.
    return True


ANALYSIS = Analysis(
    key="points",
    title=TITLE,
    compute=compute_points_analysis,
    schemas={"points_by_year": POINTS_BY_YEAR_SCHEMA, "points_per_work": POINTS_PER_WORK_SCHEMA},
    wanted=_wanted,
    summary="Norwegian publication points (NVI) per year, for the home and its peers",
)
