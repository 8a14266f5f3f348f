"""Reading CORDIS bulk downloads (H2020 and Horizon Europe): the zip as downloaded, or its folder.

A download holds ``project.csv``, ``organization.csv``, ``legalBasis.csv`` and
``topics.csv`` (and more files copub does not need). A folder or zip with only
``legalBasis.csv`` and ``topics.csv`` is read too: it classifies projects by
id for other inputs (the participation summaries) but has no participants.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> read_cordis(folder)
Traceback (most recent call last):
...
copub.errors.DataError: ... holds none of project.csv, organization.csv, legalBasis.csv, topics.csv: not a CORDIS download
"""

# ruff: noqa: E501  (doctest output lines cannot be wrapped)
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from copub.errors import DataError
from copub.eu.csvfile import money, read_text_csv, signed_on
from copub.eu.programmes import pillar2, programme_part
from copub.eu.schema import PARTICIPATIONS, check_participations, empty_participations

__all__ = ["MEMBERS", "CordisSource", "classify_projects", "read_cordis"]

#: The files of a CORDIS download copub reads, with the columns each must have.
MEMBERS: Final[dict[str, tuple[str, ...]]] = {
    "project.csv": (
        "id", "acronym", "frameworkProgramme", "legalBasis", "topics", "ecSignatureDate",
        "masterCall", "subCall", "fundingScheme",
    ),
    "organization.csv": (
        "projectID", "organisationID", "vatNumber", "name", "shortName", "activityType",
        "country", "role", "ecContribution",
    ),
    "legalBasis.csv": ("projectID", "legalBasis", "uniqueProgrammePart"),
    "topics.csv": ("projectID", "topic"),
}  # fmt: skip

_PROGRAMMES: Final[dict[str, str]] = {"H2020": "H2020-", "HORIZON": "HORIZON"}
_PROJECTS: Final[pl.Schema] = pl.Schema(
    {
        "project_id": pl.String(),
        "framework_programme": pl.String(),
        "legal_basis": pl.String(),
        "topic": pl.String(),
        "programme_part": pl.String(),
        "pillar2": pl.Boolean(),
    }
)


@dataclass(frozen=True)
class CordisSource:
    """One CORDIS download, read.

    Attributes
    ----------
    path : Path
    framework_programme : {"H2020", "HORIZON"}
    projects : pl.DataFrame
        One row per project of ``legalBasis.csv``: ``project_id,
        framework_programme, legal_basis, topic, programme_part, pillar2``.
    participations : pl.DataFrame
        The participation table (empty when the download has no
        ``project.csv``/``organization.csv``).
    """

    path: Path
    framework_programme: str
    projects: pl.DataFrame
    participations: pl.DataFrame


def _members(path: Path) -> dict[str, tuple[bytes, str]]:
    """The wanted members by base name: their bytes and a name for messages.

    A folder or zip holding one of them twice (two downloads side by side) is
    refused: which one is meant cannot be guessed.
    """
    wanted = {name.lower(): name for name in MEMBERS}
    places: dict[str, list[str]] = {}
    if path.is_dir():
        for child in sorted(path.rglob("*.csv")):
            name = wanted.get(child.name.lower())
            if name is not None:
                places.setdefault(name, []).append(str(child))
        _no_duplicates(path, places)
        return {name: (Path(where[0]).read_bytes(), where[0]) for name, where in places.items()}
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            for info in infos:
                name = wanted.get(Path(info.filename).name.lower())
                if name is not None:
                    places.setdefault(name, []).append(info.filename)
            _no_duplicates(path, places)
            return {
                name: (archive.read(where[0]), f"{path}:{where[0]}")
                for name, where in places.items()
            }
    except zipfile.BadZipFile:
        raise DataError(f"{path}: not a zip file and not a folder: not a CORDIS download") from None


def _no_duplicates(path: Path, places: dict[str, list[str]]) -> None:
    for name, where in places.items():
        if len(where) > 1:
            shown = ", ".join(where[:3])
            raise DataError(
                f"{path} holds {len(where)} files named {name} ({shown}): "
                "pass each CORDIS download with its own --cordis"
            )


