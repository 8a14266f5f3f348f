"""Fetching from a fault-injecting replay of real OpenAlex pages gives exact tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import copub
from copub.errors import BudgetExhaustedError, NetworkError
from fetch_support import (
    FIRST,
    INSTITUTION,
    LAST,
    assert_exact,
    captured,
    fast_settings,
    serve,
)
from replay_server import ReplayServer


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


def _fetch(server: ReplayServer, data_dir: Path, **changes: object) -> copub.FetchResult:
    progress, _ = captured()
    settings = fast_settings(server, data_dir, **changes)
    return copub.fetch_works(INSTITUTION, (FIRST, LAST), settings=settings, progress=progress)


def _pages_per_year(server: ReplayServer, size: int = 8) -> dict[int, int]:
    """Pages with works, plus the closing empty page."""
    return {y: -(-len(server.year_ids(y)) // size) + 1 for y in range(FIRST, LAST + 1)}


def test_clean_fetch_is_exact(server: ReplayServer, tmp_path: Path) -> None:
    result = _fetch(server, tmp_path)
    expected = server.expected(FIRST, LAST)
    assert_exact(copub.load_tables(tmp_path), expected)
    assert result.works == len(expected) == result.received == result.expected
    assert [y.pages for y in result.per_year] == list(_pages_per_year(server).values())
    assert result.retries == {} and result.duplicates_removed == 0 and result.refetched == 0
    assert server.stats.requests["list"] == sum(_pages_per_year(server).values())
    provenance = copub.load_tables(tmp_path).provenance
    assert provenance.source == "openalex" and provenance.institution == INSTITUTION
    assert provenance.years == (FIRST, LAST) and provenance.api_url == server.base_url
    assert provenance.counts["expected_works"] == len(expected)


# kind, where, retry kind counted by the client, extra settings.
# The slow page's timeout leaves a healthy page room on a loaded machine: with
# 0.3 s, a CI run on two busy cores timed out an unfaulted page too.
FAULTS = [
    ("403", {"retry_after": "1"}, "403", {}),
    ("500", {}, "500", {}),
    ("503", {"retry_after": "0"}, "503", {}),
    ("reset", {}, "connection", {}),
    ("cut_body", {}, "cut_body", {}),
    ("invalid_json", {}, "invalid_json", {}),
    ("slow", {"delay": 4.0}, "timeout", {"timeout": 1.5}),
]


@pytest.mark.parametrize(("kind", "options", "retry_kind", "changes"), FAULTS)
def test_fault_is_retried_and_tables_are_exact(
    server: ReplayServer,
    tmp_path: Path,
    kind: str,
    options: dict[str, object],
    retry_kind: str,
    changes: dict[str, object],
) -> None:
    server.inject(kind, year=2008, page=2, **options)  # type: ignore[arg-type]
    server.inject(kind, year=2007, page=1, **options)  # type: ignore[arg-type]
    result = _fetch(server, tmp_path, **changes)
    assert server.stats.faults[kind] == 2
    assert result.retries == {retry_kind: 2}
    assert_exact(copub.load_tables(tmp_path), server.expected(FIRST, LAST))
    assert result.duplicates_removed == 0


def test_retry_after_is_honoured_up_to_backoff_max(server: ReplayServer, tmp_path: Path) -> None:
    import time

    server.inject("403", year=2006, page=1, retry_after="0.25")
    start = time.monotonic()
    _fetch(server, tmp_path, backoff_max=0.3, concurrency=1)
    assert time.monotonic() - start >= 0.25
    server.inject("503", year=2006, page=1, retry_after="30")
    start = time.monotonic()
    _fetch(server, tmp_path / "capped", backoff_max=0.05)
    assert time.monotonic() - start < 5


def test_a_fault_on_every_attempt_gives_up_and_a_rerun_resumes(
    server: ReplayServer, tmp_path: Path
) -> None:
    server.inject("500", year=2008, page=3, times=3)
    with pytest.raises(NetworkError, match=r"still failing after 3 attempts .*HTTP 500"):
        _fetch(server, tmp_path, max_retries=2)
    before = server.stats.requests["list"]
    result = _fetch(server, tmp_path)
    assert_exact(copub.load_tables(tmp_path), server.expected(FIRST, LAST))
    # The rerun asked only for the pages the first run did not store.
    assert server.stats.requests["list"] - before == result.pages_fetched < result.pages


@pytest.mark.parametrize(("kind", "removed"), [("repeat", 8), ("overlap", 2)])
def test_repeated_and_overlapping_pages_are_deduplicated(
    server: ReplayServer, tmp_path: Path, kind: str, removed: int
) -> None:
    server.inject(kind, year=2008, page=2)  # type: ignore[arg-type]
    result = _fetch(server, tmp_path)
    assert server.stats.faults[kind] == 1
    assert result.duplicates_removed == removed
    year = {y.year: y for y in result.per_year}[2008]
    assert year.records == year.received + removed and year.difference == 0
    assert_exact(copub.load_tables(tmp_path), server.expected(FIRST, LAST))


def _wide_works(server: ReplayServer, n: int) -> list[str]:
    expected = server.expected(FIRST, LAST)
    return sorted(w for w, work in expected.items() if len(work["authorships"]) >= 4)[:n]


def test_truncated_authorships_are_refetched_in_full(server: ReplayServer, tmp_path: Path) -> None:
    wide = _wide_works(server, 3)
    assert len(wide) == 3
    server.truncate(wide, keep=2)
    server.inject("500", work=wide[0])
    result = _fetch(server, tmp_path)
    assert result.refetched == result.refetched_now == 3
    assert result.duplicates_removed == 0 and result.retries == {"500": 1}
    assert server.stats.requests["work"] == 4
    assert_exact(copub.load_tables(tmp_path), server.expected(FIRST, LAST))
    # Resuming a finished fetch asks for nothing again.
    again = _fetch(server, tmp_path)
    assert again.refetched == 3 and again.refetched_now == 0 and again.pages_fetched == 0
    assert server.stats.requests["work"] == 4


def test_without_refetch_the_truncation_stays_visible(server: ReplayServer, tmp_path: Path) -> None:
    wide = _wide_works(server, 2)
    server.truncate(wide, keep=2)
    progress, _ = captured()
    settings = fast_settings(server, tmp_path)
    copub.fetch_works(
        INSTITUTION, (FIRST, LAST), settings=settings, progress=progress, refetch_truncated=False
    )
    works = copub.load_tables(tmp_path).works
    flagged = works.filter(works["is_authors_truncated"])
    assert sorted(flagged["work_id"]) == wide and set(flagged["n_authors"]) == {2}
    assert server.stats.requests["work"] == 0


def test_per_page_200_refused_falls_back_to_100(tmp_path: Path) -> None:
    for server in serve(refuse_per_page_above=100):
        result = _fetch(server, tmp_path)
        assert result.per_page == 100
        assert server.stats.faults["per_page_refused"] >= 1
        assert set(server.stats.per_page) == {200, 100}
        assert_exact(copub.load_tables(tmp_path), server.expected(FIRST, LAST))


def test_budget_exhausted_stops_keeps_pages_and_resumes(
    server: ReplayServer, tmp_path: Path
) -> None:
    server.inject("429", year=2008, page=3)
    with pytest.raises(BudgetExhaustedError) as info:
        _fetch(server, tmp_path, concurrency=1)
    message = str(info.value)
    assert "\n" not in message and "429" in message and "X-RateLimit-Remaining=0" in message
    assert "run the same command again later to resume" in message
    assert not (tmp_path / "tables").exists()
    stored = server.stats.requests["list"] - 1  # every page but the refused one was stored
    result = _fetch(server, tmp_path)
    assert_exact(copub.load_tables(tmp_path), server.expected(FIRST, LAST))
    assert result.pages_fetched == result.pages - stored
    assert server.stats.requests["list"] == stored + 1 + result.pages_fetched


def test_meta_count_difference_is_reported(tmp_path: Path) -> None:
    for server in serve(count_offset=1):
        progress, stream = captured()
        settings = fast_settings(server, tmp_path)
        result = copub.fetch_works(INSTITUTION, "2007", settings=settings, progress=progress)
        assert [y.difference for y in result.per_year] == [-1]
        assert "difference -1" in stream.getvalue() and "1 fewer" in result.summary()


def test_api_key_is_sent_but_never_stored(server: ReplayServer, tmp_path: Path) -> None:
    _fetch(server, tmp_path, api_key="s3cret-key")
    assert server.stats.api_keys["s3cret-key"] == server.stats.requests["list"]
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in (".jsonl", ".json"):
            assert b"s3cret-key" not in path.read_bytes(), path


def test_an_institution_with_no_works_is_an_error_and_writes_no_tables(
    server: ReplayServer, tmp_path: Path
) -> None:
    progress, _ = captured()
    settings = fast_settings(server, tmp_path)
    with pytest.raises(copub.errors.DataError, match="check the institution id") as caught:
        copub.fetch_works("I1", "2007", settings=settings, progress=progress)
    assert caught.value.exit_code == 1 and "no tables were written" in str(caught.value)
    assert not (tmp_path / "tables").exists()


@pytest.mark.parametrize(
    ("institution", "years"), [("NTNU", "2010"), ("I1", "2010-2005"), ("I1", "20x0")]
)
def test_bad_arguments_are_usage_errors(tmp_path: Path, institution: str, years: str) -> None:
    with pytest.raises(copub.errors.UsageError):
        copub.fetch_works(institution, years, settings=copub.Settings(data_dir=tmp_path))


def test_a_429_in_one_year_cuts_short_the_backoff_of_another(
    server: ReplayServer, tmp_path: Path
) -> None:
    import time

    server.inject("503", year=2006, page=1, retry_after="30")
    server.inject("429", year=2007, page=3)
    start = time.monotonic()
    with pytest.raises(BudgetExhaustedError):
        _fetch(server, tmp_path, backoff_max=30.0, concurrency=2)
    assert time.monotonic() - start < 5
    assert server.stats.faults["503"] == 1 and server.stats.faults["429"] == 1
