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

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from copub.errors import DataError
from copub.eu.csvfile import money, read_text_csv, signed_on
from copub.eu.programmes import pillar2, programme_part
from copub.eu.schema import PARTICIPATIONS, check_participations, empty_participations

__all__ = [
    "MAX_MEMBER_BYTES",
    "MAX_MEMBER_RATIO",
    "MEMBERS",
    "CordisSource",
    "classify_projects",
    "read_cordis",
]

#: The most a zip member may decompress to. CORDIS's largest member (H2020
#: ``project.csv``, with every project's objective) is about a tenth of this.
MAX_MEMBER_BYTES: Final = 1 << 30
#: The most a member may grow on decompression (decompressed / compressed
#: bytes) once past :data:`_RATIO_FROM`: CORDIS's CSV files grow about 3 to
#: 10 times; a file of blank lines grows a thousand times.
MAX_MEMBER_RATIO: Final = 100
_RATIO_FROM: Final = 16 << 20
_CHUNK: Final = 1 << 20
#: Lines of nothing but white space: dropped while reading (each would cost
#: polars a row of nulls, some 200 bytes, for one byte of file).
_BLANK_LINES = re.compile(rb"(?m)^(?:[ \t\r]*\n)+")

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
                name: (_read_member(archive, where[0], f"{path}:{where[0]}"), f"{path}:{where[0]}")
                for name, where in places.items()
            }
    except zipfile.BadZipFile:
        raise DataError(f"{path}: not a zip file and not a folder: not a CORDIS download") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise DataError(f"{path}: cannot be unpacked ({type(exc).__name__}: {exc})") from None


def _read_member(archive: zipfile.ZipFile, name: str, label: str) -> bytes:
    """A member's bytes, read in chunks, blank lines dropped, refused past the caps.

    The caps (:data:`MAX_MEMBER_BYTES`, :data:`MAX_MEMBER_RATIO`) are checked
    on the size the zip declares and then on the bytes actually decompressed
    (a declared size may lie), so a zip bomb stops at the first chunk past them. A blank line inside a
    quoted field (an objective's paragraph break) is dropped too: copub reads
    no such text.
    """
    info = archive.getinfo(name)
    ratio_cap = MAX_MEMBER_RATIO * max(info.compress_size, 1)
    declared = info.file_size
    if declared > MAX_MEMBER_BYTES or (declared > _RATIO_FROM and declared > ratio_cap):
        raise DataError(_bomb(label, info, declared))  # what it says it holds is already too much
    try:
        return _stream_member(archive, info, label, ratio_cap)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{label}: a damaged zip member ({exc})") from None


def _stream_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, ratio_cap: int
) -> bytes:
    out = io.BytesIO()
    total = 0
    pending = b""
    mid_line = False  # a very long line was written in part: the next bytes end it
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > MAX_MEMBER_BYTES or (total > _RATIO_FROM and total > ratio_cap):
                raise DataError(_bomb(label, info, total))
            data = pending + chunk
            if mid_line:
                end = data.find(b"\n") + 1
                out.write(data[:end] if end else data)
                data, mid_line = (data[end:], False) if end else (b"", True)
            cut = data.rfind(b"\n") + 1
            out.write(_BLANK_LINES.sub(b"", data[:cut]))
            pending = data[cut:]
            if len(pending) > 8 * _CHUNK:  # a line this long is not blank: write it as it comes
                out.write(pending)
                pending, mid_line = b"", True
    if pending.strip():
        out.write(pending)
    return out.getvalue()


def _bomb(label: str, info: zipfile.ZipInfo, total: int) -> str:
    mib = 1 << 20
    return (
        f"{label}: decompresses to more than {total // mib} MiB from "
        f"{info.compress_size / mib:.1f} MiB (the caps are {MAX_MEMBER_BYTES // mib} MiB and "
        f"{MAX_MEMBER_RATIO} times the compressed size): not a CORDIS file; refused unread"
    )


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
