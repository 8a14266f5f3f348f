"""Walking the cursor chains: one chain per year, bounded concurrency across years.

A :class:`ChainRunner` holds the state of one fetch (stop flag, page size,
counters); it is created per call, never shared between calls.

Every answer is read with the table builder's own rules before the manifest
vouches for it (:mod:`copub.fetch.vouch`). One the builder would refuse is
kept aside in the store's quarantine, counted and asked for once more; if the
second answer is refused too, the page is stored with the records that pass
(those left out are counted and named) and the run goes on.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from copub.errors import BudgetExhaustedError, DataError, NetworkError
from copub.fetch.manifest import PageEntry
from copub.fetch.query import page_url, strip_secrets, work_url
from copub.fetch.store import RawStore
from copub.fetch.transport import (
    CancelledError,
    HTTPStatusError,
    PerPageRefusedError,
    Transport,
)
from copub.fetch.vouch import problem, salvage, shown_ids
from copub.progress import Progress
from copub.settings import Settings

__all__ = ["ChainRunner"]

_FALLBACK_PER_PAGE = 100
#: A work id copub asks ``/works/W…`` for; anything else from the data is not requested.
_REFETCHABLE = re.compile(r"^W\d{1,20}$")


def _record_limit(count: int) -> int:
    """Records a chain may deliver for ``meta.count``: the count plus slack for late additions."""
    return count + max(200, count // 10)


class _StoppedError(Exception):
    """Another year failed; this one stops after its current request."""


def _short(openalex_id: str) -> str:
    return openalex_id.rsplit("/", 1)[-1]


def _check_page(data: Any) -> None:
    if not isinstance(data, dict):
        raise ValueError("not an OpenAlex list response")
    results, meta = data.get("results"), data.get("meta")
    if not isinstance(results, list) or not isinstance(meta, dict):
        raise ValueError("a list response needs 'meta' and 'results'")
    count = meta.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        # Without it nothing bounds the chain, and nothing checks what arrived.
        raise ValueError("a list response needs a whole-number 'meta.count'")
    if not all(isinstance(w, dict) and isinstance(w.get("id"), str) for w in results):
        raise ValueError("a result has no work id")


def _check_work(data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ValueError("not an OpenAlex work")


@dataclass
class ChainRunner:
    """Fetch every year's chain, then the full record of its truncated works.

    Parameters
    ----------
    store : RawStore
        Where pages go; it knows where each chain stopped last time.
    transport : Transport
        The HTTP client with retries.
    settings : Settings
        ``api_url``, ``per_page`` and ``concurrency`` are used here.
    progress : Progress
        Where progress lines go.
    refetch_truncated : bool
        Re-fetch works with ``is_authors_truncated`` from ``/works/W…``.
    """

    store: RawStore
    transport: Transport
    settings: Settings
    progress: Progress
    refetch_truncated: bool = True
    per_page: int = 0
    pages_fetched: dict[int, int] = field(default_factory=dict)
    refetched_now: int = 0
    refetch_failed: list[str] = field(default_factory=list)
    #: Answers kept aside in quarantine (paths relative to the store), and records left out.
    set_aside: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.per_page = self.per_page or self.settings.per_page

    def _reader(self, path: Path) -> object:
        """The builder's reader of these answers: its DataError names a record it refuses."""
        from copub.normalize.reader import read_raw_file  # polars: loaded when a page comes

        return read_raw_file(path)

    def run(self, years: Sequence[int]) -> None:
        """Fetch ``years``, at most ``settings.concurrency`` at a time.

        The first error stops the other years after their current request;
        everything stored so far stays. A 429 wins over other errors, so the
        caller learns that the budget, not the data, is the problem.
        """
        errors: list[BaseException] = []
        workers = max(1, min(self.settings.concurrency, len(years)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="copub-fetch") as pool:
            futures = [pool.submit(self._year, year) for year in years]
            try:
                for future in as_completed(futures):
                    exc = future.exception()
                    if exc is not None and not isinstance(exc, (_StoppedError, CancelledError)):
                        errors.append(exc)
                        self._halt()
            except BaseException:
                self._halt(now=True)
                raise
        if errors:
            budget = [e for e in errors if isinstance(e, BudgetExhaustedError)]
            raise (budget or errors)[0]

    def _halt(self, *, now: bool = False) -> None:
        """Stop the other years: no new page, no more waiting (``now``: no request either)."""
        self._stop.set()
        self.transport.cancel(now=now)

    def _year(self, year: int) -> None:
        self._chain(year)
        if self.refetch_truncated:
            self._refetch(year)
        chain = self.store.chain(year)
        received = len({work_id for entry in chain for work_id in entry.ids})
        expected = chain[-1].count if chain else None
        line = f"{year} done: {received} works, meta.count {expected}"
        if expected is not None and received != expected:
            line += f" (difference {received - expected:+d}: the server delivered "
            line += "fewer works than it counted)" if received < expected else "more)"
        self.progress.note(line)

    def _lower_per_page(self, tried: int) -> bool:
        """Fall back to 100 per page once, for every year; False if already there."""
        with self._lock:
            if self.per_page < tried:
                return True
            if tried > _FALLBACK_PER_PAGE:
                self.per_page = _FALLBACK_PER_PAGE
                self.progress.note(f"server refused per-page={tried}; using {self.per_page}")
                return True
            return False

    def _chain(self, year: int) -> None:
        chain = self.store.chain(year)
        if chain and chain[-1].last:
            return
        cursor = chain[-1].next_cursor if chain else "*"
        if chain:
            self.progress.note(f"{year}: resuming after page {len(chain)}")
        # Every cursor of the chain so far, stored ones too: a loop is caught on resume.
        seen = {"*", *(entry.cursor for entry in chain)}
        self._check_bounds(year, chain, cursor, seen_before=bool(chain) and cursor in seen)
        query = self.store.queries[year]
        while True:
            if self._stop.is_set():
                raise _StoppedError
            per_page = self.per_page
            url = page_url(query, per_page=per_page, cursor=str(cursor))
            try:
                body, data = self.transport.get_json(url, shape=_check_page)
            except PerPageRefusedError:
                if self._lower_per_page(per_page):
                    continue
                raise
            body, data = self._vouchable(year, len(chain) + 1, url, body, data)
            results, meta = data["results"], data["meta"]
            ids = tuple(_short(work["id"]) for work in results)
            truncated = tuple(
                work_id
                for work_id, work in zip(ids, results, strict=True)
                if work.get("is_authors_truncated")
            )
            next_cursor = meta.get("next_cursor") or None
            if next_cursor is not None and not isinstance(next_cursor, str):
                raise NetworkError(
                    f"{year}: page {len(chain) + 1} has a next_cursor that is not text "
                    f"({type(next_cursor).__name__}): not an OpenAlex answer"
                )
            count = meta.get("count")
            count = count if isinstance(count, int) and not isinstance(count, bool) else None
            entry = self.store.add_page(
                year,
                strip_secrets(url),
                str(cursor),
                body,
                next_cursor=next_cursor,
                count=count,
                ids=ids,
                truncated=truncated,
            )
            chain = (*chain, entry)
            with self._lock:
                self.pages_fetched[year] = self.pages_fetched.get(year, 0) + 1
            self.progress.tick(f"{year}: page {entry.page}, meta.count {entry.count}")
            if entry.last:
                return
            self._check_bounds(year, chain, next_cursor, seen_before=next_cursor in seen)
            seen.add(str(next_cursor))
            cursor = next_cursor

    def _vouchable(
        self, year: int, number: int, url: str, body: bytes, data: dict[str, Any]
    ) -> tuple[bytes, dict[str, Any]]:
        """The page as the builder will read it: checked, asked once more, or salvaged."""
        relative = self.store.page_path(year, number)
        target = self.store.root / relative
        why = problem(body, target, self._reader)
        if why is None:
            return body, data
        kept = self._keep_aside(relative, body)
        self.progress.note(
            f"{year}: page {number} cannot be built into tables ({why}); the answer is kept "
            f"aside in {kept}, asking for the page once more"
        )
        body, data = self.transport.get_json(url, shape=_check_page)
        why = problem(body, target, self._reader)
        if why is None:
            return body, data
        kept = self._keep_aside(relative, body)
        rebuilt = salvage(data, target, self._reader)
        if not rebuilt.data["results"] and data["results"]:
            raise DataError(
                f"{year}: page {number} cannot be built into tables twice in a row ({why}); "
                f"both answers are kept aside ({kept}); the pages before it are kept, run the "
                "same command again to resume"
            )
        with self._lock:
            self.left_out.extend(rebuilt.left_out)
        n, total = len(rebuilt.left_out), len(data["results"])
        outcome = (
            f"{n} of its {total} records are left out ({shown_ids(rebuilt.left_out)}), the "
            "others are stored"
            if n
            else "each of its records passes alone, so the page is stored in the shape the "
            "builder reads"
        )
        self.progress.note(
            f"{year}: page {number} again cannot be built into tables ({why}); kept aside in "
            f"{kept}; {outcome}, and the run goes on"
        )
        return rebuilt.body, rebuilt.data

    def _keep_aside(self, relative: str, body: bytes) -> str:
        kept = self.store.set_aside(relative, body)
        with self._lock:
            self.set_aside.append(kept)
        return (Path(self.store.root.name) / kept).as_posix()

    def _check_bounds(
        self, year: int, chain: tuple[PageEntry, ...], cursor: str | None, *, seen_before: bool
    ) -> None:
        """End a chain that loops, or that goes on past what ``meta.count`` allows.

        Three bounds: the records ``meta.count`` allows (plus slack), the pages
        that many records need at the largest page size seen (plus the closing
        page), and ``Settings.max_pages`` whatever the count claims. The pages
        stored so far stay; the error names the year and what went wrong.
        """
        if not chain:
            return
        pages = len(chain)
        if seen_before:
            raise NetworkError(
                f"{year}: the server handed back a cursor it had already given "
                f"(a cursor loop after page {pages}); stopped, the {pages} pages are kept"
            )
        counts = [entry.count for entry in chain if entry.count is not None]
        records = sum(entry.results for entry in chain)
        if counts:
            first = counts[0]
            if pages > 1 and None not in (chain[-1].count, chain[-2].count):
                before, after = chain[-2].count, chain[-1].count
                if before != after:
                    self.progress.note(
                        f"{year}: meta.count changed from {before} to {after} on page {pages}"
                    )
            limit = _record_limit(first)
            if records > limit:
                raise NetworkError(
                    f"{year}: the server keeps handing on new cursors: {records} records on "
                    f"{pages} pages, more than meta.count {first} allows (at most {limit}); "
                    f"stopped, the {pages} pages are kept"
                )
            size = max(max(entry.results for entry in chain), 1)
            needed = -(-limit // size) + 1
            if pages >= needed:
                raise NetworkError(
                    f"{year}: the server keeps handing on new cursors: {pages} pages of at most "
                    f"{size} records, more than meta.count {first} can need (at most {needed}); "
                    f"stopped, the {pages} pages are kept"
                )
        cap = self.settings.max_pages
        if pages >= cap:
            claim = f"meta.count {counts[0]}" if counts else "no meta.count"
            raise NetworkError(
                f"{year}: the chain reached {pages} pages ({claim}) and has not ended: that is "
                f"COPUB_MAX_PAGES={cap}; stopped, the {pages} pages are kept; raise "
                "COPUB_MAX_PAGES and run the same command again to fetch further"
            )

    def _refetch(self, year: int) -> None:
        wanted = [w for entry in self.store.chain(year) for w in entry.truncated]
        for work_id in dict.fromkeys(wanted):
            if self.store.work(work_id) is not None:
                continue
            if self._stop.is_set():
                raise _StoppedError
            if not _REFETCHABLE.match(work_id):
                # From the data, not the user: never a URL or a file name of it.
                self._failed(work_id, "not an OpenAlex work id copub can ask for")
                continue
            url = work_url(work_id, self.settings.api_url)
            body = self._full_record(work_id, url)
            if body is None:
                continue
            self.store.add_work(work_id, strip_secrets(url), body)
            with self._lock:
                self.refetched_now += 1
            self.progress.tick(f"{year}: re-fetched {work_id} (authors were truncated)")

    def _full_record(self, work_id: str, url: str) -> bytes | None:
        """The full record of ``work_id`` as one JSON line, or None (counted as failed).

        An answer the builder would refuse is kept aside and asked for once more;
        one that is still truncated is not a full record.
        """
        why = ""
        for _ in range(2):
            try:
                _, data = self.transport.get_json(url, shape=_check_work)
            except HTTPStatusError as exc:
                if exc.status != 404:
                    raise
                self._failed(work_id, "not found (404)")
                return None
            if _short(data["id"]) != work_id:
                self._failed(work_id, f"answered as {shown_ids([_short(data['id'])])} (merged?)")
                return None
            if data.get("is_authors_truncated"):
                self._failed(work_id, "the full record is truncated too")
                return None
            # One line, so the normalizer reads it as JSON Lines.
            body = orjson.dumps(data) + b"\n"
            relative = f"works/{work_id}.json"
            why = problem(body, self.store.root / relative, self._reader) or ""
            if not why:
                return body
            kept = self._keep_aside(relative, body)
            self.progress.note(f"{work_id}: the full record cannot be built into tables "
                               f"({why}); kept aside in {kept}")  # fmt: skip
        self._failed(work_id, "its full record cannot be built into tables, twice")
        return None

    def _failed(self, work_id: str, why: str) -> None:
        with self._lock:
            self.refetch_failed.append(work_id)
        self.progress.note(
            f"cannot re-fetch {shown_ids([work_id])}: {why}; its truncated record is kept"
        )
