"""Policy context on every row, card and figure about a partner with a note.

Russia's note (institutional cooperation frozen in March 2022) comes from the
packaged partner groups; every place the report, the ``partners`` analysis and
the partner tables show Russia (or an institution in Russia) shows it, and no
other partner shows a note.
"""

from __future__ import annotations

import re

import polars as pl
import pytest

from copub.analyses.partners.present import terminal_table
from copub.classify import policy_notes
from copub.networks.partners import partner_table
from copub.progress import Progress
from copub.report import ReportOptions, build_report
from copub.report.data import ReportData
from copub.report.html import _partner_rows
from copub.report.html_goals import goals_section
from copub.report.html_yearly import yearly_section
from copub.report.plots import notes_sentence
from copub.report.terminal import render_terminal
from report_helpers import sample_tables

RU = policy_notes()["RU"]


@pytest.fixture(scope="module")
def data() -> ReportData:
    return build_report(
        sample_tables(), ReportOptions(bootstrap=0), scope="table", progress=Progress.silent()
    )


@pytest.fixture(scope="module")
def countries() -> pl.DataFrame:
    return partner_table(sample_tables(), "country")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_only_russia_has_a_note_in_the_packaged_groups() -> None:
    assert set(policy_notes()) == {"RU"} and "March 2022" in RU


def test_the_terminal_report_puts_the_note_under_russia_s_row(data: ReportData) -> None:
    lines = render_terminal(data).splitlines()
    at = next(i for i, line in enumerate(lines) if "Priority country RU" in line)
    below = _flat(" ".join(lines[at + 1 : at + 3]))
    assert f"Policy note: {RU}" in below
    # the note is said once, on Russia's row only
    assert _flat("\n".join(lines)).count("Policy note:") == 1
    assert "Priority country US" in lines[at + 3]


def test_the_goal_card_and_both_tables_show_the_note(data: ReportData) -> None:
    goals = goals_section(data)
    items = re.findall(r'<li class="[^"]*" data-indicator="(\w+)">(.*?)</li>', goals)
    noted = {key for key, body in items if "pnote" in body}
    assert noted == {"priority_RU"}
    assert RU in dict(items)["priority_RU"]
    rows = re.findall(r"<tr><td>(Priority country \w\w)(.*?)</td>", goals)
    assert {label for label, cell in rows if RU in cell} == {"Priority country RU"}
    assert len(rows) > 1  # the other countries' rows are there, without a note
    yearly = yearly_section(data)
    headers = re.findall(r"<th[^>]*>(Priority country \w\w)(.*?)</th>", yearly)
    assert {label for label, cell in headers if RU in cell} == {"Priority country RU"}
    assert data.goals.filter(pl.col("note").is_not_null())["indicator"].to_list() == ["priority_RU"]
    definition = data.definitions.filter(indicator="priority_RU")["definition"].item()
    assert RU in definition


def test_the_partner_tables_carry_the_note(countries: pl.DataFrame) -> None:
    noted = countries.filter(pl.col("note").is_not_null())
    assert noted["partner_id"].to_list() == ["RU"] and noted["note"].item() == RU
    institutions = partner_table(sample_tables(), "institution")
    in_russia = institutions.filter(country="RU")
    assert in_russia.height > 0
    assert all(note == f"RU: {RU}" for note in in_russia["note"])
    assert institutions.filter(pl.col("country") != "RU")["note"].null_count() == (
        institutions.filter(pl.col("country") != "RU").height
    )


def test_the_partners_command_table_and_the_html_rows_show_it(countries: pl.DataFrame) -> None:
    text = terminal_table(countries, "country").splitlines()
    at = next(i for i, line in enumerate(text) if "Russia (RU)" in line)
    assert f"Policy note: {RU}" in _flat(" ".join(text[at + 1 : at + 3]))
    assert _flat("\n".join(text)).count("Policy note:") == 1
    rows = _partner_rows(countries, countries.height, with_country=False)
    noted = [row[1][0] for row in rows if "pnote" in row[1][0]]
    assert len(noted) == 1 and noted[0].startswith("Russia") and RU in noted[0]


def test_figure_captions_name_the_note_of_a_drawn_partner(data: ReportData) -> None:
    assert notes_sentence(data, ["US", "RU", "RU"]) == f" Russia: {RU}."
    assert notes_sentence(data, ["US", "CN"]) == ""


def test_the_markdown_report_notes_russia_s_table(data: ReportData) -> None:
    from copub.report.formats import render_markdown

    lines = render_markdown(data).splitlines()
    at = lines.index("## Priority country RU (`priority_share_RU`)")
    assert lines[at + 2] == f"> Policy note: {RU}"
    assert sum(line.startswith("> Policy note:") for line in lines) == 1


def test_the_partner_map_shows_the_note_of_a_noted_country(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from copub.networks.html_page import partner_map_of, write_partner_map
    from copub.networks.prepared import prepare_network
    from report_cdp import CHROMIUM, Browser

    partner = partner_map_of(prepare_network(sample_tables(), "country"))
    nodes = partner.data["nodes"]
    notes = dict(zip(nodes["id"], nodes["note"], strict=True))
    assert notes["RU"] == RU and {n for n, text in notes.items() if text} == {"RU"}
    if not CHROMIUM.is_file():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} for the page itself")
    from test_networks_page_browser import open_page

    page_file = write_partner_map(partner, tmp_path / "map.html")
    browser = Browser.launch(tmp_path / "profile")
    try:
        page = open_page(browser, page_file)
        tip = "document.getElementById('copub-map-tip').innerText"
        page.js("copubMap.renderer.emit('enterNode', {node: 'RU'})")
        assert "policy note" in page.js(tip) and RU in _flat(page.js(tip))
        page.js("copubMap.renderer.emit('enterNode', {node: 'US'})")
        assert "policy note" not in page.js(tip)
    finally:
        browser.close()


def test_every_partner_figure_of_the_report_names_the_note_of_a_partner_it_draws(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """The partner map, the periods picture and the top-partners picture: their captions.

    A user's group notes the United States, which every one of them draws, and Russia
    keeps its packaged note; each caption names exactly the noted partners it draws.
    """
    from copub.classify import load_groups
    from copub.networks.plot_periods import ego_periods
    from copub.report.files import write_figures

    groups_file = tmp_path / "groups.toml"
    groups_file.write_text(
        '[groups.watch]\nlabel = "Watched"\nkind = "country"\n'
        'source = "this test"\nvintage = "2026"\n'
        'members = [{ code = "US", name = "United States", note = "Under review" }]\n'
    )
    options = ReportOptions(bootstrap=0, groups=load_groups(groups_file))
    data = build_report(sample_tables(), options, progress=Progress.silent())
    assert data.network is not None and data.prepared is not None and data.partners is not None
    drawn = {
        "partner_network": set(map(str, data.network.nodes)),
        "partner_periods": set(ego_periods(data.prepared)["partner"].to_list()),
        "top_partners": set(data.partners.head(10)["partner_id"].to_list()),
    }
    captions = {f.name: _flat(f.caption) for f in write_figures(data, tmp_path / "out")}
    for name, nodes in drawn.items():
        assert "US" in nodes, name
        assert "United States: Under review." in captions[name], name
        assert (_flat(RU) in captions[name]) == ("RU" in nodes), name
