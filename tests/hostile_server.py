"""A hostile OpenAlex look-alike on 127.0.0.1: it answers as a broken or malicious server might.

Each :data:`MODES` entry is one behaviour, served for every ``/works`` request:

- ``loop``: cursors A -> B -> A -> B …, each page with new works;
- ``endless``: a new cursor and ten new works on every page, ``meta.count`` 5;
- ``endless_small``: the same with 50 works on the first page and one on each after;
- ``no_count``: a page with no ``meta.count`` (nothing would bound the chain);
- ``count_changes``: a finite chain of 4 pages whose ``meta.count`` differs on each;
- ``html``: 200 with an HTML page (a captive portal, a wrong URL);
- ``redirect_loop``: 302 to itself, for ever;
- ``retry_after``: 503 with ``Retry-After: 86400``;
- ``trickle``: a valid page, one byte every ``trickle_interval`` seconds;
- ``hold``: the connection is accepted and held open, never answered;
- ``echo_401``, ``echo_400``, ``echo_500``: the status with a body that echoes
  the request line and headers (the API key in it).

Round 3 (issue 27):

- ``bad_work_id``, ``year_twenty``, ``bad_author``, ``first_key``, ``nul_id``: a
  page of two works whose second record the table builder refuses (a malformed
  id, ``"publication_year": "twenty"``, an author id that is a list, a page whose
  first key is not ``meta``, an id with a NUL); the first ``bad_answers`` answers
  are poisoned, then the page is healthy;
- ``long_id``: a healthy page whose second work has a 300-digit id and truncated authors;
- ``truncated_full``: a work with truncated authors whose ``/works/W…`` is truncated too;
- ``huge_count``: ``meta.count`` 10**12, one work a page, endless cursors; after
  ``limit`` list requests it answers 503 (so a run that is not bounded fails otherwise);
- ``redirect_host``: 302 to ``redirect_to`` with the request's path and query (key and
  all); ``redirect_file``: 302 to ``file:///etc/passwd``; ``redirect_bad``: 302 to
  ``http://[::1``;
- ``gzip_bomb``: a valid page padded to ``bomb_mb`` MB of spaces, sent gzipped (a few KB);
- ``endless_body``: 200, chunked, spaces for ever (at most ``bomb_mb`` MB, then it ends);
- ``cut_echo_500``: 500, JSON ``message`` with the key at character 290 (a cut at 300);
  ``text_echo_500``: 500, plain text with the key at byte 190 (a cut at 200) and the key
  as sent, URL-decoded (a key with a newline keeps it);
- ``ansi_500``: 500 whose message sets the window title and clears the screen;
- ``slow_header``: the status line at once, then the headers one byte every
  ``trickle_interval`` seconds.

``stats`` counts requests (``"list"``, ``"work"``, ``"key:<api_key>"`` for each key
received); ``stop()`` wakes every held or trickling answer.
"""

from __future__ import annotations

import functools
import gzip
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
    "endless_small",
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
    "bad_work_id",
    "year_twenty",
    "bad_author",
    "first_key",
    "nul_id",
    "long_id",
    "truncated_full",
    "huge_count",
    "redirect_host",
    "redirect_file",
    "redirect_bad",
    "gzip_bomb",
    "endless_body",
    "cut_echo_500",
    "text_echo_500",
    "ansi_500",
    "slow_header",
)
#: Modes whose page has one record the table builder refuses.
POISONS = ("bad_work_id", "year_twenty", "bad_author", "nul_id")
_ANSI = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"


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


@functools.cache
def _bomb(mb: int) -> bytes:
    """A valid page padded with ``mb`` MB of spaces, gzipped (about 1 KB a MB)."""
    head = _page([tiny_work(1)], 1, None)
    return gzip.compress(head[:-1] + b" " * (mb << 20) + b"}", 9)


def poisoned_page(mode: str) -> bytes:
    """Two works, the second of which the table builder refuses (see :data:`POISONS`)."""
    good, bad = tiny_work(1), tiny_work(2)
    if mode == "bad_work_id":
        bad["id"] = "https://openalex.org/Wnot-a-number"
    elif mode == "year_twenty":
        bad["publication_year"] = "twenty"
    elif mode == "bad_author":
        bad["authorships"][0]["author"]["id"] = ["https://openalex.org/A1"]
    elif mode == "nul_id":
        bad["id"] = "https://openalex.org/W900002\u0000"
        bad["is_authors_truncated"] = True
    elif mode == "first_key":
        meta = {"next_cursor": None, "per_page": 200, "count": 2}
        return orjson.dumps({"note": "x", "meta": meta, "results": [good, bad]})
    return _page([good, bad], 2, None)


