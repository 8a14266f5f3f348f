"""``fetch_works``: institutions' OpenAlex works, year by year, to raw pages and one set of tables.

Each institution has its own raw store (``raw/openalex/<institution>``, with
its own manifest), fetched one after the other under one directory lock and
one HTTP transport; the tables are then built once from the union of every
named institution's files, so a work two of them share is one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from copub.errors import DataError, UsageError
from copub.fetch.chains import ChainRunner
from copub.fetch.manifest import PageEntry
from copub.fetch.query import institution_filter, year_query
from copub.fetch.result import FetchResult, InstitutionResult, YearResult
from copub.fetch.store import RawStore
from copub.fetch.transport import Transport
from copub.locking import directory_lock, writable_dir
from copub.normalize import build_tables
from copub.progress import Progress
from copub.provenance import Provenance
from copub.secrets import redact, strip_userinfo
from copub.settings import Settings
from copub.validate import parse_institution_id, parse_year_range

__all__ = ["fetch_works"]


def _year_result(year: int, chain: tuple[PageEntry, ...], fetched: int) -> YearResult:
    return YearResult(
        year=year,
        expected=chain[-1].count if chain else None,
        received=len({work_id for entry in chain for work_id in entry.ids}),
        records=sum(entry.results for entry in chain),
        pages=len(chain),
        pages_fetched=fetched,
    )


def _institution_ids(institution: str | Sequence[str]) -> tuple[str, ...]:
    """Short ids, in order, each once; a :class:`UsageError` for a bad one or none."""
    given = [institution] if isinstance(institution, str) else list(institution)
    if not given:
        raise UsageError("give at least one OpenAlex institution id, such as I204778367")
    ids = []
    for item in given:
        if not isinstance(item, str):
            raise UsageError(f"{item!r} is not an OpenAlex institution id such as I204778367")
        ids.append(parse_institution_id(item))
    return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class _Stored:
    """One institution's part, and what the tables are built from."""

    part: InstitutionResult
    files: list[Path]
    work_ids: frozenset[str]
    refetched_ids: frozenset[str]
    manifest: Path


def _fetch_one(
    data_dir: Path,
    institution: str,
    year_list: list[int],
    transport: Transport,
    settings: Settings,
    progress: Progress,
    refetch_truncated: bool,
    per_page: int,
) -> _Stored:
    """Walk one institution's year chains into its own store (resumable)."""
    queries = {year: year_query(institution, year, settings.api_url) for year in year_list}
    before = transport.retries.snapshot()
    with RawStore.open(data_dir, institution, queries) as store:
        for line in store.recovery_notes:
            progress.note(line)
        runner = ChainRunner(
            store, transport, settings, progress, refetch_truncated, per_page=per_page
        )
        runner.run(year_list)
        after = transport.retries.snapshot()
        files, n_refetched = store.files(year_list)
        chains = {year: store.chain(year) for year in year_list}
    retries = {k: n - before.get(k, 0) for k, n in after.items() if n > before.get(k, 0)}
    part = InstitutionResult(
        institution=institution,
        per_year=tuple(
            _year_result(year, chains[year], runner.pages_fetched.get(year, 0))
            for year in year_list
        ),
        retries=retries,
        refetched=n_refetched,
        refetched_now=runner.refetched_now,
        refetch_failed=tuple(runner.refetch_failed),
        per_page=runner.per_page,
        raw_dir=store.root,
        set_aside=tuple(runner.set_aside),
        left_out=tuple(runner.left_out),
    )
    return _Stored(
        part=part,
        files=files,
        work_ids=frozenset(w for chain in chains.values() for e in chain for w in e.ids),
        # Re-fetched full records are works/W….json, one per work.
        refetched_ids=frozenset(f.stem for f in files if f.parent.name == "works"),
        manifest=store.root / "manifest.jsonl",
    )


