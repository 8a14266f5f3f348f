"""The benchmark data: fat OpenAlex works at 10k, 100k and 1M, generated once and cached.

Each scale lives in ``benchmarks/.cache/works-<label>/`` as

- ``jsonl/``: ``write_sample(fmt="jsonl", fat=True)``: JSON Lines, gzip, one
  file per publication year (the OpenAlex snapshot's format), plus the full
  records of truncated works;
- ``pages/``: ``write_sample(fmt="pages", fat=True)``, the same works as list
  responses ``{"meta": …, "results": […]}`` of 200, as the API returns them;
- ``tables/``: the six parquet tables that ``copub.read_works`` built from the
  JSON Lines, for the indicator, network and streaming benchmarks;
- ``dataset.json``: what made the data (generator, seed, scale, files, bytes).

The generator is the synthetic world, ``copub.sample.write_sample(fat=True)``
(seed 0, the scale that gives about 10k, 100k or 1M distinct works). Before
it existed, ``interim`` copies were made instead (real full-schema works from
``../shared/data/openalex`` with fresh ids, in the cache only, never in the
repository); that path stays as a fallback and is labelled in every result.
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

__all__ = [
    "CACHE",
    "SCALES",
    "Dataset",
    "ensure_dataset",
    "generator_fingerprint",
    "generator_name",
]

CACHE = Path(__file__).resolve().parent / ".cache"
SCALES: dict[str, int] = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
WORKS_PER_PART = 10_000
WORKS_PER_PAGE = 200
_SHARED = Path(os.environ.get("COPUB_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))


@dataclass(frozen=True)
class Dataset:
    """One cached scale: its files and what made them."""

    label: str
    root: Path
    info: dict[str, Any]

    @property
    def jsonl(self) -> list[Path]:
        return self.files("jsonl")

    @property
    def pages(self) -> list[Path]:
        return self.files("pages")

    @property
    def tables_dir(self) -> Path:
        return self.root / "tables"

    def files(self, fmt: str) -> list[Path]:
        """Every works file of one format, as ``read_works`` takes them."""
        listed = self.info.get("files", {}).get(fmt)
        if listed is not None:
            return [self.root / name for name in listed]
        pattern = "*.jsonl.gz" if fmt == "jsonl" else "*.json"
        return sorted((self.root / fmt).glob(pattern))


def _note(message: str) -> None:
    print(f"benchmarks: {message}", file=sys.stderr, flush=True)


def generator_name() -> str:
    """``synthetic-world`` when ``write_sample`` takes ``fat``, else ``interim``."""
    try:
        write_sample = _write_sample_function()
    except ImportError:
        return "interim"
    return "synthetic-world" if "fat" in inspect.signature(write_sample).parameters else "interim"


def _real_templates() -> list[tuple[bytes, bytes]]:
    """Real works split around their id, so copies differ only in ``id``."""
    folder = _SHARED / "data" / "openalex"
    pages = sorted(folder.glob("*.json"))
    if not pages:
        raise SystemExit(
            f"benchmarks: no synthetic world with fat=True yet, and no real pages in {folder} "
            "for interim data"
        )
    templates = []
    seen: set[str] = set()
    for page in pages:
        for work in orjson.loads(page.read_bytes())["results"]:
            if work["id"] in seen:
                continue
            seen.add(work["id"])
            work = {**work, "id": "https://openalex.org/W@@ID@@"}
            head, tail = orjson.dumps(work).split(b"@@ID@@", 1)
            templates.append((head, tail))
    return templates


def _interim_works(n: int) -> Iterator[bytes]:
    templates = _real_templates()
    for i in range(n):
        head, tail = templates[i % len(templates)]
        yield head + str(9_000_000_000 + i).encode() + tail


def _write_interim(root: Path, n: int) -> dict[str, Any]:
    """Write JSON Lines parts and list pages from one stream of works."""
    (root / "jsonl").mkdir(parents=True)
    (root / "pages").mkdir(parents=True)
    lines: list[bytes] = []
    page: list[bytes] = []
    part_no = page_no = 0

    def flush_part() -> None:
        nonlocal part_no
        with gzip.open(root / "jsonl" / f"part_{part_no:04d}.jsonl.gz", "wb", compresslevel=1) as f:
            f.write(b"\n".join(lines) + b"\n")
        part_no += 1
        lines.clear()

    def flush_page() -> None:
        nonlocal page_no
        meta = orjson.dumps({"count": n, "per_page": WORKS_PER_PAGE, "page": None})
        body = b'{"meta":' + meta + b',"results":[' + b",".join(page) + b"]}"
        (root / "pages" / f"page_{page_no:05d}.json").write_bytes(body)
        page_no += 1
        page.clear()

    for i, work in enumerate(_interim_works(n), start=1):
        lines.append(work)
        page.append(work)
        if len(lines) == WORKS_PER_PART:
            flush_part()
        if len(page) == WORKS_PER_PAGE:
            flush_page()
        if i % 100_000 == 0:
            _note(f"interim data: {i:,} of {n:,} works")
    if lines:
        flush_part()
    if page:
        flush_page()
    return {
        "generator": "interim",
        "source": "real works from ../shared, fresh ids",
        "distinct_works": n,
    }


def _write_sample_function() -> Any:
    try:
        from copub.sample import write_sample
    except ImportError:
        from copub.sample.writer import write_sample
    return write_sample


def _scale_for(n: int) -> float:
    """The ``scale`` whose world has about ``n`` distinct works (scale 1 is about 140k)."""
    from copub.sample.world import YEARS, works_in_year

    at_one = sum(works_in_year(y, 1.0) for y in range(YEARS[0], YEARS[1] + 1))
    return n / at_one


def _write_synthetic(root: Path, n: int) -> dict[str, Any]:
    from copub.progress import Progress

    write_sample = _write_sample_function()
    scale = _scale_for(n)
    info: dict[str, Any] = {"generator": "synthetic-world", "seed": 0, "scale": scale, "files": {}}
    for fmt in ("jsonl", "pages"):
        start = time.perf_counter()
        files = write_sample(
            root / fmt, seed=0, scale=scale, fat=True, fmt=fmt, progress=Progress()
        )
        info[f"seconds_{fmt}"] = round(time.perf_counter() - start, 1)
        info["files"][fmt] = [str(p.relative_to(root)) for p in files.work_files]
        info["distinct_works"] = sum(files.counts.values())
    return info


def generator_fingerprint() -> str:
    """A hash of the generator's source, so cached data follows changes to it."""
    if generator_name() != "synthetic-world":
        return "interim-1"
    import copub.sample

    digest = hashlib.sha256()
    folder = Path(copub.sample.__file__).parent
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".csv", ".toml", ".json", ".txt"):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _bytes_of(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths)


