"""Definition presets, so users can reproduce the numbers they know.

``leiden`` (default) — CWTS Leiden Ranking Open Edition, P(int collab):
    a work is international when it has at least two countries among all
    affiliations and authorship countries; articles, reviews and book
    chapters, not retracted, not paratext; Hong Kong and Macao count as China.
``scival`` — Elsevier SciVal's "Collaboration" metric: exclusive categories
    per work: international (at least two countries), national (one country,
    at least two institutions), institutional (one institution, at least two
    authors) and single authorship.
``bibliometrix`` — bibliometrix ``biblioAnalysis`` (Aria & Cuccurullo 2017):
    MCP, the work's authors come from at least two countries; SCP, from one;
    every document type; Hong Kong and Macao kept apart.

The preset sets the defaults for document types and the Hong Kong/Macao
switch, and adds its own columns; explicit arguments still win.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from copub.indicators.definitions import ShareSpec
from copub.indicators.universe import TypesChoice

__all__ = ["PRESETS", "Preset", "PresetName"]

PresetName = Literal["leiden", "scival", "bibliometrix"]


@dataclass(frozen=True)
class Preset:
    """Defaults and extra shares of one definition family."""

    name: PresetName
    types: TypesChoice
    merge_hk_mo: bool
    extra: tuple[ShareSpec, ...]
    source: str


_one_country = pl.col("n_countries") <= 1
_SCIVAL = (
    ShareSpec(
        "scival_international",
        "International (SciVal)",
        pl.col("n_countries") >= 2,
        None,
        "Works with authors from at least two countries.",
    ),
    ShareSpec(
        "scival_national",
        "National (SciVal)",
        _one_country & (pl.col("n_institutions") >= 2),
        None,
        "Works from one country with at least two institutions.",
    ),
    ShareSpec(
        "scival_institutional",
        "Institutional (SciVal)",
        _one_country & (pl.col("n_institutions") <= 1) & (pl.col("n_authorships") >= 2),
        None,
        "Works from one institution with at least two authors.",
    ),
    ShareSpec(
        "scival_single_author",
        "Single authorship (SciVal)",
        _one_country & (pl.col("n_institutions") <= 1) & (pl.col("n_authorships") == 1),
        None,
        "Works with one author.",
    ),
)
_BIBLIOMETRIX = (
    ShareSpec(
        "mcp",
        "Multiple-country publications (MCP)",
        pl.col("n_countries") >= 2,
        pl.col("n_countries") >= 1,
        "Works whose authors come from at least two countries, among works with a known country.",
    ),
    ShareSpec(
        "scp",
        "Single-country publications (SCP)",
        pl.col("n_countries") == 1,
        pl.col("n_countries") >= 1,
        "Works whose authors all come from one country, among works with a known country.",
    ),
)

PRESETS: dict[str, Preset] = {
    "leiden": Preset("leiden", "core", True, (), "CWTS Leiden Ranking Open Edition"),
    "scival": Preset("scival", "core", True, _SCIVAL, "Elsevier SciVal collaboration categories"),
    "bibliometrix": Preset(
        "bibliometrix", "all", False, _BIBLIOMETRIX, "bibliometrix biblioAnalysis (SCP/MCP)"
    ),
}
