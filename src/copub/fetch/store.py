"""Raw OpenAlex files on disk, and the state of every year's cursor chain.

Layout under ``data_dir/raw/openalex/<institution>/``::

    manifest.jsonl                 the log of files written (see copub.fetch.manifest)
    pages/<year>-<query hash>/00001.json
                                   list responses, byte for byte as received
    works/W….json                  works re-fetched in full, one JSON line each
    quarantine/<time>/…            files the manifest could not vouch for, moved aside
    .lock                          held while a fetch runs

The manifest is the only source of truth. On opening, each chain is replayed
from the log and checked file by file (sha256); it is cut at the first page
that is missing or altered, and fetching resumes from the cursor of that page.
Recovery never loses what it cannot replace:

- a page whose checksum still matches its entry stays where it is until its
  replacement is written over it (atomically), even after a cut before it;
- a file with copub's page or work name that no entry vouches for (a page
  renamed just before a kill, an edited page, pages of a lost manifest) is
  moved to ``quarantine/<time>/`` and named in :attr:`RawStore.recovery_notes`;
- copub's own temporary files (``.NAME.….tmp``) are deleted: they are never data;
- any other file is never touched, and never read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO

from copub.errors import UsageError
from copub.fetch.atomic import TMP_SUFFIX, atomic_write, fsync_dir
from copub.fetch.manifest import (
    ManifestWriter,
    PageEntry,
    WorkEntry,
    now,
    read_manifest_lines,
)

__all__ = ["RawStore", "raw_dir"]

_MANIFEST = "manifest.jsonl"
_QUARANTINE = "quarantine"
#: The names copub gives its raw files; nothing else under pages/ and works/ is touched.
_PAGE_NAME = re.compile(r"^pages/\d{4}-[0-9a-f]{10}/\d{5}\.json$")
_WORK_NAME = re.compile(r"^works/W\d+\.json$")
_TMP_NAME = re.compile(r"^\.(\d{5}|W\d+)\.json\..*" + re.escape(TMP_SUFFIX) + "$")


def raw_dir(data_dir: Path, institution: str) -> Path:
    """Where the raw files of one institution live.

    Examples
    --------
    >>> raw_dir(Path("/d"), "I1").as_posix()
    '/d/raw/openalex/I1'
    """
    return Path(data_dir) / "raw" / "openalex" / institution


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_ok(root: Path, relative: str, sha256: str) -> bool:
    try:
        return _sha256((root / relative).read_bytes()) == sha256
    except OSError:
        return False


def _chain_dir(year: int, query: str) -> str:
    """Pages of different queries for one year never share a file name."""
    return f"pages/{year}-{hashlib.sha1(query.encode()).hexdigest()[:10]}"


def _lock(root: Path) -> IO[bytes] | None:
    """An exclusive lock on the store; the kernel drops it when the process dies."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no cross-process guard
        return None
    handle = (root / ".lock").open("wb")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise UsageError(f"another copub fetch is writing to {root}; wait for it to end") from None
    return handle


