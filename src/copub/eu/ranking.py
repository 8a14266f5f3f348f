"""The Pillar 2 ranking of higher-education participants (CORDIS ``activityType`` HES).

Ranks are over the organisations in the data given: a CORDIS download has
every participant, the Norwegian grants file only Norwegian ones, a
participation summary one country's. Ties share the best rank ("min").

Examples
--------
>>> rows = pl.DataFrame({"framework_programme": ["HORIZON"] * 3, "project_id": ["1", "1", "2"],
...     "pillar2": [True] * 3, "activity_type": ["HES"] * 3, "role": ["participant"] * 3,
...     "organisation_id": ["a", "b", "a"], "organisation_name": ["A", "B", "A"],
...     "country": ["NO", "SE", "NO"], "ec_contribution_eur": [1.0, 5.0, 1.0]})
>>> ranking = pillar2_ranking(rows)
>>> ranking.select("organisation_id", "rank_ec", "rank_participations", "country_rank_ec").rows()
[('b', 1, 2, 1), ('a', 2, 1, 1)]
"""

from __future__ import annotations

import polars as pl

from copub.eu.schema import BENEFICIARY_ROLES

__all__ = ["pillar2_ranking"]


def pillar2_ranking(participations: pl.DataFrame) -> pl.DataFrame:
    """Per framework programme, the HES participants in Pillar 2 ranked by EC contribution.

    Columns: ``framework_programme, rank_ec, rank_participations,
    country_rank_ec, country_rank_participations, organisation_id,
    organisation_name, country, participations, projects,
    ec_contribution_eur, organisations`` (how many were ranked). Only
    beneficiary roles count. For H2020, Pillar 2 is its counterpart (LEIT and
    the societal challenges).
    """
    rows = participations.filter(
        pl.col("pillar2")
        & (pl.col("activity_type") == "HES")
        & pl.col("role").is_in(BENEFICIARY_ROLES)
    )
    per_org = rows.group_by("framework_programme", "organisation_id").agg(
        organisation_name=pl.col("organisation_name").drop_nulls().mode().sort().first(),
        country=pl.col("country").drop_nulls().mode().sort().first(),
        participations=pl.len().cast(pl.Int64),
        projects=pl.col("project_id").n_unique().cast(pl.Int64),
        ec_contribution_eur=pl.col("ec_contribution_eur").fill_null(0.0).sum().round(2),
    )
    fp = ["framework_programme"]
    fp_country = ["framework_programme", "country"]

    def rank(column: str, over: list[str]) -> pl.Expr:
        return pl.col(column).rank("min", descending=True).over(over).cast(pl.Int64)

    return (
        per_org.with_columns(
            rank_ec=rank("ec_contribution_eur", fp),
            rank_participations=rank("participations", fp),
            country_rank_ec=rank("ec_contribution_eur", fp_country),
            country_rank_participations=rank("participations", fp_country),
            organisations=pl.len().over(fp).cast(pl.Int64),
        )
        .sort("framework_programme", "rank_ec", "organisation_id")
        .select(
            "framework_programme", "rank_ec", "rank_participations", "country_rank_ec",
            "country_rank_participations", "organisation_id", "organisation_name", "country",
            "participations", "projects", "ec_contribution_eur", "organisations",
        )
    )  # fmt: skip
