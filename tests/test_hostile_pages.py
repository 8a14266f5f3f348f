"""Issue 27, item 8 and its messages: a page the builder refuses never poisons the data directory.

Each poisoned page (:data:`hostile_server.POISONS`) holds one good work
(W900001) and one record the table builder refuses. Whatever the server does,
the run ends with tables, the refused answer is kept in ``quarantine/`` (never
deleted), counted, asked for once more, and a later run against a healthy
server works without anyone deleting a file by hand.
"""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest

import copub
from fetch_support import error_lines, hostile_env, hostile_fetch, no_key_anywhere  # noqa: F401
from hostile_server import POISONS, HostileServer

pytestmark = pytest.mark.usefixtures("hostile_env")


def _quarantined(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("quarantine/**/*") if p.is_file())


def _vouched(data_dir: Path) -> list[dict[str, object]]:
    manifest = data_dir / "raw" / "openalex" / "I204778367" / "manifest.jsonl"
    return [orjson.loads(line) for line in manifest.read_bytes().splitlines()]


@pytest.mark.parametrize("mode", POISONS)
def test_a_page_refused_once_is_kept_aside_and_fetched_again(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer(mode, bad_answers=1) as server:
        start = time.monotonic()
        assert hostile_fetch(server.base_url, tmp_path) == 0
        assert time.monotonic() - start < 10
        assert server.stats["list"] == 2  # the refused answer, then the one asked for again
    out, err = capsys.readouterr()
    assert error_lines(err) == [] and "Traceback" not in err
    assert sorted(copub.load_tables(tmp_path).works["work_id"]) == ["W900001", "W900002"]
    kept = _quarantined(tmp_path)
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"{")
    assert "cannot be built into tables" in err and "asking for the page once more" in err
    assert str(kept[0].relative_to(tmp_path / "raw" / "openalex")) in err  # the path is said
    assert "set aside: 1 answers the tables cannot be built from" in err
    # The manifest vouches for the healthy answer only.
    [entry] = _vouched(tmp_path)
    assert entry["ids"] == ["W900001", "W900002"]
    no_key_anywhere(tmp_path, out, err)


@pytest.mark.parametrize("mode", POISONS)
def test_a_page_refused_twice_is_stored_without_the_bad_record_and_the_run_goes_on(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer(mode) as server:
        assert hostile_fetch(server.base_url, tmp_path) == 0
        assert server.stats["list"] == 2
        assert server.stats["work"] == 0  # a NUL id is never asked for
    err = capsys.readouterr().err
    assert error_lines(err) == [] and "Traceback" not in err
    works = sorted(copub.load_tables(tmp_path).works["work_id"])
    kept = _quarantined(tmp_path)
    assert len(kept) == 2  # both answers, as received, never deleted
    assert {p.read_bytes() for p in kept} == {kept[0].read_bytes()}
    assert works == ["W900001"]
    assert "1 of its 2 records are left out" in err
    assert "1 records left out" in err  # the summary counts them
    # A later run against a healthy server needs nobody to delete anything.
    with HostileServer(mode, bad_answers=0) as healthy:
        assert hostile_fetch(healthy.base_url, tmp_path) == 0
    assert len(_quarantined(tmp_path)) == 2


def test_a_page_whose_first_key_is_not_meta_is_read_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The builder reads a page whatever the order of its keys: nothing is set aside."""
    with HostileServer("first_key", bad_answers=1) as server:
        assert hostile_fetch(server.base_url, tmp_path) == 0
        assert server.stats["list"] == 1
    err = capsys.readouterr().err
    assert error_lines(err) == [] and not _quarantined(tmp_path)
    assert sorted(copub.load_tables(tmp_path).works["work_id"]) == ["W900001", "W900002"]


def test_a_page_refused_only_as_a_whole_stops_its_year_and_is_never_vouched_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from copub.errors import DataError
    from copub.normalize import reader

    def no_two_works(path: Path) -> object:
        if path.read_bytes().count(b'"publication_year"') > 1:
            raise DataError(f"{path}: polars could not read it, and no single record is at fault")
        return None

    with monkeypatch.context() as patch:
        patch.setattr(reader, "read_raw_file", no_two_works)
        with HostileServer("bad_work_id", bad_answers=0) as server:
            assert hostile_fetch(server.base_url, tmp_path) == 1
    err = capsys.readouterr().err
    [line] = error_lines(err)
    assert "page 1 cannot be built into tables twice in a row" in line
    assert len(_quarantined(tmp_path)) == 2 and _vouched(tmp_path) == []
    with HostileServer("bad_work_id", bad_answers=0) as server:
        assert hostile_fetch(server.base_url, tmp_path) == 0


def test_a_full_record_that_is_truncated_too_is_not_counted_as_refetched_in_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("truncated_full") as server:
        assert hostile_fetch(server.base_url, tmp_path) == 0
        assert server.stats["work"] == 1
    err = capsys.readouterr().err
    assert "re-fetched in full: 0 truncated works (1 could not be re-fetched" in err
    assert "the full record is truncated too" in err


def test_an_over_long_work_id_from_the_data_is_not_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("long_id") as server:
        code = hostile_fetch(server.base_url, tmp_path)
        assert server.stats["work"] == 0  # never made into a URL or a file name
    err = capsys.readouterr().err
    assert code != 2 and "Traceback" not in err
    assert "not an OpenAlex work id copub can ask for" in err
    line = next(line for line in err.splitlines() if "cannot re-fetch" in line)
    assert len(line) < 200  # the id is shown cut
