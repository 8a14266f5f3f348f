"""The fetch manifest: an append-only JSON-lines log of every raw file written.

An entry is appended (and fsynced) only after its file has been renamed into
place, so the manifest never names a file that was not complete. A process
killed while appending leaves at most a partial last line, which
:func:`read_manifest` cuts off.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "manifest.jsonl"
>>> entry = WorkEntry("W1", "http://h/works/W1", "works/W1.json", "ab", "2026-01-01T00:00:00")
>>> with ManifestWriter(path) as log:
...     log.append(entry)
>>> read_manifest(path) == [entry]
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from copub.fetch.atomic import fsync_dir

__all__ = [
    "Entry",
    "ManifestWriter",
    "PageEntry",
    "WorkEntry",
    "now",
    "read_manifest",
    "read_manifest_lines",
]


def now() -> str:
    """The time stamp written into entries (UTC, ISO 8601)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class PageEntry:
    """One list-response page of one year's cursor chain.

    Attributes
    ----------
    year, page : int
        The publication year and the page's position in its chain (from 1).
    query : str
        The list URL without paging or secrets; a chain belongs to one query.
    url : str
        The page's URL as requested, without secrets.
    cursor, next_cursor : str, str or None
        The cursor asked for and the one the page handed on (None: chain ended).
    count : int or None
        ``meta.count`` as the server reported it.
    results : int
        Records on the page.
    ids, truncated : tuple of str
        Short ids of the works on the page, and of those with truncated authors.
    path, sha256 : str
        The file (relative to the store) and the digest of its bytes.
    time : str
        When the page was stored.
    """

    year: int
    page: int
    query: str
    url: str
    cursor: str
    next_cursor: str | None
    count: int | None
    results: int
    ids: tuple[str, ...]
    truncated: tuple[str, ...]
    path: str
    sha256: str
    time: str

    @property
    def last(self) -> bool:
        """True when this page ends its chain."""
        return self.next_cursor is None or self.results == 0


@dataclass(frozen=True)
class WorkEntry:
    """One work re-fetched in full from ``/works/W…`` because its authors were truncated."""

    work_id: str
    url: str
    path: str
    sha256: str
    time: str


Entry = PageEntry | WorkEntry


def _encode(entry: Entry) -> bytes:
    kind = "page" if isinstance(entry, PageEntry) else "work"
    return orjson.dumps({"kind": kind, **dataclasses.asdict(entry)}) + b"\n"


_TEXT = (str,)
_PAGE_TYPES: dict[str, tuple[type, ...]] = {
    "year": (int,),
    "page": (int,),
    "query": _TEXT,
    "url": _TEXT,
    "cursor": _TEXT,
    "next_cursor": (str, type(None)),
    "count": (int, type(None)),
    "results": (int,),
    "ids": (list,),
    "truncated": (list,),
    "path": _TEXT,
    "sha256": _TEXT,
    "time": _TEXT,
}
_WORK_TYPES: dict[str, tuple[type, ...]] = {
    "work_id": _TEXT,
    "url": _TEXT,
    "path": _TEXT,
    "sha256": _TEXT,
    "time": _TEXT,
}


def _well_typed(data: dict[str, Any], types: dict[str, tuple[type, ...]]) -> bool:
    if set(data) != set(types):
        return False
    for name, allowed in types.items():
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, allowed):
            return False
    path = data["path"]
    # Only a plain relative path inside the store: a manifest never points elsewhere.
    return bool(path) and not path.startswith("/") and ".." not in path.split("/")


def _decode(line: bytes) -> Entry | None:
    """An entry, or None for a line that is not one (damaged, or written by a newer copub)."""
    try:
        data: Any = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    kind = data.pop("kind", None)
    if kind == "page" and _well_typed(data, _PAGE_TYPES):
        ids, truncated = data["ids"], data["truncated"]
        if data["page"] < 1 or not all(isinstance(i, str) for i in [*ids, *truncated]):
            return None
        return PageEntry(**{**data, "ids": tuple(ids), "truncated": tuple(truncated)})
    if kind == "work" and _well_typed(data, _WORK_TYPES):
        return WorkEntry(**data)
    return None


def read_manifest(path: Path) -> list[Entry]:
    """All entries in order; a partial last line (a killed append) is cut off the file."""
    return read_manifest_lines(path)[0]


def read_manifest_lines(path: Path) -> tuple[list[Entry], list[int]]:
    """All valid entries in order, and the numbers of the lines that are not valid entries.

    A partial last line (a killed append) is cut off the file and not counted.
    """
    if not path.is_file():
        return [], []
    raw = path.read_bytes()
    end = raw.rfind(b"\n") + 1
    if end < len(raw):
        with path.open("r+b") as handle:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
    entries: list[Entry] = []
    bad: list[int] = []
    for number, line in enumerate(raw[:end].split(b"\n")[:-1], start=1):
        if not line.strip():
            continue
        entry = _decode(line)
        if entry is None:
            bad.append(number)
        else:
            entries.append(entry)
    return entries, bad


class ManifestWriter:
    """Appends entries with one ``write`` + ``fsync`` each; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        created = not path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if created:
            fsync_dir(path.parent)
        self._lock = threading.Lock()

    def append(self, entry: Entry) -> None:
        """Append one entry and make it durable before returning."""
        line = _encode(entry)
        with self._lock:
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fsync(self._fd)

    def close(self) -> None:
        """Close the log."""
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
