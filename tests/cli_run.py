"""``copub ARGS`` run in the test's own process: exit code, stdout and stderr.

A subprocess pays the 2-4 s start of ``import copub`` each time; most CLI tests
check what a command prints and returns, not the process around it. Tests of
start-up, signals (kill, Ctrl-C) and the exit status of a real process keep a
real subprocess.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from copub.cli import main


@dataclass(frozen=True)
class Run:
    """One CLI run: exit code, stdout and stderr."""

    code: int
    out: str
    err: str


class _EncodedText(io.StringIO):
    """A text buffer that declares ``encoding`` (a pipe in a UTF-8 locale says UTF-8)."""

    def __init__(self, encoding: str | None) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return self._encoding


def run_cli(*args: str, env: Mapping[str, str] | None = None, encoding: str | None = None) -> Run:
    """Run ``copub ARGS`` in this process, with ``env`` added to the environment meanwhile.

    As ``python -m copub ARGS`` would: the code :func:`copub.cli.main` returns
    (or a ``SystemExit``'s, e.g. of ``--help``), and what it wrote to stdout and
    stderr. ``encoding`` is the streams' declared encoding (a subprocess's pipe
    in a UTF-8 locale says ``"utf-8"``); without it they declare none, and
    copub writes plain ASCII.
    """
    out, err = _EncodedText(encoding), _EncodedText(encoding)
    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())