def _no_works(stored: Sequence[_Stored], years: tuple[int, int]) -> DataError | None:
    empty = [s.part.institution for s in stored if s.part.expected == 0 and s.part.received == 0]
    if not empty:
        return None
    first, last = years
    message = (
        f"OpenAlex has no works for {', '.join(empty)} in {first}-{last}: check the "
        "institution id (https://openalex.org/institutions); no tables were written"
    )
    if len(stored) > len(empty):
        message += " (the other institutions' pages are kept: a run without it resumes)"
    return DataError(message)


def _provenance(stored: Sequence[_Stored], years: tuple[int, int], api_url: str) -> Provenance:
    first, last = years
    per_institution = {
        s.part.institution: {
            "expected_works": s.part.expected,
            "received_works": s.part.received,
            "pages": s.part.pages,
            "refetched": s.part.refetched,
            "retries": sum(s.part.retries.values()),
        }
        for s in stored
    }
    counts = {
        key: sum(one[key] for one in per_institution.values())
        for key in ("expected_works", "received_works", "pages", "refetched", "retries")
    }
    if len(stored) > 1:
        counts["institutions"] = len(stored)
        counts["shared_works"] = _shared(stored)
    return Provenance(
        source="openalex",
        institutions=tuple(per_institution),
        years=years,
        query="; ".join(
            f"{institution_filter(i)},publication_year:{first}-{last}" for i in per_institution
        ),
        api_url=redact(strip_userinfo(api_url)),
        counts=counts,
        inputs=tuple(str(s.manifest) for s in stored),
        per_institution=per_institution if len(stored) > 1 else {},
    )


def _shared(stored: Sequence[_Stored]) -> int:
    """Works received for more than one of the institutions."""
    seen: dict[str, int] = {}
    for s in stored:
        for work_id in s.work_ids:
            seen[work_id] = seen.get(work_id, 0) + 1
    return sum(1 for n in seen.values() if n > 1)


def _extra_copies(sets: Sequence[frozenset[str]]) -> int:
    """Copies beyond the first of each id over ``sets``."""
    return sum(len(s) for s in sets) - len(frozenset().union(*sets))


