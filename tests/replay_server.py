"""A local OpenAlex look-alike that replays real pages and injects scripted faults.

It serves the real works in ``../shared/data/openalex`` (read in place) as
cursor chains per publication year, the way ``/works?filter=...&cursor=...``
does, and single works at ``/works/W…``. Tests and benchmarks use it like this::

    with ReplayServer.from_folder(folder, page_size=10) as server:
        server.inject("503", year=2008, page=2)
        fetch_works("I204778367", "2005-2009", settings=Settings(api_url=server.base_url))
        server.stats.faults["503"]        # -> 1

Fault kinds (:data:`FAULT_KINDS`): ``"403"`` (with Retry-After), ``"500"``,
``"503"``, ``"429"`` (with X-RateLimit-* headers), ``"reset"`` (TCP reset before
any answer), ``"cut_body"`` (Content-Length promises more than is sent),
``"invalid_json"`` (a complete answer whose body is half a page), ``"slow"``
(answers after ``delay`` seconds), ``"repeat"`` (the page's next cursor leads
to the same page again) and ``"overlap"`` (the next page starts ``overlap``
works back). Standing behaviours: ``refuse_per_page_above`` (400 about
per-page), :meth:`ReplayServer.truncate` (lists cut authorships and set
``is_authors_truncated``; ``/works/W…`` stays complete), ``delay`` on every
list page, and ``copies`` to multiply the works for throughput runs.

``/institutions/ror:<ROR>`` answers with the institution record (as the works'
authorships give it) of that ROR, 404 for one that no work names.

``authors=`` adds ``/authors?filter=ids.openalex:A1|A2|…`` (cursor-paged, at
most ``max_author_ids`` ids, 400 beyond); its faults are scripted with
``inject(kind, endpoint="authors", page=N)``.
"""

from __future__ import annotations

import base64
import json
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

__all__ = ["FAULT_KINDS", "Fault", "ReplayServer", "ServerStats", "load_real_works"]

FaultKind = Literal[
    "403", "429", "500", "503", "reset", "cut_body", "invalid_json", "slow", "repeat", "overlap"
]
FAULT_KINDS: tuple[str, ...] = (
    "403",
    "429",
    "500",
    "503",
    "reset",
    "cut_body",
    "invalid_json",
    "slow",
    "repeat",
    "overlap",
)
_PREFIX = "https://openalex.org/"


def short_id(openalex_id: str) -> str:
    """``https://openalex.org/W1`` -> ``W1``."""
    return openalex_id.rsplit("/", 1)[-1]


def load_real_works(folder: Path) -> list[dict[str, Any]]:
    """Every work of every list page in ``folder`` (``works_page.json``, ``works_chunk_*.json``)."""
    works: list[dict[str, Any]] = []
    for path in sorted(folder.glob("works_*.json")):
        works.extend(json.loads(path.read_bytes())["results"])
    return works


@dataclass
class Fault:
    """One scripted fault: fires on the matching requests, ``times`` times."""

    kind: FaultKind
    year: int | None = None
    page: int | None = None
    work: str | None = None
    times: int = 1
    retry_after: str = "1"
    delay: float = 2.0
    overlap: int = 2
    #: ``"works"`` (list pages and ``/works/W…``), ``"authors"`` (``/authors`` pages,
    #: picked by ``page`` only: the n-th page of any id batch) or ``"institutions"``
    #: (``/institutions/ror:…``, any of them).
    endpoint: str = "works"
    #: Only list pages of this institution's chains (``lineage:<institution>``).
    institution: str | None = None

    def matches(
        self,
        year: int | None,
        page: int | None,
        work: str | None,
        endpoint: str = "works",
        institution: str | None = None,
    ) -> bool:
        """A fault with no target fires on any request; else on its list page or its work."""
        if self.times <= 0 or self.endpoint != endpoint:
            return False
        if self.institution is not None and self.institution != institution:
            return False
        if work is not None:
            return self.work == work or (
                self.work is None and self.year is None and self.page is None
            )
        if self.work is not None:
            return False
        return (self.year is None or self.year == year) and (self.page is None or self.page == page)


@dataclass
class ServerStats:
    """What the server saw: requests by endpoint, faults fired by kind, API keys sent,
    list pages asked for by institution (``lineage:``)."""

    requests: Counter[str] = field(default_factory=Counter)
    institutions: Counter[str | None] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    api_keys: Counter[str] = field(default_factory=Counter)
    per_page: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, counter: str, key: Any) -> None:
        with self.lock:
            getattr(self, counter)[key] += 1


