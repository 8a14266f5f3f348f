"""What a set of tables is known to be, so results derived from it can be cached.

Tables whose content is known by a name (the synthetic sample: its seed, scale
and versions fix every row) are remembered here with that fingerprint and the
cache directory derived results go to. :class:`Tables` is frozen and its
``with_`` makes a new object, so a fingerprint only ever describes the tables
it was remembered for; any other tables have none and nothing is cached for them.

Examples
--------
>>> from pathlib import Path
>>> from copub.normalize import Tables
>>> tables = Tables.empty()
>>> fingerprint_of(tables) is None
True
>>> remember(tables, "sample:seed1", Path("/tmp/cache")).fingerprint
'sample:seed1'
>>> fingerprint_of(tables.with_()) is None   # a copy is not known
True
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from copub.normalize.tables import Tables

__all__ = ["Known", "fingerprint_of", "remember"]


@dataclass(frozen=True)
class Known:
    """A fingerprint of some tables' content and the cache directory for what they give."""

    fingerprint: str
    cache_dir: Path


_lock = threading.Lock()
_known: dict[int, tuple[weakref.ref[Tables], Known]] = {}


def _forget(key: int) -> None:
    with _lock:
        _known.pop(key, None)


def remember(tables: Tables, fingerprint: str, cache_dir: Path) -> Known:
    """Remember that ``tables`` hold the content named ``fingerprint``."""
    known = Known(fingerprint, Path(cache_dir))
    key = id(tables)
    with _lock:
        _known[key] = (weakref.ref(tables, lambda _ref: _forget(key)), known)
    return known


def fingerprint_of(tables: Tables) -> Known | None:
    """The fingerprint ``tables`` were remembered with, or None."""
    with _lock:
        entry = _known.get(id(tables))
    if entry is None or entry[0]() is not tables:
        return None
    return entry[1]
