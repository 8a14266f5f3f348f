"""A fast start: what ``import copub``, ``copub --help`` and ``copub --version`` import.

Deterministic checks, not timings (``benchmarks/bench_startup.py`` measures
those): each case runs in a fresh interpreter under ``python -X importtime``,
and the modules it lists must not include the slow libraries. Heavy
libraries are imported in the functions that use them; the packages load
their public names on first use (:mod:`copub._lazy`); the command line
imports only the subcommand that runs (:mod:`copub.cli.commands`).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "copub"

#: Never imported by a start, nor by building any subcommand's parser: each costs
#: from a tenth of a second (pyalex, with requests) to most of a second (scipy, matplotlib).
HEAVY = ("scipy", "matplotlib", "duckdb", "networkx", "pyarrow", "pyalex")
#: Also kept out of ``import copub``, ``--help`` and ``--version``: polars and numpy
#: together take the whole 0.3 s budget, urllib3 and tenacity another tenth.
NOT_AT_START = (*HEAVY, "polars", "numpy", "urllib3", "tenacity", "xlsxwriter")

PACKAGES = (
    "copub",
    "copub.classify",
    "copub.eu",
    "copub.fetch",
    "copub.indicators",
    "copub.networks",
    "copub.normalize",
    "copub.report",
    "copub.sample",
)


def _imported(*args: str) -> set[str]:
    """Every module ``python -X importtime ARGS`` imports, and the top-level name of each."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "cumulative" not in line
    }
    assert "copub" in names, done.stderr[-2000:]  # the listing is what we think it is
    return names | {name.split(".")[0] for name in names}


@pytest.mark.parametrize(
    "args",
    [("-c", "import copub"), ("-m", "copub", "--help"), ("-m", "copub", "--version")],
    ids=["import copub", "copub --help", "copub --version"],
)
def test_a_start_imports_no_heavy_library(args: tuple[str, ...]) -> None:
    assert not set(NOT_AT_START) & _imported(*args)


def test_help_does_not_look_up_the_version() -> None:
    """``importlib.metadata`` is a sixth of the start: only ``--version`` needs it."""
    assert "importlib.metadata" not in _imported("-m", "copub", "--help")
    assert "importlib.metadata" in _imported("-m", "copub", "--version")


def test_building_every_command_parser_imports_no_heavy_library() -> None:
    """``copub report --help`` and the others: each subcommand module is light at the top."""
    names = _imported("-c", "from copub.cli import build_parser; build_parser()")
    assert not set(HEAVY) & names
    assert "polars" in names  # the full parser was built: it loads the stages


def test_the_check_can_fail() -> None:
    """A heavy library imported beside copub is seen."""
    assert "duckdb" in _imported("-c", "import copub, duckdb")


def test_the_help_lists_every_command_with_its_own_summary() -> None:
    """``copub --help`` without the command modules is ``copub --help`` with them."""
    from copub.cli import build_parser
    from copub.cli.commands import COMMANDS

    full, light = build_parser(), build_parser(["--help"])
    assert light.format_help() == full.format_help()
    sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    registered = [(a.dest, a.help) for a in sub._choices_actions]
    assert registered == [(c.name, c.summary) for c in COMMANDS]


def test_only_the_command_that_runs_is_built() -> None:
    from copub.cli import build_parser

    parser = build_parser(["--debug", "peers", "--sample"])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    with_options = {name for name, p in sub.choices.items() if len(p._actions) > 1}
    assert with_options == {"peers"}


def _type_checking_names(tree: ast.Module) -> dict[str, str]:
    """Name -> ``module`` or ``module:original`` of the imports under ``if TYPE_CHECKING:``."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for child in node.body:
                assert isinstance(child, ast.ImportFrom) and child.module
                for alias in child.names:
                    target = child.module + (f":{alias.name}" if alias.asname else "")
                    found[alias.asname or alias.name] = target
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_every_lazy_name_is_exported_typed_and_found(package: str) -> None:
    """``_EXPORTS``, ``__all__`` and the ``TYPE_CHECKING`` imports name the same things."""
    module = importlib.import_module(package)
    path = Path(module.__file__ or "")
    typed = _type_checking_names(ast.parse(path.read_text(encoding="utf-8")))
    eager = {n for n in module.__all__ if n not in module._EXPORTS}
    assert typed == dict(module._EXPORTS)
    assert set(module.__all__) == set(module._EXPORTS) | eager
    assert set(module.__all__) <= set(dir(module))
    for name, target in module._EXPORTS.items():
        source, _, original = target.partition(":")
        assert getattr(module, name) is getattr(importlib.import_module(source), original or name)
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = module.no_such_name


def test_no_exported_name_is_also_a_submodule_loaded_lazily() -> None:
    """Importing a submodule sets the package's attribute of its name: it would shadow a
    lazily exported name, so such a name must be imported eagerly (as ``catalogue``)."""
    for package in PACKAGES:
        module = importlib.import_module(package)
        folder = Path(module.__file__ or "").parent
        submodules = {p.stem for p in folder.glob("*.py")} | {
            p.parent.name for p in folder.glob("*/__init__.py")
        }
        assert not set(module._EXPORTS) & submodules, package