def _encode_cursor(year: int, offset: int, page: int) -> str:
    return base64.urlsafe_b64encode(f"replay:{year}:{offset}:{page}".encode()).decode()


def _decode_cursor(token: str) -> tuple[int, int, int] | None:
    try:
        tag, year, offset, page = base64.urlsafe_b64decode(token.encode()).decode().split(":")
    except (ValueError, UnicodeDecodeError):
        return None
    if tag != "replay":
        return None
    return int(year), int(offset), int(page)


class ReplayServer:
    """Threaded HTTP server on 127.0.0.1 (an ephemeral port) replaying OpenAlex works.

    Parameters
    ----------
    works : sequence of dict
        Full OpenAlex work records.
    institution : str
        Only ``authorships.institutions.lineage:<institution>`` has works;
        any other institution gets ``meta.count`` 0.
    page_size : int, optional
        Largest page served, whatever ``per-page`` asks (small data, many pages).
    refuse_per_page_above : int, optional
        Answer 400 about ``per-page`` when more is asked.
    delay : float
        Seconds to wait before every list page (kill tests).
    copies : int
        Serve every work this many times under distinct ids (throughput runs).
    count_offset : int
        Added to ``meta.count`` of years with works: a server that miscounts.
    by_lineage : bool
        Serve every institution the works whose authorships name it (or a
        parent) in ``lineage``, as OpenAlex does, instead of serving every work
        to ``institution`` alone (several institutions in one data directory).
    """

    def __init__(
        self,
        works: Sequence[dict[str, Any]],
        *,
        institution: str = "I204778367",
        page_size: int | None = None,
        refuse_per_page_above: int | None = None,
        delay: float = 0.0,
        copies: int = 1,
        count_offset: int = 0,
        authors: Sequence[dict[str, Any]] = (),
        by_lineage: bool = False,
    ) -> None:
        self.count_offset = count_offset
        self._authors = {short_id(a["id"]): orjson.dumps(a) for a in authors}
        self.max_author_ids = 100
        self.institution = institution
        self.page_size = page_size
        self.refuse_per_page_above = refuse_per_page_above
        self.delay = delay
        self.stats = ServerStats()
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._works: dict[str, dict[str, Any]] = {}
        for copy in range(copies):
            for work in works:
                wid = short_id(work["id"]) + (f"{copy:04d}" if copy else "")
                self._works[wid] = {**work, "id": _PREFIX + wid}
        self._bytes = {wid: orjson.dumps(work) for wid, work in self._works.items()}
        self._listed = dict(self._bytes)
        by_year: dict[int, list[str]] = {}
        for wid, work in sorted(self._works.items()):
            by_year.setdefault(int(work["publication_year"]), []).append(wid)
        self._by_year = by_year
        self.by_lineage = by_lineage
        self._lineage: dict[str, set[str]] = {}
        self._by_ror: dict[str, bytes] = {}
        for wid, work in self._works.items():
            for authorship in work.get("authorships") or []:
                for inst in authorship.get("institutions") or []:
                    if inst.get("ror") and inst.get("id"):
                        self._by_ror.setdefault(short_id(inst["ror"]), orjson.dumps(inst))
                    for parent in inst.get("lineage") or []:
                        self._lineage.setdefault(short_id(parent), set()).add(wid)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def from_folder(cls, folder: Path, **options: Any) -> ReplayServer:
        """A server for the real pages in ``folder``."""
        return cls(load_real_works(folder), **options)

    # ---- scripting -------------------------------------------------------------------
    def inject(self, kind: FaultKind, **where: Any) -> Fault:
        """Script a fault; ``year``/``page`` pick list pages, ``work`` picks ``/works/W…``."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose from {FAULT_KINDS}")
        fault = Fault(kind, **where)
        with self._lock:
            self._faults.append(fault)
        return fault

    def truncate(self, work_ids: Iterable[str], keep: int = 2) -> None:
        """List these works with ``keep`` authorships and ``is_authors_truncated: true``."""
        for wid in work_ids:
            work = self._works[wid]
            cut = {**work, "authorships": work["authorships"][:keep], "is_authors_truncated": True}
            self._listed[wid] = orjson.dumps(cut)

    def _take_fault(
        self,
        year: int | None,
        page: int | None,
        work: str | None,
        endpoint: str = "works",
        institution: str | None = None,
    ) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(year, page, work, endpoint, institution):
                    fault.times -= 1
                    self.stats.count("faults", fault.kind)
                    return fault
        return None

    # ---- the data --------------------------------------------------------------------
    def years(self) -> list[int]:
        """Publication years that have works."""
        return sorted(self._by_year)

    def year_ids(self, year: int, institution: str | None = None) -> list[str]:
        """Short ids of one year's works for ``institution`` (default: the server's), in order."""
        institution = institution or self.institution
        if self.by_lineage:
            own = self._lineage.get(institution, set())
            return [w for w in self._by_year.get(year, []) if w in own]
        return list(self._by_year.get(year, [])) if institution == self.institution else []

    def expected(
        self, first: int, last: int, institution: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """The full records a fetch of ``first``-``last`` must end with, by short id."""
        return {
            wid: self._works[wid]
            for year in range(first, last + 1)
            for wid in self.year_ids(year, institution)
        }

    def work_bytes(self, wid: str) -> bytes:
        """The serialised full record."""
        return self._bytes[wid]

    # ---- life cycle ------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        if self._httpd is None:
            raise RuntimeError("the replay server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> ReplayServer:
        handler = type("Handler", (_Handler,), {"replay": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def sleep(self, seconds: float) -> None:
        """Wait, but wake up when the server stops."""
        self._stopping.wait(seconds)

    # ---- answers ---------------------------------------------------------------------
    def list_page(
        self, params: dict[str, list[str]]
    ) -> tuple[int, bytes, dict[str, str], Fault | None]:
        filters = dict(
            item.split(":", 1) for item in params.get("filter", [""])[0].split(",") if ":" in item
        )
        try:
            year = int(filters.get("publication_year", ""))
            per_page = int(params.get("per-page", params.get("per_page", ["25"]))[0])
        except ValueError:
            return (
                400,
                _error("Invalid query parameters error.", "bad publication_year or per-page"),
                {},
                None,
            )
        self.stats.count("per_page", per_page)
        limit = self.refuse_per_page_above or 200
        if not 1 <= per_page <= limit:
            self.stats.count("faults", "per_page_refused")
            return (
                400,
                _error(
                    "Invalid query parameters error.",
                    f"per-page parameter must be between 1 and {limit}",
                ),
                {},
                None,
            )
        cursor = params.get("cursor", ["*"])[0]
        position = (year, 0, 1) if cursor == "*" else _decode_cursor(cursor)
        if position is None or position[0] != year:
            return 400, _error("Invalid query parameters error.", "cursor is not valid"), {}, None
        _, offset, page = position
        lineage = filters.get("authorships.institutions.lineage")
        self.stats.count("institutions", lineage)
        fault = self._take_fault(year, page, None, institution=lineage)
        ids = self.year_ids(year, lineage) if lineage else []
        size = min(per_page, self.page_size or per_page)
        chunk = ids[offset : offset + size]
        step = size
        if fault is not None and fault.kind == "repeat":
            step = 0
        elif fault is not None and fault.kind == "overlap":
            step = max(1, size - fault.overlap)
        next_cursor = _encode_cursor(year, offset + step, page + 1) if chunk else None
        meta = {
            "count": len(ids) + (self.count_offset if ids else 0),
            "db_response_time_ms": 1,
            "page": None,
            "per_page": per_page,
            "next_cursor": next_cursor,
            "groups_count": None,
        }
        body = (
            b'{"meta":'
            + orjson.dumps(meta)
            + b',"results":['
            + b",".join(self._listed[wid] for wid in chunk)
            + b'],"group_by":[]}'
        )
        return 200, body, {}, fault

    def author_ids(self) -> list[str]:
        """Short ids of the authors served."""
        return sorted(self._authors)

    def author_page(
        self, params: dict[str, list[str]]
    ) -> tuple[int, bytes, dict[str, str], Fault | None]:
        """``/authors?filter=ids.openalex:A1|A2&per-page=…&cursor=…``, cursor-paged."""
        filters = dict(
            item.split(":", 1) for item in params.get("filter", [""])[0].split(",") if ":" in item
        )
        wanted = [i for i in filters.get("ids.openalex", "").split("|") if i]
        if not wanted or len(wanted) > self.max_author_ids:
            message = f"ids.openalex takes 1 to {self.max_author_ids} values, got {len(wanted)}"
            return 400, _error("Invalid query parameters error.", message), {}, None
        try:
            per_page = int(params.get("per-page", ["25"])[0])
        except ValueError:
            return 400, _error("Invalid query parameters error.", "bad per-page"), {}, None
        cursor = params.get("cursor", ["*"])[0]
        position = (0, 0, 1) if cursor == "*" else _decode_cursor(cursor)
        if position is None:
            return 400, _error("Invalid query parameters error.", "cursor is not valid"), {}, None
        _, offset, page = position
        fault = self._take_fault(None, page, None, "authors")
        ids = sorted(a for a in set(wanted) if a in self._authors)
        size = min(per_page, self.page_size or per_page)
        chunk = ids[offset : offset + size]
        next_cursor = _encode_cursor(0, offset + size, page + 1) if chunk else None
        meta = {"count": len(ids), "page": None, "per_page": per_page, "next_cursor": next_cursor}
        body = (
            b'{"meta":'
            + orjson.dumps(meta)
            + b',"results":['
            + b",".join(self._authors[a] for a in chunk)
            + b'],"group_by":[]}'
        )
        return 200, body, {}, fault

    def institution_record(self, key: str) -> tuple[int, bytes, dict[str, str], Fault | None]:
        """``/institutions/ror:<ROR>``: the institution record the works give for it."""
        fault = self._take_fault(None, None, None, "institutions")
        ror = key.removeprefix("ror:")
        if ror == key or ror not in self._by_ror:
            return 404, _error("Not Found", f"Institution {key} not found"), {}, fault
        return 200, self._by_ror[ror], {}, fault

    def single_work(self, wid: str) -> tuple[int, bytes, dict[str, str], Fault | None]:
        fault = self._take_fault(None, None, wid)
        if wid not in self._bytes:
            return 404, _error("Not Found", f"Work {wid} not found"), {}, fault
        return 200, self._bytes[wid], {}, fault


def _error(error: str, message: str) -> bytes:
    return orjson.dumps({"error": error, "message": message})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    replay: ReplayServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _answer(self) -> None:
        server = self.replay
        parts = urlsplit(self.path)
        params = parse_qs(parts.query)
        if "api_key" in params:
            server.stats.count("api_keys", params["api_key"][0])
        if parts.path == "/works":
            server.stats.count("requests", "list")
            if server.delay:
                server.sleep(server.delay)
            status, body, headers, fault = server.list_page(params)
        elif parts.path == "/authors":
            server.stats.count("requests", "authors")
            if server.delay:
                server.sleep(server.delay)
            status, body, headers, fault = server.author_page(params)
        elif parts.path.startswith("/institutions/"):
            server.stats.count("requests", "institution")
            key = unquote(parts.path.rsplit("/", 1)[-1])
            status, body, headers, fault = server.institution_record(key)
        elif parts.path.startswith("/works/"):
            server.stats.count("requests", "work")
            status, body, headers, fault = server.single_work(parts.path.rsplit("/", 1)[-1])
        else:
            server.stats.count("requests", "other")
            status, body, headers, fault = 404, _error("Not Found", parts.path), {}, None
        if fault is not None and self._fault(fault, body):
            return
        self._send(status, body, headers)

    def _send(
        self, status: int, body: bytes, headers: dict[str, str], length: int | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _fault(self, fault: Fault, body: bytes) -> bool:
        """Play the fault; True when the answer has been given (or refused)."""
        kind = fault.kind
        if kind in ("repeat", "overlap"):
            return False  # already in the page's next cursor
        if kind == "slow":
            self.replay.sleep(fault.delay)
            return False
        if kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return True
        if kind == "cut_body":
            self.close_connection = True
            self._send(200, body[: len(body) // 2], {}, length=len(body))
            return True
        if kind == "invalid_json":
            self._send(200, body[: len(body) // 2], {})
            return True
        headers = {"Retry-After": fault.retry_after}
        if kind == "429":
            headers |= {
                "X-RateLimit-Limit": "100000",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Credits-Used": "10",
            }
            self._send(429, _error("Too Many Requests", "Rate limit exceeded"), headers)
            return True
        messages = {
            "403": "Forbidden: slow down",
            "500": "Internal Server Error",
            "503": "Service Unavailable",
        }
        self._send(int(kind), _error(messages[kind], messages[kind]), headers)
        return True


@contextmanager
def replay(folder: Path, **options: Any) -> Iterator[ReplayServer]:
    """``with replay(folder) as server:`` — start and stop a server for the real pages."""
    server = ReplayServer.from_folder(folder, **options)
    with server:
        yield server
