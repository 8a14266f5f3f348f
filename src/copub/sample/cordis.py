"""A synthetic CORDIS world: ``project.csv``, ``organization.csv``, ``legalBasis.csv``, ``topics.csv``.

For Horizon 2020 and Horizon Europe, in CORDIS's headers (``;``-separated,
quoted), with NTNU, its Norwegian peers (UiO, UiB, UiT, NMBU) and invented
universities, institutes and companies in other countries. Only the five
Norwegian universities' names and VAT numbers are real (their VAT numbers
follow from their organisation numbers); every project, PIC, amount and the
other organisations are invented. Each folder has a ``SYNTHETIC.txt``.

When the sample's tables are given, some award ids of their European
Commission funding rows become projects NTNU takes part in (ERC-funded awards
become ERC projects, MSCA awards MSCA projects), so the link from works to
projects has something to find.

Examples
--------
>>> import tempfile, polars as pl
>>> out = write_cordis_sample(tempfile.mkdtemp())
>>> sorted(p.name for p in (out / "horizon-europe").iterdir())
['SYNTHETIC.txt', 'legalBasis.csv', 'organization.csv', 'project.csv', 'topics.csv']
>>> orgs = pl.read_csv(out / "h2020" / "organization.csv", separator=";", infer_schema_length=0)
>>> bool((orgs["vatNumber"] == "NO974767880MVA").any())
True
"""

# ruff: noqa: E501  (doctest output lines cannot be wrapped)
from __future__ import annotations

import io
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

from copub.atomic import atomic_write
from copub.classify.funding import FUNDER_GROUPS
from copub.normalize import Tables

__all__ = ["SAMPLE_FOLDERS", "write_cordis_sample"]

#: Sub-folders written, one per framework programme.
SAMPLE_FOLDERS: Final[dict[str, str]] = {"H2020": "h2020", "HORIZON": "horizon-europe"}

_NOTE = (
    "SYNTHETIC DATA - NOT REAL EU PROJECTS\n\nWritten by copub's synthetic world in CORDIS's "
    "shape. Only the names and VAT numbers of NTNU, UiO, UiB, UiT and NMBU are real;\nevery "
    "project, PIC, amount and other organisation is invented. Never report figures from it.\n"
)

# key, name, short name, country, VAT, pull (relative share of projects)
_NORWEGIAN: Final[tuple[tuple[str, str, str, str, str, float], ...]] = (
    ("ntnu", "NORGES TEKNISK-NATURVITENSKAPELIGE UNIVERSITET NTNU", "NTNU", "NO",
     "NO974767880MVA", 3.0),
    ("uio", "UNIVERSITETET I OSLO", "UiO", "NO", "NO971035854MVA", 3.2),
    ("uib", "UNIVERSITETET I BERGEN", "UiB", "NO", "NO874789542MVA", 2.0),
    ("uit", "UNIVERSITETET I TROMSØ - NORGES ARKTISKE UNIVERSITET", "UiT", "NO",
     "NO970422528MVA", 0.9),
    ("nmbu", "NORGES MILJØ- OG BIOVITENSKAPELIGE UNIVERSITET (NMBU)", "NMBU", "NO",
     "NO969159570MVA", 0.5),
)  # fmt: skip
_COUNTRIES: Final[tuple[str, ...]] = (
    "DE", "FR", "NL", "SE", "DK", "FI", "ES", "IT", "BE", "AT", "PT", "PL", "IE", "CH", "UK", "GR",
)  # fmt: skip

