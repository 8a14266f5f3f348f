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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

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
        Where the raw author pages are (``raw/openalex/<institution>/authors``;
        for several institutions ``raw/openalex``, above theirs).
    institutions : tuple of str
        The institutions whose authors were fetched, in order.
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
    institutions: tuple[str, ...] = ()

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
    import pyalex  # here, not at the top: with requests and urllib3 it is slow to import

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


def _author_pages(
    ids: list[str],
    institution: str,
    transport: Transport,
    settings: Settings,
    progress: Progress,
    batch_size: int,
) -> tuple[list[Path], set[str], int, int, int, Path]:
    """One institution's id batches into its own store: files, ids received, counts, root."""
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    queries = {n: authors_query(batch, settings.api_url) for n, batch in enumerate(batches, 1)}
    progress.note(
        f"fetching {len(ids)} author records of {institution} from {settings.api_url} "
        f"in {len(batches)} batches"
    )
    # Its own store below the works' one: its own manifest and lock.
    with RawStore.open(Path(settings.data_dir), f"{institution}/authors", queries) as store:
        if store.removed_files:
            progress.note(f"removed {store.removed_files} raw files no manifest entry vouches for")
        runner = _AuthorChains(store, transport, settings, progress, refetch_truncated=False)
        runner.run(list(queries))
        files, _ = store.files(list(queries))
        chains = [store.chain(n) for n in queries]
    received = {author for chain in chains for entry in chain for author in entry.ids}
    pages = sum(len(chain) for chain in chains)
    return files, received, len(batches), pages, sum(runner.pages_fetched.values()), store.root


def fetch_authors(
    author_ids: Iterable[str] | Mapping[str, Iterable[str]],
    institution: str | None = None,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    batch_size: int = AUTHOR_BATCH,
) -> AuthorFetchResult:
    """Download the ``/authors`` records of ``author_ids`` and build the authors table.

    Each institution's ids go into its own raw store
    (``raw/openalex/<institution>/authors``); the authors table is built once
    from every named institution's pages (an author of two institutions is
    one author there).

    Parameters
    ----------
    author_ids : iterable of str, or mapping of str to iterable of str
        Short (``A…``) or full OpenAlex author ids; repeats are dropped. For
        several institutions, a mapping from each institution id to its
        authors' ids (``institution`` is then not given).
    institution : str, optional
        The home institution of ``author_ids``; the raw pages go under its
        raw directory.
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
        For a bad id, institution or batch size, or ``institution`` given
        together with a mapping (or neither).
    BudgetExhaustedError
        On 429; everything fetched so far is kept, a rerun resumes.
    NetworkError
        When a request still fails after every retry.

    Examples
    --------
    >>> import copub, tempfile
    >>> settings = copub.Settings(data_dir=tempfile.mkdtemp())
    >>> copub.fetch_authors(["A5023888391"], "I204778367", settings=settings)  # doctest: +SKIP
    >>> copub.fetch_authors({"I204778367": ["A5023888391"], "I86987016": ["A5012345678"]},
    ...                     settings=settings)  # doctest: +SKIP
    """
    if isinstance(author_ids, Mapping):
        if institution is not None:
            raise UsageError("give the institutions as the keys of author_ids, not institution=")
        wanted = {parse_institution_id(i): _check_ids(ids) for i, ids in author_ids.items()}
    elif institution is None:
        raise UsageError("fetch_authors needs the institution the authors are from")
    else:
        wanted = {parse_institution_id(institution): _check_ids(author_ids)}
    if not wanted:
        raise UsageError("fetch_authors needs at least one institution")
    if isinstance(batch_size, bool) or not 1 <= batch_size <= AUTHOR_BATCH_MAX:
        raise UsageError(f"batch_size must be 1 to {AUTHOR_BATCH_MAX}, not {batch_size!r}")
    settings = settings if settings is not None else Settings.from_env()
    progress = progress if progress is not None else Progress()

    def on_retry(kind: str, url: str, wait: float) -> None:
        progress.note(f"retrying after {kind} in {wait:.1f} s: {url}")

    files: list[Path] = []
    received: set[str] = set()
    batches = pages = pages_fetched = 0
    roots: list[Path] = []
    with Transport(settings, on_retry=on_retry) as transport:
        for one, ids in wanted.items():
            got = _author_pages(ids, one, transport, settings, progress, batch_size)
            files += got[0]
            received |= got[1]
            batches, pages, pages_fetched = batches + got[2], pages + got[3], pages_fetched + got[4]
            roots.append(got[5])
        retries = transport.retries.snapshot()
    requested = set().union(*wanted.values())
    authors = read_authors(files)
    table = write_authors(authors, settings.data_dir)
    result = AuthorFetchResult(
        requested=len(requested),
        received=len(received & requested),
        missing=tuple(sorted(requested - received)),
        batches=batches,
        pages=pages,
        pages_fetched=pages_fetched,
        retries=retries,
        rows=authors.height,
        table=table,
        raw_dir=roots[0] if len(roots) == 1 else roots[0].parent.parent,
        institutions=tuple(wanted),
    )
    for line in result.summary().splitlines():
        progress.note(line)
    return result
