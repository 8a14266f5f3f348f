"""``fetch_works``: an institution's OpenAlex works, year by year, to raw pages and tables."""

from __future__ import annotations

from copub.errors import DataError
from copub.fetch.chains import ChainRunner
from copub.fetch.manifest import PageEntry
from copub.fetch.query import institution_filter, year_query
from copub.fetch.result import FetchResult, YearResult
from copub.fetch.store import RawStore
from copub.fetch.transport import Transport
from copub.locking import directory_lock, writable_dir
from copub.normalize import build_tables
from copub.progress import Progress
from copub.provenance import Provenance
from copub.secrets import redact
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


def fetch_works(
    institution: str,
    years: str | tuple[int, int] | int,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    refetch_truncated: bool = True,
    replace: bool = False,
) -> FetchResult:
    """Download an institution's works from OpenAlex and build the tables.

    One cursor chain per publication year (``authorships.institutions.lineage``,
    so child units count), at most ``settings.concurrency`` years at a time.
    Raw pages go atomically to ``settings.data_dir/raw/openalex/<institution>``
    with a manifest; a second call resumes where the first stopped. Works whose
    author list was truncated are re-fetched from ``/works/W…``. The tables are
    written under ``settings.data_dir/tables``.

    Parameters
    ----------
    institution : str
        OpenAlex institution id, e.g. ``"I204778367"`` (NTNU).
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
        narrower year range, say); without it such tables are kept and
        :class:`~copub.normalize.generations.ShrinkRefusedError` says why.

    Returns
    -------
    FetchResult
        Works per year against ``meta.count``, retries by kind, re-fetched
        works, duplicates removed and where the tables are.

    Raises
    ------
    UsageError
        For a malformed institution id or year range, a query OpenAlex refuses,
        a data directory that cannot be written, or another copub writing there.
    DataError
        When OpenAlex has no works for the institution in those years (no
        tables are written), or the new tables would shrink the old ones.
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
    """
    institution = parse_institution_id(institution)
    first, last = parse_year_range(years)
    settings = settings if settings is not None else Settings.from_env()
    progress = progress if progress is not None else Progress()
    data_dir = writable_dir(settings.data_dir, "--data-dir")
    year_list = list(range(first, last + 1))
    queries = {year: year_query(institution, year, settings.api_url) for year in year_list}
    progress.note(
        f"fetching {institution} {first}-{last} from {settings.api_url}: one cursor chain per "
        f"year, {min(settings.concurrency, len(year_list))} at a time"
    )
    # One lock from the first page to the switch of the new tables.
    with directory_lock(data_dir):
        with RawStore.open(data_dir, institution, queries) as store:
            for line in store.recovery_notes:
                progress.note(line)

            def on_retry(kind: str, url: str, wait: float) -> None:
                progress.note(f"retrying after {kind} in {wait:.1f} s: {url}")

            with Transport(settings, on_retry=on_retry) as transport:
                runner = ChainRunner(store, transport, settings, progress, refetch_truncated)
                runner.run(year_list)
                retries = transport.retries.snapshot()
            files, n_refetched = store.files(year_list)
            per_year = tuple(
                _year_result(year, store.chain(year), runner.pages_fetched.get(year, 0))
                for year in year_list
            )
            manifest = store.root / "manifest.jsonl"
        expected = sum(y.expected or 0 for y in per_year)
        provenance = Provenance(
            source="openalex",
            institution=institution,
            years=(first, last),
            query=f"{institution_filter(institution)},publication_year:{first}-{last}",
            api_url=redact(settings.api_url),
            counts={
                "expected_works": expected,
                "received_works": sum(y.received for y in per_year),
                "pages": sum(y.pages for y in per_year),
                "refetched": n_refetched,
                "retries": sum(retries.values()),
            },
            inputs=(str(manifest),),
        )
        if expected == 0 and provenance.counts["received_works"] == 0:
            raise DataError(
                f"OpenAlex has no works for {institution} in {first}-{last}: check the "
                "institution id (https://openalex.org/institutions); no tables were written"
            )
        progress.note(f"building tables from {len(files)} files")
        built = build_tables(files, data_dir, provenance=provenance, replace=replace)
        tables_dir = built.path
        counts = built.provenance.counts
        result = FetchResult(
            institution=institution,
            years=(first, last),
            per_year=per_year,
            retries=retries,
            refetched=n_refetched,
            refetched_now=runner.refetched_now,
            refetch_failed=tuple(runner.refetch_failed),
            # Each re-fetched record displaces its truncated twin: not a duplicate page.
            duplicates_removed=counts["duplicates_removed"],
            works=counts["works"],
            authorships=counts["authorships"],
            per_page=runner.per_page,
            tables_dir=tables_dir,
            raw_dir=store.root,
        )
    for line in result.summary().splitlines():
        progress.note(line)
    return result
