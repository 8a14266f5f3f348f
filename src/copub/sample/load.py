"""The synthetic world as :class:`~copub.normalize.Tables`, cached per seed and scale.

The first call writes the world's raw pages into a temporary directory, reads
them with :func:`copub.read_works` like any other pages, and stores the tables
under ``settings.cache_dir/sample/<key>``; later calls only read the parquet
files. The key holds the seed, the scale, the copub version, the generator
version, the tables' version and a digest of the partner-country calibration, so a change in any
of them makes a new world instead of serving a stale one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from copub.atomic import atomic_write
from copub.locking import directory_lock
from copub.normalize import Tables, load_tables, read_works
from copub.normalize.fingerprint import remember
from copub.normalize.tables import TABLES_VERSION
from copub.progress import Progress
from copub.provenance import Provenance, package_versions
from copub.sample.calibration import partner_mix
from copub.sample.reference import HOME
from copub.sample.register import register_frame
from copub.sample.sources import build_sources
from copub.sample.world import YEARS
from copub.sample.writer import REGISTER_FILE, check_sample_args, write_sample
from copub.settings import Settings

__all__ = ["GENERATOR_VERSION", "load_sample", "sample_cache_dir", "sample_register_path"]

#: Bump when the generator's output changes, so cached worlds are rebuilt
#: (4: affiliation strings, XPAC; 5: citation impact; 9: peers, after the merge).
GENERATOR_VERSION = 9
_COMPLETE = "complete.json"
_STALE_SECONDS = 3600


@functools.cache
def _calibration_digest() -> str:
    """The digest of the packaged partner mix (calibrated once per process: a report asks
    for the cache key several times)."""
    return partner_mix(YEARS).digest


def sample_cache_dir(
    seed: int = 0, scale: float = 1.0, *, settings: Settings | None = None
) -> Path:
    """Where the tables of one synthetic world are cached.

    Examples
    --------
    >>> from copub.settings import Settings
    >>> sample_cache_dir(3, 0.5, settings=Settings(cache_dir="/tmp/c")).parent
    PosixPath('/tmp/c/sample')
    """
    seed, scale = check_sample_args(seed, scale)
    settings = settings or Settings.from_env()
    version = package_versions().get("copub", "unknown")
    digest = _calibration_digest()
    key = (
        f"seed{seed}-scale{scale!r}-copub{version}-g{GENERATOR_VERSION}-t{TABLES_VERSION}-{digest}"
    )
    return settings.cache_dir / "sample" / key


def _provenance(seed: int, scale: float, calibration: str) -> Provenance:
    return Provenance(
        source="synthetic",
        synthetic=True,
        institution=HOME.openalex_id,
        years=YEARS,
        query=f"seed={seed}, scale={scale:g}",
        api_url=None,
        inputs=(
            f"copub synthetic world (seed={seed}, scale={scale:g}; "
            f"partner countries calibrated on {calibration})",
        ),
    )


def _remove_stale_builds(cache: Path) -> None:
    """Delete build directories a killed process left (raw pages can be large)."""
    now = time.time()
    for path in cache.glob("build-*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)


def _write_atomic(path: Path, text: str) -> None:
    atomic_write(path, text.encode("utf-8"))


def load_sample(
    seed: int = 0,
    scale: float = 1.0,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Tables:
    """The synthetic NTNU world as tables: generated once, then read from the cache.

    The tables also hold the Nordic Five Tech peers' own works
    (:mod:`copub.sample.peers`), so ``copub peers --sample --group n5t`` has
    something to compare; NTNU's figures do not depend on them.

    Parameters
    ----------
    seed : int
        Same seed and scale, identical tables.
    scale : float
        1.0 is NTNU-sized (about 140,000 works, 2012-2025); tests use 0.01.
    settings : Settings, optional
        Its ``cache_dir`` holds the cached tables (``COPUB_CACHE_DIR``).
    progress : Progress, optional
        Progress on stderr while generating; silent when omitted.
    force : bool
        Generate a scale above :data:`~copub.sample.writer.FORCE_SCALE`, or one
        larger than the free space seems to hold.

    Returns
    -------
    Tables
        With ``provenance.synthetic`` True: every output made from it must say so.

    Raises
    ------
    UsageError
        For a bad seed or scale, or a scale refused as too large (without ``force``).

    Examples
    --------
    >>> import tempfile
    >>> from copub.settings import Settings
    >>> settings = Settings(cache_dir=tempfile.mkdtemp())
    >>> tables = load_sample(seed=1, scale=0.002, settings=settings)
    >>> tables.provenance.synthetic, tables.provenance.query
    (True, 'seed=1, scale=0.002')
    """
    seed, scale = check_sample_args(seed, scale)
    settings = settings or Settings.from_env()
    progress = progress or Progress.silent()
    cache = sample_cache_dir(seed, scale, settings=settings)
    if (cache / _COMPLETE).is_file():
        return _known(load_tables(cache), cache, settings)
    # One builder per world: a second process waits, then reads what the first built.
    with directory_lock(cache, wait=True):
        if (cache / _COMPLETE).is_file():
            return _known(load_tables(cache), cache, settings)
        _remove_stale_builds(cache)
        progress.note(
            f"generating the SYNTHETIC sample (seed={seed}, scale={scale:g}); cached in {cache}"
        )
        with tempfile.TemporaryDirectory(prefix="build-", dir=cache) as build:
            files = write_sample(
                Path(build) / "raw",
                seed=seed,
                scale=scale,
                progress=progress,
                peers=True,
                force=force,
            )
            provenance = _provenance(seed, scale, files.calibration)
            # The world keeps its XPAC works, so the Leiden universe's XPAC rule has
            # something to exclude; `copub import` of its pages drops them as for any import.
            tables = read_works(files.work_files, provenance=provenance, include_xpac=True)
            # One generation, switched in with one rename (as fetch and import do).
            tables.write(cache, replace=True)
            os.replace(files.register, cache / REGISTER_FILE)
        # Written last: its presence says every table above is complete.
        _write_atomic(
            cache / _COMPLETE,
            json.dumps({"counts": {str(k): v for k, v in files.counts.items()}}),
        )
    return _known(tables, cache, settings)


def _known(tables: Tables, cache: Path, settings: Settings) -> Tables:
    """``tables`` remembered as this world (its key fixes every row; the build time
    tells a rebuilt world apart), so what is derived from them can be cached."""
    remember(tables, f"sample:{cache.name}:{tables.provenance.created}", settings.cache_dir)
    return tables


def sample_register_path(
    seed: int = 0, scale: float = 1.0, *, settings: Settings | None = None
) -> Path:
    """The synthetic channel register (tidy CSV ``issn,year,level``) of a cached world.

    It matches the ISSNs of :func:`load_sample` with the same seed and scale.
    Only the register is generated when the world is not cached yet, which
    takes well under a second.

    Examples
    --------
    >>> import tempfile, polars as pl
    >>> from copub.settings import Settings
    >>> path = sample_register_path(settings=Settings(cache_dir=tempfile.mkdtemp()))
    >>> pl.read_csv(path).columns
    ['issn', 'year', 'level']
    """
    seed, scale = check_sample_args(seed, scale)
    cache = sample_cache_dir(seed, scale, settings=settings)
    path = cache / REGISTER_FILE
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{REGISTER_FILE}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        register_frame(build_sources(seed, scale), seed, YEARS).write_csv(tmp)
        os.replace(tmp, path)
    return path
