"""report.html in a real browser: Debian's headless Chromium, driven over the DevTools pipe.

The test opens ``file://…/report.html`` in a fresh profile and checks that the
page renders without console errors, that every ``<img>`` has loaded
(``naturalWidth > 0``), that no request leaves the file (only the file itself
and its inline ``data:`` images are fetched; host resolution is also switched
off), that the sections come in the agreed order, and it saves a full-page
screenshot next to the test's temporary files. ``.ci/run`` installs Chromium;
without ``/usr/bin/chromium`` the test skips and says so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from copub.report.html import SECTIONS
from report_cdp import BROWSER_TESTS, Browser, visit
from report_helpers import report_dir

pytestmark = BROWSER_TESTS


def test_report_html_renders_in_headless_chromium(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    report = report_dir(tmp_path_factory.getbasetemp()) / "report.html"
    url = report.resolve().as_uri()
    browser = Browser.launch(tmp_path / "profile")
    try:
        page = visit(browser, url)
    finally:
        browser.close()

    assert page.console_errors == []
    assert page.failed_requests == []
    # Only the file itself and the figures inlined in it: nothing leaves the file.
    assert page.requests[0] == url
    inline = ("data:image/png;base64,", "data:image/svg+xml;base64,")
    assert all(r == url or r.startswith(inline) for r in page.requests), [
        r[:80] for r in page.requests
    ]
    # seven trend/network figures, then the impact, mobility and publication-points figures
    assert len(page.images) == 10
    for image in page.images:
        assert image["complete"] and image["naturalWidth"] > 0, image
    # The registered analyses stand where SECTIONS says "analyses", in registry order.
    analyses = ["Citation impact by collaboration type", "EU programme participation",
                "Researcher mobility", "Publication points (NVI)"]  # fmt: skip
    expected = [t for key, title in SECTIONS for t in (analyses if key == "analyses" else [title])]
    assert page.headings == expected

    shot = tmp_path / "report.png"
    shot.write_bytes(page.screenshot)
    with Image.open(shot) as image:
        width, height = image.size
        assert width >= 1000 and height > 3000  # the whole page, not one screen
        # Not a blank page: the picture has plenty of distinct colours.
        colours = image.convert("RGB").resize((200, 200)).getcolors(maxcolors=100_000)
        assert colours is not None and len(colours) > 50
    print(f"screenshot {shot}: {width}x{height} px, {shot.stat().st_size:,} bytes")


def test_yearly_table_and_every_goal_indicator_on_the_page(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import polars as pl

    from copub.report.goals import GOALS
    from report_cdp import evaluate

    out = report_dir(tmp_path_factory.getbasetemp())
    url = (out / "report.html").resolve().as_uri()
    expression = """({
      yearly: Array.from(document.querySelectorAll('#yearly table.yearly')).map(t => ({
        headers: Array.from(t.querySelectorAll('thead th')).map(h => h.textContent),
        years: Array.from(t.querySelectorAll('tbody tr')).map(r => r.cells[0].textContent),
        intervals: t.querySelectorAll('tbody td .ci').length,
        cells: t.querySelectorAll('tbody td.num').length,
        visible: t.getBoundingClientRect().height > 0})),
      cards: Array.from(document.querySelectorAll('#goals .card')).map(c => ({
        goal: c.dataset.goal,
        indicators: Array.from(c.querySelectorAll('li[data-indicator]')).map(li => ({
          indicator: li.dataset.indicator, cls: li.className,
          status: (li.querySelector('.st') || {}).textContent || ''}))}))
    })"""
    browser = Browser.launch(tmp_path / "profile")
    try:
        page = evaluate(browser, url, expression)
    finally:
        browser.close()

    yearly = pl.read_parquet(out / "tables" / "yearly.parquet")
    years = [f"{y}{' *' if p else ''}" for y, p in yearly.select("year", "partial").iter_rows()]
    assert len(page["yearly"]) >= 2  # the goal indicators in page-wide parts
    shown = [h for table in page["yearly"] for h in table["headers"][2:]]
    assert shown[:2] == ["International", "Level 2"] and "MSCA" in shown
    for table in page["yearly"]:
        assert table["visible"] and table["years"] == years
        assert table["headers"][:2] == ["Year", "Works"]
        # every share cell of a complete table carries its interval below it
        assert table["intervals"] == len(years) * (len(table["headers"]) - 2)
    first = page["yearly"][0]["headers"].index("International")
    assert first == 2
    goals = pl.read_parquet(out / "tables" / "goals.parquet")
    assert [c["goal"] for c in page["cards"]] == [g.key for g in GOALS]
    for card, goal in zip(page["cards"], GOALS, strict=True):
        assert [i["indicator"] for i in card["indicators"]] == list(goal.indicators)
        for item in card["indicators"]:
            status = goals.filter(indicator=item["indicator"])["status"].item()
            # The status, then (for a significant change) whether it goes the goal's way.
            classes = item["cls"].split()
            assert classes[:2] == ["ind", status] and item["status"].strip(), item
            assert classes[2:] in ([], ["good"], ["bad"]), item


#: Every figure in a table cell that must not be cut across two lines: a year, a count, a
#: share. For each text node of a table cell, each run of digits (with its separators) and,
#: when the whole node is a figure ("2020", "2025 *", "+0.9 pp"), the whole node: the
#: line boxes of a Range over it must all be on one line.
_BROKEN_FIGURES = r"""(() => {
  const figure = /^[<>+\-−–]?\s*\d[\d\s,.:%*\/+\-−–]*(pp)?$/;
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start); range.setEnd(node, end);
    const tops = Array.from(range.getClientRects()).filter(r => r.width > 0)
      .map(r => Math.round(r.top));
    return new Set(tops).size;
  };
  const broken = []; let checked = 0;
  for (const cell of document.querySelectorAll('table td, table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      const spans = Array.from(text.matchAll(/\d[\d,.]*\d|\d/g),
                               m => [m.index, m.index + m[0].length]);
      const trimmed = text.trim();
      if (trimmed && figure.test(trimmed)) {
        const start = text.indexOf(trimmed);
        spans.push([start, start + trimmed.length]);
      }
      for (const [start, end] of spans) {
        checked += 1;
        if (lines(node, start, end) > 1) broken.push(
          [(cell.closest('section') || {}).id, text.slice(start, end), cell.textContent]);
      }
    }
  }
  return {checked, broken};
})()"""

_TABLE_WIDTHS = (
    "Array.from(document.querySelectorAll('table')).map(t => "
    "[t.scrollWidth, t.parentElement.clientWidth, (t.closest('section')||{}).id])"
)


@dataclass(frozen=True)
class Printed:
    """The report printed once: the PDF, and the layout as on paper (print media, A4 width)."""

    pdf: Path
    headings: list[str]
    #: Each table's width, its box's width, and its section.
    widths: list[list[Any]]
    #: How many figures were looked at, and those cut across lines (section, figure, cell).
    figures: dict[str, Any]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """One browser prints the shared sample report and lays it out as on paper."""
    from report_cdp import evaluate, evaluate_in, open_as_printed, print_to_pdf

    out = report_dir(tmp_path_factory.getbasetemp())
    url = (out / "report.html").resolve().as_uri()
    work = tmp_path_factory.mktemp("printed")
    browser = Browser.launch(work / "profile")
    try:
        pdf = print_to_pdf(browser, url)
        headings = evaluate(
            browser, url, "Array.from(document.querySelectorAll('h2, h3')).map(h => h.textContent)"
        )
        session = open_as_printed(browser, url)
        widths = evaluate_in(browser, session, _TABLE_WIDTHS)
        figures = evaluate_in(browser, session, _BROKEN_FIGURES)
    finally:
        browser.close()
    path = work / "report.pdf"
    path.write_bytes(pdf)
    return Printed(path, headings, widths, figures)


def _page_texts(pdf: Path) -> list[str]:
    """Each page's text; ligatures (the "fi" of "significant") read as their letters."""
    from pypdf import PdfReader

    return [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(pdf).pages]


