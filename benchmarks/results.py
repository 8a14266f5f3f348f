"""Result rows, the machine description, ``results/latest.json`` and the README table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "README",
    "RESULTS_DIR",
    "Row",
    "machine",
    "markdown_table",
    "merge_with_previous",
    "now",
    "update_readme",
    "verdict_at_least",
    "verdict_at_most",
    "write_results",
]

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
RESULTS_DIR = HERE / "results"
_START = "<!-- results:start (written by python -m benchmarks.run; edits here are overwritten) -->"
_END = "<!-- results:end -->"

Verdict = Literal["met", "stretch met", "missed", "info", "failed", "not available"]


@dataclass(frozen=True)
class Row:
    """One figure: a case at a scale, what it cost, and how it compares with its target."""

    bench: str
    scale: str
    case: str
    seconds: float | None = None
    peak_rss_mib: float | None = None
    ratio: float | None = None
    ratio_label: str = ""
    target: str = ""
    verdict: Verdict = "info"
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    run: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _memory_bytes() -> int:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return 0


def _commit() -> str:
    """The checked-out commit of this repository, ``+changes`` when its tree is not clean."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit"
    return head + (" +changes in src" if dirty else "")


def machine() -> dict[str, Any]:
    """Platform, CPU count and memory, as the README quotes them."""
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                cpu,
            )
    except OSError:
        pass
    versions = {}
    for name in ("polars", "pandas", "orjson", "numpy", "pyalex", "networkx", "copub"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    # copub's version does not change between commits: the commit says which code ran.
    versions["copub"] += f" at {_commit()}"
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory_gib": round(_memory_bytes() / 2**30, 1),
        "versions": versions,
    }


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def markdown_table(rows: list[Row]) -> str:
    """The results as one markdown table."""
    lines = [
        "| run | benchmark | scale | case | time (s) | peak RSS (MiB) | ratio | target | verdict |",
        "|---|---|---|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        ratio = f"{_fmt(row.ratio)}× {row.ratio_label}".strip() if row.ratio is not None else ""
        verdict = f"**{row.verdict}**" if row.verdict in ("missed", "failed") else row.verdict
        case = f"{row.case} — {row.note}" if row.note else row.case
        lines.append(
            f"| {row.run} | {row.bench} | {row.scale} | {case} | {_fmt(row.seconds)} | "
            f"{_fmt(row.peak_rss_mib, 0)} | {ratio} | {row.target} | {verdict} |"
        )
    return "\n".join(lines)


#: The input formats a case may name: a run with ``--formats jsonl`` keeps the pages rows.
_FORMAT_LABELS = ("JSON Lines gzip", "list pages")


def _slot(row: Row) -> tuple[str, str, str]:
    """What a row measures: benchmark, scale and, for normalization, the input format."""
    return row.bench, row.scale, next((f for f in _FORMAT_LABELS if f in row.case), "")


def merge_with_previous(run: dict[str, Any], rows: list[Row]) -> tuple[dict[str, Any], list[Row]]:
    """Keep earlier rows for (benchmark, scale, format) slots this run did not measure.

    So ``--only fetch`` refreshes the fetch rows without dropping the 1M
    normalization rows that took an hour to make, and ``--formats jsonl``
    keeps the list-pages rows.
    """
    path = RESULTS_DIR / "latest.json"
    previous: dict[str, Any] = {"runs": [], "rows": []}
    if path.is_file():
        try:
            previous = json.loads(path.read_text())
        except json.JSONDecodeError:
            previous = {"runs": [], "rows": []}
    fresh = {_slot(r) for r in rows}
    kept = [
        row for row in map(lambda r: Row(**r), previous.get("rows", [])) if _slot(row) not in fresh
    ]
    old_runs = previous.get("runs", [])
    used = sorted({r.run for r in kept})
    renumber = {old: new for new, old in enumerate(used)}
    runs = [old_runs[old] for old in used if old < len(old_runs)] + [run]
    merged = [dataclasses.replace(r, run=renumber[r.run]) for r in kept]
    merged += [dataclasses.replace(r, run=len(runs) - 1) for r in rows]
    order = {"normalize": 0, "indicators": 1, "networks": 2, "fetch": 3, "streaming": 4}
    scale_order = {"10k": 0, "100k": 1, "1m": 2}
    merged.sort(key=lambda r: (order.get(r.bench, 9), scale_order.get(r.scale, 9)))
    return {"runs": runs, "rows": [r.to_dict() for r in merged]}, merged


def write_results(payload: dict[str, Any]) -> Path:
    """Write ``results/latest.json`` (gitignored) and return its path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / "latest.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str))
    os.replace(tmp, path)
    return path


def _run_lines(number: int, run: dict[str, Any]) -> list[str]:
    m = run["machine"]
    data = "; ".join(
        f"{label}: {info.get('generator')}, {info.get('works', 0):,} works, "
        f"{info.get('jsonl_bytes', 0) / 2**30:.2f} GiB JSON Lines (gzip), "
        f"{info.get('pages_bytes', 0) / 2**30:.2f} GiB pages"
        for label, info in run.get("datasets", {}).items()
    )
    return [
        f"Run {number}: `{run['command']}`",
        f"- **Date**: {run['finished']} (took {run['wall_seconds'] / 60:.1f} min;"
        f" load average before/after: {run['load_before']} / {run['load_after']})",
        f"- **Machine**: {m['platform']}, {m['cpu']}, {m['nproc']} CPUs "
        f"(`nproc`), {m['memory_gib']} GiB memory; Python {m['python']}",
        "- **Versions**: " + ", ".join(f"{k} {val}" for k, val in m["versions"].items()),
        f"- **Data**: {data or 'none used'}",
        "",
    ]


def _section(payload: dict[str, Any], rows: list[Row]) -> str:
    lines = [_START, ""]
    for number, run in enumerate(payload["runs"]):
        lines += _run_lines(number, run)
    lines += [
        "Column *run* says which run above produced the row.",
        "",
        markdown_table(rows),
        "",
        _END,
    ]
    return "\n".join(lines)


def update_readme(payload: dict[str, Any], rows: list[Row]) -> None:
    """Replace the results section of ``benchmarks/README.md`` between its markers."""
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(_START.split(" (")[0]) + r".*?" + re.escape(_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"benchmarks: no results markers in {README}")
    README.write_text(pattern.sub(lambda _: _section(payload, rows), text, count=1), "utf-8")


def now() -> str:
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def verdict_at_most(value: float | None, limit: float) -> Verdict:
    """``met`` when ``value`` is at most ``limit``; ``failed`` when there is none."""
    if value is None:
        return "failed"
    return "met" if value <= limit else "missed"


def verdict_at_least(value: float | None, limit: float, stretch: float | None = None) -> Verdict:
    """``met`` at ``limit`` or more, ``stretch met`` at ``stretch`` or more."""
    if value is None:
        return "failed"
    if stretch is not None and value >= stretch:
        return "stretch met"
    return "met" if value >= limit else "missed"