def fetch_works(
    institution: str | Sequence[str],
    years: str | tuple[int, int] | int,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    refetch_truncated: bool = True,
    replace: bool = False,
) -> FetchResult:
    """Download the works of one institution or several from OpenAlex and build the tables.

    One cursor chain per publication year (``authorships.institutions.lineage``,
    so child units count), at most ``settings.concurrency`` years at a time.
    Raw pages go atomically to ``settings.data_dir/raw/openalex/<institution>``
    with a manifest, one store per institution; a second call resumes where the
    first stopped (a 429 during the second institution keeps the first's pages
    and the second's so far). Works whose author list was truncated are
    re-fetched from ``/works/W…``. With several institutions they are fetched
    one after the other under one lock, then the tables are built once from
    the union of their files: a work they share is one row, and each
    institution's universe is taken from the same tables. The tables are
    written under ``settings.data_dir/tables`` as one generation.

    Parameters
    ----------
    institution : str or sequence of str
        OpenAlex institution id, e.g. ``"I204778367"`` (NTNU), or several ids
        (fetched in that order; a repeated id is fetched once).
    years : str, int or (int, int)
        ``"2012-2025"``, ``2020`` or ``(2012, 2025)``.
    settings : Settings, optional
        Data directory, API URL and key, retries, concurrency; default
        :meth:`Settings.from_env`.
    progress : Progress, optional
        Progress on stderr; ``Progress.silent()`` for none.
    refetch_truncated : bool
        Re-fetch works with ``is_authors_truncated`` one by one (default True).
    replace : bool
        Replace existing tables even if the new ones hold fewer works (a
        narrower year range, fewer institutions); without it such tables are
        kept and :class:`~copub.normalize.generations.ShrinkRefusedError` says why.

    Returns
    -------
    FetchResult
        Each institution's works per year against ``meta.count``, retries and
        re-fetched works (:attr:`FetchResult.per_institution`), their totals,
        the works shared between institutions, duplicates removed and where
        the tables are.

    Raises
    ------
    UsageError
        For a malformed institution id or year range, no institution, a query
        OpenAlex refuses, a data directory that cannot be written, or another
        copub writing there.
    DataError
        When OpenAlex has no works for an institution in those years (naming
        every such institution; no tables are written), or the new tables
        would shrink the old ones.
    BudgetExhaustedError
        On 429 (daily budget spent). Everything fetched so far is kept; call
        again later to resume.
    NetworkError
        When a request still fails after every retry.

    Examples
    --------
    >>> import copub, tempfile
    >>> settings = copub.Settings(data_dir=tempfile.mkdtemp())
    >>> result = copub.fetch_works("I204778367", "2024", settings=settings)  # doctest: +SKIP
    >>> print(result.summary())  # doctest: +SKIP

    Several institutions into one data directory (NTNU and KTH):

    >>> result = copub.fetch_works(["I204778367", "I86987016"], "2024",
    ...                            settings=settings)  # doctest: +SKIP
    >>> [part.received for part in result.per_institution], result.shared_works  # doctest: +SKIP
    """
    ids = _institution_ids(institution)
    first, last = parse_year_range(years)
    settings = settings if settings is not None else Settings.from_env()
    progress = progress if progress is not None else Progress()
    data_dir = writable_dir(settings.data_dir, "--data-dir")
    year_list = list(range(first, last + 1))
    chains = f"one cursor chain per year, {min(settings.concurrency, len(year_list))} at a time"
    api = strip_userinfo(settings.api_url)
    if len(ids) == 1:
        progress.note(f"fetching {ids[0]} {first}-{last} from {api}: {chains}")
    else:
        progress.note(
            f"fetching {len(ids)} institutions ({', '.join(ids)}) {first}-{last} from "
            f"{api}, one after the other: {chains}"
        )

    def on_retry(kind: str, url: str, wait: float) -> None:
        progress.note(f"retrying after {kind} in {wait:.1f} s: {url}")

    # One lock from the first page to the switch of the new tables.
    with directory_lock(data_dir):
        stored: list[_Stored] = []
        with Transport(settings, on_retry=on_retry) as transport:
            per_page = settings.per_page
            for n, one in enumerate(ids, 1):
                if len(ids) > 1:
                    progress.note(f"institution {n}/{len(ids)}: {one}")
                fetched = _fetch_one(data_dir, one, year_list, transport, settings, progress,
                                     refetch_truncated, per_page)  # fmt: skip
                stored.append(fetched)
                per_page = fetched.part.per_page  # a refused 200 is not asked again
        error = _no_works(stored, (first, last))
        if error is not None:
            raise error
        provenance = _provenance(stored, (first, last), settings.api_url)
        files = [f for s in stored for f in s.files]
        progress.note(f"building tables from {len(files)} files")
        # The second copy of a shared work (list record or re-fetched full record) is
        # not a repeated page: build_tables leaves it out of duplicates_removed.
        cross = _extra_copies([s.work_ids for s in stored])
        cross += _extra_copies([s.refetched_ids for s in stored])
        built = build_tables(
            files, data_dir, provenance=provenance, replace=replace, expected_copies=cross
        )
        tables_dir = built.path
        counts = built.provenance.counts
        if built.provenance.synthetic:  # a server that replays copub's invented pages
            progress.note(
                "WARNING: SYNTHETIC SAMPLE DATA: the pages hold copub's invented works "
                f"({counts.get('synthetic_works', 0)}), not real publications"
            )
        result = FetchResult(
            years=(first, last),
            per_institution=tuple(s.part for s in stored),
            # Each re-fetched record displaces its truncated twin: not a duplicate page.
            duplicates_removed=counts["duplicates_removed"],
            shared_works=_shared(stored),
            works=counts["works"],
            authorships=counts["authorships"],
            tables_dir=tables_dir,
        )
    for line in result.summary().splitlines():
        progress.note(line)
    return result
