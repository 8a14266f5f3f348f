"""``copub report --out DIR``: tables, figures and the self-contained report.html."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from PIL import Image

from copub.progress import Progress
from copub.report import ReportOptions, build_report
from copub.report.html import render_html
from report_helpers import report_dir, sample_tables

TABLES = ("yearly", "windows", "period_comparison", "partners", "data_quality")
FIGURES = (
    "international_share",
    "priority_countries",
    "group_shares",
    "level2_share",
    "impact_top10",
    "partner_network",
    "partner_periods",
    "top_partners",
    "mobility_flows",
    "publication_points",
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_dir(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def page(out: Path) -> str:
    return (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", TABLES)
def test_every_table_as_csv_and_parquet_saying_synthetic(out: Path, name: str) -> None:
    csv_path, parquet_path = out / "tables" / f"{name}.csv", out / "tables" / f"{name}.parquet"
    first = csv_path.read_text(encoding="utf-8").splitlines()[0]
    assert not first.startswith("#")
    from_csv = pl.read_csv(csv_path, infer_schema_length=None)
    from_parquet = pl.read_parquet(parquet_path)
    assert from_csv.columns == [*from_parquet.columns, "synthetic"]
    assert from_csv.height == from_parquet.height
    assert set(from_csv["synthetic"]) == {"SYNTHETIC SAMPLE DATA: not real publications"}
    assert from_parquet.height > 0
    metadata = pl.read_parquet_metadata(parquet_path)
    assert metadata["copub.synthetic"] == "true"
    assert json.loads(metadata["copub.provenance"])["provenance"]["synthetic"] is True


def test_tables_hold_what_they_say(out: Path) -> None:
    tables = out / "tables"
    yearly = pl.read_parquet(tables / "yearly.parquet")
    windows = pl.read_parquet(tables / "windows.parquet")
    assert windows["period"][0] == f"{yearly['year'][0]}-{yearly['year'][0] + 3}"
    assert windows.height == yearly.height - 3
    partners = pl.read_parquet(tables / "partners.parquet")
    assert partners["rank"].to_list() == list(range(1, partners.height + 1))
    assert "NO" not in partners["partner_id"].to_list()
    assert partners["works"].is_sorted(descending=True)
    # CSV flattens the list of groups; parquet keeps it a list.
    assert partners.schema["groups"] == pl.List(pl.String)
    csv_partners = pl.read_csv(tables / "partners.csv")
    assert csv_partners.schema["groups"] == pl.String
    assert (tables / "partner_institutions.parquet").is_file()
    quality = pl.read_parquet(tables / "data_quality.parquet")
    assert quality.columns == ["check", "value", "unit", "detail"]
    assert quality.filter(check="channels not in the register")["value"].item() is not None


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_as_png_and_svg(out: Path, name: str) -> None:
    png, svg = out / "figures" / f"{name}.png", out / "figures" / f"{name}.svg"
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 600 and image.height > 300
    svg_text = svg.read_text(encoding="utf-8")
    assert svg_text.lstrip().startswith("<?xml") and "<svg" in svg_text
    assert "SYNTHETIC" in svg_text


def test_own_figures_carry_synthetic_metadata(out: Path) -> None:
    with Image.open(out / "figures" / "international_share.png") as image:
        assert "SYNTHETIC" in image.info["Description"]
        assert image.info["Title"] == "International co-publication share"


def test_provenance_json(out: Path) -> None:
    header = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert header["synthetic"] is True and header["institution"] == "I204778367"
    assert header["options"]["definitions"]["register"].endswith(".csv")
    assert set(header["analyses"]) == {"impact", "eu", "mobility", "points"}


def test_html_sections_in_order(page: str) -> None:
    ids = re.findall(r'<section id="([a-z]+)">', page)
    # Every registered analysis stands where SECTIONS says "analyses", before the data
    # quality, definitions and provenance (issue 24: mobility came after Provenance).
    assert ids == [
        "summary",
        "goals",
        "scope",
        "yearly",
        "figures",
        "partners",
        "impact",
        "eu",
        "mobility",
        "points",
        "quality",
        "definitions",
        "provenance",
    ]


def test_html_is_self_contained_and_fetches_nothing(page: str) -> None:
    from copub.report.html import PAGE_POLICY

    # The only scripts are the partner map's, inline, and the page's policy forbids any
    # request (the browser test checks that none is made).
    assert f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">' in page
    assert "default-src 'none'" in PAGE_POLICY and "connect-src 'none'" in PAGE_POLICY
    assert re.findall(r"<script\b[^>]*\bsrc=", page, flags=re.IGNORECASE) == []
    scripts = [m.start() for m in re.finditer("<script", page, flags=re.IGNORECASE)]
    partners, after = page.index('<section id="partners">'), page.index('<section id="impact">')
    assert scripts and all(partners < at < after for at in scripts)  # the map's, in its place
    assert 'id="copub-map"' in page
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", page)
    # An outside address only as a link a reader may follow (a work's DOI), never fetched.
    for match in re.finditer(r"""href\s*=\s*["']?(https?:)?//""", page):
        assert page[match.start() - 3 : match.start()] == "<a ", page[match.start() - 40 :][:80]
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert re.findall(r"<link\b", page) == []
    sources = re.findall(r'<img src="([^"]{0,30})', page)
    assert len(sources) == len(FIGURES)
    inline = ("data:image/png;base64,", "data:image/svg+xml;base64,")
    assert all(s.startswith(inline) for s in sources)
    # The page stays small enough to email: the network goes in as SVG when that is lighter.
    assert len(page) < 3_000_000
    assert all(re.search(r'<img [^>]*alt="[^"]+"', tag) for tag in re.findall(r"<img [^>]*>", page))


