"""EU programme participation from CORDIS and the Norwegian grants file, for one home organisation.

Examples
--------
>>> import tempfile
>>> from copub.sample.cordis import write_cordis_sample
>>> folder = write_cordis_sample(tempfile.mkdtemp())
>>> result = eu_participation(EuInputs(cordis=(folder / "h2020", folder / "horizon-europe")))
>>> result.home.key, result.synthetic
('ntnu', True)
>>> sorted(result.summary["framework_programme"].unique())
['H2020', 'HORIZON']
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from copub.errors import DataError
from copub.eu.cordis import read_cordis
from copub.eu.csvfile import header_of
from copub.eu.home import Organisation, load_organisations, match_expr, resolve_organisation
from copub.eu.links import project_links
from copub.eu.norway import read_norway_grants
from copub.eu.ranking import pillar2_ranking
from copub.eu.schema import PARTICIPATIONS, empty_participations
from copub.eu.summaries import read_participation_summary
from copub.eu.summary import horizon_span, programme_goals, programme_roles, programme_summary
from copub.normalize import Tables

__all__ = ["EuInputs", "EuParticipation", "eu_participation", "read_participations"]

SYNTHETIC_MARK = "SYNTHETIC"


@dataclass(frozen=True)
class EuInputs:
    """Where the participation data comes from and whose it is.

    Parameters
    ----------
    cordis : tuple of Path
        CORDIS downloads (zip or folder) and participation-summary CSV files.
    norway_grants : Path, optional
        The Research Council of Norway's H2020 grants file.
    organisations : Path, optional
        A TOML mapping extending the default (NTNU and its peers).
    organisation : tuple of str
        The home organisation first (a mapping key, PIC, VAT, organisation
        number or name), then organisations to compare with; when only one
        is given its mapping's ``peers`` are compared.
    label : str, optional
        How the inputs are named in every output instead of their paths.
    """

    cordis: tuple[Path, ...] = ()
    norway_grants: Path | None = None
    organisations: Path | None = None
    organisation: tuple[str, ...] = ("ntnu",)
    #: How the inputs are named in every output instead of their paths (the synthetic
    #: world's files live in a temporary folder whose name means nothing to a reader).
    label: str | None = None


@dataclass(frozen=True)
class EuParticipation:
    """The EU participation figures of one home organisation and its peers.

    Attributes
    ----------
    home, peers : Organisation
    participations : pl.DataFrame
        Every row read, plus ``home_match`` (how the row matched the home
        organisation: pic, vat, orgnr, name, or null) and ``organisation``
        (the key of the home organisation or peer it belongs to, or null).
    summary : pl.DataFrame
        :func:`copub.eu.summary.programme_summary` per organisation
        (``organisation`` first; the home organisation's rows first).
    goals : pl.DataFrame
        :func:`copub.eu.summary.programme_goals` of the home organisation.
    ranking : pl.DataFrame
        :func:`copub.eu.ranking.pillar2_ranking` of every HES participant.
    standing : pl.DataFrame
        The ranking rows of the home organisation and its peers.
    matches : pl.DataFrame
        ``organisation, source, home_match, rows``: which rows matched and how.
    projects : pl.DataFrame
        One row per project: ``project_id, framework_programme,
        programme_part, acronym, home``.
    sources : tuple of str
    synthetic : bool
        True when any input says it is synthetic (a ``SYNTHETIC.txt`` beside it).
    notes : tuple of str
    links : pl.DataFrame, optional
        :func:`copub.eu.links.project_links`: the works that acknowledge a
        project of the table (set by :meth:`with_links`).
    roles : pl.DataFrame, optional
        :func:`copub.eu.summary.programme_roles` per organisation
        (``organisation`` first): every role, beneficiaries or not.
    """

    home: Organisation
    peers: tuple[Organisation, ...]
    participations: pl.DataFrame
    summary: pl.DataFrame
    goals: pl.DataFrame
    ranking: pl.DataFrame
    standing: pl.DataFrame
    matches: pl.DataFrame
    projects: pl.DataFrame
    sources: tuple[str, ...]
    synthetic: bool
    notes: tuple[str, ...] = field(default=())
    links: pl.DataFrame | None = None
    roles: pl.DataFrame | None = None

    def with_links(self, tables: Tables) -> EuParticipation:
        """A copy with :attr:`links` from the works of ``tables`` (synthetic works: synthetic)."""
        return dataclasses.replace(
            self,
            links=project_links(tables, self.projects),
            synthetic=self.synthetic or tables.provenance.synthetic,
        )

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table written to files, by file stem."""
        out = {
            "eu_summary": self.summary,
            "eu_goals": self.goals,
            "eu_pillar2_ranking": self.ranking,
            "eu_pillar2_standing": self.standing,
            "eu_matches": self.matches,
            "eu_participations": self.participations.filter(pl.col("organisation").is_not_null()),
        }
        if self.roles is not None:
            out["eu_roles"] = self.roles
        if self.links is not None:
            out["eu_publication_links"] = self.links
        return out


def _is_synthetic(path: Path) -> bool:
    marker = path / "SYNTHETIC.txt" if path.is_dir() else path.parent / "SYNTHETIC.txt"
    return marker.is_file() or (path.parent / "SYNTHETIC.txt").is_file()


def _read_csv_input(path: Path) -> str:
    header = header_of(path.read_bytes()[:4096])
    if {"frameworkProgramme", "PIC", "Organisation"} <= set(header):
        return "summary"
    if "Rammeprogram" in header:
        raise DataError(f"{path}: the Norwegian H2020 grants file: pass it with --norway-grants")
    raise DataError(
        f"{path}: not a CORDIS download (a zip or folder with project.csv, organization.csv, "
        "legalBasis.csv, topics.csv) nor a participation summary (frameworkProgramme;projectID;"
        f"…;PIC;Organisation;…); its header starts {';'.join(header[:4])}"
    )


def read_participations(inputs: EuInputs) -> tuple[pl.DataFrame, tuple[str, ...], bool]:
    """Every participation row of ``inputs``, the sources read, and whether any is synthetic."""
    frames: list[pl.DataFrame] = []
    classified: list[pl.DataFrame] = []
    summaries: list[Path] = []
    sources: list[str] = []
    synthetic: list[bool] = []
    for raw in inputs.cordis:
        path = Path(raw)
        if path.is_file() and path.suffix.lower() == ".csv":
            _read_csv_input(path)
            summaries.append(path)
            continue
        source = read_cordis(path)
        classified.append(source.projects)
        frames.append(source.participations)
        sources.append(f"CORDIS {source.framework_programme}: {path}")
        synthetic.append(_is_synthetic(path))
    known = pl.concat(classified) if classified else None
    for path in summaries:
        frames.append(read_participation_summary(path, known))
        sources.append(f"participation summary: {path}")
        synthetic.append(_is_synthetic(path))
    if inputs.norway_grants is not None:
        frames.append(read_norway_grants(inputs.norway_grants))
        sources.append(f"Research Council of Norway H2020 grants: {inputs.norway_grants}")
        synthetic.append(_is_synthetic(Path(inputs.norway_grants)))
    table = pl.concat([empty_participations(), *frames]).cast(dict(PARTICIPATIONS))  # type: ignore[arg-type]
    # One synthetic input makes the whole output synthetic: it must say so.
    return table, tuple(sources), any(synthetic)


def eu_participation(inputs: EuInputs) -> EuParticipation:
    """Read ``inputs`` and compute the summary, the goals and the Pillar 2 ranking.

    Raises
    ------
    UsageError
        When no input is given or an organisation matches nothing.
    DataError
        For an input file copub cannot read (the message names it).
    """
    from copub.errors import UsageError

    if not inputs.cordis and inputs.norway_grants is None:
        raise UsageError("no EU participation data: give --cordis PATH or --norway-grants FILE")
    participations, sources, synthetic = read_participations(inputs)
    mapping = load_organisations(inputs.organisations)
    queries = inputs.organisation or ("ntnu",)
    home = resolve_organisation(queries[0], mapping, participations)
    if len(queries) > 1:
        peers = tuple(resolve_organisation(q, mapping, participations) for q in queries[1:])
    else:
        peers = tuple(mapping[k] for k in home.peers if k in mapping)
    organisations = (home, *peers)
    key = pl.lit(None, pl.String)
    how = pl.lit(None, pl.String)
    for org in reversed(organisations):
        match = match_expr(org)
        key = pl.when(match.is_not_null()).then(pl.lit(org.key)).otherwise(key)
        if org is home:
            how = match
    participations = participations.with_columns(
        home_match=how.alias("home_match"), organisation=key.alias("organisation")
    )
    participations, dropped = _one_source_per_project(participations)
    summaries = []
    for org in organisations:
        rows = participations.filter(pl.col("organisation") == org.key)
        summaries.append(
            programme_summary(rows).select(pl.lit(org.key).alias("organisation"), pl.all())
        )
    summary = pl.concat(summaries)
    roles = pl.concat(
        [
            programme_roles(participations.filter(pl.col("organisation") == org.key)).select(
                pl.lit(org.key).alias("organisation"), pl.all()
            )
            for org in organisations
        ]
    )
    home_rows = participations.filter(pl.col("organisation") == home.key)
    span = horizon_span(participations)
    goals = programme_goals(summary.filter(pl.col("organisation") == home.key), home_rows, span)
    ranking = pillar2_ranking(_ranking_rows(participations))
    ids = (
        participations.select("framework_programme", "organisation_id", "organisation")
        .unique(["framework_programme", "organisation_id", "organisation"])
        .filter(pl.col("organisation").is_not_null())
    )
    standing = ranking.join(ids, on=["framework_programme", "organisation_id"], how="inner")
    matches = (
        participations.filter(pl.col("organisation").is_not_null())
        .with_columns(how=pl.coalesce(match_expr_any(organisations)))
        .group_by("organisation", "source", "how")
        .agg(rows=pl.len().cast(pl.Int64))
        .sort("organisation", "source", "how")
        .rename({"how": "matched_on"})
    )
    projects = (
        participations.group_by("project_id", "framework_programme")
        .agg(
            pl.col("programme_part").first(),
            pl.col("acronym").drop_nulls().first(),
            home=(pl.col("organisation") == home.key).any(),
        )
        .sort("project_id")
    )
    notes: list[str] = []
    if dropped:
        notes.append(
            f"{dropped} participation rows of the compared organisations were given by two "
            "sources (e.g. CORDIS and the Norwegian file); each project counts once, from "
            "CORDIS where it has it."
        )
    if home_rows.is_empty():
        notes.append(f"{home.label} has no participation in the data given.")
    if "HORIZON" not in set(participations["framework_programme"].to_list()):
        notes.append("No Horizon Europe participation data was given: the goals are 'no data'.")
    else:
        covered = span.describe() if span is not None else "no dated row"
        notes.append(
            "Horizon Europe (2021-2027) is still running: ratios are given raw and pro-rated "
            f"by the data's real span ({covered}, to its latest signature date) against "
            "Horizon 2020's seven years."
        )
    notes.append(
        "The summary and the goals count beneficiaries (coordinator, participant); the roles "
        "table (eu_roles) counts every role the data has, MSCA partners and associated "
        "partners included."
    )
    notes.append(
        "The EIC Pathfinder goal compares with H2020's FET Open and FET Proactive, its "
        "predecessors; FET Flagships and FET HPC are shown on their own lines."
    )
    countries = sorted(set(ranking["country"].drop_nulls().to_list()))
    if countries and len(countries) <= 3:
        notes.append(
            "The Pillar 2 ranking covers only the organisations in the data given "
            f"({', '.join(countries)}), not every participant."
        )
    return EuParticipation(
        home=home, peers=peers, participations=participations, summary=summary, goals=goals,
        ranking=ranking, standing=standing, matches=matches, projects=projects,
        sources=(inputs.label,) if inputs.label else sources,
        synthetic=synthetic, notes=tuple(notes), roles=roles,
    )  # fmt: skip


def _priority() -> pl.Expr:
    """Which source wins when several give the same participation: CORDIS, summary, Norway."""
    source = pl.col("source")
    return (
        pl.when(source.str.starts_with("cordis:"))
        .then(0)
        .when(source == "participation-summary")
        .then(1)
        .otherwise(2)
    )


def _one_source_per_project(participations: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop a compared organisation's rows of a project that a better source also gives.

    Returns the table and the number of rows dropped.
    """
    ranked = participations.with_columns(_priority=_priority())
    best = pl.col("_priority").min().over("framework_programme", "project_id", "organisation")
    keep = pl.col("organisation").is_null() | (pl.col("_priority") == best)
    kept = ranked.filter(keep).drop("_priority")
    return kept, participations.height - kept.height


def _ranking_rows(participations: pl.DataFrame) -> pl.DataFrame:
    """Per framework programme, the rows of its best source only (a full download beats a
    country's file), so that no organisation is counted twice under two kinds of id."""
    ranked = participations.with_columns(_priority=_priority())
    best = pl.col("_priority").min().over("framework_programme")
    return ranked.filter(pl.col("_priority") == best).drop("_priority")


def match_expr_any(organisations: tuple[Organisation, ...]) -> pl.Expr:
    """How each row matched the organisation it was given to (first match wins)."""
    expr = pl.lit(None, pl.String)
    for org in reversed(organisations):
        expr = pl.when(pl.col("organisation") == org.key).then(match_expr(org)).otherwise(expr)
    return expr
