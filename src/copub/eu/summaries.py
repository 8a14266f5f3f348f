"""CORDIS-derived participation summaries: one row per participation of a country's organisations.

Their header is ``frameworkProgramme;projectID;projectAcronym;title;
ecSignatureDate;…;country;countryName;PIC;Organisation;shortName;
activityType;SME;Type of action;subCall;order;role;ecContribution;…``
(FP7, H2020 and Horizon Europe rows). They carry no legal basis: projects are
classified from CORDIS legal bases when a download of that programme is
given (``classify_with``), and otherwise from the call id and the type of
action (``part_basis = "call id"``): ERC, MSCA, the FET lines, the EIC, the
Horizon Europe clusters, and H2020's societal challenges (``H2020-SC5-2016``,
``H2020-SFS-…``) and industrial leadership (``H2020-ICT-2015``, ``H2020-NMBP-…``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from copub.errors import DataError
from copub.eu.csvfile import money, read_text_csv, signed_on
from copub.eu.programmes import call_programme_part, pillar2
from copub.eu.schema import FRAMEWORKS, PARTICIPATIONS, check_participations

__all__ = ["SUMMARY_COLUMNS", "read_participation_summary"]

SUMMARY_COLUMNS: Final[tuple[str, ...]] = (
    "frameworkProgramme",
    "projectID",
    "projectAcronym",
    "ecSignatureDate",
    "country",
    "PIC",
    "Organisation",
    "shortName",
    "activityType",
    "subCall",
    "role",
    "ecContribution",
)


def read_participation_summary(
    path: str | Path, classify_with: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The participation table of one participation-summary file.

    Parameters
    ----------
    path : path
    classify_with : pl.DataFrame, optional
        Classified projects (:func:`copub.eu.cordis.classify_projects`):
        ``project_id, legal_basis, topic, programme_part, pillar2``.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    rows = read_text_csv(path.read_bytes(), str(path), SUMMARY_COLUMNS)
    programmes = set(rows["frameworkProgramme"].drop_nulls().str.strip_chars().unique().to_list())
    if programmes - set(FRAMEWORKS):
        raise DataError(
            f"{path}: frameworkProgramme {', '.join(sorted(programmes - set(FRAMEWORKS)))} "
            f"is not one of {', '.join(FRAMEWORKS)}"
        )
    euro = money(rows, "ecContribution", str(path))
    table = rows.with_columns(euro).select(
        framework_programme=pl.col("frameworkProgramme").str.strip_chars(),
        project_id=pl.col("projectID").str.strip_chars(),
        acronym=pl.col("projectAcronym"),
        call=pl.col("subCall").str.strip_chars(),
        signature_year=pl.col("ecSignatureDate").str.slice(0, 4).cast(pl.Int32, strict=False),
        signature_date=signed_on(rows, ("ecSignatureDate", "startDate"), "%Y-%m-%d"),
        action=pl.col("Type of action").str.strip_chars()
        if "Type of action" in rows.columns
        else pl.lit(None, pl.String),
        organisation_id=pl.col("PIC").str.strip_chars(),
        id_kind=pl.lit("pic"),
        vat=pl.lit(None, pl.String),
        organisation_name=pl.col("Organisation").str.strip_chars(),
        short_name=pl.col("shortName").str.strip_chars(),
        activity_type=pl.col("activityType").str.strip_chars(),
        country=pl.col("country").str.strip_chars(),
        role=pl.col("role").str.strip_chars().str.to_lowercase(),
        ec_contribution_eur=pl.col("ecContribution"),
        source=pl.lit("participation-summary"),
    )
    known = (
        classify_with.select("project_id", "legal_basis", "topic", "programme_part", "pillar2")
        if classify_with is not None
        else pl.DataFrame(
            schema={"project_id": pl.String, "legal_basis": pl.String, "topic": pl.String,
                    "programme_part": pl.String, "pillar2": pl.Boolean}
        )
    )  # fmt: skip
    table = (
        table.join(known, on="project_id", how="left")
        .with_columns(
            part_basis=pl.when(pl.col("programme_part").is_not_null())
            .then(pl.lit("legal basis"))
            .otherwise(pl.lit("call id")),
            programme_part=pl.coalesce(
                "programme_part", call_programme_part(pl.col("call"), pl.col("action"))
            ),
        )
        .with_columns(
            pillar2=pl.coalesce(
                "pillar2",
                pillar2(
                    pl.col("legal_basis"),
                    pl.col("programme_part"),
                    pl.concat_str("call", "action", separator=" ", ignore_nulls=True),
                ),
            )
        )
        .drop("action")
    )
    return check_participations(table.cast(dict(PARTICIPATIONS)), str(path))  # type: ignore[arg-type]
