"""Fetching /authors records in id batches survives the same faults as works, exactly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import copub
from conftest import shared_path
from copub.errors import BudgetExhaustedError, UsageError
from copub.fetch.store import raw_dir
from copub.normalize.authors import load_authors
from fetch_support import INSTITUTION, captured, fast_settings, real_works
from replay_server import ReplayServer

BATCH = 25  # 70 real authors: batches of 25, 25 and 20; 8 a page: 5, 5 and 4 pages


def real_authors() -> list[dict[str, Any]]:
    folder = shared_path("openalex-authors")
    records: list[dict[str, Any]] = []
    for name in ("authors_page_50.json", "authors_search_page_20.json"):
        records += json.loads((folder / name).read_bytes())["results"]
    return records


def expected_rows(records: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    """Plain Python over the raw JSON: every (author, institution, year) listed."""
    rows = set()
    for record in records:
        for affiliation in record["affiliations"]:
            for year in affiliation["years"]:
                rows.add(
                    (
                        record["id"].rsplit("/", 1)[-1],
                        affiliation["institution"]["id"].rsplit("/", 1)[-1],
                        year,
                    )
                )
    return sorted(rows)


def table_rows(data_dir: Path) -> list[tuple[str, str, int]]:
    authors = load_authors(data_dir)
    return sorted(authors.select("author_id", "institution_id", "year").iter_rows())


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer(
        real_works(), institution=INSTITUTION, page_size=8, authors=real_authors()
    ) as replay:
        yield replay


def _fetch(
    server: ReplayServer, data_dir: Path, ids: list[str] | None = None, **changes: Any
) -> copub.AuthorFetchResult:
    progress, _ = captured()
    settings = fast_settings(server, data_dir, **changes)
    return copub.fetch_authors(
        ids if ids is not None else server.author_ids(),
        INSTITUTION,
        settings=settings,
        progress=progress,
        batch_size=BATCH,
    )


def test_clean_fetch_is_exact(server: ReplayServer, tmp_path: Path) -> None:
    result = _fetch(server, tmp_path)
    assert table_rows(tmp_path) == expected_rows(real_authors())
    assert result.requested == result.received == 70 and result.missing == ()
    assert (result.batches, result.pages) == (3, 14)
    assert server.stats.requests["authors"] == 14 and result.retries == {}
    # Every batch stayed within the documented limit, and the works store is untouched.
    assert not (raw_dir(tmp_path, INSTITUTION) / "manifest.jsonl").exists()


FAULTS = [
    ("403", "403"),
    ("500", "500"),
    ("503", "503"),
    ("reset", "connection"),
    ("cut_body", "cut_body"),
    ("invalid_json", "invalid_json"),
]


@pytest.mark.parametrize(("kind", "retry_kind"), FAULTS)
def test_fault_is_retried_and_the_table_is_exact(
    server: ReplayServer, tmp_path: Path, kind: str, retry_kind: str
) -> None:
    server.inject(kind, endpoint="authors", page=2, retry_after="0")  # type: ignore[arg-type]
    server.inject(kind, endpoint="authors", page=4, retry_after="0")  # type: ignore[arg-type]
    result = _fetch(server, tmp_path)
    assert server.stats.faults[kind] == 2
    assert result.retries == {retry_kind: 2}
    assert table_rows(tmp_path) == expected_rows(real_authors())


def test_429_stops_keeps_pages_and_a_rerun_resumes(server: ReplayServer, tmp_path: Path) -> None:
    server.inject("429", endpoint="authors", page=3)
    with pytest.raises(BudgetExhaustedError, match="429"):
        _fetch(server, tmp_path, concurrency=1)
    before = server.stats.requests["authors"]
    result = _fetch(server, tmp_path)
    assert table_rows(tmp_path) == expected_rows(real_authors())
    assert server.stats.requests["authors"] - before == result.pages_fetched < result.pages
    authors = load_authors(tmp_path)
    assert authors.height == authors.unique(["author_id", "institution_id", "year"]).height


def test_unknown_ids_are_reported_missing(server: ReplayServer, tmp_path: Path) -> None:
    ids = [*server.author_ids()[:3], "A1"]
    result = _fetch(server, tmp_path, ids=ids)
    assert result.missing == ("A1",) and result.received == 3
    assert {row[0] for row in table_rows(tmp_path)} <= set(ids[:3])


def test_bad_arguments(server: ReplayServer, tmp_path: Path) -> None:
    settings = fast_settings(server, tmp_path)
    with pytest.raises(UsageError, match="not an OpenAlex author id"):
        copub.fetch_authors(["W123"], INSTITUTION, settings=settings)
    with pytest.raises(UsageError, match="batch_size must be 1 to 100"):
        copub.fetch_authors(["A1"], INSTITUTION, settings=settings, batch_size=101)


_CHILD = """
import sys, copub
ids = sys.argv[3].split(",")
settings = copub.Settings(data_dir=sys.argv[1], api_url=sys.argv[2], backoff=0.001,
                          backoff_max=0.02, concurrency=2)
