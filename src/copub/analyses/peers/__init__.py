"""The home institution beside its peers: ranks, tests against the home, shared works."""

from __future__ import annotations

import polars as pl

from copub.analyses.contract import Analysis, AnalysisInputs
from copub.analyses.peers.present import compute_peers
from copub.classify.definitions import Definitions

__all__ = ["ANALYSIS"]


def _wanted(inputs: AnalysisInputs, definitions: Definitions) -> bool:
    return definitions.peer_group is not None or bool(definitions.peers)


ANALYSIS = Analysis(
    key="peers",
    title="Beside the peers",
    compute=compute_peers,
    schemas={
        "peers": pl.Schema(
            {
                "institution_id": pl.String,
                "institution_name": pl.String,
                "is_home": pl.Boolean,
                "works": pl.Int64,
                "works_frac": pl.Float64,
            }
        ),
        "peers_shared_works": pl.Schema(
            {
                "institution_id": pl.String,
                "partner_id": pl.String,
                "shared_works": pl.Int64,
                "share": pl.Float64,
            }
        ),
    },
    wanted=_wanted,
    summary="the home beside its peers: ranks, tests against the home, shared works",
)
