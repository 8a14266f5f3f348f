"""Write a synthetic world to disk: list pages (or JSON Lines), full records, register, README."""

from __future__ import annotations

import gzip
import math
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import orjson
import polars as pl

from copub.errors import UsageError
from copub.progress import Progress
from copub.provenance import package_versions
from copub.sample.attributes import work_attributes
from copub.sample.encode import encode_chunk
from copub.sample.fat import build_fat_pools
from copub.sample.ids import rng_for
from copub.sample.peers import write_peer_pages
from copub.sample.register import register_frame
from copub.sample.works import generate_chunk
from copub.sample.world import YEARS, World, build_world, works_in_year

__all__ = [
    "FORCE_SCALE",
    "MAX_SCALE",
    "PER_PAGE",
    "SampleFiles",
    "SampleFormat",
    "check_sample_args",
    "estimate_sample",
    "write_sample",
]

SampleFormat = Literal["pages", "jsonl"]
PER_PAGE = 200
#: 100 is about 14 million works: beyond that, write several seeds instead.
MAX_SCALE = 100.0
#: The largest scale written without ``force``: about 1.4 million works, 11 GB of pages.
FORCE_SCALE = 10.0
#: Bytes written per work (duplicates and complete records included), by format and
#: ``fat``, and the part that does not grow with the scale (the complete records of
#: hyperauthored works, the register): measured at scales 0.01 to 0.2, seed 0.
_BYTES_PER_WORK = {
    ("pages", False): 7_400,
    ("pages", True): 16_800,
    ("jsonl", False): 900,
    ("jsonl", True): 3_000,
}
_FIXED_BYTES = {"pages": 4_000_000, "jsonl": 600_000}
#: The N5T peers' pages, per home work (0.4 peer works of 3.1 KB each).
_PEER_BYTES_PER_WORK = 1_300
#: Free space kept beyond the estimate: it is an estimate.
_FREE_MARGIN = 1.2
_CHUNK = 25_000
_DUPLICATE_RATE = 0.004
REGISTER_FILE = "channel_register.csv"
README_FILE = "README.txt"
_OWN_FILES = re.compile(r"^(peer_)?works_(full_)?\d{4}(_\d+)?\.(json|jsonl\.gz)$")
#: Complete records of hyperauthored works are large: few per page.
_FULL_PER_PAGE = 25


@dataclass(frozen=True)
class SampleFiles:
    """What :func:`write_sample` wrote.

    Attributes
    ----------
    out_dir : Path
    fmt : {"pages", "jsonl"}
    seed, scale, fat
        The arguments the world was made with.
    pages : tuple of Path
        List-response pages (``pages/works_YYYY_NNNNN.json``), or one gzipped
        JSON Lines file per year (``works/works_YYYY.jsonl.gz``) for ``jsonl``.
        Authorships are cut at 100 with ``is_authors_truncated: true``, and a
        few works appear twice, as in a real cursor run.
    full_records : tuple of Path
        The complete single-work records of the truncated works, as pages of
        25 (``works_full/works_full_YYYY_NNNNN.json``), or gzipped JSON Lines
        for ``jsonl``. Pages, because polars reads very long JSON lines slowly.
    register : Path
        The synthetic channel register, tidy CSV ``issn,year,level``.
    readme : Path
        README.txt, which says the data is synthetic.
    counts : dict
        Distinct works per publication year.
    calibration : str
        The table the partner-country mix was calibrated on.
    """

    out_dir: Path
    fmt: SampleFormat
    seed: int
    scale: float
    fat: bool
    pages: tuple[Path, ...]
    full_records: tuple[Path, ...]
    register: Path
    readme: Path
    counts: Mapping[int, int] = field(default_factory=dict)
    calibration: str = ""
    #: With ``peers``: the N5T peers' own works (``peer_pages/``), per year.
    peer_pages: tuple[Path, ...] = ()
    peer_counts: Mapping[int, int] = field(default_factory=dict)

    @property
    def work_files(self) -> tuple[Path, ...]:
        """Every file with works, for :func:`copub.read_works`."""
        return self.pages + self.full_records + self.peer_pages


