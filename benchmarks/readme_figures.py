"""Measure the figures the README quotes about the sample's runs, and check the README's text.

The README quotes a few figures that no test can check because they are times,
or because they need the full NTNU-sized sample: how long the first ``report
--sample`` takes, and the size, time and bytes of the sample's author network.
This script measures each one and compares it with the number the README
quotes beside it; it exits 1 when a quoted figure is not what it measures (a
count that differs, a time or size more than 30% away from "about"). The
figures cheap enough for a test are checked by tests instead (the sample's
size and bytes per work in ``tests/test_hostile_normalize_sample_size.py``,
the pooled MCP shares in ``tests/test_namesakes_bibliometrix.py``).

Run it on a quiet machine (times are wall times)::

    python -m benchmarks.readme_figures            # every figure
    python -m benchmarks.readme_figures --only first_run
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CLAIMS", "Claim", "agrees", "main", "quoted"]

README = Path(__file__).resolve().parents[1] / "README.md"
#: How far a quoted "about" time or size may be from the measurement.
TOLERANCE = 0.30


@dataclass(frozen=True)
class Claim:
    """One figure of the README: where it is quoted and how it is measured."""

    name: str
    #: A regular expression over the README with one group: the quoted number.
    pattern: str
    #: Whether the quote must equal the measurement as printed (counts), or be within
    #: :data:`TOLERANCE` of it (times and sizes, quoted as "about").
    exact: bool


def quoted(pattern: str, text: str | None = None) -> str:
    """The number the README quotes at ``pattern`` (its first group), whitespace-joined."""
    text = README.read_text(encoding="utf-8") if text is None else text
    found = re.search(pattern, " ".join(text.split()))
    if found is None:
        raise LookupError(
            f"the README no longer quotes {pattern!r}: update benchmarks/readme_figures.py"
        )
    return found.group(1)


CLAIMS: tuple[Claim, ...] = (
    Claim("first_run", r"first run generates and caches the sample, about ([0-9]+) s", exact=False),
    Claim("author_nodes", r"sample's author network \(([0-9,]+) authors", exact=True),
    Claim("author_links", r"authors, ([0-9.]+) million links\)", exact=True),
    Claim("author_seconds", r"written in every format in about ([0-9]+) s", exact=False),
    Claim("author_gb", r"\(([0-9.]+) GB of files", exact=False),
)


def _first_run() -> dict[str, str]:
    """Wall seconds of ``python -m copub report --sample`` with an empty cache."""
    with tempfile.TemporaryDirectory(prefix="copub-first-run-") as cache:
        env = {**os.environ, "COPUB_CACHE_DIR": cache}
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "copub", "report", "--sample"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return {"first_run": f"{time.perf_counter() - start:.0f}"}


def _author_network() -> dict[str, str]:
    """The sample's author network, built and written in every format."""
    from benchmarks.bench_networks import sample_networks_route

    info = sample_networks_route({"kinds": ["author"]})["author"]
    return {
        "author_nodes": f"{info['nodes']:,}",
        "author_links": f"{info['edges'] / 1e6:.1f}",
        "author_seconds": f"{info['seconds']:.0f}",
        "author_gb": f"{info['bytes'] / 1e9:.1f}",
    }


_MEASURES: dict[str, Callable[[], dict[str, str]]] = {
    "first_run": _first_run,
    "author_network": _author_network,
}


def agrees(claim: Claim, said: str, measured: str) -> bool:
    """Whether the README's ``said`` agrees with ``measured`` under the claim's rule."""
    if claim.exact:
        return said == measured
    value, target = float(said.replace(",", "")), float(measured.replace(",", ""))
    return abs(value - target) <= TOLERANCE * target


def main(argv: list[str] | None = None) -> int:
    """Measure, print one line per figure, and return 1 when a quote is wrong."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.readme_figures")
    parser.add_argument("--only", choices=sorted(_MEASURES), action="append")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    measured: dict[str, str] = {}
    for name in args.only or sorted(_MEASURES):
        print(f"measuring {name} …", file=sys.stderr, flush=True)
        measured.update(_MEASURES[name]())
    wrong = 0
    print(f"{'figure':<16} {'README':>10} {'measured':>10}  verdict")
    for claim in CLAIMS:
        if claim.name not in measured:
            continue
        said = quoted(claim.pattern, text)
        ok = agrees(claim, said, measured[claim.name])
        wrong += not ok
        verdict = "ok" if ok else "WRONG"
        print(f"{claim.name:<16} {said:>10} {measured[claim.name]:>10}  {verdict}")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