copub.fetch_authors(ids, "I204778367", settings=settings, batch_size=10)
"""


def _manifest_lines(data_dir: Path) -> int:
    path = raw_dir(data_dir, INSTITUTION) / "authors" / "manifest.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_then_rerun_is_exact(tmp_path: Path) -> None:
    records = real_authors()
    with ReplayServer(
        real_works(), institution=INSTITUTION, page_size=3, delay=0.05, authors=records
    ) as slow:
        ids = slow.author_ids()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(tmp_path), slow.base_url, ",".join(ids)],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while _manifest_lines(tmp_path) < 6 and time.monotonic() < deadline:
            assert process.poll() is None, "the fetch ended before it could be killed"
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        assert _manifest_lines(tmp_path) >= 6 and not (tmp_path / "tables").exists()
        slow.delay = 0.0
        before = slow.stats.requests["authors"]
        progress, _ = captured()
        settings = fast_settings(slow, tmp_path)
        result = copub.fetch_authors(
            ids, INSTITUTION, settings=settings, progress=progress, batch_size=10
        )
        assert result.pages_fetched == slow.stats.requests["authors"] - before < result.pages
    assert table_rows(tmp_path) == expected_rows(records)
    authors = load_authors(tmp_path)
    assert authors["author_id"].n_unique() == sum(1 for r in records if r["affiliations"])
    assert authors.height == authors.unique(["author_id", "institution_id", "year"]).height
    assert isinstance(authors, pl.DataFrame)


NMBU = "I54108979"  # the one Norwegian institution in the real works (a 2007 work)


def test_cli_fetch_authors_after_the_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from copub.cli import main

    works = real_works()
    home_authors = sorted(
        a["author"]["id"]
        for w in works
        for a in w["authorships"]
        if any(i.get("id", "").endswith(NMBU) for i in a["institutions"]) and a["author"].get("id")
    )
    assert home_authors, "the real works lost their NMBU authorship"
    nmbu = {"id": f"https://openalex.org/{NMBU}", "country_code": "NO",
            "lineage": [f"https://openalex.org/{NMBU}"]}  # fmt: skip
    abroad = {"id": "https://openalex.org/I1", "country_code": "SE",
              "lineage": ["https://openalex.org/I1"]}  # fmt: skip
    records = [
        {"id": author, "display_name": "x", "affiliations": [
            {"institution": nmbu, "years": [2007]}, {"institution": abroad, "years": [2005]}]}
        for author in home_authors
    ]  # fmt: skip
    monkeypatch.setenv("COPUB_BACKOFF", "0.001")
    with ReplayServer(works, institution=NMBU, page_size=8, authors=records) as replay:
        replay.inject("503", endpoint="authors", page=1, retry_after="0")
        argv = ["fetch", "--institution", NMBU, "--years", "2007", "--data-dir", str(tmp_path),
                "--api-url", replay.base_url, "--authors"]  # fmt: skip
        assert main(argv) == 0
        assert replay.stats.faults["503"] == 1
    assert table_rows(tmp_path) == expected_rows(records)
    err = capsys.readouterr().err
    assert f"authors: {len(home_authors)} of {len(home_authors)} records received" in err
    assert main(["mobility", "--data-dir", str(tmp_path), "--institution", NMBU,
                 "--format", "csv"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("year,")  # plain CSV: the note goes to stderr
    row = next(line for line in out.splitlines() if line.startswith("2007,"))
    assert row.split(",")[1:4] == [str(len(home_authors)), "0", str(len(home_authors))]


def test_mobility_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    from copub.cli import main

    with pytest.raises(SystemExit):
        main(["mobility", "--help"])
    out = capsys.readouterr().out.rstrip().splitlines()
    assert out[-2] == "Example:" and out[-1].strip().startswith("python -m copub mobility")