def check_sample_args(seed: object, scale: object) -> tuple[int, float]:
    """Validate a seed (integer >= 0) and a scale (0 < scale <= 100).

    Raises
    ------
    UsageError
        Naming the bad argument.

    Examples
    --------
    >>> check_sample_args(3, 0.5)
    (3, 0.5)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise UsageError(f"seed must be a whole number from 0 to 2**63-1, not {seed!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.floating, np.integer)):
        raise UsageError(f"scale must be a number, not {scale!r}")
    value = float(scale)
    if not math.isfinite(value) or not 0 < value <= MAX_SCALE:
        raise UsageError(f"scale must be greater than 0 and at most {MAX_SCALE:g}, not {scale!r}")
    return int(seed), value


def estimate_sample(
    scale: float, *, fat: bool = False, fmt: SampleFormat = "pages", peers: bool = False
) -> tuple[int, int]:
    """The works a sample of ``scale`` holds and about how many bytes its files take.

    Examples
    --------
    >>> works, size = estimate_sample(1.0)
    >>> 100_000 < works < 200_000, 0.5e9 < size < 2e9
    (True, True)
    """
    works = sum(works_in_year(year, scale) for year in range(YEARS[0], YEARS[1] + 1))
    per_work = _BYTES_PER_WORK[(fmt, fat)] + (_PEER_BYTES_PER_WORK if peers else 0)
    return works, works * per_work + _FIXED_BYTES[fmt]


def _gb(size: float) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e8 else f"{size / 1e6:.0f} MB"


def _check_room(
    out: Path, scale: float, fat: bool, fmt: SampleFormat, peers: bool, force: bool
) -> int:
    """Refuse a sample above :data:`FORCE_SCALE`, or larger than the free space, unless forced.

    Returns the estimated size in bytes.
    """
    works, size = estimate_sample(scale, fat=fat, fmt=fmt, peers=peers)
    if force:
        return size
    if scale > FORCE_SCALE:
        raise UsageError(
            f"--scale {scale:g} would write about {works:,} works, {_gb(size)}, to {out}; "
            f"scales above {FORCE_SCALE:g} need --force (force=True)"
        )
    free = shutil.disk_usage(out).free
    if size * _FREE_MARGIN > free:
        raise UsageError(
            f"--scale {scale:g} would write about {_gb(size)} to {out}, but only {_gb(free)} "
            "is free there; choose a smaller --scale or another --out (--force writes anyway)"
        )
    return size


def _clear_old(out_dir: Path) -> None:
    """Remove works files a previous run left, so a smaller world does not mix with them."""
    for sub in ("pages", "works", "works_full", "peer_pages"):
        folder = out_dir / sub
        if folder.is_dir():
            for path in folder.iterdir():
                if _OWN_FILES.match(path.name):
                    path.unlink()


def _page_order(world: World, year: int, chunk: int, n: int) -> np.ndarray:
    """Cursor order of a chunk's records, with a few works sent twice."""
    rng = rng_for(world.seed, "works", year, chunk, 2)
    duplicates = rng.choice(n, size=rng.binomial(n, _DUPLICATE_RATE), replace=False)
    order = np.concatenate([np.arange(n), duplicates])
    return order[rng.permutation(order.size)]


