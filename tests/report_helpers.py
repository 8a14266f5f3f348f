"""Shared pieces of the report tests: a tiny seeded sample, a CLI runner, one report directory."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

import copub
from copub.cli import main
from copub.normalize import Tables

SEED = 3
SCALE = 0.005
SAMPLE_ARGS = ["--sample", "--seed", str(SEED), "--scale", str(SCALE)]


@dataclass(frozen=True)
class Run:
    """One CLI run: exit code, stdout and stderr."""

    code: int
    out: str
    err: str


def run_report(capsys: pytest.CaptureFixture[str], *args: str, sample: bool = True) -> Run:
    """Run ``copub report`` (on the tiny sample unless ``sample=False``)."""
    capsys.readouterr()
    code = main(["report", *(SAMPLE_ARGS if sample else []), *args])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def sample_tables() -> Tables:
    """The tiny sample (cached on disk by copub; COPUB_CACHE_DIR is per test session)."""
    return copub.load_sample(seed=SEED, scale=SCALE)


def sample_register() -> Path:
    """The synthetic channel register that matches the tiny sample."""
    from copub.sample import sample_register_path

    return sample_register_path(SEED, SCALE)


@functools.cache
def report_dir(base: Path) -> Path:
    """One full ``report --out`` run (with a register) per test session, shared by modules."""
    out = base / "sample-report"
    code = main(
        [
            "report",
            *SAMPLE_ARGS,
            "--bootstrap",
            "50",
            "--register",
            str(sample_register()),
            "--format",
            "json",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out
