"""Crash-safe writes for every stage: a reader sees the old file or directory, or the new one.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "page.json"
>>> atomic_write(path, b'{"results": []}')
>>> path.read_bytes()
b'{"results": []}'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["TMP_SUFFIX", "atomic_write", "fsync_dir", "fsync_tree", "swap_in_dir"]

#: Temporary files end with this; they are never data and are removed on the next run.
TMP_SUFFIX = ".tmp"


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` survive a power cut."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # directories cannot be opened on some platforms (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temporary file in the same directory, fsync, rename, fsync dir.

    A process killed at any moment leaves either no file, the previous file, or
    the complete new one at ``path``; at worst a ``.tmp`` file is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def fsync_tree(folder: Path) -> None:
    """fsync every file below ``folder`` and every directory, deepest first."""
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            fsync_dir(path)
    fsync_dir(folder)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2``); False where unsupported."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in_dir(new: Path, target: Path) -> Path | None:
    """Put the complete directory ``new`` at ``target`` in one step; return where the old one went.

    On Linux the two are exchanged atomically, so a reader of ``target`` sees
    the whole old directory or the whole new one. Elsewhere the old one is
    renamed aside first (a reader may briefly find no directory, never a mix).
    The caller removes the returned old directory (None if there was none).
    """
    fsync_tree(new)
    if not target.exists():
        os.rename(new, target)
        fsync_dir(target.parent)
        return None
    if _exchange(new, target):
        fsync_dir(target.parent)
        return new
    aside = target.with_name(f".{target.name}.old-{os.getpid()}-{os.urandom(4).hex()}")
    os.rename(target, aside)
    os.rename(new, target)
    fsync_dir(target.parent)
    return aside