def _tasks(world: World) -> list[tuple[int, int, int, int]]:
    """``(year, chunk, n, first_number)`` for every chunk of the world, in order."""
    tasks = []
    number = 1
    for year in range(world.years[0], world.years[1] + 1):
        n_year = works_in_year(year, world.scale, world.years)
        n_chunks = -(-n_year // _CHUNK)
        for chunk in range(n_chunks):
            n = n_year // n_chunks + (1 if chunk < n_year % n_chunks else 0)
            tasks.append((year, chunk, n, number))
            number += n
    return tasks


def _chunks(world: World, progress: Progress, fat: bool) -> Iterator[tuple[int, int, pl.DataFrame]]:
    """Encoded chunks in order, one at a time so memory stays bounded at any scale."""
    pools = build_fat_pools(world.seed) if fat else None
    for year, chunk, n, first in _tasks(world):
        generated = generate_chunk(world, year, chunk, n, first)
        attributes = work_attributes(world, generated)
        progress.tick(f"sample: {year}: {first + n - 1:,} works so far")
        yield year, chunk, encode_chunk(world, generated, attributes, pools)


def _meta(count: int, cursor: str | None) -> bytes:
    return orjson.dumps(
        {
            "count": count,
            "db_response_time_ms": 0,
            "page": None,
            "per_page": PER_PAGE,
            "next_cursor": cursor,
            "groups_count": None,
        }
    )


def _readme(files: SampleFiles) -> str:
    version = package_versions().get("copub", "unknown")
    years = ", ".join(f"{y}: {n:,}" for y, n in files.counts.items())
    return f"""SYNTHETIC DATA - NOT REAL PUBLICATIONS

Generated by copub {version} (seed={files.seed}, scale={files.scale:g}, fat={files.fat}).
Every work, author, journal, ISSN, register level, grant and award id here is invented.
Only the home institution (NTNU), the ENHANCE and Nordic Five Tech members, four research
infrastructures and three EU funders carry real names, and real RORs/OpenAlex ids where
those could be verified. The partner-country mix is calibrated on {files.calibration}.
Never report figures from these files as facts about any institution.

Works per year: {years}

Files:
  {
        "pages/works_YYYY_NNNNN.json  OpenAlex list-response pages"
        if files.fmt == "pages"
        else "works/works_YYYY.jsonl.gz   one work per line, gzip"
    }
      (authorships cut at 100 with is_authors_truncated; a few works repeated)
  works_full/   complete records of the works cut at 100 authorships
  {REGISTER_FILE}  synthetic channel register, tidy: issn,year,level

Read the works from this folder with (the author pages beside them are read by
copub.read_authors, and `copub import` tells the two apart by itself):
  python -c "import copub, glob; print(copub.read_works(sorted(glob.glob('{
        "pages/works_*.json" if files.fmt == "pages" else "works/works_*.jsonl.gz"
    }'))))"
"""


def _write_lines(out: gzip.GzipFile, records: pl.Series) -> None:
    out.write(pl.select(records.str.join("\n").cast(pl.Binary)).item())
    out.write(b"\n")


def _write_pages(
    folder: Path,
    stem: str,
    records: pl.Series,
    per_page: int,
    first: int,
    count: int | None,
    last_chunk: bool,
) -> list[Path]:
    """List-response pages of ``per_page`` records, numbered on from ``first``.

    ``count`` is the ``meta.count`` to state (the records' number when None);
    the last page of the last chunk has no ``next_cursor``.
    """
    if records.len() == 0:
        return []
    bodies = (
        pl.DataFrame({"json": records})
        .with_columns(page=pl.int_range(pl.len()) // per_page)
        .group_by("page", maintain_order=True)
        .agg(pl.col("json").str.join(","))["json"]
        .cast(pl.Binary)  # bytes straight from polars: no str copy, no encode
        .to_list()
    )
    paths = []
    for i, body in enumerate(bodies):
        number = first + i + 1
        final = last_chunk and i == len(bodies) - 1
        cursor = None if final else f"synthetic-{stem}-{number + 1}"
        meta = _meta(records.len() if count is None else count, cursor)
        path = folder / f"{stem}_{number:05d}.json"
        with path.open("wb") as out:
            out.write(b'{"meta":' + meta + b',"results":[')
            out.write(body)
            out.write(b'],"group_by":[]}')
        paths.append(path)
    return paths


def write_sample(
    out_dir: str | os.PathLike[str],
    *,
    seed: int = 0,
    scale: float = 1.0,
    fat: bool = False,
    fmt: SampleFormat = "pages",
    progress: Progress | None = None,
    peers: bool = False,
    force: bool = False,
) -> SampleFiles:
    """Write a deterministic synthetic world of OpenAlex works for NTNU.

    Parameters
    ----------
    out_dir : path
        Created if needed; works files of an earlier run there are replaced.
    seed : int
        Same seed and scale, same files, byte for byte.
    scale : float
        1.0 is NTNU-sized (8,000 works in 2012 growing to 12,000 in 2025,
        about 140,000 in all); at most 100.
    fat : bool
        Add the heavy fields of real records (abstract, concepts, topics,
        references, locations …), about 16 KB per work, for benchmarks.
    fmt : {"pages", "jsonl"}
        OpenAlex list-response pages of 200, or gzipped JSON Lines per year.
    progress : Progress, optional
        Progress lines on stderr; silent when omitted.
    peers : bool
        Also write the Nordic Five Tech peers' own works (:mod:`copub.sample.peers`)
        into ``peer_pages/``; NTNU's works are the same either way.
    force : bool
        Write a scale above :data:`FORCE_SCALE`, or more than the free space
        seems to hold (see :func:`estimate_sample`).

    Returns
    -------
    SampleFiles

    Raises
    ------
    UsageError
        For a bad seed, scale or format; a scale above :data:`FORCE_SCALE`, or
        an estimated size above the free space in ``out_dir``, without ``force``.

    Examples
    --------
    >>> import tempfile, copub
    >>> files = write_sample(tempfile.mkdtemp(), seed=1, scale=0.002)
    >>> tables = copub.read_works(files.work_files)
    >>> counts = tables.provenance.counts  # reading drops XPAC works, as the API would
    >>> tables.works.height + counts["xpac_dropped"] == sum(files.counts.values())
    True
    """
    seed, scale = check_sample_args(seed, scale)
    if fmt not in ("pages", "jsonl"):
        raise UsageError(f"format must be 'pages' or 'jsonl', not {fmt!r}")
    progress = progress or Progress.silent()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # Before a byte is written: at scale 50 a run filled 48 GB before failing.
    size = _check_room(out, scale, fat, fmt, peers, force)
    progress.note(f"writing about {_gb(size)} to {out}")
    _clear_old(out)
    world = build_world(seed, scale)
    works_dir = out / ("pages" if fmt == "pages" else "works")
    full_dir = out / "works_full"
    works_dir.mkdir(exist_ok=True)
    full_dir.mkdir(exist_ok=True)
    pages: list[Path] = []
    full_records: list[Path] = []
    counts: dict[int, int] = {}
    for year, chunk, encoded in _chunks(world, progress, fat):
        n_year = works_in_year(year, scale, world.years)
        counts[year] = counts.get(year, 0) + encoded.height
        records = encoded["page_json"].gather(_page_order(world, year, chunk, encoded.height))
        full = encoded["full_json"].drop_nulls()
        if fmt == "jsonl":
            if chunk == 0:
                pages.append(works_dir / f"works_{year}.jsonl.gz")
            # A gzip file may hold several members: each chunk appends one.
            with gzip.open(pages[-1], "wb" if chunk == 0 else "ab", compresslevel=1) as out_lines:
                _write_lines(out_lines, records)
            if full.len():
                full_records.append(full_dir / f"works_full_{year}_{chunk:03d}.jsonl.gz")
                with gzip.open(full_records[-1], "wb", compresslevel=1) as out_full:
                    _write_lines(out_full, full)
            continue
        done = counts[year] == n_year
        first = sum(1 for p in pages if p.name.startswith(f"works_{year}_"))
        pages += _write_pages(works_dir, f"works_{year}", records, PER_PAGE, first, n_year, done)
        first = sum(1 for p in full_records if p.name.startswith(f"works_full_{year}_"))
        full_records += _write_pages(
            full_dir, f"works_full_{year}", full, _FULL_PER_PAGE, first, None, True
        )
    peer_pages: tuple[Path, ...] = ()
    peer_counts: dict[int, int] = {}
    if peers:
        peer_pages, peer_counts = write_peer_pages(world, out / "peer_pages")
    register = out / REGISTER_FILE
    register_frame(world.sources, seed, world.years).write_csv(register)
    files = SampleFiles(
        out_dir=out,
        fmt=fmt,
        seed=seed,
        scale=scale,
        fat=fat,
        pages=tuple(pages),
        full_records=tuple(full_records),
        register=register,
        readme=out / README_FILE,
        counts=counts,
        calibration=world.mix.source,
        peer_pages=peer_pages,
        peer_counts=peer_counts,
    )
    files.readme.write_text(_readme(files), encoding="utf-8")
    progress.note(
        f"wrote SYNTHETIC sample: {sum(counts.values()):,} works, {len(pages)} files in {out}"
        + (f" (and {sum(peer_counts.values()):,} N5T peer works)" if peer_counts else "")
    )
    return files