def _framework_of_codes(codes: pl.Series, where: str) -> str:
    """``H2020`` or ``HORIZON`` from the legal-basis codes, or a :class:`DataError`."""
    counts = {fp: int(codes.str.starts_with(prefix).sum()) for fp, prefix in _PROGRAMMES.items()}
    best = max(counts, key=lambda fp: counts[fp])
    if counts[best] == 0:
        sample = codes.drop_nulls().head(3).to_list()
        raise DataError(
            f"{where}: legal bases {sample} are neither H2020 (H2020-EU.…) nor Horizon Europe "
            "(HORIZON.…): a file of another programme"
        )
    return best


def classify_projects(legal_bases: pl.DataFrame, topics: pl.DataFrame, where: str) -> pl.DataFrame:
    """One row per project id of ``legal_bases``: its main legal basis, topic and programme part.

    The main legal basis is the row marked ``uniqueProgrammePart`` (CORDIS marks one
    per project); a project without a mark takes its first row.

    Examples
    --------
    >>> bases = pl.DataFrame({"projectID": ["1", "1", "2"],
    ...     "legalBasis": ["HORIZON.3.1", "HORIZON.3.1.1", "HORIZON.1.1"],
    ...     "uniqueProgrammePart": ["true", None, "true"]})
    >>> topics = pl.DataFrame({"projectID": ["1", "2"],
    ...     "topic": ["HORIZON-EIC-2022-PATHFINDEROPEN-01", "ERC-2023-STG"]})
    >>> classify_projects(bases, topics, "x")["programme_part"].to_list()
    ['eic_pathfinder', 'erc']
    """
    bases = (
        legal_bases.with_row_index("_row")
        .with_columns(
            _main=pl.col("uniqueProgrammePart").str.strip_chars().str.to_lowercase() == "true"
        )
        .sort(pl.col("_main").fill_null(False), "_row", descending=[True, False])
        .group_by("projectID", maintain_order=True)
        .agg(pl.col("legalBasis").first())
    )
    framework = _framework_of_codes(bases["legalBasis"].str.strip_chars(), where)
    first_topic = topics.group_by("projectID", maintain_order=True).agg(pl.col("topic").first())
    return (
        bases.join(first_topic, on="projectID", how="left")
        .select(
            project_id=pl.col("projectID").str.strip_chars(),
            framework_programme=pl.lit(framework),
            legal_basis=pl.col("legalBasis").str.strip_chars(),
            topic=pl.col("topic"),
        )
        .with_columns(programme_part=programme_part(pl.col("legal_basis"), pl.col("topic")))
        .with_columns(pillar2=pillar2(pl.col("legal_basis"), pl.col("programme_part")))
        .sort("project_id")
        .cast(dict(_PROJECTS))  # type: ignore[arg-type]
    )


