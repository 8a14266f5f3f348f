"""``copub peers`` and ``copub breakdown`` from the command line."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import copub
from copub.cli import main

SAMPLE = ["--sample", "--scale", "0.02", "--bootstrap", "0"]
KTH = "I86987016"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_peers_table_fits_and_says_synthetic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "peers", *SAMPLE, "--group", "n5t", "--years", "2019-2020")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "(home)" in out and "KTH Royal Institute of Technology" in out
    assert "SYNTHETIC" in out and "SYNTHETIC" in err
    assert "NTNU" in out and "CHALMERS" in out  # the shared-works matrix


def test_peers_csv_is_the_api_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _run(
        capsys, "peers", *SAMPLE, "--institution", KTH, "--years", "2019-2020", "--format",
        "csv", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0
    table = pl.read_csv(io.StringIO(out))  # plain CSV: one header row
    assert set(table["synthetic"]) == {"SYNTHETIC SAMPLE DATA: not real publications"}
    d = copub.Definitions(years=(2019, 2020), bootstrap=0)
    tables = copub.load_sample(scale=0.02)
    # The CLI uses the sample's own register, so the level shares are present.
    from copub.sample import sample_register_path

    d = d.with_(register=sample_register_path(0, 0.02))
    api = copub.peer_indicators(tables, d, peers=[KTH]).table
    assert table.height == api.height
    assert table["intl_share"].to_list() == pytest.approx(api["intl_share"].to_list())
    # The parquet file is the table itself; that it is synthetic is in its metadata.
    saved = pl.read_parquet(tmp_path / "tables" / "peers.parquet")
    assert_frame_equal(saved, api)
    assert pl.read_parquet_metadata(tmp_path / "tables" / "peers.parquet")["copub.synthetic"] == (
        "true"
    )
    assert (tmp_path / "tables" / "peers_shared_works.csv").is_file()


def test_a_peer_with_no_works_is_missing_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "peers", *SAMPLE, "--institution", "I1234567")
    assert code == 1 and "I1234567" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group", "nowhere"], "no institution group 'nowhere'"),
        (["--group", "priority"], "not institutions"),
        ([], "give --group KEY or at least one --institution"),
        (["--group", "n5t", "--indicator", "nope"], "--indicator 'nope'"),
    ],
)
def test_peers_bad_input_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = _run(capsys, "peers", *SAMPLE, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_breakdown_by_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "breakdown", *SAMPLE, "--by", "field", "--years", "2018-2021")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Where we stand" in out and "highest" in out and "lowest" in out
    assert "SYNTHETIC" in out


def test_breakdown_csv_partitions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "breakdown", *SAMPLE, "--by", "field", "--years", "2018-2021", "--format", "csv"
    )
    assert code == 0
    table = pl.read_csv(io.StringIO(out))
    yearly = copub.yearly_indicators(
        copub.load_sample(scale=0.02), copub.Definitions(years=(2018, 2021), bootstrap=0)
    )
    per_year = table.group_by("year").agg(pl.col("works").sum()).sort("year")
    assert per_year["works"].to_list() == yearly["works"].to_list()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "unit", "--unit", KTH], f"{KTH} is not a unit of I204778367"),
        (["--by", "field", "--unit", KTH], "--unit needs --by unit"),
        (["--by", "faculty"], "invalid choice"),
    ],
)
def test_breakdown_bad_input_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = _run(capsys, "breakdown", *SAMPLE, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["peers", "breakdown"])
def test_help_ends_with_an_example(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1].strip().startswith(f"python -m copub {command}")


def test_a_peers_rows_equal_report_institution_peer(capsys: pytest.CaptureFixture[str]) -> None:
    years = ["--years", "2018-2021"]
    code, out, _ = _run(capsys, "peers", *SAMPLE, "--group", "n5t", *years, "--format", "csv")
    assert code == 0
    peers = pl.read_csv(io.StringIO(out))
    for institution in (KTH, "I66862912"):
        code, out, _ = _run(
            capsys, "report", *SAMPLE, "--institution", institution, *years, "--format", "csv"
        )
        assert code == 0
        report = pl.read_csv(io.StringIO(out), comment_prefix="#")
        own = peers.filter(pl.col("institution_id") == institution).select(report.columns)
        assert_frame_equal(own, report)
