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

The same mechanism keeps the pure results computed from the labelled works
(:func:`cached_results`: the yearly table with its bootstrap intervals, the
impact tables, the publication points), under ``<cache_dir>/results/``, keyed
by the fingerprint, every field of the definitions (seed and resamples
included), what the caller adds (the result's name and options) and copub's
code: any of them changed computes the result again. Files made from them
(the workbook, the partner map, each figure's PNG and SVG:
:func:`cached_bytes`, :func:`cached_files`) are kept under a digest of what
they are made of and copub's code.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import polars as pl

from copub.atomic import atomic_write
from copub.classify.definitions import Definitions
from copub.normalize import Tables
from copub.normalize.fingerprint import Known, fingerprint_of
from copub.provenance import package_versions

__all__ = [
    "LABELLED_DIR",
    "RESULTS_DIR",
    "cached_bytes",
    "cached_files",
    "cached_folder",
    "cached_labels",
    "cached_results",
    "labels_key",
    "results_key",
]

#: The cache entry (under the cache directory) of the labelled works.
LABELLED_DIR = "labelled"
#: The cache entry of the results computed from labelled works (:func:`cached_results`).
RESULTS_DIR = "results"
#: Labelled works kept in the cache; the least recently written go first.
_KEEP = 16
#: Results kept (small tables, several a report).
_KEEP_RESULTS = 128
#: Folders and files of one name kept (:func:`cached_folder`, :func:`cached_bytes`).
_KEEP_FOLDERS = 4
#: The file that marks a cached folder complete.
_COMPLETE = ".complete"
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
    return _source_digest(_SOURCE, package_versions)


# Once a process: the code it runs is the code it imported, and a report asks for
# the digest a few dozen times (each would walk and stat every source file).
@functools.cache
def _source_digest(source: Path, versions: Callable[[], dict[str, str]]) -> str:
    digest = hashlib.sha256(json.dumps(versions(), sort_keys=True).encode())
    for path in sorted(source.rglob("*.py")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(f"{path.relative_to(source)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


#: Digests of recent definitions by identity (with the definitions, so an id is not reused):
#: a report keys a few dozen entries by the same frozen definitions.
_DIGESTS: dict[tuple[int, bool], tuple[Definitions, str]] = {}


def _definitions_digest(definitions: Definitions, *, labels_only: bool = True) -> str:
    """What in ``definitions`` shapes the labels (every field unless ``labels_only``),
    with the groups' and register's content."""
    known = _DIGESTS.get((id(definitions), labels_only))
    if known is not None and known[0] is definitions:
        return known[1]
    if len(_DIGESTS) >= 32:
        _DIGESTS.clear()
    digest = _digest_definitions(definitions, labels_only)
    _DIGESTS[(id(definitions), labels_only)] = (definitions, digest)
    return digest


def _digest_definitions(definitions: Definitions, labels_only: bool) -> str:
    shaping = {
        k: v for k, v in definitions.to_dict().items() if not (labels_only and k in _NOT_LABELS)
    }
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


def results_key(fingerprint: str, definitions: Definitions, name: str, extra: str = "") -> str:
    """The cache key of the result ``name`` (with options ``extra``) of tables ``fingerprint``.

    Every field of ``definitions`` counts, unlike :func:`labels_key`.

    Examples
    --------
    >>> a = results_key("sample:1", Definitions(), "yearly")
    >>> a == results_key("sample:1", Definitions(bootstrap=10), "yearly")
    False
    >>> a == results_key("sample:1", Definitions(), "impact")
    False
    """
    parts = (
        fingerprint, _definitions_digest(definitions, labels_only=False), name, extra,
        _code_digest(),
    )  # fmt: skip
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _prune(folder: Path, pattern: str = "*.parquet", keep: int = _KEEP) -> None:
    """Keep the newest entries (another process may be pruning too)."""
    entries = []
    for path in folder.glob(pattern):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path))
    for _, old in sorted(entries, reverse=True)[keep:]:
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


def _pack_blobs(blobs: Mapping[str, bytes]) -> bytes:
    """Named blobs as one file: a JSON line of names and sizes, then each blob."""
    header = json.dumps([[name, len(blob)] for name, blob in blobs.items()])
    return header.encode() + b"\n" + b"".join(blobs.values())


def _unpack_blobs(data: bytes) -> dict[str, bytes]:
    header, _, body = data.partition(b"\n")
    blobs, start = {}, 0
    for name, size in json.loads(header):
        if start + size > len(body):
            raise ValueError("a cut entry")
        blobs[name] = body[start : start + size]
        start += size
    return blobs


def _pack(frames: Mapping[str, pl.DataFrame]) -> bytes:
    """Named frames as one file of blobs, each frame's Arrow IPC."""
    blobs = {}
    for name, frame in frames.items():
        buffer = io.BytesIO()
        frame.write_ipc(buffer)
        blobs[name] = buffer.getvalue()
    return _pack_blobs(blobs)


def _unpack(data: bytes) -> dict[str, pl.DataFrame]:
    return {name: pl.read_ipc(io.BytesIO(blob)) for name, blob in _unpack_blobs(data).items()}


def cached_results(
    tables: object,
    definitions: Definitions,
    name: str,
    compute: Callable[[], Mapping[str, pl.DataFrame]],
    *,
    extra: object = None,
) -> dict[str, pl.DataFrame]:
    """``compute()`` (named tables), read from the cache when ``tables`` are known and hold them.

    Parameters
    ----------
    tables : Tables or anything else
        The tables the result is computed from; only known tables (the sample)
        are cached, anything else (a table scan, tables nobody fingerprinted)
        is computed every time.
    definitions : Definitions
        All of them are part of the key.
    name : str
        What the result is (``"yearly"``, ``"impact"``...).
    compute : callable
        Returns the result's tables, by name; a pure function of the above and ``extra``.
    extra : object
        The options of the result besides the definitions; its ``repr`` is part of the key.
    """
    known = fingerprint_of(tables) if isinstance(tables, Tables) else None
    if known is None:
        return dict(compute())
    folder = known.cache_dir / RESULTS_DIR
    path = folder / f"{results_key(known.fingerprint, definitions, name, repr(extra))}.tables"
    if path.is_file():
        with contextlib.suppress(OSError, ValueError, pl.exceptions.PolarsError):
            return _unpack(path.read_bytes())
    frames = dict(compute())
    with contextlib.suppress(OSError):
        atomic_write(path, _pack(frames))
        _prune(folder, "*.tables", _KEEP_RESULTS)
    return frames


def cached_folder(
    tables: object, name: str, write: Callable[[Path], None], *, extra: object = None
) -> Path | None:
    """A folder of files ``write(folder)`` makes from known ``tables``, made once and kept.

    For files that depend only on the tables, ``extra`` (its ``repr``) and
    copub's code, e.g. the synthetic CORDIS world of the sample. The folder is
    written aside and renamed into place, so a reader sees all of it or none.

    Returns
    -------
    Path or None
        None when ``tables`` are not known or the cache cannot be written: the
        caller then writes the files where it would have without a cache.
    """
    known = fingerprint_of(tables) if isinstance(tables, Tables) else None
    if known is None:
        return None
    parts = (known.fingerprint, name, repr(extra), _code_digest())
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    parent = known.cache_dir / RESULTS_DIR
    folder = parent / f"{key}.{name}"
    if (folder / _COMPLETE).is_file():
        return folder
    try:
        parent.mkdir(parents=True, exist_ok=True)
        aside = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=parent))
    except OSError:
        return None
    try:
        write(aside)
        (aside / _COMPLETE).touch()
        os.replace(aside, folder)
    except OSError:  # another process put it there first, or the disk is full
        shutil.rmtree(aside, ignore_errors=True)
    if not (folder / _COMPLETE).is_file():
        return None
    folders = []
    for old in parent.glob(f"*.{name}"):
        with contextlib.suppress(OSError):
            folders.append((old.stat().st_mtime, old))
    for _, old in sorted(folders, reverse=True)[_KEEP_FOLDERS:]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def _content_entry(known: Known, name: str, content: Callable[[], str]) -> Path:
    """Where the file ``name`` of ``content()`` (with copub's code) is kept."""
    key = hashlib.sha256("\n".join((name, content(), _code_digest())).encode()).hexdigest()[:32]
    return known.cache_dir / RESULTS_DIR / f"{key}.{name}"


