"""Issue 27, item 18: ``sample`` estimates its size first and refuses what cannot fit.

``sample --scale 50`` wrote 48 GB before failing with no space left. Every
refusal here happens before a byte of the sample is written.
"""

from __future__ import annotations

import shutil
from collections import namedtuple
from pathlib import Path

import pytest
from benchmarks.readme_figures import quoted

from copub.cli import main
from copub.errors import UsageError
from copub.sample import writer
from copub.sample.writer import FORCE_SCALE, estimate_sample, write_sample

_Usage = namedtuple("_Usage", "total used free")


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("copub: error:") == 1, err
    return err.rstrip().splitlines()[-1]


def _written(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_large_scale_is_refused_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sample"
    assert main(["sample", "--out", str(out), "--scale", "50"]) == 2
    line = _one_line(capsys)
    works, size = estimate_sample(50.0)
    assert f"--scale 50 would write about {works:,} works, {size / 1e9:.1f} GB" in line
    assert f"scales above {FORCE_SCALE:g} need --force" in line
    assert 40e9 < size < 70e9  # the 48 GB the issue measured
    assert _written(out) == []


def test_more_than_the_free_space_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(writer.shutil, "disk_usage", lambda _: _Usage(10**9, 10**9, 10**6))
    out = tmp_path / "sample"
    assert main(["sample", "--out", str(out), "--scale", "0.5"]) == 2
    line = _one_line(capsys)
    assert "but only 1 MB is free there" in line and "smaller --scale" in line
    assert _written(out) == []
    with pytest.raises(UsageError, match="is free there"):
        write_sample(out, scale=0.5)


def test_force_writes_anyway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer.shutil, "disk_usage", lambda _: _Usage(10**9, 10**9, 10**3))
    files = write_sample(tmp_path / "forced", scale=0.002, force=True)
    assert files.pages


@pytest.mark.parametrize(("fmt", "fat"), [("pages", False), ("jsonl", False), ("pages", True)])
def test_the_estimate_is_close_to_what_is_written(tmp_path: Path, fmt: str, fat: bool) -> None:
    scale = 0.01
    files = write_sample(tmp_path / fmt, scale=scale, fmt=fmt, fat=fat)  # type: ignore[arg-type]
    written = sum(p.stat().st_size for p in _written(files.out_dir))
    works, size = estimate_sample(scale, fat=fat, fmt=fmt)  # type: ignore[arg-type]
    assert works == sum(files.counts.values())
    assert 0.8 * written < size < 1.5 * written, (written, size)
    assert shutil.disk_usage(tmp_path).free > 0


def test_the_readme_quotes_the_sample_size_and_bytes_per_work() -> None:
    """The README's "about 140,000 works" and "about 7.4 KB a work as pages" are these."""
    works, _ = estimate_sample(1.0)
    assert quoted(r"NTNU-sized world \(about ([0-9,]+) works") == f"{round(works, -4):,}"
    per_work = (estimate_sample(1.0)[1] - estimate_sample(0.0001)[1]) / (
        works - estimate_sample(0.0001)[0]
    )
    assert quoted(r"about ([0-9.]+) KB a work as pages") == f"{per_work / 1000:.1f}"
