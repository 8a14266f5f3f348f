"""The interactive partner map in a real browser: Debian's headless Chromium over the DevTools pipe.

The pages are written by ``copub network --sample --format html``. The test
clicks through them as a user does: a mouse click (``Input.dispatchMouseEvent``)
on a node drawn by sigma.js, then on one of its links in the panel, and reads
the works list the page shows; it must be exactly ``copub.works_between`` for
that link. Another test records every request the page makes. Without
``/usr/bin/chromium`` (``.ci/run`` installs it) the tests skip and say so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import copub
from copub.cli import main
from report_cdp import BROWSER_TESTS, Browser, open_tab

pytestmark = BROWSER_TESTS

SCALE = "0.01"


@dataclass
class Page:
    """One open tab with the page loaded and its map drawn."""

    browser: Browser
    session: str
    url: str
    seconds: float

    def js(self, expression: str) -> Any:
        reply = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
            timeout=60,
        )
        if "exceptionDetails" in reply:
            raise AssertionError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A real left click at page coordinates (move, press, release)."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params: dict[str, Any] = {"type": kind, "x": x, "y": y}
            if kind != "mouseMoved":
                params |= {"button": "left", "clickCount": 1}
            self.browser.send("Input.dispatchMouseEvent", params, session=self.session)
        time.sleep(0.2)

    def click_node(self, node: str) -> None:
        """Click where sigma draws ``node`` on the screen."""
        x, y = self.js(
            f"""(() => {{
              const r = copubMap.renderer, a = copubMap.graph.getNodeAttributes({node!r});
              const p = r.graphToViewport({{x: a.x, y: a.y}});
              const box = document.getElementById('copub-map-graph').getBoundingClientRect();
              return [box.left + p.x, box.top + p.y];
            }})()"""
        )
        self.click(x, y)

    def click_element(self, selector: str) -> None:
        """Scroll ``selector`` into view and click its centre."""
        x, y = self.js(
            f"""(() => {{
              const e = document.querySelector({selector!r});
              e.scrollIntoView({{block: 'center'}});
              const b = e.getBoundingClientRect();
              return [b.left + b.width / 2, b.top + b.height / 2];
            }})()"""
        )
        self.click(x, y)

    def search(self, text: str) -> None:
        """Type ``text`` into the search box and press Enter, as a user does."""
        self.click_element("#copub-map-search")
        self.browser.send("Input.insertText", {"text": text}, session=self.session)
        for kind in ("keyDown", "keyUp"):
            self.browser.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13},
                session=self.session,
            )
        # The camera moves to the node (400 ms); a busy machine may take longer, so wait
        # until it has stopped, then one frame more for sigma to draw where it stopped.
        deadline = time.monotonic() + 15
        time.sleep(0.1)
        while self.js("copubMap.renderer.getCamera().isAnimated()"):
            assert time.monotonic() < deadline, "the camera never stopped moving"
            time.sleep(0.05)
        self.js("new Promise(done => requestAnimationFrame(() => done(true)))")

    def works_listed(self) -> list[str]:
        """The works list the panel shows (all of it: "show all" is clicked if offered)."""
        if self.js("!!document.getElementById('copub-map-all')"):
            self.click_element("#copub-map-all")
        ids: list[str] = self.js(
            "Array.from(document.querySelectorAll('#copub-map-works tbody tr'))"
            ".map(r => r.dataset.work)"
        )
        return ids


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    written = {}
    for kind, extra in (
        ("country", []),
        ("institution", []),
        ("author", ["--max-authors", "40"]),
    ):
        args = ["network", "--sample", "--scale", SCALE, "--kind", kind, "--format", "html"]
        assert main([*args, *extra, "--out", str(out / kind)]) == 0
        written[kind] = out / kind / f"{kind}_network.html"
    return written


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium = Browser.launch(tmp_path_factory.mktemp("profile"))
    try:
        yield chromium
    finally:
        chromium.close()


def open_page(browser: Browser, path: Path) -> Page:
    session = open_tab(browser)
    url = path.resolve().as_uri()
    started = time.perf_counter()
    browser.send("Page.navigate", {"url": url}, session=session)
    page = Page(browser, session, url, 0.0)
    error = page.js(
        "new Promise(done => { const wait = () => window.copubMap && copubMap.ready ?"
        " done(copubMap.error || null) : setTimeout(wait, 20); wait(); })"
    )
    page.seconds = time.perf_counter() - started
    assert error is None
    return page


def test_click_norway_japan_lists_works_between(browser: Browser, pages: dict[str, Path]) -> None:
    page = open_page(browser, pages["country"])
    tables = copub.load_sample(scale=float(SCALE))
    expected = copub.works_between(tables, "NO", "JP")["work_id"].to_list()

    page.click_node("JP")
    assert page.js("document.getElementById('copub-map-selected').dataset.node") == "JP"
    link = page.js(
        "Array.from(document.querySelectorAll('#copub-map-panel button[data-edge]'))"
        ".find(b => b.textContent.startsWith('Norway')).dataset.edge"
    )
    page.click_element(f'#copub-map-panel button[data-edge="{link}"]')
    assert page.js("document.getElementById('copub-map-selected').dataset.edge") == "JP|NO"
    shown = page.works_listed()
    assert shown == expected
    assert page.js("+document.getElementById('copub-map-count').textContent") == len(expected)
    # Each row: year, title, type, first authors, a DOI link and the OpenAlex id.
    works = tables.works.filter(tables.works["work_id"] == expected[0]).row(0, named=True)
    first = page.js(
        "Array.from(document.querySelector('#copub-map-works tbody tr').cells)"
        ".map(c => [c.textContent, (c.querySelector('a') || {}).href || null])"
    )
    assert first[0][0] == str(works["year"]) and first[1][0] == works["title"]
    assert first[4][1] == "https://doi.org/" + works["doi"].removeprefix("https://doi.org/")
    # A synthetic work has no OpenAlex page: its id in words, not a dead link.
    assert first[5][1] is None and first[5][0].startswith(expected[0])
    assert "no OpenAlex page" in first[5][0]

    # The year filter narrows the same list to the works_between of those years.
    year = int(tables.works.filter(tables.works["work_id"] == expected[-1])["year"][0])
    page.js(
        f"(() => {{ for (const id of ['from', 'to']) {{"
        f" document.getElementById('copub-map-' + id).value = '{year}'; }}"
        " document.getElementById('copub-map-to').dispatchEvent("
        "new Event('change', {bubbles: true})); })()"
    )
    in_year = copub.works_between(tables, "NO", "JP", years=(year, year))["work_id"].to_list()
    assert page.works_listed() == in_year

    # The page's own sigma click handler on the link gives the same list.
    page.js(
        "(() => { copubMap.update(); const m = copubMap.model;"
        " document.getElementById('copub-map-from').value = m.years[0];"
        " document.getElementById('copub-map-to').value = m.years[m.years.length - 1];"
        " copubMap.update();"
        " const e = m.edges.find(e =>"
        "   [m.nodes[e.s].id, m.nodes[e.t].id].sort().join() === 'JP,NO');"
        " copubMap.renderer.emit('clickEdge', {edge: 'e' + e.k}); })()"
    )
    assert page.works_listed() == expected
    print(f"country page {pages['country'].stat().st_size:,} bytes, drawn in {page.seconds:.2f} s")


def test_institution_page_lists_the_works_of_home_and_its_first_partner(
    browser: Browser, pages: dict[str, Path]
) -> None:
    page = open_page(browser, pages["institution"])
    tables = copub.load_sample(scale=float(SCALE))
    home, partner = page.js(
        "(() => { const m = copubMap.model, h = m.nodes[m.data.home[0]];"
        " const best = m.edges.filter(e => e.s === h.i || e.t === h.i)"
        "   .sort((a, b) => b.list.length - a.list.length)[0];"
        " return [h.id, m.nodes[best.s === h.i ? best.t : best.s].id]; })()"
    )
    expected = copub.works_between(
        tables, home, partner, kind="institution", max_nodes_per_work=50
    )["work_id"].to_list()
    # Partners crowd around home: find the partner by its id, then click it where it is drawn.
    page.search(partner)
    assert page.js("document.getElementById('copub-map-selected').dataset.node") == partner
    page.click_node(partner)
    assert page.js("document.getElementById('copub-map-selected').dataset.node") == partner
    link = page.js(
        "Array.from(document.querySelectorAll('#copub-map-panel button[data-edge]'))"
        f".find(b => b.textContent.endsWith('({home})')).dataset.edge"
    )
    page.click_element(f'#copub-map-panel button[data-edge="{link}"]')
    assert page.js("document.getElementById('copub-map-selected').dataset.edge") == "|".join(
        sorted([home, partner])
    )
    assert page.works_listed() == expected
    print(f"institution page {pages['institution'].stat().st_size:,} bytes, {page.seconds:.2f} s")


def test_author_page_keeps_its_cap_and_says_so(browser: Browser, pages: dict[str, Path]) -> None:
    page = open_page(browser, pages["author"])
    assert page.js("copubMap.graph.order") == 40
    note = page.js("document.getElementById('copub-map-note').textContent")
    assert "40 authors with most works" in note and "--max-authors 40" in note
    print(f"author page {pages['author'].stat().st_size:,} bytes, {page.seconds:.2f} s")


def test_pages_make_no_network_request(browser: Browser, pages: dict[str, Path]) -> None:
    for kind, path in pages.items():
        page = open_page(browser, path)
        page.click_node(page.js("copubMap.model.nodes[0].id"))
        page.js(
            "copubMap.renderer.emit('clickEdge', {edge: 'e0'});"
            "document.querySelectorAll('#copub-map-works a').length"
        )
        browser.drain(0.5)
        events = [e for e in browser.events if e.get("sessionId") == page.session]
        requests = [
            e["params"]["request"]["url"]
            for e in events
            if e["method"] == "Network.requestWillBeSent"
        ]
        assert requests == [page.url], (kind, requests)
        errors = [e for e in events if e["method"] in ("Runtime.exceptionThrown", "Log.entryAdded")]
        assert [e for e in errors if e["method"] == "Runtime.exceptionThrown"] == [], kind
        assert page.js("!!document.querySelector('.cm-banner')"), kind  # SYNTHETIC banner


def test_country_page_draws_distance_as_copublications_with_home(
    browser: Browser, pages: dict[str, Path]
) -> None:
    """On screen, a partner with more co-publications with home is nearer to home."""
    page = open_page(browser, pages["country"])
    drawn: list[list[Any]] = page.js(
        """(() => {
          const r = copubMap.renderer, m = copubMap.model;
          const at = (id) => { const a = copubMap.graph.getNodeAttributes(id);
                               return r.graphToViewport({x: a.x, y: a.y}); };
          const home = m.nodes.find((n) => n.home), h = at(home.id);
          return m.nodes.filter((n) => !n.home).map((n) => {
            const p = at(n.id);
            const shared = n.list.filter((w) => home.list.includes(w)).length;
            return [n.id, shared, Math.hypot(p.x - h.x, p.y - h.y)];
          });
        })()"""
    )
    assert len(drawn) > 20
    for _, shared_a, distance_a in drawn:
        for _, shared_b, distance_b in drawn:
            if shared_a > shared_b:
                assert distance_a < distance_b
    # The ring guides are drawn (a canvas under the links with ink on it), and the legend
    # says what distance means.
    inked = page.js(
        """(() => {
          const c = document.querySelector('#copub-map-graph canvas.sigma-copubRings');
          if (!c) return 0;
          const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
          return n;
        })()"""
    )
    assert inked > 500
    legend = page.js("document.getElementById('copub-map-legend').textContent")
    assert "distance from centre: co-publications with home" in legend