def test_every_printed_page_says_synthetic_and_keeps_headings_with_tables(
    printed: Printed,
) -> None:
    headings = printed.headings
    assert len(headings) > 10
    texts = _page_texts(printed.pdf)
    assert len(texts) >= 6
    for number, text in enumerate(texts, start=1):
        assert "SYNTHETIC SAMPLE DATA: not real publications" in text, number
        assert f"page {number} of {len(texts)}" in text
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # No page ends on a heading: its table or text follows it on the same page.
        assert lines[-1] not in headings, (number, lines[-1])
    print(f"printed {printed.pdf}: {len(texts)} pages, {printed.pdf.stat().st_size:,} bytes")


def test_every_printed_page_is_a4(printed: Printed) -> None:
    from pypdf import PdfReader

    # A4 is 210 × 297 mm: 595.28 × 841.89 pt. No paper size is asked for when printing,
    # so without the page's own @page size Chromium prints US Letter (612 × 792 pt).
    for number, page in enumerate(PdfReader(printed.pdf).pages, start=1):
        box = page.mediabox
        size = (float(box.width), float(box.height))
        assert abs(size[0] - 595.28) <= 1 and abs(size[1] - 841.89) <= 1, (number, size)


def test_page_one_holds_every_goal_its_status_and_change(
    printed: Printed, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import polars as pl

    from copub.report.goals import GOALS

    texts = _page_texts(printed.pdf)
    first = texts[0]
    assert "SYNTHETIC SAMPLE: these numbers come from generated data" in first
    lines = [" ".join(line.split()) for line in first.splitlines()]
    # Every goal on page 1, on a line of its own with its status in words.
    missing = [g.title for g in GOALS if not any(x.startswith(g.title + " ●") for x in lines)]
    assert missing == [], first

    from copub.report.html_summary import GOAL_STATUS_WORDS

    statuses = set(GOAL_STATUS_WORDS.values())
    for goal in GOALS:
        assert any(
            x.startswith(goal.title) and x.removeprefix(goal.title).strip(" ●") in statuses
            for x in lines
        ), (goal.title, first)
    # Every indicator's change and interval, from the goal table written beside the report.
    out = report_dir(tmp_path_factory.getbasetemp())
    goals = pl.read_parquet(out / "tables" / "goals.parquet")
    assert goals.height >= len(GOALS)
    for row in goals.iter_rows(named=True):
        if row["difference"] is None:
            continue
        change = f"{100 * row['difference']:+.1f} pp"
        interval = f"[{100 * row['difference_low']:+.1f} to {100 * row['difference_high']:+.1f}]"
        assert any(change in x and interval in x for x in lines), (row["indicator"], change)
    # The goal section (cards and the full table) starts page 2: page 1 is the summary alone.
    assert "Development goals and status" not in first
    assert "Development goals and status" in texts[1].splitlines()[2:4], texts[1][:200]


def test_printed_tables_fit_the_page(printed: Printed) -> None:
    widths = printed.widths
    assert len(widths) >= 8
    # Each entry: the table's width, its box's, and the section it is in (for the message).
    assert all(table <= box + 1 for table, box, _ in widths), [
        w for w in widths if w[0] > w[1] + 1
    ]


def test_no_printed_table_cell_cuts_a_year_or_number(printed: Printed) -> None:
    figures = printed.figures
    assert figures["checked"] > 1000  # every yearly, goal, partner and analysis table
    # The "Other goal indicators" tables printed their years as "202" over "0".
    assert figures["broken"] == []
