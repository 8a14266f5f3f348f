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

from pathlib import Path

import pytest
from PIL import Image

from copub.report.html import SECTIONS
from report_cdp import CHROMIUM, Browser, visit
from report_helpers import report_dir

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)",
)


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


def test_every_printed_page_says_synthetic_and_keeps_headings_with_tables(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from pypdf import PdfReader

    from report_cdp import evaluate, print_to_pdf

    out = report_dir(tmp_path_factory.getbasetemp())
    url = (out / "report.html").resolve().as_uri()
    browser = Browser.launch(tmp_path / "profile")
    try:
        pdf = print_to_pdf(browser, url)
        headings = evaluate(
            browser, url, "Array.from(document.querySelectorAll('h2, h3')).map(h => h.textContent)"
        )
    finally:
        browser.close()
    assert len(headings) > 10
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) >= 6
    for number, text in enumerate(texts, start=1):
        assert "SYNTHETIC SAMPLE DATA: not real publications" in text, number
        assert f"page {number} of {len(texts)}" in text
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # No page ends on a heading: its table or text follows it on the same page.
        assert lines[-1] not in headings, (number, lines[-1])
    print(f"printed {path}: {len(texts)} A4 pages, {path.stat().st_size:,} bytes")


def test_printed_tables_fit_the_page(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = report_dir(tmp_path_factory.getbasetemp())
    url = (out / "report.html").resolve().as_uri()
    browser = Browser.launch(tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        browser.send("Page.enable", session=session)
        browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        # A4 less the 13 mm side margins, at 96 px per inch.
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 695, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        browser.events.clear()
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_for_event("Page.loadEventFired")
        widths = browser.send(
            "Runtime.evaluate",
            {
                "expression": "Array.from(document.querySelectorAll('table')).map(t => "
                "[t.scrollWidth, t.parentElement.clientWidth, (t.closest('section')||{}).id])",
                "returnByValue": True,
            },
            session=session,
        )["result"]["value"]
    finally:
        browser.close()
    assert len(widths) >= 8
    # Each entry: the table's width, its box's, and the section it is in (for the message).
    assert all(table <= box + 1 for table, box, _ in widths), [
        w for w in widths if w[0] > w[1] + 1
    ]
