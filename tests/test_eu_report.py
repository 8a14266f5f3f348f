"""The report's EU section: terminal, HTML and files, from the synthetic CORDIS world."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
from tests.conftest import shared_path

import copub
from copub.analyses.eu.present import eu_goal_status, eu_html, eu_lines, present_eu
from copub.eu.analysis import EuInputs, EuParticipation, eu_participation
from copub.progress import Progress
from copub.report import ReportOptions, build_report
from copub.report.files import write_tables
from copub.report.html import render_html
from copub.report.terminal import render_terminal
from copub.sample.cordis import write_cordis_sample


@pytest.fixture(scope="module")
def tables() -> copub.Tables:
    return copub.load_sample(scale=0.01)


@pytest.fixture(scope="module")
def eu(tables: copub.Tables) -> EuParticipation:
    out = write_cordis_sample(Path(tempfile.mkdtemp()), tables=tables)
    result = eu_participation(EuInputs(cordis=(out / "h2020", out / "horizon-europe")))
    return result.with_links(tables)


def test_goal_status_follows_the_numbers(eu: EuParticipation) -> None:
    status = {r["goal"]: r for r in eu_goal_status(eu).iter_rows(named=True)}
    goals = {r["goal"]: r for r in eu.goals.iter_rows(named=True)}
    erc = goals["double_erc"]
    # independent recount of NTNU's ERC projects per programme from the participation rows
    rows = eu.participations.filter(
        (pl.col("organisation") == "ntnu")
        & pl.col("role").is_in(["coordinator", "participant"])
        & (pl.col("programme_part") == "erc")
    )
    per_fp = {fp: len(set(g["project_id"])) for (fp,), g in rows.group_by(["framework_programme"])}
    assert erc["horizon_projects"] == per_fp.get("HORIZON", 0)
    assert erc["h2020_projects"] == per_fp.get("H2020", 0)
    want = (
        "met" if erc["ratio_raw"] >= 2 else "on track" if erc["ratio_pro_rated"] >= 2 else "behind"
    )
    assert status["double_erc"]["status"] == want
    home = eu.standing.filter(organisation="ntnu", framework_programme="HORIZON").row(0, named=True)
    assert status["top20_pillar2"]["status"] == ("met" if home["rank_ec"] <= 20 else "not met")


def test_terminal_section_fits_and_says_synthetic(eu: EuParticipation) -> None:
    lines = eu_lines(eu)
    assert max(len(line) for line in lines) <= 100
    assert "SYNTHETIC" in lines[0]
    text = "\n".join(lines)
    for words in ("Double the ERC portfolio", "Double EIC Pathfinder", "Top 20", "Publications:"):
        assert words in text
    assert "€" not in "\n".join(eu_lines(eu, unicode=False))


def test_report_carries_the_section(tables: copub.Tables, eu: EuParticipation) -> None:
    data = build_report(
        tables, ReportOptions(bootstrap=0), scope="table", progress=Progress.silent()
    ).with_(results=(present_eu(eu),))
    text = render_terminal(data)
    assert "EU programme participation" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    page = render_html(data, [])
    assert '<section id="eu">' in page and "SYNTHETIC EU DATA" in page
    assert eu_html(eu) in page
    with tempfile.TemporaryDirectory() as folder:
        written = {p.name for p in write_tables(data, Path(folder))}
    assert {
        "eu_summary.csv",
        "eu_goals.csv",
        "eu_goal_status.csv",
        "eu_publication_links.csv",
    } <= written


def test_report_without_eu_says_so(tables: copub.Tables) -> None:
    data = build_report(tables, ReportOptions(bootstrap=0), scope="table",
                        progress=Progress.silent())  # fmt: skip
    page = render_html(data, [])
    assert "Unavailable: No EU data was given (--cordis, --norway-grants, or --sample)." in page
    text = render_terminal(data)
    assert "EU programme participation: unavailable. No EU data was given" in text
    assert "Double the ERC portfolio" not in text


def test_norway_grants_goals_are_no_data_and_ranking_incomplete() -> None:
    path = shared_path("eu-grants-norway", "h2020_grants_norway.csv")
    result = eu_participation(EuInputs(norway_grants=path))
    status = dict(eu_goal_status(result).select("goal", "status").iter_rows())
    assert status["double_erc"] == "no data"
    assert status["top20_pillar2"] == "no data"  # no Horizon Europe rows at all
    standing = result.standing.filter(organisation="ntnu")
    assert standing["country_rank_ec"].to_list() == [1]