# part: (H2020 legal basis, H2020 topic stem, HE legal basis, HE topic stem)
_PARTS: Final[dict[str, tuple[str | None, str | None, str | None, str | None]]] = {
    "erc": ("H2020-EU.1.1.", "ERC-{y}-STG", "HORIZON.1.1", "ERC-{y}-COG"),
    "msca": ("H2020-EU.1.3.1.", "MSCA-ITN-{y}", "HORIZON.1.2", "HORIZON-MSCA-{y}-DN-01-01"),
    "infrastructures": ("H2020-EU.1.4.1.1.", "INFRAIA-01-{y}", "HORIZON.1.3",
                        "HORIZON-INFRA-{y}-DEV-01-01"),
    "fet_open_proactive": ("H2020-EU.1.2.1.", "FETOPEN-01-{y}", None, None),
    "eic_pathfinder": (None, None, "HORIZON.3.1", "HORIZON-EIC-{y}-PATHFINDEROPEN-01-01"),
    "eic_other": (None, None, "HORIZON.3.1", "HORIZON-EIC-{y}-ACCELERATOR-01"),
    "industrial_leadership": ("H2020-EU.2.1.1.", "ICT-10-{y}", None, None),
    "societal_challenges": ("H2020-EU.3.5.2.", "SC5-01-{y}", None, None),
    **{f"cluster_{k}": (None, None, f"HORIZON.2.{k}", f"HORIZON-CL{k}-{{y}}-01-01")
       for k in range(1, 7)},
    "widening": ("H2020-EU.4.a.", "WIDESPREAD-01-{y}", "HORIZON.4.1",
                 "HORIZON-WIDERA-{y}-ACCESS-01-01"),
}  # fmt: skip
# relative frequency of each part among projects
_H2020_MIX: Final[dict[str, float]] = {
    "erc": 0.12, "msca": 0.25, "infrastructures": 0.03, "fet_open_proactive": 0.02,
    "industrial_leadership": 0.22, "societal_challenges": 0.33, "widening": 0.03,
}  # fmt: skip
_HE_MIX: Final[dict[str, float]] = {
    "erc": 0.16, "msca": 0.28, "infrastructures": 0.02, "eic_pathfinder": 0.03,
    "eic_other": 0.05, **{f"cluster_{k}": 0.07 for k in range(1, 7)}, "widening": 0.04,
}  # fmt: skip
_YEARS: Final[dict[str, tuple[int, int]]] = {"H2020": (2014, 2020), "HORIZON": (2021, 2024)}
_PROJECTS: Final[dict[str, int]] = {"H2020": 900, "HORIZON": 650}
_SOLO = ("erc", "eic_other")


def _organisations(rng: np.random.Generator) -> pl.DataFrame:
    rows: list[tuple[str, str, str, str, str | None, str, float]] = [
        (k, name, short, c, vat, "HES", pull) for k, name, short, c, vat, pull in _NORWEGIAN
    ]
    number = 0
    for country in _COUNTRIES:
        for i in range(4):
            number += 1
            rows.append(
                (
                    f"u{number}",
                    f"SYNTHETIC UNIVERSITY {country}-{i + 1}",
                    f"SU{number}",
                    country,
                    None,
                    "HES",
                    float(rng.lognormal(0.6, 0.6)),
                )
            )  # type: ignore[arg-type]
        for kind in ("REC", "PRC", "PUB"):
            number += 1
            rows.append(
                (
                    f"o{number}",
                    f"SYNTHETIC {kind} ORGANISATION {country}",
                    f"S{kind}{number}",
                    country,
                    None,
                    kind,
                    float(rng.lognormal(0.0, 0.5)),
                )
            )  # type: ignore[arg-type]
    frame = pl.DataFrame(
        rows, schema=["key", "name", "shortName", "country", "vatNumber", "activityType", "pull"],
        orient="row",
    )  # fmt: skip
    return frame.with_columns(
        organisationID=pl.Series([str(880_000_000 + 137 * i) for i in range(frame.height)])
    )


