"""``copub import`` says SYNTHETIC when the pages it read are copub's invented world.

The provenance knows it from the works' ids (``W9`` and 11 digits), however
the pages arrived; the command says it as soon as the tables are built and
again at the end. Pages with real-looking ids get no such line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli_run import run_cli


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("world")
    run = run_cli("sample", "--out", str(out), "--seed", "3", "--scale", "0.002")
    assert run.code == 0, run.err
    return sorted((out / "pages").glob("works_*.json"))[:2]


def test_import_of_synthetic_pages_says_so_first_and_last(
    pages: list[Path], tmp_path: Path
) -> None:
    run = run_cli("import", *map(str, pages), "--data-dir", str(tmp_path / "data"))
    assert run.code == 0, run.err
    lines = [line for line in run.err.splitlines() if line.strip()]
    flagged = [i for i, line in enumerate(lines) if "SYNTHETIC" in line]
    assert flagged and flagged[-1] == len(lines) - 1
    built = next(i for i, line in enumerate(lines) if "works," in line and "tables in" in line)
    assert flagged[0] < built  # said as soon as it is known, before the summary


def test_import_of_real_looking_pages_says_nothing_synthetic(
    pages: list[Path], tmp_path: Path
) -> None:
    page = tmp_path / "page.json"
    text = pages[0].read_text(encoding="utf-8")
    # the same records under ids OpenAlex could have issued (W4…, not the generator's W9…)
    page.write_text(re.sub(r"openalex\.org/W9(\d{11})", r"openalex.org/W4\1", text))
    run = run_cli("import", str(page), "--data-dir", str(tmp_path / "data"))
    assert run.code == 0, run.err
    assert "SYNTHETIC" not in run.err


def test_fetch_of_synthetic_pages_says_so(pages: list[Path], tmp_path: Path) -> None:
    from replay_server import ReplayServer

    with ReplayServer.from_folder(pages[0].parent, page_size=50) as server:
        run = run_cli(
            "fetch", "--years", "2012-2013", "--data-dir", str(tmp_path / "data"),
            env={"COPUB_OPENALEX_URL": server.base_url, "COPUB_BACKOFF": "0.001"},
        )  # fmt: skip
    assert run.code == 0, run.err
    assert "SYNTHETIC SAMPLE DATA" in run.err
