"""Links from works to EU projects: the award ids of the works' EC funding that name a project.

A work is linked to a project when one of its funding rows is from the
European Commission family (the same funder ids and RORs as the yearly
``fund_ec`` share, :data:`copub.classify.FUNDER_GROUPS`) and its award id,
reduced to its digits when it is a plain number with decoration (``"grant
no. 101016775"``), equals the project's CORDIS id.

Examples
--------
>>> from copub import Tables
>>> from copub.normalize.schemas import UNKEYED
>>> empty = Tables.empty()
>>> funding = pl.DataFrame({"work_id": ["W1", "W2"], "funder_id": ["F4320334678", "F1"],
...     "funder_name": ["ERC", "Other"], "funder_ror": [None, None],
...     "award_id": ["Grant 101016775", "101016775"]}, schema=UNKEYED["funding"])
>>> tables = empty.with_(funding=funding)  # the integer keys are made here
>>> projects = pl.DataFrame({"project_id": ["101016775"], "framework_programme": ["HORIZON"],
...     "programme_part": ["erc"], "acronym": ["X"], "home": [True]})
>>> project_links(tables, projects).select("work_id", "project_id").rows()
[('W1', '101016775')]
"""

from __future__ import annotations

import polars as pl

from copub.classify.funding import FUNDER_GROUPS
from copub.normalize import Tables

__all__ = ["award_project_id", "project_links"]


def award_project_id(award: pl.Expr) -> pl.Expr:
    """The CORDIS-style project id (6 to 9 digits) of an award id, or null."""
    text = award.str.strip_chars()
    return (
        pl.when(text.str.contains(r"^\d{6,9}$"))
        .then(text)
        .otherwise(text.str.extract(r"(?:^|\D)(\d{6,9})(?:\D|$)", 1))
        .str.strip_chars_start("0")
    )


def project_links(tables: Tables, projects: pl.DataFrame) -> pl.DataFrame:
    """One row per work × EU project it acknowledges.

    Parameters
    ----------
    tables : Tables
    projects : pl.DataFrame
        One row per project: ``project_id, framework_programme,
        programme_part, acronym, home`` (``home``: the home organisation takes part).

    Returns
    -------
    pl.DataFrame
        ``work_id, year, funder_id, award_id, project_id, framework_programme,
        programme_part, acronym, home``, sorted by work and project.
    """
    ec = next(group for group in FUNDER_GROUPS if group.column == "funded_ec")
    funding = tables.funding.lazy().select(
        "work_id",
        "award_id",
        funder_id=pl.col("funder_id").str.strip_prefix("https://openalex.org/"),
        funder_ror=pl.col("funder_ror").str.strip_prefix("https://ror.org/").str.to_lowercase(),
    )
    keys = projects.lazy().select(
        "framework_programme", "programme_part", "acronym", "home",
        project_id=pl.col("project_id").str.strip_chars_start("0"),
        _cordis_id=pl.col("project_id"),
    )  # fmt: skip
    return (
        funding.filter(
            pl.col("funder_id").is_in(ec.openalex_ids)
            | pl.col("funder_ror").is_in(ec.rors).fill_null(False)
        )
        .with_columns(project_id=award_project_id(pl.col("award_id")))
        .join(keys, on="project_id", how="inner")
        .join(tables.works.lazy().select("work_id", "year"), on="work_id", how="left")
        .select(
            "work_id", "year", "funder_id", "award_id", pl.col("_cordis_id").alias("project_id"),
            "framework_programme", "programme_part", "acronym", "home",
        )
        .unique(["work_id", "project_id", "funder_id", "award_id"])
        .sort("work_id", "project_id", "funder_id", "award_id")
        .collect()
    )  # fmt: skip
