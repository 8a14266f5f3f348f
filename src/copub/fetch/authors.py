"""``fetch_authors``: the OpenAlex ``/authors`` records of a set of authors, in id batches.

The ids go ``batch_size`` at a time into ``filter=ids.openalex:A1|A2|…`` (pyalex
builds the query). OpenAlex's filter documentation allows a limited number of
OR-ed values in one filter: 50 in ``ourresearch/openalex-docs``
(how-to-use-the-api/get-lists-of-entities/filter-entity-lists.md, "You can
combine up to 50 values for a given filter"), 100 in the newer
developers.openalex.org pages; copub sends 50 by default and refuses more than 100.

Each batch is one cursor chain in a :class:`~copub.fetch.store.RawStore` of
its own (``raw/openalex/<institution>/authors/``), walked by the works'
:class:`~copub.fetch.chains.ChainRunner`: the same atomic pages, manifest,
retries, 429 stop and resume. Batches are made from the sorted ids, so a rerun
with the same ids resumes where the last one stopped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyalex

from copub.errors import UsageError
from copub.fetch.chains import ChainRunner
from copub.fetch.query import rebase
from copub.fetch.store import RawStore
from copub.fetch.transport import Transport
from copub.normalize.authors import read_authors, write_authors
from copub.progress import Progress
from copub.settings import Settings
from copub.validate import parse_institution_id

__all__ = [
    "AUTHOR_BATCH",
    "AUTHOR_BATCH_MAX",
    "AuthorFetchResult",
    "authors_query",
    "fetch_authors",
]

#: Ids per request by default, and the most copub sends (module docstring).
AUTHOR_BATCH: Final = 50
AUTHOR_BATCH_MAX: Final = 100


@dataclass(frozen=True)
class AuthorFetchResult:
    """The outcome of :func:`fetch_authors`.

    Attributes
    ----------
    requested : int
        Distinct author ids asked for.
    received : int
        Distinct author records received.
    missing : tuple of str
        Ids OpenAlex did not return (merged or deleted authors).
    batches, pages, pages_fetched : int
        Id batches, pages stored, and pages fetched in this run.
    retries : dict of str to int
        Retries by kind, as for works.
    rows : int
        Rows of the authors table (author × institution × year).
    table : Path
        Where the authors table is (``authors/authors.parquet``).
    raw_dir : Path
        Where the raw author pages are.
    """

    requested: int
    received: int
    missing: tuple[str, ...]
    batches: int
    pages: int
    pages_fetched: int
    retries: dict[str, int]
    rows: int
    table: Path
    raw_dir: Path

    def summary(self) -> str:
        """A few lines for stderr."""
        retries = ", ".join(f"{kind} x{n}" for kind, n in self.retries.items()) or "none"
        lines = [
            f"authors: {self.received} of {self.requested} records received in {self.batches} "
            f"batches, {self.pages} pages ({self.pages_fetched} fetched now); retries: {retries}",
            f"authors table: {self.rows} rows (author x institution x year) in {self.table}",
        ]
        if self.missing:
            shown = ", ".join(self.missing[:5]) + (" …" if len(self.missing) > 5 else "")
            lines.append(f"{len(self.missing)} authors not returned by OpenAlex: {shown}")
        return "\n".join(lines)


def authors_query(author_ids: Iterable[str], api_url: str) -> str:
    """The ``/authors`` list URL for a batch of ids, without paging.

    Examples
    --------
    >>> authors_query(["A2", "A1"], "http://127.0.0.1:9")
    'http://127.0.0.1:9/authors?filter=ids.openalex:A2|A1'
    """
    query = pyalex.Authors().filter(ids={"openalex": "|".join(author_ids)})
    return rebase(str(query.url), api_url).replace("%7C", "|")


def _check_ids(author_ids: Iterable[str]) -> list[str]:
    ids = set()
    for raw in author_ids:
        short = str(raw).strip().rsplit("/", 1)[-1].upper()
        if not (short.startswith("A") and short[1:].isdigit()):
            raise UsageError(f"{raw!r} is not an OpenAlex author id such as A5023888391")
        ids.add(short)
    return sorted(ids)


class _AuthorChains(ChainRunner):
    """The works' chain runner over id batches: no truncated works, an author-worded line."""

    def _year(self, year: int) -> None:
        self._chain(year)
        chain = self.store.chain(year)
        received = len({author for entry in chain for author in entry.ids})
        self.progress.note(f"author batch {year} done: {received} records")


