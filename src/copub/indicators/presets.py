"""Definition presets, so users can reproduce the numbers they know.

``leiden`` (default) — CWTS Leiden Ranking Open Edition: its universe
    (document type fitting the source type; source, author, affiliation and
    reference present; not retracted), P(collab) and P(int collab) (at least
    two countries among all affiliations and authorship countries),
    fractional counting by raw affiliation strings; Hong Kong and Macao count
    as China.
``scival`` — Elsevier SciVal's "Collaboration" metric: exclusive categories
    per work: international (at least two countries), national (one country,
    at least two institutions), institutional (one institution, at least two
    authors) and single authorship. SciVal decides on its own merged
    institutions; copub on OpenAlex institutions merged by lineage (the
    ``several_merged`` label). Where copub cannot follow SciVal (its universe
    of "publications with the necessary affiliation information" in Scopus
    document types; its Hong Kong/Macao choice, undocumented) it approximates:
    articles, reviews and book chapters, not retracted, not paratext; Hong
    Kong and Macao as China. :data:`SCIVAL_APPROXIMATION` says so in every
    SciVal column's definition.
``bibliometrix`` — bibliometrix ``biblioAnalysis`` (Aria & Cuccurullo 2017),
    read from its code (``R/biblioAnalysis.R`` ``countryCollaboration``,
    ``R/apiOA2df.R``): a document is SCP when its ``AU_CO``
    (``authorships.countries`` only) holds one distinct country, and is
    attributed to ``AU1_CO`` (the corresponding author's country, else the
    first author's); MCP is a country's ``AU1_CO`` documents minus its SCP.
    ``mcp``/``scp`` are the home institution's country's row (MCP / Articles,
    SCP / Articles; :func:`copub.indicators.bibliometrix.country_collaboration`
    gives every row); ``multi_country`` keeps copub's former share (at
    least two of copub's countries, of works with a known country). Every
    document type; Hong Kong and Macao kept apart.

The preset's definitional defaults (universe, Hong Kong/Macao, fractional
rule) live in :data:`copub.classify.definitions.PRESET_RULES` and are resolved
when a :class:`~copub.classify.definitions.Definitions` is built; explicit
fields win. This module adds each preset's own columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from copub.classify.definitions import PRESET_RULES, PresetName, PresetRule, Universe
from copub.indicators.definitions import ShareSpec

__all__ = ["PRESETS", "SCIVAL_APPROXIMATION", "Preset", "PresetName", "preset_notes"]


@dataclass(frozen=True)
class Preset:
    """One definition family: its definitional rule and its extra shares."""

    rule: PresetRule
    extra: tuple[ShareSpec, ...]

    @property
    def name(self) -> PresetName:
        """The preset's name."""
        return self.rule.name

    @property
    def universe(self) -> Universe:
        """The universe rule the preset applies by default."""
        return self.rule.universe

    @property
    def merge_hk_mo(self) -> bool:
        """Whether the preset counts Hong Kong and Macao as China."""
        return self.rule.merge_hk_mo

    @property
    def source(self) -> str:
        """Where the preset's definitions come from."""
        return self.rule.source


_one_country = pl.col("n_countries") <= 1
# SciVal decides on its own merged institutions; copub merges by OpenAlex lineage
# (a unit and its parent, World Bank and World Bank Group, are one institution).
_merged = pl.col("several_merged").fill_null(False)
#: What every SciVal column says about itself: SciVal's rule, copub's approximation.
SCIVAL_APPROXIMATION = (
    "SciVal's rule: exclusive categories by countries, then institutions, then authors. "
    "copub's approximation: SciVal's merged institutions are OpenAlex institutions merged "
    "by lineage; its universe ('publications with the necessary affiliation information', "
    "Scopus document types) is OpenAlex articles, reviews and book chapters, not retracted "
    "or paratext; Hong Kong and Macao count as China (SciVal does not document its choice)."
)
_SCIVAL = (
    ShareSpec(
        "scival_international",
        "International (SciVal)",
        pl.col("n_countries") >= 2,
        None,
        f"Works with authors from at least two countries. {SCIVAL_APPROXIMATION}",
    ),
    ShareSpec(
        "scival_national",
        "National (SciVal)",
        _one_country & _merged,
        None,
        "Works from one country with at least two institutions (OpenAlex institutions "
        f"merged by lineage). {SCIVAL_APPROXIMATION}",
    ),
    ShareSpec(
        "scival_institutional",
        "Institutional (SciVal)",
        _one_country & ~_merged & (pl.col("n_authorships") >= 2),
        None,
        "Works from one institution (merged by lineage) with at least two authors. "
        f"{SCIVAL_APPROXIMATION}",
    ),
    ShareSpec(
        "scival_single_author",
        "Single authorship (SciVal)",
        _one_country & ~_merged & (pl.col("n_authorships") == 1),
        None,
        f"Works with one author. {SCIVAL_APPROXIMATION}",
    ),
)
_HOME_ROW = pl.col("au1_home").fill_null(False)
_BIBLIOMETRIX = (
    ShareSpec(
        "mcp",
        "Multiple-country publications (MCP, bibliometrix)",
        _HOME_ROW & (pl.col("n_au_co") >= 2),
        _HOME_ROW,
        "bibliometrix's MCP ratio of the home institution's country: of the documents "
        "attributed to it (AU1_CO, the corresponding author's country, else the first "
        "author's), those whose authorships report at least two distinct countries (AU_CO, "
        "authorships.countries only), i.e. MCP / Articles of its row in CountryCollaboration.",
    ),
    ShareSpec(
        "scp",
        "Single-country publications (SCP, bibliometrix)",
        _HOME_ROW & (pl.col("n_au_co") == 1),
        _HOME_ROW,
        "bibliometrix's SCP share of the home institution's country: of the documents "
        "attributed to it (AU1_CO), those whose authorships report exactly one distinct "
        "country (AU_CO).",
    ),
    ShareSpec(
        "multi_country",
        "Multi-country works, of works with a known country (copub)",
        pl.col("n_countries") >= 2,
        pl.col("n_countries") >= 1,
        "copub's share, not bibliometrix's MCP (copub's mcp before): works with at least two "
        "countries (copub's countries of a work: institutions and authorships) among works "
        "with a known country.",
    ),
)

PRESETS: dict[str, Preset] = {
    "leiden": Preset(PRESET_RULES["leiden"], ()),
    "scival": Preset(PRESET_RULES["scival"], _SCIVAL),
    "bibliometrix": Preset(PRESET_RULES["bibliometrix"], _BIBLIOMETRIX),
}


def preset_notes(name: str) -> list[str]:
    """What every output of preset ``name`` says about its namesake (empty: nothing to say).

    Examples
    --------
    >>> preset_notes("leiden")
    []
    >>> "copub's approximation" in preset_notes("scival")[0]
    True
    """
    if name == "scival":
        return [f"SciVal preset: {SCIVAL_APPROXIMATION}"]
    if name == "bibliometrix":
        return [
            "bibliometrix preset: mcp and scp are bibliometrix's MCP and SCP of the home "
            "institution's country (documents attributed to AU1_CO, the corresponding "
            "author's country, else the first author's; countries from authorships.countries "
            "only); multi_country is copub's share, not bibliometrix's."
        ]
    return []