def _csv(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_csv(buffer, separator=";", quote_style="always", line_terminator="\r\n")
    return buffer.getvalue()


def _ec_awards(tables: Tables | None) -> pl.DataFrame:
    """``award_id, part, year`` of the sample's EC funding rows (year: the first work's)."""
    schema = {"award_id": pl.String, "part": pl.String, "year": pl.Int64}
    if tables is None:
        return pl.DataFrame(schema=schema)
    ids = {g.column: g.openalex_ids for g in FUNDER_GROUPS}
    funding = tables.funding.with_columns(
        funder=pl.col("funder_id").str.strip_prefix("https://openalex.org/")
    ).filter(pl.col("funder").is_in(ids["funded_ec"]) & pl.col("award_id").str.contains(r"^\d+$"))
    part = (
        pl.when(pl.col("funder").is_in(ids["funded_erc"])).then(pl.lit("erc"))
        .when(pl.col("funder").is_in(ids["funded_msca"])).then(pl.lit("msca"))
        .otherwise(pl.lit("societal_challenges"))
    )  # fmt: skip
    return (
        funding.join(tables.works.select("work_id", "year"), on="work_id", how="left")
        .select("award_id", part.alias("part"), pl.col("year").cast(pl.Int64))
        .sort("award_id", "year")
        .unique("award_id", keep="first")
        .sort("award_id")
        .cast(schema)  # type: ignore[arg-type]
    )


def _linked_awards(awards: pl.DataFrame) -> list[tuple[str, str, int]]:
    """A deterministic subset of the awards, 20 per framework programme, that become projects.

    Only awards whose first acknowledging work appeared after the programme's
    first year qualify, so no work thanks a project signed after it was published.
    """
    chosen: list[tuple[str, str, int]] = []
    for framework in SAMPLE_FOLDERS:
        first = _YEARS[framework][0]
        rows = awards.filter(
            pl.col("award_id").map_elements(_framework, return_dtype=pl.String) == framework,
            pl.col("year") > first,
            pl.col("award_id").str.slice(-1).is_in(["3", "7"]),
        )
        chosen += [(str(a), str(p), int(y)) for a, p, y in rows.head(20).iter_rows()]
    return chosen


def _framework(award: str) -> str:
    return "HORIZON" if len(award) >= 9 and award.startswith("101") else "H2020"


def _write(out: Path, framework: str, orgs: pl.DataFrame, linked: list[tuple[str, str, int]],
           taken: set[str], rng: np.random.Generator) -> None:  # fmt: skip
    first, last = _YEARS[framework]
    mix = _H2020_MIX if framework == "H2020" else _HE_MIX
    parts = list(mix)
    weights = np.array(list(mix.values()))
    weights = weights / weights.sum()
    pull = orgs["pull"].to_numpy()
    is_ntnu = (orgs["key"] == "ntnu").to_numpy()
    projects: list[dict[str, object]] = []
    participants: list[dict[str, object]] = []
    bases: list[tuple[str, str, str, str | None]] = []
    topics: list[tuple[str, str, str]] = []
    start_id = 640_000 if framework == "H2020" else 101_200_000
    mine = [(a, p, y) for a, p, y in linked if _framework(a) == framework]
    # Random projects never take an id a synthetic work acknowledges by chance.
    free = (str(start_id + 11 * i) for i in range(10 * _PROJECTS[framework]))
    free_ids = [i for i in free if i not in taken][: _PROJECTS[framework]]
    latest = {a: y for a, _, y in mine}
    plan = [(a, p, True) for a, p, _ in mine] + [
        (i, parts[int(rng.choice(len(parts), p=weights))], False) for i in free_ids
    ]
    if framework == "HORIZON":
        plan = [
            (a, f"cluster_{int(a) % 6 + 1}" if p == "societal_challenges" else p, n)
            for a, p, n in plan
        ]
    for number, (project_id, part, with_ntnu) in enumerate(plan):
        lb = _PARTS[part][0 if framework == "H2020" else 2]
        stem = _PARTS[part][1 if framework == "H2020" else 3]
        if lb is None or stem is None:
            part = "msca"
            lb, stem = (
                _PARTS[part][0 if framework == "H2020" else 2],
                _PARTS[part][1 if framework == "H2020" else 3],
            )
        assert lb is not None and stem is not None
        year = int(rng.integers(first, last + 1))
        if project_id in latest:  # signed before its first acknowledging work
            year = max(first, min(year, latest[project_id] - 1))
        topic = stem.format(y=year)
        size = 1 if part in _SOLO else int(rng.integers(3, 12))
        p = pull / pull.sum()
        members = list(rng.choice(orgs.height, size=min(size, orgs.height), replace=False, p=p))
        if with_ntnu and not is_ntnu[members].any():
            members[0] = int(np.flatnonzero(is_ntnu)[0])
        grant = float(np.round(rng.lognormal(14.0, 0.8), 2))
        acronym = f"SYN{framework[:2]}{number:04d}"
        projects.append({
            "id": project_id, "acronym": acronym, "status": "SIGNED",
            "title": f"Synthetic project {acronym}", "startDate": f"{year}-09-01",
            "endDate": f"{year + 4}-08-31", "totalCost": f"{grant * 1.1:.2f}",
            "ecMaxContribution": f"{grant:.2f}", "legalBasis": lb, "topics": topic,
            "ecSignatureDate": f"{year}-06-15", "frameworkProgramme": framework,
            "masterCall": topic.rsplit("-", 1)[0], "subCall": topic, "fundingScheme": "RIA",
            "nature": "", "objective": "SYNTHETIC; invented project.",
            "contentUpdateDate": "2024-12-31 00:00:00", "rcn": str(900_000 + number),
            "grantDoi": "",
        })  # fmt: skip
        shares = rng.dirichlet(np.ones(len(members)))
        for order, (index, share) in enumerate(zip(members, shares, strict=True), start=1):
            org = orgs.row(int(index), named=True)
            participants.append({
                "projectID": project_id, "projectAcronym": acronym,
                "organisationID": org["organisationID"], "vatNumber": org["vatNumber"] or "",
                "name": org["name"], "shortName": org["shortName"], "SME": "false",
                "activityType": org["activityType"], "street": "", "postCode": "", "city": "",
                "country": org["country"], "nutsCode": "", "geolocation": "",
                "organizationURL": "", "contactForm": "",
                "contentUpdateDate": "2024-12-31 00:00:00", "rcn": str(5_000_000 + len(participants)),
                "order": str(order), "role": "coordinator" if order == 1 else "participant",
                "ecContribution": f"{grant * share:.2f}", "netEcContribution": f"{grant * share:.2f}",
                "totalCost": f"{grant * share * 1.1:.2f}", "endOfParticipation": "false",
                "active": "true",
            })  # fmt: skip
        title = {"erc": "European Research Council (ERC)"}.get(part, part)
        bases.append((project_id, lb, title, "true"))
        if framework == "HORIZON" and lb.count(".") == 2:
            bases.append((project_id, lb + ".0", title + " (detail)", None))
        topics.append((project_id, topic, f"Synthetic topic {topic}"))
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "project.csv", _csv(pl.DataFrame(projects)))
    atomic_write(out / "organization.csv", _csv(pl.DataFrame(participants)))
    atomic_write(
        out / "legalBasis.csv",
        _csv(pl.DataFrame(bases, schema=["projectID", "legalBasis", "title",
                                         "uniqueProgrammePart"], orient="row")),
    )  # fmt: skip
    atomic_write(
        out / "topics.csv",
        _csv(pl.DataFrame(topics, schema=["projectID", "topic", "title"], orient="row")),
    )
    atomic_write(out / "SYNTHETIC.txt", _NOTE.encode("utf-8"))


def write_cordis_sample(
    out_dir: str | Path, *, seed: int = 0, tables: Tables | None = None
) -> Path:
    """Write the synthetic CORDIS world under ``out_dir``; return ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Gets ``h2020/`` and ``horizon-europe/``, each with the four CORDIS
        files and ``SYNTHETIC.txt``, and a ``SYNTHETIC.txt`` of its own.
    seed : int
        Same seed (and tables), same files.
    tables : Tables, optional
        The synthetic works: some of their EC award ids become NTNU projects.
    """
    out = Path(out_dir)
    rng = np.random.default_rng([seed, 20_14])
    orgs = _organisations(rng)
    awards = _ec_awards(tables)
    linked = _linked_awards(awards)
    taken = set(awards["award_id"].to_list())
    for framework, folder in SAMPLE_FOLDERS.items():
        _write(out / folder, framework, orgs, linked, taken, rng)
    atomic_write(out / "SYNTHETIC.txt", _NOTE.encode("utf-8"))
    return out
