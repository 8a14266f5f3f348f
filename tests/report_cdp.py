"""A small Chrome DevTools Protocol driver for the report's browser test.

Chromium is started headless with ``--remote-debugging-pipe``: it reads
commands from file descriptor 3 and writes replies and events to descriptor
4, each message a JSON object ended by a NUL byte. A pipe needs no port, no
websocket library and no browser download.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")

#: The marks of a module of browser tests: skipped without Chromium, and slow.
BROWSER_TESTS = [
    pytest.mark.skipif(
        not CHROMIUM.is_file(),
        reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)",
    ),
    pytest.mark.slow,  # drives a browser
]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    # Nothing may leave the machine even if the page asked for it; the
    # request is still recorded by the Network domain, which is what we test.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1280,900",
    "--remote-debugging-pipe",
)


class CdpError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


@dataclass
class Browser:
    """A headless Chromium driven over the DevTools pipe."""

    process: subprocess.Popen[bytes]
    to_browser: int
    from_browser: int
    events: list[dict[str, Any]] = field(default_factory=list)
    _buffer: bytes = b""
    _next_id: int = 0

    @classmethod
    def launch(cls, profile: Path, chromium: Path = CHROMIUM) -> Browser:
        """Start Chromium with a fresh profile directory."""
        command_read, command_write = os.pipe()
        reply_read, reply_write = os.pipe()

        def wire_pipes() -> None:
            # Move both ends above 9 first, so the dup2 onto 3 and 4 cannot
            # overwrite one of them.
            high_in = fcntl.fcntl(command_read, fcntl.F_DUPFD, 10)
            high_out = fcntl.fcntl(reply_write, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        process = subprocess.Popen(
            [str(chromium), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes,
            pass_fds=(3, 4),
        )
        os.close(command_read)
        os.close(reply_write)
        return cls(process, command_write, reply_read)

    def close(self) -> None:
        """Ask the browser to quit, then make sure it has."""
        with contextlib.suppress(CdpError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self.to_browser, self.from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CdpError("timed out waiting for the browser")
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise CdpError("the browser closed the DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Send a command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CdpError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for_event(self, method: str, *, timeout: float = 30.0) -> dict[str, Any]:
        """Wait until an event named ``method`` has arrived (or had arrived)."""
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event["method"] == method:
                return event
        while True:
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message

    def drain(self, seconds: float) -> None:
        """Collect events for a little while (late console messages, image decodes)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                message = self._read_message(deadline)
                if "method" in message:
                    self.events.append(message)
        except CdpError:
            pass


@dataclass(frozen=True)
class PageVisit:
    """What a page did when opened."""

    requests: list[str]
    failed_requests: list[str]
    console_errors: list[str]
    images: list[dict[str, Any]]
    headings: list[str]
    screenshot: bytes


def open_tab(browser: Browser) -> str:
    """A new blank tab with its Page, Runtime, Log and Network events on; its session id."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session: str = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.events.clear()
    return session


def visit(browser: Browser, url: str) -> PageVisit:
    """Open ``url`` in a new tab; record requests, errors, images, headings and a screenshot."""
    session = open_tab(browser)
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for_event("Page.loadEventFired")
    browser.drain(0.5)
    images = browser.send(
        "Runtime.evaluate",
        {
            "expression": "Array.from(document.images).map(i => ({complete: i.complete, "
            "naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight, alt: i.alt}))",
            "returnByValue": True,
        },
        session=session,
    )["result"]["value"]
    headings = browser.send(
        "Runtime.evaluate",
        {
            "expression": "Array.from(document.querySelectorAll('h2')).map(h => h.textContent)",
            "returnByValue": True,
        },
        session=session,
    )["result"]["value"]
    metrics = browser.send("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = browser.send(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
        session=session,
        timeout=60,
    )
    import base64

    events = [e for e in browser.events if e.get("sessionId") == session]
    requests = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    failed = [
        e["params"].get("errorText", "") for e in events if e["method"] == "Network.loadingFailed"
    ]
    errors = [
        " ".join(str(a.get("value", a.get("description", ""))) for a in e["params"]["args"])
        for e in events
        if e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert")
    ]
    errors += [
        e["params"]["exceptionDetails"].get("text", "exception")
        for e in events
        if e["method"] == "Runtime.exceptionThrown"
    ]
    errors += [
        f"{e['params']['entry'].get('source')}: {e['params']['entry'].get('text')}"
        for e in events
        if e["method"] == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"
    ]
    return PageVisit(
        requests=requests,
        failed_requests=failed,
        console_errors=errors,
        images=images,
        headings=headings,
        screenshot=base64.b64decode(shot["data"]),
    )


def print_to_pdf(browser: Browser, url: str) -> bytes:
    """Open ``url`` in a new tab and print it to PDF (print stylesheet, backgrounds).

    The paper is the page's own ``@page`` size (``preferCSSPageSize``); no paper
    size is passed, so a page without one prints on Chromium's default, US Letter.
    """
    import base64

    session = open_tab(browser)
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for_event("Page.loadEventFired")
    browser.drain(0.3)
    pdf = browser.send(
        "Page.printToPDF",
        {"printBackground": True, "preferCSSPageSize": True},
        session=session,
        timeout=120,
    )
    return base64.b64decode(pdf["data"])


def evaluate(browser: Browser, url: str, expression: str) -> Any:
    """Open ``url`` in a new tab and return the value of a JavaScript ``expression``."""
    session = open_tab(browser)
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for_event("Page.loadEventFired")
    return evaluate_in(browser, session, expression)


#: A4's width less the report's 13 mm side margins, in CSS pixels (96 per inch).
A4_CONTENT_WIDTH = 695


def open_as_printed(browser: Browser, url: str, width: int = A4_CONTENT_WIDTH) -> str:
    """Open ``url`` in a new tab laid out as on paper (print media, A4 width); its session id."""
    session = open_tab(browser)
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        session=session,
    )
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for_event("Page.loadEventFired")
    return session


def evaluate_in(browser: Browser, session: str, expression: str) -> Any:
    """The value of a JavaScript ``expression`` in an open tab."""
    result = browser.send(
        "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session
    )
    return result["result"].get("value")
