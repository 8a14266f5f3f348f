"""Resolving alliance members through a tiny OpenAlex institutions endpoint on 127.0.0.1."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from copub.classify.groups import load_groups, resolve_members
from copub.progress import Progress
from copub.settings import Settings

INSTITUTIONS = {
    "03v4gjf40": {"id": "https://openalex.org/I9001", "ror": "https://ror.org/03v4gjf40"},
}
SEARCH = {
    "Gdańsk University of Technology": [
        {"id": "https://openalex.org/I111", "display_name": "Gdańsk Medical University",
         "ror": "https://ror.org/0testmu12"},
        {"id": "https://openalex.org/I222", "display_name": "Gdańsk University of Technology",
         "ror": "https://ror.org/0testgd12"},
    ],
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        body: object = None
        if parts.path.startswith("/institutions/ror:"):
            body = INSTITUTIONS.get(parts.path.rsplit(":", 1)[1])
        elif parts.path == "/institutions":
            body = {"results": SEARCH.get(parse_qs(parts.query)["search"][0], [])}
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        data = json.dumps(body).encode()
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_members_are_resolved_through_the_api(server: ThreadingHTTPServer) -> None:
    port = server.server_address[1]
    settings = Settings(api_url=f"http://127.0.0.1:{port}", api_key="k", timeout=5)
    notes = io.StringIO()
    groups = resolve_members(load_groups(), settings, progress=Progress(stream=notes))
    enhance = {m.code: m for m in groups.get("enhance").members}
    assert enhance["TUB"].openalex_id == "I9001" and enhance["TUB"].ror == "03v4gjf40"
    assert enhance["TUB"].status == "ror_verified+openalex_resolved"
    gdansk = enhance["GDANSKTECH"]  # the exact name wins, not the first hit
    assert (gdansk.openalex_id, gdansk.ror, gdansk.status) == ("I222", "0testgd12",
                                                                "openalex_resolved")
    assert enhance["POLIMI"].openalex_id is None  # the server does not know it: left as it was
    assert groups.get("priority") == load_groups().get("priority")
    assert all("api_key=k" in path for path in server.seen)  # type: ignore[attr-defined]
    assert "resolved 2 partner id(s)" in notes.getvalue()
    assert "no exact match" in notes.getvalue() and "Politecnico di Milano" in notes.getvalue()


def test_without_network_the_unresolved_are_reported() -> None:
    settings = Settings(api_url="http://127.0.0.1:9", timeout=1, backoff=0)
    notes = io.StringIO()
    groups = resolve_members(load_groups(), settings, progress=Progress(stream=notes))
    assert groups == load_groups()
    text = notes.getvalue()
    assert "no network" in text and "enhance: Gdańsk University of Technology" in text
