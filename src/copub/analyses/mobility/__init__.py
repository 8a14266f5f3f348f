"""Researcher mobility from OpenAlex author affiliation histories (a publication-based proxy)."""

from __future__ import annotations

import polars as pl

from copub.analyses.contract import Analysis, AnalysisInputs
from copub.analyses.mobility.present import compute_mobility
from copub.classify.definitions import Definitions

__all__ = ["ANALYSIS"]


def _wanted(inputs: AnalysisInputs, definitions: Definitions) -> bool:
    # Always in a report: without its inputs the section says what is missing.
    return True


_SHARE = {f"{s}{suffix}": pl.Float64 for s in ("recruited_share", "left_share")
          for suffix in ("", "_low", "_high")}  # fmt: skip

ANALYSIS = Analysis(
    key="mobility",
    title="Researcher mobility",
    compute=compute_mobility,
    schemas={
        "mobility_yearly": pl.Schema(
            {
                "year": pl.Int32,
                "home_authors": pl.Int64,
                "recruited": pl.Int64,
                "left": pl.Int64,
                "concurrent": pl.Int64,
                "guests": pl.Int64,
                **_SHARE,
            }
        ),
        "mobility_flows": pl.Schema(
            {"year": pl.Int32, "direction": pl.String, "group": pl.String, "authors": pl.UInt32}
        ),
        "mobility_countries": pl.Schema(
            {
                "year": pl.Int32,
                "direction": pl.String,
                "country_code": pl.String,
                "authors": pl.UInt32,
            }
        ),
        "mobility_flow_table": pl.Schema(
            {"group": pl.String, "inflow": pl.UInt32, "outflow": pl.UInt32, "concurrent": pl.UInt32}
        ),
        "mobility_definitions": pl.Schema({"definition": pl.String}),
    },
    wanted=_wanted,
    summary="recruitment from and departures for abroad, guests, early-career experience",
)
