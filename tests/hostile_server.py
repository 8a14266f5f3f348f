"""A hostile OpenAlex look-alike on 127.0.0.1: it answers as a broken or malicious server might.

Each :data:`MODES` entry is one behaviour, served for every ``/works`` request:

- ``loop``: cursors A -> B -> A -> B …, each page with new works;
- ``endless``: a new cursor and a new work on every page, ``meta.count`` 5;
- ``no_count``: a page with no ``meta.count`` (nothing would bound the chain);
- ``count_changes``: a finite chain of 4 pages whose ``meta.count`` differs on each;
- ``html``: 200 with an HTML page (a captive portal, a wrong URL);
- ``redirect_loop``: 302 to itself, for ever;
- ``retry_after``: 503 with ``Retry-After: 86400``;
- ``trickle``: a valid page, one byte every ``trickle_interval`` seconds;
- ``hold``: the connection is accepted and held open, never answered;
- ``echo_401``, ``echo_400``, ``echo_500``: the status with a body that echoes
  the request line and headers (the API key in it).

``stats`` counts requests; ``stop()`` wakes every held or trickling answer.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

__all__ = ["MODES", "HostileServer", "tiny_work"]

MODES = (
    "loop",
    "endless",
    "no_count",
    "count_changes",
    "html",
    "redirect_loop",
    "retry_after",
    "trickle",
    "hold",
    "echo_401",
    "echo_400",
    "echo_500",
)


def tiny_work(n: int, year: int = 2020) -> dict[str, Any]:
    """A minimal valid OpenAlex work record."""
    return {
        "id": f"https://openalex.org/W{900000 + n}",
        "publication_year": year,
        "type": "article",
        "authorships": [
            {
                "author_position": "first",
                "author": {"id": f"https://openalex.org/A{n}", "display_name": f"A {n}"},
                "institutions": [
                    {
                        "id": "https://openalex.org/I204778367",
                        "display_name": "NTNU",
                        "country_code": "NO",
                        "type": "education",
                        "lineage": ["https://openalex.org/I204778367"],
                    }
                ],
                "countries": ["NO"],
            }
        ],
    }


def _page(works: list[dict[str, Any]], count: int | None, next_cursor: str | None) -> bytes:
    meta: dict[str, Any] = {"next_cursor": next_cursor, "per_page": 200}
    if count is not None:
        meta["count"] = count
    return orjson.dumps({"meta": meta, "results": works})


class HostileServer:
    """Threaded HTTP server with one hostile ``mode`` (see :data:`MODES`)."""

    def __init__(self, mode: str, *, trickle_interval: float = 0.2) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.trickle_interval = trickle_interval
        self.stats: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> HostileServer:
        handler = type("Handler", (_Handler,), {"hostile": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def count(self, what: str) -> int:
        with self._lock:
            self.stats[what] += 1
            return self.stats[what]

    def answer(self, path: str, params: dict[str, list[str]]) -> tuple[int, bytes, dict[str, str]]:
        cursor = params.get("cursor", ["*"])[0]
        n = self.count("list")
        mode = self.mode
        if mode == "loop":
            following = {"*": "A", "A": "B", "B": "A"}[cursor] if cursor in "*AB" else "A"
            return 200, _page([tiny_work(n)], 1000, following), {}
        if mode == "endless":
            return 200, _page([tiny_work(n)], 5, f"c{n}"), {}
        if mode == "no_count":
            return 200, _page([tiny_work(n)], None, f"c{n}"), {}
        if mode == "count_changes":
            step = 0 if cursor == "*" else int(cursor[1:])
            following = f"c{step + 1}" if step < 3 else None
            return 200, _page([tiny_work(step)], 4 + 3 * step, following), {}
        if mode == "html":
            body = b"<!DOCTYPE html><html><head><title>Login</title></head><body>Wi</body></html>"
            return 200, body, {"Content-Type": "text/html"}
        if mode == "redirect_loop":
            return 302, b"", {"Location": path}
        if mode == "retry_after":
            return 503, b'{"error": "busy"}', {"Retry-After": "86400"}
        if mode == "trickle":
            return 200, _page([tiny_work(n)], 1, None), {}
        if mode.startswith("echo_"):
            return int(mode[5:]), b"", {}
        raise AssertionError(mode)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hostile: HostileServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _answer(self) -> None:
        server = self.hostile
        parts = urlsplit(self.path)
        if server.mode == "hold":
            server.count("list")
            server.stopping.wait(60)
            self.close_connection = True
            return
        status, body, headers = server.answer(self.path, parse_qs(parts.query))
        if server.mode.startswith("echo_"):
            # What a careless server does: the request, key and all, in the error body.
            echoed = f"{self.requestline}\n{self.headers}"
            body = orjson.dumps({"error": "refused", "message": f"bad request: {echoed}"})
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if server.mode == "trickle":
            for index in range(len(body)):
                if server.stopping.wait(server.trickle_interval):
                    return
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
            return
        self.wfile.write(body)
