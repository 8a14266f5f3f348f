"""Tables written as one generation: built beside the old, switched in with one rename.

Layout under a data directory::

    tables -> .generations/tables-20260101T120000Z-1a2b3c4d     (a symbolic link)
    .generations/tables-…/works.parquet, authorships.parquet, …, provenance.json
    .generations/.building-…                                    (a write in progress)

A writer holds the directory's lock (:func:`copub.locking.directory_lock`,
the same one ``fetch`` holds), builds every table of :data:`~copub.normalize.schemas.SCHEMAS`
into a fresh ``.building-…`` directory, fsyncs it, renames it to its final
name, and then replaces the ``tables`` link in one ``rename``. A reader resolves
the link once and reads every file from that one generation, so it sees the
complete old tables or the complete new ones, never a mix; a process killed at
any moment leaves the old generation in place (and a ``.building-…`` directory
the next writer removes). The generation before the current one is kept, so a
reader that resolved the link just before a switch still finds its files.

Replacing tables that hold more works with fewer (or none) is refused unless
``replace=True``: a narrower ``--years`` or an empty import never shrinks the
tables without a word.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from copub.atomic import fsync_dir, fsync_tree, swap_in_dir
from copub.errors import DataError
from copub.layout import GENERATIONS_DIR, TABLES_LINK
from copub.locking import directory_lock, writable_dir

__all__ = [
    "GENERATIONS_DIR",
    "TABLES_LINK",
    "ShrinkRefusedError",
    "build_generation",
    "current_tables",
    "write_generation",
    "write_provenance",
]

_BUILDING = ".building-"
_PREFIX = "tables-"


class ShrinkRefusedError(DataError):
    """New tables would hold fewer works than the existing ones, and ``replace`` was not given."""


def current_tables(data_dir: str | os.PathLike[str]) -> Path | None:
    """The directory of the current generation (the link resolved once), or None.

    Examples
    --------
    >>> import tempfile
    >>> current_tables(tempfile.mkdtemp()) is None
    True
    """
    link = Path(data_dir) / TABLES_LINK
    if link.exists():
        return Path(os.path.realpath(link))
    # A kill between moving old-style tables aside and linking the new ones: the
    # newest complete generation is the current one.
    generations = Path(data_dir) / GENERATIONS_DIR
    if not generations.is_dir():
        return None
    finished = sorted(p for p in generations.iterdir() if p.name.startswith(_PREFIX))
    return finished[-1] if finished else None


def _works_in(folder: Path) -> int | None:
    path = folder / "works.parquet"
    if not path.is_file():
        return None
    try:
        return int(pl.scan_parquet(path).select(pl.len()).collect().item())
    except (OSError, pl.exceptions.PolarsError):
        return None


def _stamp() -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{now}-{uuid.uuid4().hex[:8]}"


def write_provenance(folder: Path, provenance: dict[str, Any]) -> None:
    """``provenance.json`` of a generation being built."""
    text = json.dumps(provenance, indent=2)
    (folder / "provenance.json").write_text(text, encoding="utf-8")


def _write_files(folder: Path, frames: dict[str, pl.DataFrame], provenance: dict[str, Any]) -> None:
    for name, frame in frames.items():
        frame.write_parquet(folder / f"{name}.parquet")
    write_provenance(folder, provenance)


def _switch(data_dir: Path, generation: Path) -> None:
    """Point ``data_dir/tables`` at ``generation`` in one rename."""
    link = data_dir / TABLES_LINK
    if link.exists() and not link.is_symlink():
        # Tables of an older copub (a plain directory): keep them as a generation.
        os.rename(link, generation.parent / f"{_PREFIX}00000000-legacy-{uuid.uuid4().hex[:8]}")
    temporary = data_dir / f".{TABLES_LINK}.{uuid.uuid4().hex[:8]}.link"
    target = Path(GENERATIONS_DIR) / generation.name
    try:
        os.symlink(target, temporary, target_is_directory=True)
    except (OSError, NotImplementedError):  # no symbolic links here (Windows without rights)
        old = swap_in_dir(generation, link)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return
    os.replace(temporary, link)
    fsync_dir(data_dir)


def _tidy(generations: Path, keep: set[str]) -> None:
    """Remove interrupted builds and every generation but the current and the previous."""
    finished = sorted(p for p in generations.iterdir() if p.name.startswith(_PREFIX))
    keep = keep | {p.name for p in [p for p in finished if p.name not in keep][-1:]}
    for path in generations.iterdir():
        if path.name.startswith(_BUILDING) or (
            path.name.startswith(_PREFIX) and path.name not in keep
        ):
            shutil.rmtree(path, ignore_errors=True)


def write_generation(
    frames: dict[str, pl.DataFrame],
    provenance: dict[str, Any],
    data_dir: str | os.PathLike[str],
    *,
    replace: bool = False,
    wait: bool = False,
) -> Path:
    """Write ``frames`` and ``provenance.json`` as the new generation of ``data_dir/tables``.

    Parameters
    ----------
    frames : dict of str to DataFrame
        Every table by name (in :data:`~copub.normalize.schemas.SCHEMAS` order).
    provenance : dict
        Written as ``provenance.json``.
    data_dir : path
        The data directory; created if missing.
    replace : bool
        Allow replacing tables that hold more works than ``frames["works"]``.
    wait : bool
        Wait for another writer instead of failing at once.

    Returns
    -------
    Path
        ``data_dir/tables``.

    Raises
    ------
    ShrinkRefusedError
        When the new works are fewer than the current ones and ``replace`` is False.
    UsageError
        When ``data_dir`` cannot be written, or another copub writes there.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> works = pl.DataFrame({"work_id": ["W1", "W2"]})
    >>> path = write_generation({"works": works}, {}, folder)
    >>> write_generation({"works": works.head(1)}, {}, folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    copub.normalize.generations.ShrinkRefusedError: kept the existing tables in ... (2 works): ...
    >>> _ = write_generation({"works": works.head(1)}, {}, folder, replace=True)
    >>> pl.read_parquet(path / "works.parquet").height
    1
    """

    def fill(folder: Path) -> None:
        _write_files(folder, frames, provenance)

    return build_generation(fill, data_dir, replace=replace, wait=wait)


def build_generation(
    fill: Callable[[Path], None],
    data_dir: str | os.PathLike[str],
    *,
    replace: bool = False,
    wait: bool = False,
) -> Path:
    """Build the new generation of ``data_dir/tables`` with ``fill`` and switch it in.

    ``fill(folder)`` writes every table (and ``provenance.json``) into an
    empty folder; the tables can be streamed there, never held in memory.
    What it wrote becomes the current generation only once it is complete
    and does not shrink the tables (see :func:`write_generation`); if ``fill``
    raises, nothing changes.

    Raises
    ------
    ShrinkRefusedError
        When the new works are fewer than the current ones and ``replace`` is False.
    UsageError
        When ``data_dir`` cannot be written, or another copub writes there.
    """
    root = writable_dir(data_dir, "--data-dir")
    with directory_lock(root, wait=wait):
        current = current_tables(root)
        before = _works_in(current) if current is not None else None
        generations = root / GENERATIONS_DIR
        generations.mkdir(exist_ok=True)
        stamp = _stamp()
        building = generations / f"{_BUILDING}{stamp}"
        building.mkdir()
        try:
            fill(building)
            after = _works_in(building) or 0
            if before is not None and after < before and not replace:
                raise ShrinkRefusedError(
                    f"kept the existing tables in {root / TABLES_LINK} ({before:,} works): the new "
                    f"ones would hold {after:,}; pass --replace (replace=True) to replace them"
                )
            fsync_tree(building)
            final = generations / f"{_PREFIX}{stamp}"
            os.rename(building, final)
            fsync_dir(generations)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _switch(root, final)
        with contextlib.suppress(OSError):
            _tidy(generations, {final.name})
    return root / TABLES_LINK