def test_html_says_synthetic_and_states_provenance(page: str) -> None:
    assert page.count("SYNTHETIC SAMPLE") >= 3  # title, banner, provenance, footer
    assert 'class="banner"' in page
    provenance = page[page.index('<section id="provenance">') :]
    for text in ("I204778367", "Norwegian University of Science and Technology", "copub 0.",
                 "Fetched or generated", "synthetic world"):  # fmt: skip
        assert text in provenance
    assert re.search(r"<dt>Years</dt><dd>20\d\d–20\d\d</dd>", provenance)


def test_html_summary_colours_each_goal_as_its_card(page: str) -> None:
    from copub.report.goals import GOALS

    summary = page[page.index('<section id="summary">') : page.index('<section id="goals">')]
    goals = page[page.index('<section id="goals">') : page.index('<section id="scope">')]
    shown = re.findall(r'class="goal-status (\w+)" data-goal="(\w+)"', summary)
    cards = re.findall(r'class="card (\w+)" data-goal="(\w+)"', goals)
    # Every goal, in the catalogue's order, with the status (colour) of its card.
    assert [key for _, key in shown] == [goal.key for goal in GOALS]
    assert shown == cards
    # One row per indicator, each with a change and its interval.
    indicators = sum(len(goal.indicators) for goal in GOALS)
    assert len(re.findall(r"<td class=num>\[[-+]\d+\.\d to [-+]\d+\.\d\]</td>", summary)) == (
        indicators
    )


def test_html_figure_cells_never_wrap(page: str) -> None:
    yearly = page[page.index('<section id="yearly">') : page.index('<section id="figures">')]
    years = re.findall(r"<td class=nowrap>(\d{4})(?: \*)?</td>", yearly)
    assert len(years) >= 2 * 10
    # Nowhere a year (censored or incomplete ones too) in a cell that may wrap.
    assert re.findall(r"<td>\d{4}(?: \*| <abbr[^>]*>\*</abbr>)?</td>", page) == []


def test_html_goals_figures_partners_quality_definitions(page: str) -> None:
    goals = page[page.index('<section id="goals">') : page.index('<section id="scope">')]
    expected = (
        "Increase the share of research co-published with international co-authors",
        "Nordic Five Tech",
        "Horizon Europe",
        "Baseline<span class=ci>2018–2021</span>",
        "Plan<span class=ci>2022–2025</span>",
    )
    assert all(text in goals for text in expected)
    assert re.search(r'class="st (up|down|flat)">[↑↓→]', goals)
    assert "no channel register" not in goals  # the register was given
    partners = page[page.index('<section id="partners">') : page.index('<section id="quality">')]
    assert partners.count("<tr>") >= 2 * 5 and "Top 15 partner countries" in partners
    quality = page[page.index('<section id="quality">') : page.index('<section id="definitions">')]
    assert "duplicates removed" in quality and "Coverage by year" in quality
    definitions = page[page.index('<section id="definitions">') :]
    assert "<code>intl_share</code>" in definitions and "Panorama" in definitions
    assert "CWTS Leiden Ranking Open Edition" in definitions
    assert "<b>leiden</b> (used)" in definitions and "bibliometrix" in definitions


def test_html_without_register_or_figures_degrades_gracefully() -> None:
    data = build_report(
        sample_tables(), ReportOptions(bootstrap=0, top_partners=3), progress=Progress.silent()
    )
    page = render_html(data, [])
    assert "unavailable: no channel register given" in page
    assert "No figures were drawn" in page
    assert "Top 3 partner countries" in page
    partners = page[page.index('<section id="partners">') : page.index('<section id="quality">')]
    assert partners.count("<tr><td class=num>") == 6  # 3 countries + 3 institutions
    table_only = data.with_(partners=None, institution_partners=None, country_network=None)
    assert "The partner review was not computed" in render_html(table_only, [])


def test_workbook_shows_years_as_years_and_shares_as_percentages(out: Path) -> None:
    """LibreOffice showed "2,012" and 0.574 (issue 25.9): years are '0', shares '0.0%',
    and the values stay exact."""
    import openpyxl

    book = openpyxl.load_workbook(out / "report.xlsx")
    sheet = book["yearly"]
    header = [cell.value for cell in sheet[1]]
    year, share = (
        sheet.cell(2, header.index("year") + 1),
        sheet.cell(2, header.index("intl_share") + 1),
    )
    assert year.number_format == "0" and isinstance(year.value, int)
    assert share.number_format == "0.0%" and 0 < share.value < 1
    parquet = pl.read_parquet(out / "tables" / "yearly.parquet")
    assert share.value == pytest.approx(parquet["intl_share"][0], rel=1e-12)


def test_report_prints_on_a4(page: str) -> None:
    assert "@page { size: A4;" in page
