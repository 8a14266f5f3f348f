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
    assert len(page.images) == 7  # six trend/network figures + the impact figure
    for image in page.images:
        assert image["complete"] and image["naturalWidth"] > 0, image
    assert page.headings == [title for _, title in SECTIONS]

    shot = tmp_path / "report.png"
    shot.write_bytes(page.screenshot)
    with Image.open(shot) as image:
        width, height = image.size
        assert width >= 1000 and height > 3000  # the whole page, not one screen
        # Not a blank page: the picture has plenty of distinct colours.
        colours = image.convert("RGB").resize((200, 200)).getcolors(maxcolors=100_000)
        assert colours is not None and len(colours) > 50
    print(f"screenshot {shot}: {width}x{height} px, {shot.stat().st_size:,} bytes")
