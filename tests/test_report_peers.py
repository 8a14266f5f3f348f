"""report --peers G and report --by field: sections in the terminal, files and HTML."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import copub
from copub.cli import main
from copub.sample import sample_register_path

pytestmark = pytest.mark.slow  # builds a whole report with its peers and fields

ARGS = ["report", "--sample", "--scale", "0.02", "--bootstrap", "0", "--years", "2018-2021"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    # Module scope runs before the root conftest's per-test isolation: set it here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPUB_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "copub-cache"))
        patch.delenv("COPUB_REGISTER", raising=False)
        assert main([*ARGS, "--peers", "n5t", "--by", "field", "--out", str(out)]) == 0
    return out


def test_files_and_html_have_both_sections(report: Path) -> None:
    html = (report / "report.html").read_text()
    assert 'id="peers"' in html and 'id="breakdown"' in html and "By field" in html
    assert "SYNTHETIC" in html
    for name in ("peers", "by_field"):
        assert (report / "figures" / f"{name}.png").stat().st_size > 0
        assert "SYNTHETIC" in (report / "figures" / f"{name}.svg").read_text()
    peers = pl.read_csv(report / "tables" / "peers.csv")  # plain CSV: one header row
    assert set(peers["synthetic"]) == {"SYNTHETIC SAMPLE DATA: not real publications"}
    d = copub.Definitions(years=(2018, 2021), bootstrap=0, register=sample_register_path(0, 0.02))
    api = copub.peer_indicators(copub.load_sample(scale=0.02), d, group="n5t").table
    assert peers["intl_works"].to_list() == api["intl_works"].to_list()
    fields = pl.read_csv(report / "tables" / "breakdown_field.csv")
    yearly = pl.read_csv(report / "tables" / "yearly.csv")
    per_year = fields.group_by("year").agg(pl.col("works").sum()).sort("year")
    assert per_year["works"].to_list() == yearly["works"].to_list()


def test_terminal_shows_the_sections(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main([*ARGS, "--peers", "n5t", "--by", "field"]) == 0
    out = capsys.readouterr().out
    assert "Beside the peers" in out and "(home)" in out
    assert "By field" in out and "Where we stand" in out


def test_unknown_peer_group_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main([*ARGS, "--peers", "nowhere"]) == 2
    assert "no institution group 'nowhere'" in capsys.readouterr().err
