"""Data flows one way: each stage imports only earlier stages; only the CLI wires them all.

Read from the source with ``ast`` (every ``import``, also those inside
functions), so a lazy import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "copub"
#: ``eu`` reads its own inputs (CORDIS) and classifies them beside the indicators.
STAGES = ("fetch", "normalize", "classify", "indicators", "eu", "networks", "report")
SHARED = frozenset(
    {
        "settings",
        "errors",
        "provenance",
        "progress",
        "validate",
        "secrets",
        "atomic",
        "locking",
        "concurrent",
    }
)
#: Modules that may import anything: the wiring and the public face.
WIRING = frozenset({"cli", "__init__", "__main__"})
#: The synthetic world sits beside the pipeline and hands its pages to the normalizer;
#: it reads the classification's rules (who is a home author, which funders are the EC's)
#: so that the records it invents agree with them instead of restating them.
BESIDE = {"sample": frozenset({"normalize", "classify"})}
#: Known exceptions, each with its reason.
EXCEPTIONS = {
    ("fetch", "normalize"): "fetch_works builds the tables once the pages are on disk",
}


def _imports() -> dict[tuple[str, str], set[str]]:
    """(importing top-level module, imported top-level module) -> files that do it."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in SRC.rglob("*.py"):
        source = path.relative_to(SRC).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] != "copub":
                    continue
                target = parts[1] if len(parts) > 1 else "__init__"
                if target != source:
                    found.setdefault((source, target), set()).add(str(path.relative_to(SRC)))
    return found


def _allowed(source: str, target: str) -> bool:
    if source in WIRING or target in SHARED:
        return True
    if (source, target) in EXCEPTIONS:
        return True
    if source in SHARED:
        return False
    if source in BESIDE:
        return target in BESIDE[source]
    if source in STAGES and target in STAGES:
        return STAGES.index(target) < STAGES.index(source)
    return False


def test_every_import_goes_downstream() -> None:
    wrong = {
        f"{source} -> {target} ({', '.join(sorted(files))})"
        for (source, target), files in _imports().items()
        if not _allowed(source, target)
    }
    assert not wrong, "imports against the data flow:\n" + "\n".join(sorted(wrong))


def test_the_rules_can_fail() -> None:
    assert not _allowed("classify", "indicators")
    assert not _allowed("indicators", "networks")
    assert not _allowed("networks", "report")
    assert not _allowed("report", "cli")
    assert not _allowed("settings", "indicators")
    assert _allowed("cli", "report") and _allowed("report", "classify")


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_exists(stage: str) -> None:
    assert (SRC / stage).is_dir()


def test_definitions_live_below_the_indicators() -> None:
    """The one Definitions value is built in classify, read by every later stage."""
    from copub.classify.definitions import Definitions
    from copub.indicators import Definitions as ReExported

    assert Definitions is ReExported
    assert Definitions.__module__ == "copub.classify.definitions"


def test_the_readme_indicator_list_is_the_catalogue() -> None:
    """The README's column list is derived from the catalogue, not kept by hand."""
    from copub.indicators.catalogue import catalogue_markdown

    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- catalogue:start -->\n", 1)[1].split("\n<!-- catalogue:end -->", 1)[0]
    assert block == catalogue_markdown()
