"""Labelled works of known tables (the synthetic sample), cached on disk.

Labelling is a pure function of the tables, the definitions that shape the
labels and copub's code. For tables with a fingerprint
(:mod:`copub.normalize.fingerprint`: the sample remembers its own), the
labelled works are stored under ``<cache_dir>/labelled/<key>.parquet``, the key
a digest of the tables' fingerprint, those definitions (with the partner
groups' and the register's content), copub's and polars' versions and copub's
source files (so an edited copub labels again). Written atomically: a reader
sees a complete file or none. Any trouble with the cache only means labelling
again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl

from copub.atomic import atomic_write
from copub.classify.definitions import Definitions
from copub.normalize import Tables
from copub.normalize.fingerprint import fingerprint_of
from copub.provenance import package_versions

__all__ = ["LABELLED_DIR", "cached_labels", "labels_key"]

#: The cache entry (under the cache directory) of the labelled works.
LABELLED_DIR = "labelled"
#: Labelled works kept in the cache; the least recently written go first.
_KEEP = 16
#: Options of the definitions that do not change any label (only the tables made from them).
#: Definitions that only the analyses after labelling read (they never change a label).
_NOT_LABELS = frozenset(
    {
        "counting", "baseline", "plan", "period_window", "bootstrap", "full_interval", "seed",
        "citation_window", "mobility_window", "early_career_years", "guest_max_years",
        "home_country", "eu_organisation", "peer_group", "peers", "breakdown_by",
        "breakdown_units", "min_works",
    }
)  # fmt: skip
_SOURCE = Path(__file__).resolve().parents[1]


def _code_digest() -> str:
    """copub's version and the size and time of each of its source files."""
    digest = hashlib.sha256(json.dumps(package_versions(), sort_keys=True).encode())
    for path in sorted(_SOURCE.rglob("*.py")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(f"{path.relative_to(_SOURCE)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _definitions_digest(definitions: Definitions) -> str:
    """What in ``definitions`` shapes the labels, with the groups' and register's content."""
    shaping = {k: v for k, v in definitions.to_dict().items() if k not in _NOT_LABELS}
    digest = hashlib.sha256(json.dumps(shaping, sort_keys=True).encode())
    digest.update(repr(definitions.partner_groups).encode())
    register = definitions.channel_register
    if register is not None:
        digest.update(register.levels.sort("issn", "year").write_csv().encode())
    return digest.hexdigest()


def labels_key(fingerprint: str, definitions: Definitions) -> str:
    """The cache key of the labelled works of tables ``fingerprint`` under ``definitions``.

    Examples
    --------
    >>> a = labels_key("sample:1", Definitions())
    >>> a == labels_key("sample:1", Definitions(bootstrap=10))   # no label changes
    True
    >>> a == labels_key("sample:1", Definitions(membership="historical"))
    False
    """
    parts = (fingerprint, _definitions_digest(definitions), _code_digest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _prune(folder: Path) -> None:
    """Keep the newest entries (another process may be pruning too)."""
    entries = []
    for path in folder.glob("*.parquet"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path))
    for _, old in sorted(entries, reverse=True)[_KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def cached_labels(
    tables: Tables, definitions: Definitions, label: Callable[[], pl.DataFrame]
) -> pl.DataFrame:
    """``label()``, read from the cache when ``tables`` are known and it holds them.

    Tables without a fingerprint are labelled every time (``label()``).
    """
    known = fingerprint_of(tables)
    if known is None:
        return label()
    folder = known.cache_dir / LABELLED_DIR
    path = folder / f"{labels_key(known.fingerprint, definitions)}.parquet"
    if path.is_file():
        with contextlib.suppress(OSError, pl.exceptions.PolarsError):
            return pl.read_parquet(path)
    works = label()
    with contextlib.suppress(OSError):
        buffer = io.BytesIO()
        works.write_parquet(buffer)
        atomic_write(path, buffer.getvalue())
        _prune(folder)
    return works
