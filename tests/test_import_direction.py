"""Data flows one way, and no module imports itself through others.

Each stage imports only earlier stages; only the CLI wires them all. And
between any modules, inside a package too, the imports form no circle: a
circle is hidden coupling (each half must be read with the other) that
Python tolerates only while nobody reorders an import.

Read from the source with ``ast`` (every ``import``: inside functions and
under ``TYPE_CHECKING`` too), so a lazy import hides neither a wrong
direction nor a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "copub"
#: ``eu`` reads its own inputs (CORDIS) and classifies them beside the indicators;
#: ``analyses`` holds one folder per question (compute + present) over all of them,
#: and the report only loops over the analyses' registry.
STAGES = (
    "fetch", "normalize", "classify", "indicators", "eu", "networks", "analyses", "report"
)  # fmt: skip
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
        "_lazy",
        "layout",
        "outdir",
        "render",
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
#: No circle is allowed (the report's, data <-> formats <-> impact_section, went with
#: the analysis registry, issue 24).
KNOWN_REPORT_CYCLES: tuple[frozenset[str], ...] = ()


def _module_name(path: Path) -> str:
    """``src/copub/a/b.py`` -> ``copub.a.b``; a package's ``__init__.py`` -> the package."""
    parts = ("copub", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def _imported_modules(path: Path, known: Mapping[str, Path], text: str | None = None) -> set[str]:
    """The copub modules ``path`` (or ``text`` as if it were there) imports, anywhere in it.

    ``from copub.a import b`` names the module ``copub.a.b`` when there is one,
    else ``copub.a`` (``b`` is a name in it); an unknown name counts as the
    nearest known module above it.
    """

    def nearest(name: str) -> str:
        while name not in known and "." in name:
            name = name.rpartition(".")[0]
        return name

    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    source = path.read_text(encoding="utf-8") if text is None else text
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {nearest(a.name) for a in node.names if a.name.split(".")[0] == "copub"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            if base.split(".")[0] != "copub":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else nearest(base))
    return found


@cache
def _graph() -> dict[str, set[str]]:
    """Module -> the copub modules it imports (itself left out); read once per session."""
    known = _modules()
    return {name: _imported_modules(path, known) - {name} for name, path in known.items()}


def _stage(module: str) -> str:
    """The top-level module or package a module belongs to (``__init__`` for copub itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> dict[tuple[str, str], set[str]]:
    """(importing top-level module, imported top-level module) -> files that do it."""
    modules = _modules()
    found: dict[tuple[str, str], set[str]] = {}
    for module, targets in _graph().items():
        for target in targets:
            source, into = _stage(module), _stage(target)
            if into != source:
                where = str(modules[module].relative_to(SRC))
                found.setdefault((source, into), set()).add(where)
    return found


def _circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def _one_circle(graph: Mapping[str, set[str]], group: list[str]) -> list[str]:
    """A closed path through the group, from its first module back to it."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    queue = [start]
    while queue:  # breadth first: the shortest way back
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no circle through {start}")  # a group always has one


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


def test_no_module_imports_itself_through_others() -> None:
    """No circle between modules, in a package or across packages, but the known ones."""
    graph = _graph()
    circles = _circles(graph)
    new = [
        " -> ".join(_one_circle(graph, group))
        for group in circles
        if frozenset(group) not in KNOWN_REPORT_CYCLES
    ]
    assert not new, "import circles:\n" + "\n".join(new)
    gone = [sorted(group) for group in KNOWN_REPORT_CYCLES if sorted(group) not in circles]
    assert not gone, f"these circles are gone: remove them from KNOWN_REPORT_CYCLES: {gone}"


def test_only_report_has_a_known_circle() -> None:
    assert all(m.startswith("copub.report.") for c in KNOWN_REPORT_CYCLES for m in c)


def test_the_circle_check_can_fail() -> None:
    """A circle hidden by an import inside a function is found, and printed as a path."""
    graph = {"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": set()}
    assert _circles(graph) == [["a", "b", "c"]]
    assert _one_circle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    known = _modules()
    late = "def run():\n    from copub.cli import commands\n    from . import _parser\n"
    seen = _imported_modules(SRC / "errors.py", known, late)
    assert seen == {"copub.cli.commands", "copub"}  # "from . import" in errors.py: copub
    seen = _imported_modules(SRC / "cli" / "_common.py", known, late)
    assert seen == {"copub.cli.commands", "copub.cli._parser"}


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
