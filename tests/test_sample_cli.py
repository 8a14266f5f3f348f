"""``copub sample``: writes the files, says they are synthetic, rejects bad arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

import copub
from copub.cli import main


def test_sample_command_writes_synthetic_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "world"
    assert main(["sample", "--out", str(out), "--seed", "3", "--scale", "0.002"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "SYNTHETIC" in captured.err
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("SYNTHETIC DATA - NOT REAL PUBLICATIONS")
    assert "seed=3" in readme
    pages = sorted((out / "pages").glob("works_*.json"))
    tables = copub.read_works(pages)
    assert tables.works.height > 0
    assert (out / "channel_register.csv").read_text().startswith("issn,year,level")


def test_sample_command_jsonl(tmp_path: Path) -> None:
    assert main(["sample", "--out", str(tmp_path), "--scale", "0.002", "--format", "jsonl"]) == 0
    assert len(list((tmp_path / "works").glob("works_*.jsonl.gz"))) == 14


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "0"], "scale must be greater than 0"),
        (["--scale", "abc"], "'abc' is not a number"),
        (["--scale", "nan"], "scale must be"),
        (["--scale", "1000"], "at most 100"),
        (["--seed", "-2"], "seed must be a whole number"),
        (["--seed", "1.5"], "'1.5' is not a whole number"),
        (["--format", "xml"], "invalid choice"),
        ([], "--out"),
    ],
)
def test_bad_arguments_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = [] if args == [] else ["--out", str(tmp_path)]
    assert main(["sample", *out, *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "pages").exists()