class RawStore:
    """The raw files of one institution, with resumable cursor chains.

    Open it with :meth:`open`; it is a context manager. Each year's chain is
    written by one thread; different years may be written concurrently.

    Examples
    --------
    >>> import tempfile
    >>> with RawStore.open(Path(tempfile.mkdtemp()), "I1", {2020: "http://h/works?f"}) as store:
    ...     entry = store.add_page(2020, "http://h/works?f&cursor=*", "*", b'{"results":[]}',
    ...                            next_cursor=None, count=0, ids=(), truncated=())
    ...     store.chain(2020)[-1].last
    True
    """

    def __init__(self, root: Path, queries: Mapping[int, str]) -> None:
        self.root = root
        self.queries = dict(queries)
        self._chains: dict[int, list[PageEntry]] = {year: [] for year in queries}
        self._works: dict[str, WorkEntry] = {}
        self._lock = threading.Lock()
        self._lock_file: IO[bytes] | None = None
        self._log: ManifestWriter | None = None
        #: copub's temporary files deleted on opening.
        self.removed_files = 0
        #: Files moved to quarantine on opening (relative to the store).
        self.quarantined: list[str] = []
        #: One line per thing recovery did or found, for the user.
        self.recovery_notes: list[str] = []

    @classmethod
    def open(cls, data_dir: Path, institution: str, queries: Mapping[int, str]) -> RawStore:
        """Lock the store, replay the manifest, check every file it names, drop the rest.

        Parameters
        ----------
        data_dir : Path
            The data directory.
        institution : str
            Short OpenAlex id; each institution has its own store.
        queries : mapping of int to str
            The list URL (without paging) of each year to be fetched.
        """
        root = raw_dir(data_dir, institution)
        root.mkdir(parents=True, exist_ok=True)
        store = cls(root, queries)
        store._lock_file = _lock(root)
        try:
            store._load()
            store._log = ManifestWriter(root / _MANIFEST)
        except BaseException:
            store.close()
            raise
        return store

    def _load(self) -> None:
        entries, bad_lines = read_manifest_lines(self.root / _MANIFEST)
        if bad_lines:
            shown = ", ".join(str(n) for n in bad_lines[:5]) + (" …" if len(bad_lines) > 5 else "")
            self.recovery_notes.append(
                f"{_MANIFEST}: {len(bad_lines)} line(s) are not valid entries and were "
                f"skipped (line {shown})"
            )
        chains: dict[tuple[int, str], list[PageEntry]] = {}
        vouched: dict[str, str] = {}  # path -> sha256 of its latest entry
        for entry in entries:
            vouched[entry.path] = entry.sha256
            if isinstance(entry, WorkEntry):
                self._works[entry.work_id] = entry
                continue
            chain = chains.setdefault((entry.year, entry.query), [])
            # A page re-fetched after a cut replaces it and everything after it.
            if entry.page <= len(chain) + 1:
                del chain[entry.page - 1 :]
                chain.append(entry)
        for (year, query), chain in chains.items():
            if self.queries.get(year) == query:
                self._chains[year] = self._verified(year, chain)
        for work_id, work in list(self._works.items()):
            if not _file_ok(self.root, work.path, work.sha256):
                del self._works[work_id]
        keep = {path for path, sha in vouched.items() if _file_ok(self.root, path, sha)}
        self._tidy(keep, set(vouched))

    def _verified(self, year: int, chain: list[PageEntry]) -> list[PageEntry]:
        for position, entry in enumerate(chain):
            if not _file_ok(self.root, entry.path, entry.sha256):
                state = "is missing" if not (self.root / entry.path).exists() else "was altered"
                self.recovery_notes.append(
                    f"{year}: page {entry.page} ({entry.path}) {state}; the chain resumes "
                    f"from page {entry.page}, later pages stay until their replacement is written"
                )
                return chain[:position]
        return chain

    def _tidy(self, keep: set[str], listed: set[str]) -> None:
        """Delete copub's temporary files; quarantine its raw files no entry vouches for."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        quarantine = self.root / _QUARANTINE / stamp
        for folder in (self.root / "pages", self.root / "works"):
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if not path.is_file() or path.is_symlink():
                    continue
                relative = path.relative_to(self.root).as_posix()
                if _TMP_NAME.match(path.name):
                    with contextlib.suppress(OSError):
                        path.unlink()
                        self.removed_files += 1
                    continue
                ours = _PAGE_NAME.match(relative) or _WORK_NAME.match(relative)
                if not ours or relative in keep:
                    continue  # vouched for, or not copub's: never touched
                why = (
                    "its checksum differs from the manifest"
                    if relative in listed
                    else ("no manifest entry vouches for it")
                )
                target = quarantine / relative
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, target)
                except OSError as exc:
                    self.recovery_notes.append(f"{relative}: {why}; cannot move it aside ({exc})")
                    continue
                self.quarantined.append(relative)
                self.recovery_notes.append(
                    f"{relative}: {why}; moved to {target.relative_to(self.root).as_posix()}"
                )
        if self.quarantined:
            fsync_dir(quarantine)
        if self.removed_files:
            self.recovery_notes.append(
                f"deleted {self.removed_files} temporary file(s) of an interrupted write"
            )

    def close(self) -> None:
        """Close the manifest and release the lock."""
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> RawStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def chain(self, year: int) -> tuple[PageEntry, ...]:
        """The verified pages of a year's chain, in order."""
        with self._lock:
            return tuple(self._chains[year])

    def work(self, work_id: str) -> WorkEntry | None:
        """The stored full record of a work, if any."""
        with self._lock:
            return self._works.get(work_id)

    def _append(self, entry: PageEntry | WorkEntry) -> None:
        if self._log is None:
            raise RuntimeError("the store is closed")
        self._log.append(entry)

    def add_page(
        self,
        year: int,
        url: str,
        cursor: str,
        body: bytes,
        *,
        next_cursor: str | None,
        count: int | None,
        ids: tuple[str, ...],
        truncated: tuple[str, ...],
    ) -> PageEntry:
        """Store the next page of ``year``'s chain: file first, then its manifest entry."""
        with self._lock:
            number = len(self._chains[year]) + 1
        query = self.queries[year]
        relative = f"{_chain_dir(year, query)}/{number:05d}.json"
        # Written over the page it replaces (if any) in one rename: kept until now.
        atomic_write(self.root / relative, body)
        entry = PageEntry(
            year=year,
            page=number,
            query=query,
            url=url,
            cursor=cursor,
            next_cursor=next_cursor,
            count=count,
            results=len(ids),
            ids=ids,
            truncated=truncated,
            path=relative,
            sha256=_sha256(body),
            time=now(),
        )
        self._append(entry)
        with self._lock:
            self._chains[year].append(entry)
        return entry

    def add_work(self, work_id: str, url: str, body: bytes) -> WorkEntry:
        """Store the full record of one work (one JSON line)."""
        relative = f"works/{work_id}.json"
        atomic_write(self.root / relative, body)
        entry = WorkEntry(work_id, url, relative, _sha256(body), now())
        self._append(entry)
        with self._lock:
            self._works[work_id] = entry
        return entry

    def files(self, years: Iterable[int]) -> tuple[list[Path], int]:
        """The files to build tables from, and how many of them are re-fetched works.

        Only files the manifest vouches for: every page of each year's chain,
        then the full record of every truncated work listed on those pages.
        """
        pages: list[Path] = []
        works: list[Path] = []
        with self._lock:
            for year in years:
                for entry in self._chains[year]:
                    pages.append(self.root / entry.path)
                    for work_id in entry.truncated:
                        full = self._works.get(work_id)
                        if full is not None:
                            works.append(self.root / full.path)
        unique_works = sorted(set(works))
        return pages + unique_works, len(unique_works)