def ensure_dataset(label: str) -> Dataset:
    """The cached dataset for ``label`` (10k, 100k, 1m), generating it on first use."""
    root = CACHE / f"works-{label}"
    marker = root / "dataset.json"
    wanted = generator_name()
    fingerprint = generator_fingerprint()
    if marker.is_file():
        info = json.loads(marker.read_text())
        if info.get("fingerprint") == fingerprint:
            return Dataset(label, root, info)
        _note(f"{root} was made by another generator version; regenerating")
    if root.exists():
        shutil.rmtree(root)
    n = SCALES[label]
    _note(f"generating {n:,} fat works ({wanted}) into {root}; this is done once")
    start = time.perf_counter()
    writer = _write_synthetic if wanted == "synthetic-world" else _write_interim
    info = writer(root, n)
    dataset = Dataset(label, root, info)
    info.update(
        fingerprint=fingerprint,
        works=n,
        seconds=round(time.perf_counter() - start, 1),
        jsonl_files=len(dataset.jsonl),
        jsonl_bytes=_bytes_of(dataset.jsonl),
        pages_files=len(dataset.pages),
        pages_bytes=_bytes_of(dataset.pages),
        created=time.strftime("%Y-%m-%d %H:%M:%S"),
    )
    marker.write_text(json.dumps(info, indent=2))
    return Dataset(label, root, info)
