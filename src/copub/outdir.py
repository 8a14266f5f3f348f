"""Every ``--out``: checked before any work, built beside its target, swapped in whole.

A kill at any moment leaves the old folder or the new one, never a mix. A
folder copub wrote carries a marker (:data:`MARKER`); copub replaces such a
folder as a whole, but refuses a non-empty folder it did not make (unless told
to replace it) and anything inside a data directory.

Examples
--------
>>> import tempfile
>>> target = Path(tempfile.mkdtemp()) / "out"
>>> with building(target) as folder:
...     _ = (folder / "a.txt").write_text("new")
>>> sorted(p.name for p in target.iterdir())
['.copub-output', 'a.txt']
>>> with building(target) as folder:  # a copub folder is replaced whole
...     _ = (folder / "b.txt").write_text("newer")
>>> sorted(p.name for p in target.iterdir())
['.copub-output', 'b.txt']
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from copub.atomic import swap_in_dir
from copub.errors import UsageError
from copub.layout import GENERATIONS_DIR, RAW_DIR, TABLES_LINK
from copub.locking import writable_dir

__all__ = ["MARKER", "building", "check_out_dir"]

#: The file that marks a folder as copub's output (its content says what wrote it).
MARKER = ".copub-output"
#: A report from before the marker: both files make a folder copub's own.
_OLD_REPORT = ("report.html", "provenance.json")
_BUILDING = ".building-"
_STALE_SECONDS = 3600


def _is_data_dir(path: Path) -> bool:
    entries = {p.name for p in path.iterdir()} if path.is_dir() else set()
    return GENERATIONS_DIR in entries or (TABLES_LINK in entries and RAW_DIR in entries)


def _is_ours(entries: set[str]) -> bool:
    return MARKER in entries or all(name in entries for name in _OLD_REPORT)


def check_out_dir(
    out_dir: str | os.PathLike[str], *, replace: bool = False, option: str = "--out"
) -> Path:
    """The output folder ``out_dir``, checked before anything is computed or printed.

    Parameters
    ----------
    out_dir : path
    replace : bool
        Replace a non-empty folder copub did not make (its files are removed
        once the new folder is in place).
    option : str
        The option's name, for the messages.

    Raises
    ------
    UsageError
        When ``out_dir`` is a file, lies below a file, cannot be created or
        written, is a data directory or lies inside one, or is a non-empty
        folder that copub did not make (without ``replace``).

    Examples
    --------
    >>> import tempfile
    >>> check_out_dir(Path(tempfile.mkdtemp()) / "report").name
    'report'
    """
    out = Path(out_dir)
    resolved = Path(os.path.realpath(out))
    for folder in (resolved, *resolved.parents):
        if folder.name == GENERATIONS_DIR or _is_data_dir(folder):
            raise UsageError(
                f"{option} {out} is a copub data directory or lies inside one ({folder}): "
                "writing there would mix with its tables; choose another directory"
            )
    if out.exists() and not out.is_dir():
        raise UsageError(f"{option} {out} exists and is not a directory")
    if out.is_dir() and not replace:
        entries = {p.name for p in out.iterdir()}
        if entries and not _is_ours(entries):
            raise UsageError(
                f"{option} {out} holds files copub did not write; choose a new or empty "
                "directory, or replace it on purpose with --replace"
            )
    for above in out.parents:
        if above.exists():
            if not above.is_dir():
                raise UsageError(f"{option} {out}: {above} is a file, not a directory")
            break
    try:
        writable_dir(out.parent, option)
    except UsageError:
        raise UsageError(f"{option} {out}: cannot create or write its directory") from None
    return out


def _remove_stale_builds(target: Path) -> None:
    """Remove what a killed build left beside ``target`` (over an hour old)."""
    now = time.time()
    for path in target.parent.glob(f".{glob.escape(target.name)}{_BUILDING}*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def building(
    out_dir: str | os.PathLike[str], *, replace: bool = False, what: str = "copub"
) -> Iterator[Path]:
    """Yield a fresh folder beside ``out_dir``; when the block ends, swap it in whole.

    The folder gets the :data:`MARKER` file. If the block raises (or the
    process is killed), ``out_dir`` keeps what it held and the build is
    removed (a killed one, by the next build after an hour).
    """
    out = check_out_dir(out_dir, replace=replace)
    target = Path(os.path.abspath(out))
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(target)
    build = target.parent / f".{target.name}{_BUILDING}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    build.mkdir()
    try:
        yield build
        (build / MARKER).write_text(f"written by {what}\n", encoding="utf-8")
        old = swap_in_dir(build, target)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