def fetch_authors(
    author_ids: Iterable[str],
    institution: str,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    batch_size: int = AUTHOR_BATCH,
) -> AuthorFetchResult:
    """Download the ``/authors`` records of ``author_ids`` and build the authors table.

    Parameters
    ----------
    author_ids : iterable of str
        Short (``A…``) or full OpenAlex author ids; repeats are dropped.
    institution : str
        The home institution; the raw pages go under its raw directory.
    settings : Settings, optional
        Data directory, API URL and key, retries; default :meth:`Settings.from_env`.
    progress : Progress, optional
        Progress on stderr.
    batch_size : int
        Ids per request, 1 to :data:`AUTHOR_BATCH_MAX` (default :data:`AUTHOR_BATCH`).

    Returns
    -------
    AuthorFetchResult
        Requested against received ids, pages, retries and the table's path
        (``data_dir/authors/authors.parquet``).

    Raises
    ------
    UsageError
        For a bad id, institution or batch size.
    BudgetExhaustedError
        On 429; everything fetched so far is kept, a rerun resumes.
    NetworkError
        When a request still fails after every retry.

    Examples
    --------
    >>> import copub, tempfile
    >>> settings = copub.Settings(data_dir=tempfile.mkdtemp())
    >>> copub.fetch_authors(["A5023888391"], "I204778367", settings=settings)  # doctest: +SKIP
    """
    institution = parse_institution_id(institution)
    if isinstance(batch_size, bool) or not 1 <= batch_size <= AUTHOR_BATCH_MAX:
        raise UsageError(f"batch_size must be 1 to {AUTHOR_BATCH_MAX}, not {batch_size!r}")
    ids = _check_ids(author_ids)
    settings = settings if settings is not None else Settings.from_env()
    progress = progress if progress is not None else Progress()
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    queries = {n: authors_query(batch, settings.api_url) for n, batch in enumerate(batches, 1)}
    progress.note(
        f"fetching {len(ids)} author records from {settings.api_url} in {len(batches)} batches"
    )
    # Its own store below the works' one: its own manifest and lock.
    with RawStore.open(Path(settings.data_dir), f"{institution}/authors", queries) as store:
        if store.removed_files:
            progress.note(f"removed {store.removed_files} raw files no manifest entry vouches for")

        def on_retry(kind: str, url: str, wait: float) -> None:
            progress.note(f"retrying after {kind} in {wait:.1f} s: {url}")

        with Transport(settings, on_retry=on_retry) as transport:
            runner = _AuthorChains(store, transport, settings, progress, refetch_truncated=False)
            runner.run(list(queries))
            retries = transport.retries.snapshot()
        files, _ = store.files(list(queries))
        chains = [store.chain(n) for n in queries]
    received = {author for chain in chains for entry in chain for author in entry.ids}
    authors = read_authors(files)
    table = write_authors(authors, settings.data_dir)
    result = AuthorFetchResult(
        requested=len(ids),
        received=len(received & set(ids)),
        missing=tuple(sorted(set(ids) - received)),
        batches=len(batches),
        pages=sum(len(chain) for chain in chains),
        pages_fetched=sum(runner.pages_fetched.values()),
        retries=retries,
        rows=authors.height,
        table=table,
        raw_dir=store.root,
    )
    for line in result.summary().splitlines():
        progress.note(line)
    return result
