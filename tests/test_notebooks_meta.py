"""The notebooks as files: stripped, small, public API only, no network without a key.

CI executes them (``pytest --nbmake notebooks``); these checks are the fast part that
runs with the unit tests, so a renamed public name or a committed output shows up here
before the notebooks run.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = (
    "01_quickstart.ipynb",
    "02_priority_partners.ipynb",
    "03_partner_networks.ipynb",
    "04_channels_and_quality.ipynb",
    "05_peers_and_units.ipynb",
)
MAX_BYTES = 40_000


def _load(name: str) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return notebook


def _sources(notebook: dict[str, Any], kind: str) -> list[str]:
    return [
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in notebook["cells"]
        if cell["cell_type"] == kind
    ]


def _python(source: str) -> ast.Module:
    """A code cell as Python: IPython magics (``%…``) become blank lines."""
    lines = ["" if line.lstrip().startswith("%") else line for line in source.splitlines()]
    return ast.parse("\n".join(lines))


def _copub_names(tree: ast.Module) -> set[tuple[str, str]]:
    """``(module, name)`` for every ``from copub… import name`` and ``copub.name`` use."""
    used: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("copub"):
            used.update((node.module or "", alias.name) for alias in node.names)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in {"copub", "networks"}
        ):
            module = "copub" if node.value.id == "copub" else "copub.networks"
            used.add((module, node.attr))
    return used


def test_the_notebooks_are_there() -> None:
    assert tuple(sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_outputs_are_stripped_and_files_small(name: str) -> None:
    notebook = _load(name)
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert (NOTEBOOKS / name).stat().st_size < MAX_BYTES
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{name}: cell {cell.get('id')} has outputs"
            assert cell["execution_count"] is None


@pytest.mark.parametrize("name", EXPECTED)
def test_only_public_api_and_no_logic_of_their_own(name: str) -> None:
    for source in _sources(_load(name), "code"):
        tree = _python(source)
        defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        assert not defined, f"{name} defines {[d.name for d in defined]}"
        for module_name, attr in _copub_names(tree):
            assert not any(part.startswith("_") for part in module_name.split(".")), module_name
            module = importlib.import_module(module_name)
            if attr in getattr(module, "__all__", ()):
                continue
            # ``from copub import networks``: a public subpackage, not a name in __all__.
            is_package = hasattr(module, "__path__")
            is_sub = is_package and importlib.util.find_spec(f"{module_name}.{attr}") is not None
            assert is_sub, f"{name}: {module_name}.{attr} is not public"


@pytest.mark.parametrize("name", EXPECTED)
def test_synthetic_warning_small_sample_and_temporary_outputs(name: str) -> None:
    notebook = _load(name)
    assert "Synthetic data" in _sources(notebook, "markdown")[0]
    code = "\n".join(_sources(notebook, "code"))
    assert code.startswith("%matplotlib inline")
    assert "OUT = Path(tempfile.mkdtemp(" in code
    scales = [float(s) for s in re.findall(r"SCALE = [^\n]*?(\d+\.\d+)", code)]
    assert scales and max(scales) <= 0.1


def test_fetch_runs_only_with_a_key() -> None:
    cells = [c for c in _sources(_load(EXPECTED[0]), "code") if "fetch_works(" in c]
    assert len(cells) == 1
    assert cells[0].startswith('if os.environ.get("OPENALEX_API_KEY"):')
    for name in EXPECTED[1:]:
        assert not any("fetch_works(" in c for c in _sources(_load(name), "code"))


def test_real_register_is_read_only_when_the_user_points_to_it() -> None:
    cells = [c for c in _sources(_load(EXPECTED[3]), "code") if "real_path" in c]
    assert len(cells) == 1
    assert 'os.environ.get("COPUB_REGISTER")' in cells[0]
    assert "if real_path is not None and real_path.is_file():" in cells[0]
    assert "copy" not in cells[0] and "shared" not in cells[0]


def test_public_name_check_catches_private_use() -> None:
    tree = _python("%matplotlib inline\nfrom copub.report.plots import _line\ncopub.nothing")
    assert _copub_names(tree) == {("copub.report.plots", "_line"), ("copub", "nothing")}
    assert "_line" not in importlib.import_module("copub.report.plots").__all__
