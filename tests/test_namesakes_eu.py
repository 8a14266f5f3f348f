"""The EU goals' arithmetic (issue 26, item 6), on the real files in ../shared/data.

- the EIC Pathfinder goal's baseline is FET Open + FET Proactive (NTNU's FET
  Flagships and FET HPC projects, found by their topics, are shown on their own lines);
- pro-rating by the data's real span (to the latest signature date);
- H2020 rows of the participation summaries classed by call and type of action;
- every role counted, by role.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import polars as pl
import pytest

from conftest import shared_path
from copub.eu import EuInputs, eu_participation
from copub.eu.summaries import read_participation_summary
from copub.eu.summary import GOALS

NTNU = "974767880"
BENEFICIARIES = ("coordinator", "participant")


def _summary(country: str) -> pl.DataFrame:
    path = shared_path("cordis", "participation-summaries", f"{country}_FP_participation.csv")
    return read_participation_summary(path)


def test_the_pathfinder_baseline_is_fet_open_and_proactive() -> None:
    path = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            r
            for r in csv.DictReader(handle, delimiter=";")
            if r["Organisasjonsnummer"] == NTNU and r["Program kode (H2020)"] == "EU.1.2."
        ]
    fet = {r["Prosjektnr"] for r in rows}
    # Plain: the topic says the line; Flagships and HPC did not become the EIC Pathfinder.
    not_predecessor = {
        r["Prosjektnr"] for r in rows if r["Topic kode"].startswith(("FETFLAG", "FETHPC"))
    }
    assert len(fet) == 11 and len(not_predecessor) == 2
    result = eu_participation(EuInputs(norway_grants=path, organisation=(NTNU,)))
    summary = result.summary.filter(pl.col("organisation") == result.home.key)
    projects = dict(summary.select("programme_part", "projects").iter_rows())
    assert projects["fet_open_proactive"] == len(fet - not_predecessor) == 9
    assert (projects["fet_flagships"], projects["fet_hpc"]) == (1, 1)
    parts = result.participations.filter(pl.col("organisation") == "ntnu")
    lines = dict(parts.select("project_id", "programme_part").unique().iter_rows())
    topic = {r["Prosjektnr"]: r["Topic kode"] for r in rows}
    expected = {p: "fet_flagships" if topic[p].startswith("FETFLAG") else "fet_hpc"
                for p in not_predecessor}  # fmt: skip
    assert {p: lines[p] for p in not_predecessor} == expected
    assert set(expected.values()) == {"fet_flagships", "fet_hpc"}
    goal = next(g for g in GOALS if g.key == "double_eic_pathfinder")
    assert goal.h2020_part == "fet_open_proactive"
    # "double" means 18 projects, not 22 (2 x all 11 FET projects).
    assert goal.target * projects[goal.h2020_part] == 18


def test_pro_rating_uses_the_real_span() -> None:
    """An organisation with 1 ERC project in each programme: pro-rated by the data's span, up
    to its latest signature date (read from the file here, not written down)."""
    path = shared_path("cordis", "participation-summaries", "CA_FP_participation.csv")
    rows = _summary("CA")
    last = rows.filter(pl.col("framework_programme") == "HORIZON")["signature_date"].max()
    assert isinstance(last, dt.date) and last.year >= 2024
    erc = rows.filter(pl.col("programme_part") == "erc", pl.col("role").is_in(BENEFICIARIES))
    counts = erc.group_by("organisation_id", "framework_programme").agg(
        n=pl.col("project_id").n_unique()
    )
    both = counts.pivot(on="framework_programme", index="organisation_id", values="n").filter(
        (pl.col("H2020") == 1) & (pl.col("HORIZON") == 1)
    )
    assert both.height, "CA holds an organisation with one ERC project in each programme"
    pic = str(both["organisation_id"][0])
    result = eu_participation(EuInputs(cordis=(path,), organisation=(pic,)))
    row = result.goals.filter(goal="double_erc").row(0, named=True)
    years = (last - dt.date(2021, 1, 1)).days / 365.25
    assert row["horizon_years"] == pytest.approx(years)
    assert row["horizon_span"] == f"2021-01-01 to {last.isoformat()} ({years:.2f} years)"
    assert (row["horizon_projects"], row["h2020_projects"]) == (1, 1)
    # Before: 4 whole years, 1.75 "behind"; the real span gives 2.12, "on track".
    assert row["ratio_pro_rated"] == pytest.approx(7 / years)
    assert row["status"] == "on track"
    assert any(last.isoformat() in note for note in result.notes)


_SOCIETAL = ("SC1", "SC5", "SC6", "SFS", "BG", "RUR", "ISIB", "LC", "LCCI", "MG", "GV", "PHC",
             "HCO", "SEC", "EURO", "WATER", "CS2", "JTI")  # fmt: skip
_INDUSTRIAL = ("ICT", "NMBP", "SPACE", "COMPET", "Galileo")


def _plain_part(call: str) -> str | None:
    """The call family of a summary's subCall, by hand from the H2020 work programmes."""
    family = call.split("-")[1] if call.startswith("H2020-") else ""
    if family in _SOCIETAL:
        return "societal_challenges"
    if family in _INDUSTRIAL:
        return "industrial_leadership"
    return None


