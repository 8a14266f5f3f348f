"""Issue 27, items 15, 16 and 19 (fetch side): every input has a limit, and hitting it is one line.

Each case runs the real command line in-process against :mod:`hostile_server`
on 127.0.0.1, bounded in requests and time.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

import copub
from copub.errors import UsageError
from fetch_support import error_lines, hostile_env, hostile_fetch, no_key_anywhere  # noqa: F401
from hostile_server import HostileServer

pytestmark = pytest.mark.usefixtures("hostile_env")


def _stored_pages(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("pages/**/*.json") if p.is_file()]


def test_a_huge_count_with_endless_cursors_stops_at_max_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 15: meta.count 10**12 bounds nothing; COPUB_MAX_PAGES does, and can be raised.
    monkeypatch.setenv("COPUB_MAX_PAGES", "20")
    with HostileServer("huge_count", limit=100) as server:
        start = time.monotonic()
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert time.monotonic() - start < 10
        assert server.stats["list"] == 20
        first = server.stats["list"]
        monkeypatch.setenv("COPUB_MAX_PAGES", "25")  # raised: the chain resumes, 5 more
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert server.stats["list"] - first == 5
    err = capsys.readouterr().err
    lines = error_lines(err)
    assert len(lines) == 2 and "Traceback" not in err
    assert "2020: the chain reached 20 pages (meta.count 1000000000000)" in lines[0]
    assert "COPUB_MAX_PAGES=20" in lines[0] and "raise COPUB_MAX_PAGES" in lines[0]
    assert "COPUB_MAX_PAGES=25" in lines[1]
    assert len(_stored_pages(tmp_path)) == 25  # every page fetched is kept
    assert not (tmp_path / "tables").exists()


def test_max_pages_has_a_default_and_a_range() -> None:
    assert copub.Settings().max_pages == 10_000
    with pytest.raises(UsageError, match="COPUB_MAX_PAGES"):
        copub.Settings(max_pages=0)
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for name in ("COPUB_MAX_PAGES", "COPUB_MAX_BODY_MB"):
        assert f"`{name}`" in readme


@pytest.mark.parametrize("mode", ["gzip_bomb", "endless_body"])
def test_a_body_is_capped_once_decoded_while_it_streams(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 16: 64 MB of decoded body (a few KB gzipped, or an endless chunked stream).
    import copub.cli.commands
    import copub.fetch  # noqa: F401

    monkeypatch.setenv("COPUB_MAX_BODY_MB", "1")
    with HostileServer(mode, bomb_mb=64) as server:
        tracemalloc.start()
        start = time.monotonic()
        try:
            code = hostile_fetch(server.base_url, tmp_path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        elapsed = time.monotonic() - start
        assert server.stats["list"] == 1  # not retried: the answer is not a page
    out, err = capsys.readouterr()
    assert code == 1 and elapsed < 10
    assert peak < 24 << 20, f"{peak / 2**20:.0f} MB traced"
    [line] = error_lines(err)
    assert "larger than 1 MB once decoded (COPUB_MAX_BODY_MB)" in line
    assert _stored_pages(tmp_path) == []
    no_key_anywhere(tmp_path, out, err)


def test_a_slow_header_is_a_timeout_not_unusable_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("slow_header", trickle_interval=0.05) as server:
        start = time.monotonic()
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert time.monotonic() - start < 8
        assert server.stats["list"] == 3
    err = capsys.readouterr().err
    [line] = error_lines(err)
    assert "no complete answer within 1 s (COPUB_TIMEOUT)" in line
    assert "JSON" not in line and "zero-length" not in err


# variable, value: each outside its documented range
OUT_OF_RANGE = [
    ("COPUB_CONCURRENCY", "100000000000000000000"),
    ("COPUB_CONCURRENCY", "100000000"),
    ("COPUB_TIMEOUT", "1e10"),
    ("COPUB_BACKOFF", "1e300"),
    ("COPUB_BACKOFF_MAX", "1e300"),
    ("COPUB_MAX_RETRIES", "1000000000"),
    ("COPUB_MAX_RUN_TIME", "1e300"),
    ("COPUB_EMAIL", "me@example.org\r\nX-Injected: 1"),
    ("COPUB_MAX_PAGES", "0"),
    ("COPUB_MAX_BODY_MB", "100000"),
]


@pytest.mark.parametrize(("variable", "value"), OUT_OF_RANGE)
def test_a_setting_out_of_its_range_is_one_usage_line_before_any_request(
    variable: str,
    value: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Item 19: the server answers 500, so a backoff of 1e300 s would be waited for.
    monkeypatch.setenv(variable, value)
    with HostileServer("echo_500") as server:
        start = time.monotonic()
        assert hostile_fetch(server.base_url, tmp_path) == 2
        assert time.monotonic() - start < 5
        assert server.stats["list"] == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    [line] = error_lines(err)
    assert variable in line and "\r" not in line
    no_key_anywhere(tmp_path, out, err)


def test_the_ranges_are_documented_in_the_readme() -> None:
    from copub.settings import RANGES

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for variable, _low, high, _unit in RANGES.values():
        row = next(line for line in readme.splitlines() if f"`{variable}`" in line)
        assert f"{int(high):,}" in row or f"{int(high)}" in row, variable


def test_a_memory_error_on_a_large_body_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Item 19: the cap keeps bodies small, but a body that still does not fit is one line.
    import copub.fetch.transport as transport

    def no_memory(body: bytes) -> object:
        raise MemoryError

    monkeypatch.setattr(transport.orjson, "loads", no_memory)
    with HostileServer("count_changes") as server:
        assert hostile_fetch(server.base_url, tmp_path) == 1
        assert server.stats["list"] == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = error_lines(err)
    assert "does not fit in memory; lower COPUB_MAX_BODY_MB" in line
