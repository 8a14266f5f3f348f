"""Every ``--out`` (issues 24 and 27): built beside and swapped in, never over a user's files.

``sample --out`` used to overwrite files of the same names in a user's folder (through a
symlink too), and ``network``/``sample`` wrote file by file into the target.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import copub
from copub.cli import main
from copub.outdir import MARKER
from report_helpers import sample_tables


def test_sample_out_refuses_a_users_folder_and_a_symlink_to_one(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "README.txt").write_text("my notes", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(mine)
    for target in (mine, link):
        assert main(["sample", "--out", str(target), "--scale", "0.002"]) == 2
    assert (mine / "README.txt").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in mine.iterdir()) == ["README.txt"]


def test_sample_out_replaces_its_own_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    assert main(["sample", "--out", str(out), "--scale", "0.002"]) == 0
    first = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert (out / MARKER).read_text(encoding="utf-8").count("SYNTHETIC") == 1
    assert main(["sample", "--out", str(out), "--scale", "0.002", "--seed", "1"]) == 0
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == first  # same layout, new files
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no build left beside


def test_the_sample_readme_command_reads_the_works(tmp_path: Path) -> None:
    """The README.txt's own command runs from the folder and reads the works (issue 25.12)."""
    out = tmp_path / "sample"
    assert main(["sample", "--out", str(out), "--scale", "0.002"]) == 0
    readme = (out / "README.txt").read_text(encoding="utf-8")
    [command] = re.findall(r'python -c "(.+)"', readme)
    assert str(tmp_path) not in readme  # no path of the machine that wrote it
    done = subprocess.run([sys.executable, "-c", command], cwd=out, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert copub.read_works(sorted(out.glob("pages/works_*.json"))).works.height > 0


@pytest.mark.parametrize("command", ["network", "sample", "impact", "report"])
def test_no_out_writes_into_a_data_directory(tmp_path: Path, command: str) -> None:
    data = tmp_path / "data"
    sample_tables().write(data)
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    extra = {"network": ["--sample", "--scale", "0.005"], "sample": ["--scale", "0.002"],
             "impact": ["--sample", "--scale", "0.005"],
             "report": ["--sample", "--scale", "0.005"]}[command]  # fmt: skip
    for target in (data, data / "tables", data / "tables" / "x"):
        assert main([command, *extra, "--out", str(target)]) == 2
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before


def test_network_out_is_swapped_in_whole(tmp_path: Path) -> None:
    out = tmp_path / "net"
    args = ["network", "--sample", "--scale", "0.005", "--kind", "country", "--out", str(out)]
    assert main([*args, "--format", "gexf"]) == 0
    assert main([*args, "--format", "pajek"]) == 0
    names = {p.name for p in out.iterdir()}
    # The second run's folder replaced the first whole: no GEXF left from before.
    assert "country_network.net" in names and "country_network.gexf" not in names
    assert MARKER in names


def test_a_directory_given_as_a_file_is_named_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--groups``/``--register`` naming a directory used to say 'does not exist'."""
    for option, code in (("--groups", 2), ("--register", 1)):
        capsys.readouterr()
        assert main(["report", "--sample", "--scale", "0.005", option, str(tmp_path)]) == code
        err = capsys.readouterr().err
        assert f"{tmp_path} is a directory, not a file" in err and "does not exist" not in err


def test_a_negative_top_says_what_is_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    """``--top -1`` said 'must be 0 or more' where 0 is refused too."""
    for value in ("-1", "0"):
        capsys.readouterr()
        assert main(["partners", "--sample", "--scale", "0.005", "--top", value]) == 2
        err = capsys.readouterr().err
        assert "must be 1 or more" in err and "0 or more" not in err


def test_a_seed_out_of_range_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--layout-seed -1 --plot`` was a ValueError from numpy (exit 1, 'internal error')."""
    for value in ("-1", str(2**32)):
        capsys.readouterr()
        args = ["network", "--sample", "--scale", "0.005", "--plot", "--layout-seed", value]
        assert main([*args, "--out", str(tmp_path / "net")]) == 2
        err = capsys.readouterr().err
        assert "--layout-seed" in err and "internal error" not in err
