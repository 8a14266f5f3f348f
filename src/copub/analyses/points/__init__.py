"""Norwegian publication points (NVI), as the national research-documentation system computes them.

:mod:`~copub.analyses.points.rules` ports the system's rules to plain
functions on one work; :mod:`~copub.analyses.points.compute` applies them to
copub's labelled works for a :class:`~copub.classify.definitions.Definitions`;
:mod:`~copub.analyses.points.differences` states where OpenAlex records differ
from the national system's, and every result carries those sentences.
"""

from copub.analyses.points.compute import (
    POINTS_BY_YEAR_SCHEMA,
    POINTS_PER_WORK_SCHEMA,
    PointsResult,
    compute_points,
)
from copub.analyses.points.differences import DIFFERENCES

__all__ = [
    "DIFFERENCES",
    "POINTS_BY_YEAR_SCHEMA",
    "POINTS_PER_WORK_SCHEMA",
    "PointsResult",
    "compute_points",
]
