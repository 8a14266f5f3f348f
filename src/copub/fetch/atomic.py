"""Crash-safe raw-file writes (the helpers live in :mod:`copub.atomic`, shared by every stage).

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "page.json"
>>> atomic_write(path, b'{"results": []}')
>>> path.read_bytes()
b'{"results": []}'
"""

from __future__ import annotations

from copub.atomic import TMP_SUFFIX, atomic_write, fsync_dir, fsync_tree, swap_in_dir

__all__ = ["TMP_SUFFIX", "atomic_write", "fsync_dir", "fsync_tree", "swap_in_dir"]
