"""The registry: every analysis, once, in the order the report shows them.

A new analysis is one folder (``compute`` + ``present``, an ``ANALYSIS``
record) and one line here; the report, its files and the command line pick
it up from this list.

Examples
--------
>>> [a.key for a in ANALYSES]
['impact', 'eu', 'mobility', 'peers', 'breakdown', 'points']
>>> analysis("mobility").title
'Researcher mobility'
"""

from __future__ import annotations

from copub.analyses.breakdown import ANALYSIS as BREAKDOWN
from copub.analyses.contract import Analysis
from copub.analyses.eu import ANALYSIS as EU
from copub.analyses.impact import ANALYSIS as IMPACT
from copub.analyses.mobility import ANALYSIS as MOBILITY
from copub.analyses.peers import ANALYSIS as PEERS
from copub.analyses.points import ANALYSIS as POINTS
from copub.errors import UsageError

__all__ = ["ANALYSES", "analysis"]

ANALYSES: tuple[Analysis, ...] = (
    IMPACT,
    EU,
    MOBILITY,
    PEERS,
    BREAKDOWN,
    POINTS,
)


def analysis(key: str) -> Analysis:
    """The registered analysis ``key``."""
    for candidate in ANALYSES:
        if candidate.key == key:
            return candidate
    known = ", ".join(a.key for a in ANALYSES)
    raise UsageError(f"no analysis {key!r}; known: {known}")
