"""Bad input gets one clear line and the right exit code, never a traceback (issue 18's list)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import copub
from conftest import shared_path
from copub.cli import main
from fetch_support import INSTITUTION, serve
from replay_server import ReplayServer


def _one_line(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    line = err.rstrip().splitlines()[-1]
    assert line.startswith("copub: error:"), err
    assert err.count("copub: error:") == 1
    for word in words:
        assert word in line, line
    return line


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "afile"
    path.write_text("not a directory")
    return path


@pytest.fixture
def one_page() -> Path:
    return shared_path("openalex", "works_chunk_1.json")


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--data-dir", "{file}"],
        ["partners", "--data-dir", "{file}"],
        ["import", "{page}", "--data-dir", "{file}"],
        ["fetch", "--years", "2020", "--data-dir", "{file}", "--api-url", "http://127.0.0.1:9"],
        ["sample", "--out", "{file}", "--scale", "0.001"],
        ["report", "--sample", "--scale", "0.01", "--out", "{file}"],
        ["report", "--sample", "--scale", "0.01", "--out", "{file}/sub"],
        ["import", "{page}", "--data-dir", "{file}/sub"],
    ],
)
def test_a_file_where_a_directory_belongs_is_a_usage_error(
    args: list[str], a_file: Path, one_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.format(file=a_file, page=one_page) for a in args]
    assert main(argv) == 2
    _one_line(capsys, str(a_file))
    # Refused before any table was printed or any file written.
    assert capsys.readouterr().out == ""
    assert a_file.read_text() == "not a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_data_dir_is_a_usage_error(
    tmp_path: Path, one_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert main(["import", str(one_page), "--data-dir", str(folder / "x")]) == 2
        _one_line(capsys, "--data-dir")
        assert main(["report", "--sample", "--scale", "0.01", "--out", str(folder / "r")]) == 2
        _one_line(capsys, "--out")
    finally:
        folder.chmod(0o755)


def test_an_unwritable_directory_is_named(
    tmp_path: Path, one_page: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    # The same check as above, for a root test run: the directory says it is not writable.
    real_access = os.access
    target = tmp_path / "ro"
    target.mkdir()
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: Path(p) != target and real_access(p, mode, **kw)
    )
    assert main(["import", str(one_page), "--data-dir", str(target)]) == 2
    _one_line(capsys, "--data-dir", "not writable")


@pytest.mark.parametrize(
    ("args", "env", "code", "words"),
    [
        (["fetch", "--years", "2020", "--institution", "I" + "1" * 300], {}, 2, "institution"),
        (["fetch", "--years", "2020", "--api-url", "http://[::1"], {}, 2, "not a valid URL"),
        (["fetch", "--years", "2020", "--api-url", "http://127.0.0.1:99999"], {}, 2, "Port"),
        (["fetch", "--years", "2020"], {"COPUB_TIMEOUT": "0"}, 2, "COPUB_TIMEOUT"),
        (["fetch", "--years", "2020"], {"COPUB_TIMEOUT": "nan"}, 2, "COPUB_TIMEOUT"),
        (["fetch", "--years", "2020"], {"COPUB_BACKOFF": "-1"}, 2, "COPUB_BACKOFF"),
        (["fetch", "--years", "2020"], {"COPUB_MAX_RUN_TIME": "0"}, 2, "COPUB_MAX_RUN_TIME"),
        (["fetch", "--years", "2020"], {"COPUB_TIMEOUT": "soon"}, 2, "COPUB_TIMEOUT"),
    ],
)
def test_bad_settings_and_ids_are_usage_errors(
    args: list[str],
    env: dict[str, str],
    code: int,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main([*args, "--data-dir", str(tmp_path)]) == code
    line = _one_line(capsys, words)
    assert len(line) < 300
    assert not any(tmp_path.iterdir())


def test_garbage_provenance_is_a_data_error_naming_the_file(
    tmp_path: Path, one_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(one_page), "--data-dir", str(tmp_path)]) == 0
    (tmp_path / "tables" / "provenance.json").write_text("{not json")
    assert main(["report", "--data-dir", str(tmp_path), "--types", "all"]) == 1
    _one_line(capsys, "provenance.json", "not a copub provenance file")
    (tmp_path / "tables" / "provenance.json").write_text('["a", "list"]')
    with pytest.raises(copub.errors.DataError, match="JSON object"):
        copub.load_tables(tmp_path)


def test_a_pretty_printed_single_work_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = next(shared_path("openalex-2026").glob("work_W*.json"))
    work = json.loads(source.read_bytes())
    pretty = tmp_path / "one.json"
    pretty.write_text(json.dumps(work, indent=2))
    assert main(["import", str(pretty), "--data-dir", str(tmp_path / "d")]) == 0
    tables = copub.load_tables(tmp_path / "d")
    assert tables.works["work_id"].to_list() == [work["id"].rsplit("/", 1)[-1]]
    assert tables.authorships.height == len(work["authorships"])


@pytest.mark.parametrize("content", [b"", b'{"meta": {"count": 0}, "results": []}'])
def test_importing_no_works_is_exit_1_and_keeps_the_tables(
    content: bytes, tmp_path: Path, one_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(one_page), "--data-dir", str(tmp_path)]) == 0
    empty = tmp_path / "empty.json"
    empty.write_bytes(content)
    assert main(["import", str(empty), "--data-dir", str(tmp_path)]) == 1
    _one_line(capsys, "no works in", "unchanged")
    assert copub.load_tables(tmp_path).works.height == 50


def test_fewer_works_need_replace(
    tmp_path: Path, one_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = sorted(one_page.parent.glob("works_*.json"))
    assert main(["import", *map(str, pages), "--data-dir", str(tmp_path)]) == 0
    assert main(["import", str(one_page), "--data-dir", str(tmp_path)]) == 1
    _one_line(capsys, "kept the existing tables", "(375 works)", "--replace")
    assert copub.load_tables(tmp_path).works.height == 375
    assert main(["import", str(one_page), "--data-dir", str(tmp_path), "--replace"]) == 0
    assert copub.load_tables(tmp_path).works.height == 50


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    monkeypatch.setenv("COPUB_BACKOFF", "0.001")
    monkeypatch.setenv("COPUB_BACKOFF_MAX", "0.02")
    yield from serve()


def test_a_narrower_fetch_does_not_shrink_the_tables_without_replace(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def fetch(years: str, *extra: str) -> int:
        where = ["--data-dir", str(tmp_path), "--api-url", server.base_url]
        return main(["fetch", "--institution", INSTITUTION, "--years", years, *where, *extra])

    assert fetch("2006-2008") == 0
    wide = copub.load_tables(tmp_path).works.height
    assert wide == sum(len(server.year_ids(y)) for y in (2006, 2007, 2008))
    assert fetch("2008") == 1
    _one_line(capsys, "kept the existing tables", f"({wide} works)", "--replace")
    assert copub.load_tables(tmp_path).works.height == wide
    assert fetch("2008", "--replace") == 0
    assert copub.load_tables(tmp_path).works.height == len(server.year_ids(2008))


def test_an_institution_with_no_works_is_exit_1(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch", "--institution", "I1", "--years", "2007", "--data-dir", str(tmp_path),
                 "--api-url", server.base_url]) == 1  # fmt: skip
    _one_line(capsys, "no works for I1", "no tables were written")
    assert not (tmp_path / "tables").exists()
