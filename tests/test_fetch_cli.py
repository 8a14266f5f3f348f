"""``copub fetch``: one line and exit 1 on 429, resumable, usage errors exit 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import copub
from copub.cli import main
from fetch_support import FIRST, INSTITUTION, LAST, assert_exact, serve
from replay_server import ReplayServer


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    monkeypatch.setenv("COPUB_BACKOFF", "0.001")
    monkeypatch.setenv("COPUB_BACKOFF_MAX", "0.02")
    yield from serve()


def _argv(server: ReplayServer, data_dir: Path) -> list[str]:
    return [
        "fetch", "--institution", INSTITUTION, "--years", f"{FIRST}-{LAST}",
        "--data-dir", str(data_dir), "--api-url", server.base_url,
    ]  # fmt: skip


def test_429_exits_1_with_one_line_and_the_rerun_resumes(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.inject("429", year=2007, page=2)
    assert main(_argv(server, tmp_path)) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("copub: error:")]
    assert len(errors) == 1 and "Traceback" not in err
    assert "429" in errors[0] and "run the same command again later to resume" in errors[0]
    first_run = server.stats.requests["list"]

    assert main(_argv(server, tmp_path)) == 0
    err = capsys.readouterr().err
    assert "2007: resuming after page 1" in err and "retries: none" in err
    assert_exact(copub.load_tables(tmp_path), server.expected(FIRST, LAST))
    total_pages = sum(-(-len(server.year_ids(y)) // 8) + 1 for y in range(FIRST, LAST + 1))
    # Every page was asked for once, plus the one refused with 429.
    assert server.stats.requests["list"] == total_pages + 1 > first_run


@pytest.mark.parametrize(
    "args",
    [
        ["fetch", "--years", "2025-2012"],
        ["fetch", "--years", "2020", "--institution", "NTNU"],
        ["fetch", "--institution", "I1"],
        ["fetch", "--years", "2020", "--api-url", "ftp://x"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("copub: error:")


def test_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["fetch", "--help"])
    out = capsys.readouterr().out.rstrip().splitlines()
    assert out[-2] == "Example:" and out[-1].strip().startswith("python -m copub fetch")
