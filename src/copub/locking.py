"""One writer per directory: an exclusive lock held while copub writes there.

``fetch`` holds the data directory's lock from the first page to the switch of
the new tables; ``import`` and the sample cache take the same lock, so two
writers never interleave. The lock is a ``flock`` on ``DIR/.copub.lock``: the
kernel drops it when the process dies, so a killed run never leaves it stuck.
The same thread may take a lock it already holds (a fetch writing its tables).

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with directory_lock(folder):
...     with directory_lock(folder):    # the same thread again: fine
...         (folder / ".copub.lock").exists()
True
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from copub.errors import UsageError

__all__ = ["LOCK_NAME", "directory_lock", "writable_dir"]

LOCK_NAME = ".copub.lock"
_guard = threading.Lock()
_held: dict[tuple[str, int], tuple[IO[bytes], int]] = {}


def writable_dir(path: str | os.PathLike[str], what: str) -> Path:
    """Create ``path`` if needed and make sure copub can write there, or raise :class:`UsageError`.

    ``what`` names the option in the message (``--data-dir``, ``--out``).

    Examples
    --------
    >>> import tempfile
    >>> file = Path(tempfile.mkdtemp()) / "f"
    >>> _ = file.write_text("x")
    >>> writable_dir(file, "--data-dir")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: --data-dir ... exists and is not a directory
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{what} {folder} exists and is not a directory")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{what} {folder}: cannot create it ({_why(exc)})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {folder}: not writable (permission denied)")
    return folder


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return exc.strerror or type(exc).__name__


@contextlib.contextmanager
def directory_lock(folder: str | os.PathLike[str], *, wait: bool = False) -> Iterator[Path]:
    """Hold the exclusive write lock of ``folder`` (created if missing).

    Parameters
    ----------
    folder : path
        The directory to guard (a data directory, a cache entry).
    wait : bool
        Wait for another writer to finish instead of failing at once.

    Raises
    ------
    UsageError
        When another process (or thread) is writing there and ``wait`` is False,
        or when the directory cannot be created or written.
    """
    path = writable_dir(folder, "directory")
    key = (os.path.realpath(path), threading.get_ident())
    with _guard:
        held = _held.get(key)
        if held is not None:
            _held[key] = (held[0], held[1] + 1)
    if held is None:
        handle = _acquire(path, wait=wait)
        with _guard:
            _held[key] = (handle, 1)
    try:
        yield path
    finally:
        with _guard:
            handle, depth = _held[key]
            if depth > 1:
                _held[key] = (handle, depth - 1)
            else:
                del _held[key]
                handle.close()


def _acquire(path: Path, *, wait: bool) -> IO[bytes]:
    try:
        handle = (path / LOCK_NAME).open("ab")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the lock file ({_why(exc)})") from None
    try:
        import fcntl
    except ImportError:  # not POSIX: no cross-process guard
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        handle.close()
        raise UsageError(
            f"another copub process is writing to {path}; wait for it to end"
        ) from None
    return handle
