"""``copub fetch`` against hostile servers: it always stops, says why in one line, shows no key.

Every case runs the real command line in-process against :mod:`hostile_server`,
bounded in time (asserted) and in requests (asserted), with ``OPENALEX_API_KEY``
set: the key must appear in no output and no file.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import copub
from copub.cli import main
from fetch_support import HOSTILE_KEY, hostile_env, hostile_fetch, no_key_anywhere  # noqa: F401
from hostile_server import HostileServer

KEY = HOSTILE_KEY

# mode, exit code, words of the error line (None: success), most requests, most seconds
CASES = [
    ("loop", 1, "cursor loop", 4, 5),
    # meta.count 5 allows 205 records (the count plus 200 late additions): 21 pages of 10.
    ("endless", 1, "keeps handing on new cursors: 210 records on 21 pages", 21, 8),
    # ... and, at 50 records a page, 6 pages (5 and the closing one): page 6 of 1 stops.
    ("endless_small", 1, "keeps handing on new cursors: 6 pages of at most 50", 6, 5),
    ("no_count", 1, "meta.count", 3, 5),
    ("count_changes", 0, None, 4, 10),
    ("html", 1, "HTML page, not JSON", 3, 5),
    ("redirect_loop", 1, "redirected more than 5 times", 12, 5),
    ("retry_after", 1, "Retry-After", 1, 5),
    ("trickle", 1, "no complete answer within 1 s", 3, 6),
    ("hold", 1, "1 s", 3, 6),
    ("echo_401", 1, "refused the API key", 1, 5),
    ("echo_400", 2, "refused the query", 1, 5),
    ("echo_500", 1, "HTTP 500", 3, 5),
]


_fetch = hostile_fetch
_no_key_anywhere = no_key_anywhere


@pytest.mark.usefixtures("hostile_env")
@pytest.mark.parametrize(("mode", "code", "words", "max_requests", "max_seconds"), CASES)
def test_hostile_server_stops_with_one_line_and_no_key(
    mode: str,
    code: int,
    words: str | None,
    max_requests: int,
    max_seconds: float,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with HostileServer(mode, trickle_interval=0.3) as server:
        start = time.monotonic()
        assert _fetch(server.base_url, tmp_path) == code
        elapsed = time.monotonic() - start
        requests = server.stats["list"]
    out, err = capsys.readouterr()
    assert elapsed < max_seconds, f"{mode}: {elapsed:.1f} s"
    assert 1 <= requests <= max_requests, f"{mode}: {requests} requests"
    assert "Traceback" not in err
    _no_key_anywhere(tmp_path, out, err)
    errors = [line for line in err.splitlines() if line.startswith("copub: error:")]
    if words is None:
        assert errors == []
        return
    assert len(errors) == 1 and err.rstrip().splitlines()[-1] == errors[0]
    assert words in errors[0], errors[0]
    assert not (tmp_path / "tables").exists()


@pytest.mark.usefixtures("hostile_env")
def test_a_cursor_loop_is_named_with_its_year_and_caught_again_on_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("loop") as server:
        assert _fetch(server.base_url, tmp_path) == 1
        first = server.stats["list"]
        assert _fetch(server.base_url, tmp_path) == 1
        # The resume knows the chain's cursors: it asks once more, sees the loop, stops.
        assert server.stats["list"] - first <= 1
    err = capsys.readouterr().err
    assert err.count("copub: error: 2020: the server handed back a cursor") == 2


@pytest.mark.usefixtures("hostile_env")
def test_a_changing_count_is_reported_and_the_tables_hold_what_came(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("count_changes") as server:
        assert _fetch(server.base_url, tmp_path) == 0
    err = capsys.readouterr().err
    assert "2020: meta.count changed from 4 to 7 on page 2" in err
    assert copub.load_tables(tmp_path).works.height == 4
    assert "4 works (meta.count 13; 9 fewer)" in err


@pytest.mark.usefixtures("hostile_env")
def test_the_run_deadline_stops_a_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COPUB_TIMEOUT", "30")
    monkeypatch.setenv("COPUB_MAX_RUN_TIME", "1")
    with HostileServer("hold") as server:
        start = time.monotonic()
        assert _fetch(server.base_url, tmp_path) == 1
        elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    assert elapsed < 3
    assert "COPUB_MAX_RUN_TIME=1 s" in err.splitlines()[-1]


@pytest.mark.usefixtures("hostile_env")
def test_connection_refused_is_not_called_a_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("hold") as server:
        url = server.base_url
    # The server is gone: nothing listens on its port any more.
    assert _fetch(url, tmp_path) == 1
    out, err = capsys.readouterr()
    line = err.rstrip().splitlines()[-1]
    assert "Connection refused" in line and "timed out" not in line
    _no_key_anywhere(tmp_path, out, err)


@pytest.mark.usefixtures("hostile_env")
def test_debug_tracebacks_and_url_credentials_are_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("echo_500") as server:
        host = server.base_url.removeprefix("http://")
        url = f"http://ann:pa55word@{host}"
        assert main(["--debug", "fetch", "--years", "2020", "--data-dir", str(tmp_path),
                     "--api-url", url]) == 1  # fmt: skip
    out, err = capsys.readouterr()
    assert "Traceback" in err  # --debug shows it
    for text in (out, err):
        assert KEY not in text and "pa55word" not in text
    # The user and password are stripped from every URL shown, not only masked.
    assert "ann:" not in err and "@127.0.0.1" not in err and host in err


def test_settings_repr_hides_the_key() -> None:
    settings = copub.Settings(api_key="sk-repr-secret-42", api_url="http://u:pw99@h.example")
    shown = repr(settings)
    assert "sk-repr-secret-42" not in shown and "pw99" not in shown
    assert "api_key='***'" in shown and "http://***@h.example" in shown


def test_an_unforeseen_error_shows_a_masked_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import copub.cli.fetch_cmd as fetch_cmd

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"bug near http://h/works?api_key={KEY}")

    monkeypatch.setenv("OPENALEX_API_KEY", KEY)
    monkeypatch.setattr(fetch_cmd, "fetch_works", broken)
    assert main(["fetch", "--years", "2020"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and KEY not in err
    assert err.rstrip().splitlines()[-1].startswith("copub: internal error: RuntimeError")