@pytest.mark.parametrize(("country", "before"), [("NZ", 4), ("CA", 29)])
def test_summary_rows_of_the_challenges_and_leit_are_not_other(country: str, before: int) -> None:
    rows = _summary(country).filter(
        pl.col("framework_programme") == "H2020", pl.col("role").is_in(BENEFICIARIES)
    )
    checked = 0
    for call, part in rows.select("call", "programme_part").iter_rows():
        plain = _plain_part(call or "")
        if plain is not None:
            assert part == plain, call
            checked += 1
    assert checked > 0
    other = rows.filter(pl.col("programme_part") == "other")["call"].to_list()
    # What stays "other": science with and for society, Euratom, ad hoc, conferences.
    assert all(c.startswith(("H2020-SwafS", "NFRP", "H2020-Adhoc", "H2020-IBA")) for c in other)
    assert len(other) < before
    print(f"{country}: H2020 beneficiary rows classed other {before} -> {len(other)}")
    summary = rows.group_by("programme_part").len()
    assert summary.filter(pl.col("programme_part") == "societal_challenges")["len"].item() > 0


def test_every_role_is_counted_by_role() -> None:
    """Auckland's H2020 MSCA rows are partner rows: 0 beneficiaries, but not 0 MSCA."""
    path = shared_path("cordis", "participation-summaries", "NZ_FP_participation.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        raw = [
            r
            for r in csv.DictReader(handle, delimiter=";")
            if r["Organisation"].upper() == "THE UNIVERSITY OF AUCKLAND"
            and r["frameworkProgramme"] == "H2020"
            and "MSCA" in r["subCall"]
        ]
    by_role = Counter(r["role"].lower() for r in raw)
    assert by_role.get("partner", 0) >= 20
    pic = raw[0]["PIC"]
    result = eu_participation(EuInputs(cordis=(path,), organisation=(pic,)))
    assert result.roles is not None
    msca = result.roles.filter(
        pl.col("organisation") == result.home.key,
        pl.col("framework_programme") == "H2020",
        pl.col("programme_part") == "msca",
    )
    got = dict(msca.select("role", "participations").iter_rows())
    assert got == dict(by_role)
    assert not msca.filter(pl.col("role") == "partner")["in_goals"].item()
    summary = result.summary.filter(
        pl.col("organisation") == result.home.key,
        pl.col("framework_programme") == "H2020",
        pl.col("programme_part") == "msca",
    )
    assert summary["participations"].item() == sum(by_role[r] for r in BENEFICIARIES)
    goals = result.goals.filter(goal="increase_msca")
    assert goals["roles"].item() == "coordinator, participant"
    assert "eu_roles" in result.tables()