def _participations(
    project: pl.DataFrame,
    organization: pl.DataFrame,
    projects: pl.DataFrame,
    framework: str,
    where: dict[str, str],
) -> pl.DataFrame:
    programmes = set(project["frameworkProgramme"].drop_nulls().str.strip_chars().unique())
    # Euratom projects ride along in both downloads; they are classified as "other".
    if programmes - {framework, "EURATOM"} or framework not in programmes:
        others = ", ".join(sorted(programmes - {framework, "EURATOM"})) or "none"
        raise DataError(
            f"{where['project.csv']}: frameworkProgramme is {others}, but the legal bases "
            f"in {where['legalBasis.csv']} are {framework}: files of different programmes"
        )
    contribution = money(organization, "ecContribution", where["organization.csv"])
    orgs = organization.with_columns(contribution).select(
        project_id=pl.col("projectID").str.strip_chars(),
        organisation_id=pl.col("organisationID").str.strip_chars(),
        vat=pl.col("vatNumber").str.strip_chars(),
        organisation_name=pl.col("name").str.strip_chars(),
        short_name=pl.col("shortName").str.strip_chars(),
        activity_type=pl.col("activityType").str.strip_chars(),
        country=pl.col("country").str.strip_chars(),
        role=pl.col("role").str.strip_chars().str.to_lowercase(),
        ec_contribution_eur=pl.col("ecContribution"),
    )
    projects_info = project.select(
        project_id=pl.col("id").str.strip_chars(),
        acronym=pl.col("acronym"),
        call=pl.coalesce(pl.col("subCall"), pl.col("masterCall")),
        signature_year=pl.col("ecSignatureDate").str.slice(0, 4).cast(pl.Int32, strict=False),
        signature_date=signed_on(project, ("ecSignatureDate", "startDate"), "%Y-%m-%d"),
        project_legal_basis=pl.col("legalBasis").str.strip_chars(),
        project_topic=pl.col("topics").str.strip_chars(),
    )
    known = projects.drop("framework_programme")
    joined = (
        orgs.join(projects_info, on="project_id", how="left")
        .join(known, on="project_id", how="left")
        .with_columns(
            part_basis=pl.when(pl.col("programme_part").is_not_null())
            .then(pl.lit("legal basis"))
            .otherwise(pl.lit("project legal basis")),
            legal_basis=pl.coalesce("legal_basis", "project_legal_basis"),
            topic=pl.coalesce("topic", "project_topic"),
        )
        .with_columns(
            programme_part=pl.coalesce(
                "programme_part", programme_part(pl.col("legal_basis"), pl.col("topic"))
            )
        )
        .with_columns(
            pillar2=pl.coalesce("pillar2", pillar2(pl.col("legal_basis"), pl.col("programme_part")))
        )
    )
    orphans = joined.filter(pl.col("acronym").is_null() & pl.col("call").is_null())
    if orphans.height:
        raise DataError(
            f"{where['organization.csv']}: {orphans.height} rows name projects that are not in "
            f"{where['project.csv']} (e.g. {orphans['project_id'][0]})"
        )
    table = joined.with_columns(
        framework_programme=pl.lit(framework),
        id_kind=pl.lit("pic"),
        source=pl.lit(f"cordis:{framework}"),
    ).select(PARTICIPATIONS.names())
    return check_participations(table.cast(dict(PARTICIPATIONS)), where["organization.csv"])  # type: ignore[arg-type]


def read_cordis(path: str | Path) -> CordisSource:
    """Read one CORDIS download (zip or folder) of H2020 or Horizon Europe.

    Raises
    ------
    DataError
        When the path holds none of the expected files, lacks one of them,
        has a file with other headers, or mixes programmes. The message names
        the file.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    found = _members(path)
    names = ", ".join(MEMBERS)
    if not found:
        raise DataError(f"{path} holds none of {names}: not a CORDIS download")
    where = {name: label for name, (_, label) in found.items()}
    if "legalBasis.csv" not in found:
        raise DataError(f"{path} lacks legalBasis.csv (a CORDIS download has {names})")
    has_participants = {"project.csv", "organization.csv"} & set(found)
    if has_participants and not {"project.csv", "organization.csv", "topics.csv"} <= set(found):
        missing = sorted({"project.csv", "organization.csv", "topics.csv"} - set(found))
        raise DataError(f"{path} lacks {', '.join(missing)} (a CORDIS download has {names})")
    frames = {
        name: read_text_csv(data, label, MEMBERS[name]) for name, (data, label) in found.items()
    }
    topics = frames.get(
        "topics.csv", pl.DataFrame(schema={"projectID": pl.String, "topic": pl.String})
    )
    projects = classify_projects(frames["legalBasis.csv"], topics, where["legalBasis.csv"])
    framework = str(projects["framework_programme"][0]) if projects.height else "HORIZON"
    participations = empty_participations()
    if has_participants:
        participations = _participations(
            frames["project.csv"], frames["organization.csv"], projects, framework, where
        )
    return CordisSource(path, framework, projects, participations)