class HostileServer:
    """Threaded HTTP server with one hostile ``mode`` (see :data:`MODES`)."""

    def __init__(
        self,
        mode: str,
        *,
        trickle_interval: float = 0.2,
        host: str = "127.0.0.1",
        bad_answers: int = 1_000,
        limit: int = 300,
        redirect_to: str = "",
        bomb_mb: int = 64,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        if not host.startswith("127."):
            raise ValueError("loopback only")
        self.mode = mode
        self.trickle_interval = trickle_interval
        self.host = host
        self.bad_answers = bad_answers
        self.limit = limit
        self.redirect_to = redirect_to
        self.bomb_mb = bomb_mb
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
        if self.mode == "gzip_bomb":
            _bomb(self.bomb_mb)  # made once, before the first request waits for it
        self._httpd = ThreadingHTTPServer((self.host, 0), handler)
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

    def work(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        """``/works/W…``: the full record (truncated too in ``truncated_full``)."""
        self.count("work")
        wid = path.rsplit("/", 1)[-1]
        if not wid[1:].isdigit():
            return 404, b'{"error": "not found"}', {}
        record = tiny_work(int(wid[1:]) - 900000)
        record["is_authors_truncated"] = self.mode == "truncated_full"
        return 200, orjson.dumps(record), {}

    def answer(self, path: str, params: dict[str, list[str]]) -> tuple[int, bytes, dict[str, str]]:
        if urlsplit(path).path.startswith("/works/"):
            return self.work(urlsplit(path).path)
        cursor = params.get("cursor", ["*"])[0]
        n = self.count("list")
        mode = self.mode
        if mode in (*POISONS, "first_key"):
            if n <= self.bad_answers:
                return 200, poisoned_page(mode), {}
            return 200, _page([tiny_work(1), tiny_work(2)], 2, None), {}
        if mode == "long_id":
            long = tiny_work(2)
            long["id"] = "https://openalex.org/W" + "9" * 300
            long["is_authors_truncated"] = True
            return 200, _page([tiny_work(1), long], 2, None), {}
        if mode == "truncated_full":
            cut = {**tiny_work(1), "is_authors_truncated": True}
            return 200, _page([cut], 1, None), {}
        if mode == "huge_count":
            if n > self.limit:
                return 503, b'{"error": "enough"}', {}
            return 200, _page([tiny_work(n)], 10**12, f"c{n}"), {}
        if mode == "redirect_host":
            return 302, b"", {"Location": self.redirect_to + path}
        if mode == "redirect_file":
            return 302, b"", {"Location": "file:///etc/passwd"}
        if mode == "redirect_bad":
            return 302, b"", {"Location": "http://[::1"}
        if mode == "gzip_bomb":
            return 200, _bomb(self.bomb_mb), {"Content-Encoding": "gzip"}
        if mode == "cut_echo_500":
            key = params.get("api_key", [""])[0]
            message = "x" * 290 + key
            return 500, orjson.dumps({"error": "boom", "message": message}), {}
        if mode == "text_echo_500":
            key = params.get("api_key", [""])[0]
            text = "y" * 190 + key + " end"
            return 500, text.encode(), {"Content-Type": "text/plain"}
        if mode == "ansi_500":
            return 500, orjson.dumps({"error": "x", "message": f"busy{_ANSI}now"}), {}
        if mode == "loop":
            following = {"*": "A", "A": "B", "B": "A"}[cursor] if cursor in "*AB" else "A"
            return 200, _page([tiny_work(n)], 1000, following), {}
        if mode == "endless":  # ten new works a page: past meta.count's records
            return 200, _page([tiny_work(10 * n + i) for i in range(10)], 5, f"c{n}"), {}
        if mode == "endless_small":  # a full page of 50, then one work a page: past its pages
            works = [tiny_work(1000 + i) for i in range(50)] if n == 1 else [tiny_work(n)]
            return 200, _page(works, 5, f"c{n}"), {}
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
        params = parse_qs(parts.query)
        for key in params.get("api_key", []):
            server.count(f"key:{key}")
        if server.mode == "slow_header":
            server.count("list")
            self._slow_header()
            return
        if server.mode == "endless_body" and not parts.path.startswith("/works/"):
            server.count("list")
            self._endless()
            return
        status, body, headers = server.answer(self.path, params)
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

    def _slow_header(self) -> None:
        """The status line at once, then the headers a byte at a time, then a page."""
        server = self.hostile
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self.wfile.flush()
        for byte in b"Content-Type: application/json\r\nX-Slow: " + b"z" * 200:
            if server.stopping.wait(server.trickle_interval):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def _endless(self) -> None:
        """A chunked body of spaces, up to ``bomb_mb`` MB, ended early by a closed socket."""
        server = self.hostile
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b" " * (1 << 16)
        frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        for _ in range(server.bomb_mb * 16):
            if server.stopping.is_set():
                return
            self.wfile.write(frame)
        self.wfile.write(b"0\r\n\r\n")