def _keep(path: Path, data: bytes, name: str) -> None:
    """Write an entry of :func:`cached_bytes` or :func:`cached_files` (any trouble: not kept)."""
    with contextlib.suppress(OSError):
        atomic_write(path, data)
        _prune(path.parent, f"*.{name}", _KEEP_FOLDERS)


def cached_bytes(
    known: Known | None, name: str, content: Callable[[], str], make: Callable[[], bytes]
) -> bytes:
    """``make()``, a file made from the tables ``known`` names, kept under its content's digest.

    For a file that is a pure function of inputs the caller digests in
    ``content()`` (e.g. the workbook of a report: its tables, notes and
    provenance); copub's code is added to the key. Nothing is cached for unknown
    tables (``known`` None), and ``content`` is then never called: a digest of
    real data's tables would only be thrown away.
    """
    if known is None:
        return make()
    path = _content_entry(known, name, content)
    with contextlib.suppress(OSError):
        return path.read_bytes()
    data = make()
    _keep(path, data, name)
    return data


def cached_files(
    known: Known | None,
    name: str,
    content: Callable[[], str],
    make: Callable[[], Mapping[str, bytes]],
) -> dict[str, bytes]:
    """``make()``, named files (their bytes), kept as one entry like :func:`cached_bytes`.

    For several files drawn at once (a figure's PNG and SVG with its caption),
    so a reader gets all of them or none. An entry that cannot be read whole is
    made again. Nothing is cached for unknown tables, and ``content`` is then
    never called.
    """
    if known is None:
        return dict(make())
    path = _content_entry(known, name, content)
    with contextlib.suppress(OSError, ValueError):
        return _unpack_blobs(path.read_bytes())
    blobs = dict(make())
    _keep(path, _pack_blobs(blobs), name)
    return blobs
