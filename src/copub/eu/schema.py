"""The EU participation table: one row per organisation × project, with a declared schema.

Examples
--------
>>> empty_participations().columns[:4]
['framework_programme', 'project_id', 'acronym', 'programme_part']
>>> PART_LABELS["eic_pathfinder"]
'EIC Pathfinder'
"""

# ruff: noqa: E501  (doctest output lines cannot be wrapped)
from __future__ import annotations

from typing import Final, Literal, get_args

import polars as pl

from copub.errors import DataError

__all__ = [
    "BENEFICIARY_ROLES",
    "FRAMEWORKS",
    "PARTICIPATIONS",
    "PART_LABELS",
    "FrameworkProgramme",
    "ProgrammePart",
    "check_participations",
    "empty_participations",
]

FrameworkProgramme = Literal["FP7", "H2020", "HORIZON"]
FRAMEWORKS: Final[tuple[str, ...]] = get_args(FrameworkProgramme)

ProgrammePart = Literal[
    "erc",
    "msca",
    "infrastructures",
    "fet_open_proactive",
    "fet_flagships",
    "fet_hpc",
    "fet",
    "eic_pathfinder",
    "eic_other",
    "cluster_1",
    "cluster_2",
    "cluster_3",
    "cluster_4",
    "cluster_5",
    "cluster_6",
    "industrial_leadership",
    "societal_challenges",
    "widening",
    "other",
]

#: A person's name for each programme part.
PART_LABELS: Final[dict[str, str]] = {
    "erc": "ERC",
    "msca": "MSCA",
    "infrastructures": "Research infrastructures",
    "fet_open_proactive": "FET Open and Proactive (EIC Pathfinder's predecessor)",
    "fet_flagships": "FET Flagships",
    "fet_hpc": "FET HPC",
    "fet": "FET, line not known",
    "eic_pathfinder": "EIC Pathfinder",
    "eic_other": "EIC other",
    "cluster_1": "Cluster 1 Health",
    "cluster_2": "Cluster 2 Culture, creativity, society",
    "cluster_3": "Cluster 3 Civil security",
    "cluster_4": "Cluster 4 Digital, industry, space",
    "cluster_5": "Cluster 5 Climate, energy, mobility",
    "cluster_6": "Cluster 6 Food, bioeconomy, environment",
    "industrial_leadership": "Industrial leadership",
    "societal_challenges": "Societal challenges",
    "widening": "Widening",
    "other": "Other",
}
assert tuple(PART_LABELS) == get_args(ProgrammePart)

#: The roles of the organisations that sign the grant and receive its money.
BENEFICIARY_ROLES: Final[tuple[str, ...]] = ("coordinator", "participant")

#: The participation table's schema. ``organisation_id`` is the CORDIS PIC or,
#: for the Norwegian grants file, the Norwegian organisation number.
PARTICIPATIONS: Final[pl.Schema] = pl.Schema(
    {
        "framework_programme": pl.String(),
        "project_id": pl.String(),
        "acronym": pl.String(),
        "programme_part": pl.String(),
        "pillar2": pl.Boolean(),
        "legal_basis": pl.String(),
        "part_basis": pl.String(),
        "topic": pl.String(),
        "call": pl.String(),
        "signature_year": pl.Int32(),
        "signature_date": pl.Date(),
        "organisation_id": pl.String(),
        "id_kind": pl.String(),
        "vat": pl.String(),
        "organisation_name": pl.String(),
        "short_name": pl.String(),
        "activity_type": pl.String(),
        "country": pl.String(),
        "role": pl.String(),
        "ec_contribution_eur": pl.Float64(),
        "source": pl.String(),
    }
)


def empty_participations() -> pl.DataFrame:
    """A participation table with no rows."""
    return pl.DataFrame(schema=PARTICIPATIONS)


def check_participations(table: pl.DataFrame, where: str) -> pl.DataFrame:
    """Return ``table`` in the declared column order, or raise :class:`DataError`.

    Examples
    --------
    >>> check_participations(pl.DataFrame({"x": [1]}), "test.csv")
    Traceback (most recent call last):
    ...
    copub.errors.DataError: test.csv: participation table lacks columns acronym, activity_type, call, ...
    """
    missing = sorted(set(PARTICIPATIONS) - set(table.columns))
    if missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise DataError(f"{where}: participation table lacks columns {shown}")
    table = table.select(PARTICIPATIONS.names())
    wrong = [n for n, t in PARTICIPATIONS.items() if table.schema[n] != t]
    if wrong:
        raise DataError(f"{where}: participation columns of the wrong type: {', '.join(wrong)}")
    parts = set(table["programme_part"].drop_nulls().unique().to_list())
    unknown = parts - set(PART_LABELS)
    if unknown or table["programme_part"].null_count():
        raise DataError(f"{where}: unclassified programme parts {sorted(unknown)}")
    return table
