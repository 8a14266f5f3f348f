"""Shared pieces of the report tests: a tiny seeded sample, a CLI runner, one report directory."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

import copub
from cli_run import Run
from copub.cli import main
from copub.normalize import Tables
from run_dirs import run_dir_of

SEED = 3
SCALE = 0.005
SAMPLE_ARGS = ["--sample", "--seed", str(SEED), "--scale", str(SCALE)]


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
    """One full ``report --out`` run (with a register) per test run, shared by modules.

    ``base`` is the worker's base temp. The report is built once for the whole
    run: the first worker to get the lock builds it, the others wait and read it.
    """
    root = run_dir_of(base)
    out = root / "sample-report"
    done = root / "sample-report.complete"
    with FileLock(root / "sample-report.lock"):
        if not done.is_file():
            shutil.rmtree(out, ignore_errors=True)  # what a failed build left
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
            done.touch()
    return out
