"""Issue 27, items 9-13: no byte of the key leaves, and nothing from outside drives the terminal.

Every case runs the real command line in-process against :mod:`hostile_server`
on loopback addresses, bounded in requests and time.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fetch_support import (  # noqa: F401
    HOSTILE_KEY,
    error_lines,
    hostile_env,
    hostile_fetch,
    no_key_anywhere,
)
from hostile_server import HostileServer

pytestmark = pytest.mark.usefixtures("hostile_env")


def _key_pieces(key: str, size: int = 6) -> list[str]:
    """Every run of ``size`` characters of the key: none may be shown."""
    return [key[i : i + size] for i in range(len(key) - size + 1)]


@pytest.mark.parametrize("mode", ["cut_echo_500", "text_echo_500"])
def test_an_error_body_is_masked_before_it_is_cut(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Item 9: the key sits where the 300- (JSON) or 200-character (text) cut falls.
    with HostileServer(mode) as server:
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert server.stats["list"] == 3
    out, err = capsys.readouterr()
    shown = out + err
    assert not [piece for piece in _key_pieces(HOSTILE_KEY) if piece in shown]
    [line] = error_lines(err)
    assert "HTTP 500" in line


def test_a_key_with_a_newline_is_masked_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 12: the server echoes the key as received, newline and all, in a text body.
    key = "sk-first-half-4711\nsecond-half-0815"
    monkeypatch.setenv("OPENALEX_API_KEY", key)
    with HostileServer("text_echo_500") as server:
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert server.stats[f"key:{key}"] == 3  # the server did receive it whole
    out, err = capsys.readouterr()
    for half in key.split("\n"):
        assert half not in out + err
    assert "***" in error_lines(err)[0]


def test_the_key_never_follows_a_redirect_to_another_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Item 10: 127.0.0.1 redirects to 127.0.0.2 with the query string, key and all.
    with HostileServer("count_changes", host="127.0.0.2") as elsewhere:
        with HostileServer("redirect_host", redirect_to=elsewhere.base_url) as server:
            start = time.monotonic()
            assert hostile_fetch(server.base_url, tmp_path) == 1
            assert time.monotonic() - start < 5
            assert server.stats["list"] == 1
        assert elsewhere.stats["list"] == 0
        assert not [k for k in elsewhere.stats if k.startswith("key:")]
    out, err = capsys.readouterr()
    [line] = error_lines(err)
    assert "redirected to http://127.0.0.2:" in line and "not followed" in line
    no_key_anywhere(tmp_path, out, err)


@pytest.mark.parametrize(
    ("mode", "words"),
    [("redirect_file", "file: URL, not http(s)"), ("redirect_bad", "not a valid URL")],
)
def test_a_redirect_to_another_scheme_or_a_broken_url_is_one_network_error_line(
    mode: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Item 10 and item 19: exit 1 (not a usage error), one line, no traceback.
    with HostileServer(mode) as server:
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert server.stats["list"] == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    [line] = error_lines(err)
    assert words in line and "not followed" in line
    no_key_anywhere(tmp_path, out, err)


def test_a_redirect_on_the_configured_host_is_followed_and_another_port_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("redirect_host") as server:
        server.redirect_to = server.base_url  # to itself: followed, with the key, 6 times
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert server.stats["list"] == 6 and server.stats[f"key:{HOSTILE_KEY}"] == 6
    assert "redirected more than 5 times" in error_lines(capsys.readouterr().err)[0]
    with HostileServer("count_changes") as other, HostileServer("redirect_host") as server:
        server.redirect_to = other.base_url  # the same address, another port
        assert hostile_fetch(server.base_url, tmp_path / "2") == 1
        assert other.stats["list"] == 0
    assert "another host or scheme" in error_lines(capsys.readouterr().err)[0]


def test_a_password_in_the_api_url_is_never_stored_or_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Item 11: manifest.jsonl, provenance and stderr hold the URL without user:pass@.
    with HostileServer("count_changes") as server:
        host = server.base_url.removeprefix("http://")
        assert hostile_fetch(f"http://ann:pa55word@{host}", tmp_path) == 0
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "pa55word" not in text and "ann:" not in text
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "manifest.jsonl" for p in stored)
    for path in stored:
        data = path.read_bytes()
        assert b"pa55word" not in data and b"ann:" not in data and b"***@" not in data, path
    assert f"from http://{host}:" in err


def test_escape_sequences_from_a_server_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Item 13: the message of a 500 sets the window title and clears the screen.
    with HostileServer("ansi_500") as server:
        assert hostile_fetch(server.base_url, tmp_path) == 1
    out, err = capsys.readouterr()
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out + err.replace("\n", ""))
    [line] = error_lines(err)
    assert "busy" in line and "now" in line and "pwned" not in line
    retries = [line for line in err.splitlines() if "retrying" in line]
    assert retries and all("\x1b" not in line for line in retries)


def test_progress_notes_and_error_lines_are_one_line_each(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 13: an institution's name from the data cannot forge a line of its own.
    from copub.cli import main
    from copub.errors import DataError
    from copub.progress import Progress

    Progress().note("institution NTNU\n\rcopub: error: forged\x1b[2J")
    note = capsys.readouterr().err
    assert note.count("\n") == 1 and "\x1b" not in note and "\r" not in note

    import copub.cli.fetch_cmd as fetch_cmd

    def hostile(*args: object, **kwargs: object) -> None:
        raise DataError("name \x1b]0;title\x07\x1b[31mred\nsecond line")

    monkeypatch.setattr(fetch_cmd, "fetch_works", hostile)
    assert main(["fetch", "--years", "2020"]) == 1
    err = capsys.readouterr().err
    assert err == "copub: error: name red second line\n"


_PIECES = st.sampled_from(["\x1b[2J", "\x1b]0;t\x07", "\x1b[31m", "\x07", "\n", "\r", "\x9b1m"])


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(max_size=30),
    after=st.text(max_size=30),
    cut=st.integers(min_value=1, max_value=len(HOSTILE_KEY) - 1),
    piece=_PIECES,
)
def test_for_terminal_never_shows_the_key_nor_a_control_character(
    before: str, after: str, cut: int, piece: str
) -> None:
    # Items 12 and 13: whole, or split by an escape sequence the filter removes.
    from copub.secrets import for_terminal, register_secret

    register_secret(HOSTILE_KEY)
    split = HOSTILE_KEY[:cut] + piece + HOSTILE_KEY[cut:]
    for text in (before + HOSTILE_KEY + after, before + split + after):
        shown = for_terminal(text)
        assert HOSTILE_KEY not in shown
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", shown)


def test_group_member_lookup_follows_no_redirect(tmp_path: Path) -> None:
    """The ROR look-up of ``fetch --group`` (classify/resolve.py) sends the key too: a
    redirect is refused, so the key never reaches another host."""
    import http.server
    import threading

    from copub.classify.resolve import _get
    from copub.settings import Settings

    hits: list[str] = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.2:9/steal" + self.path)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        import urllib3

        settings = Settings(api_url=f"http://127.0.0.1:{server.server_port}", api_key="k" * 24)
        with pytest.raises(Exception, match="redirect"):
            _get(urllib3.PoolManager(), settings, "/institutions/ror:05xg72x27", {})
    finally:
        server.shutdown()
    assert len(hits) == 1  # asked once, never followed
