"""What a fetch did: per institution and year, works against ``meta.count``, retries, re-fetches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from copub.fetch.vouch import shown_ids

__all__ = ["FetchResult", "InstitutionResult", "YearResult"]


@dataclass(frozen=True)
class YearResult:
    """One year's cursor chain.

    Attributes
    ----------
    year : int
        Publication year.
    expected : int or None
        ``meta.count`` as last reported by the server (None if nothing came back).
    received : int
        Distinct works in the year's pages.
    records : int
        Records in the year's pages, repeats included.
    pages : int
        Pages in the chain (fetched now or in an earlier run).
    pages_fetched : int
        Pages fetched in this run.

    Examples
    --------
    >>> YearResult(2020, expected=10, received=9, records=9, pages=1, pages_fetched=1).difference
    -1
    """

    year: int
    expected: int | None
    received: int
    records: int
    pages: int
    pages_fetched: int

    @property
    def difference(self) -> int:
        """Received minus expected: 0 when the server delivered what it counted."""
        return self.received - (self.expected or 0)

    def describe(self) -> str:
        """One line such as ``2020: 812 works (meta.count 812)``."""
        line = f"{self.year}: {self.received} works (meta.count {self.expected}"
        if self.difference:
            line += f"; {abs(self.difference)} {'more' if self.difference > 0 else 'fewer'}"
        return line + f"), {self.pages} pages"


@dataclass(frozen=True)
class InstitutionResult:
    """One institution's part of a fetch: its year chains, retries and re-fetches.

    Attributes
    ----------
    institution : str
        Short OpenAlex id.
    per_year : tuple of YearResult
        One per year, in order.
    retries : mapping of str to int
        Retries by kind: HTTP status (``"403"``, ``"503"``), ``"timeout"``,
        ``"connection"``, ``"cut_body"``, ``"invalid_json"``.
    refetched : int
        Truncated works whose full record is stored.
    refetched_now : int
        Of those, fetched in this run.
    refetch_failed : tuple of str
        Truncated works whose full record could not be had (kept truncated).
    per_page : int
        The page size used in the end (100 if the server refused 200).
    raw_dir : Path
        Where its raw pages and manifest are (``raw/openalex/<institution>``).
    set_aside : tuple of str
        Answers the table builder would refuse, kept aside in this run (paths
        relative to ``raw_dir``, under ``quarantine/``); never vouched for.
    left_out : tuple of str
        Ids of records left out of a page because the builder refuses them
        (the page was refused twice; its answers are among ``set_aside``).

    Examples
    --------
    >>> part = InstitutionResult("I1", (YearResult(2020, 3, 3, 3, 2, 2),), {}, 0, 0, (), 200,
    ...                          Path("raw/openalex/I1"))
    >>> part.received, part.expected, part.pages_fetched
    (3, 3, 2)
    """

    institution: str
    per_year: tuple[YearResult, ...]
    retries: Mapping[str, int]
    refetched: int
    refetched_now: int
    refetch_failed: tuple[str, ...]
    per_page: int
    raw_dir: Path
    set_aside: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def expected(self) -> int:
        """Sum of ``meta.count`` over the years."""
        return sum(y.expected or 0 for y in self.per_year)

    @property
    def received(self) -> int:
        """Distinct works received over the years."""
        return sum(y.received for y in self.per_year)

    @property
    def pages(self) -> int:
        """Pages stored over the years."""
        return sum(y.pages for y in self.per_year)

    @property
    def pages_fetched(self) -> int:
        """Pages fetched in this run."""
        return sum(y.pages_fetched for y in self.per_year)

    def headline(self, years: tuple[int, int]) -> str:
        """``I1 2012-2025: 812 works received, 812 counted by the server; …``."""
        first, last = years
        return (
            f"{self.institution} {first}-{last}: {self.received} works received, "
            f"{self.expected} counted by the server; {self.pages} pages "
            f"({self.pages_fetched} fetched now, per-page {self.per_page})"
        )


def _sum_years(parts: tuple[InstitutionResult, ...]) -> tuple[YearResult, ...]:
    if len(parts) == 1:
        return parts[0].per_year
    out = []
    for years in zip(*(part.per_year for part in parts), strict=True):
        counted = [y.expected for y in years if y.expected is not None]
        out.append(
            YearResult(
                year=years[0].year,
                expected=sum(counted) if counted else None,
                received=sum(y.received for y in years),
                records=sum(y.records for y in years),
                pages=sum(y.pages for y in years),
                pages_fetched=sum(y.pages_fetched for y in years),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class FetchResult:
    """The outcome of :func:`copub.fetch_works`: each institution's part and the tables.

    The totals (``per_year``, ``expected``, ``received``, ``retries``, …) add
    up the institutions' parts, so a work two institutions share counts once
    for each there; ``works`` counts it once (the tables hold it once), and
    ``shared_works`` says how many such works there are.

    Attributes
    ----------
    years : tuple of int
        First and last year.
    per_institution : tuple of InstitutionResult
        One per institution, in the order fetched.
    duplicates_removed : int
        Repeated list records dropped (overlapping or repeated pages); neither
        the truncated records replaced by full ones nor the second copy of a
        work shared by two institutions is counted here.
    shared_works : int
        Works received for more than one of the institutions, stored once.
    works, authorships : int
        Rows in the tables.
    tables_dir : Path
        Where the tables are.
    notes : tuple of str
        Extra lines for the summary.

    Examples
    --------
    >>> part = InstitutionResult("I1", (YearResult(2020, 3, 3, 3, 2, 2),), {}, 0, 0, (), 200,
    ...                          Path("d/raw/openalex/I1"))
    >>> result = FetchResult((2020, 2020), (part,), 0, 0, 3, 9, Path("d/tables"))
    >>> result.institution, result.received, result.raw_dir.as_posix()
    ('I1', 3, 'd/raw/openalex/I1')
    """

    years: tuple[int, int]
    per_institution: tuple[InstitutionResult, ...]
    duplicates_removed: int
    shared_works: int
    works: int
    authorships: int
    tables_dir: Path
    notes: tuple[str, ...] = field(default=())

    @property
    def institutions(self) -> tuple[str, ...]:
        """The institutions' short ids, in the order fetched."""
        return tuple(part.institution for part in self.per_institution)

    @property
    def institution(self) -> str | None:
        """The institution's id for a single-institution fetch; None for several."""
        return self.institutions[0] if len(self.per_institution) == 1 else None

    @property
    def per_year(self) -> tuple[YearResult, ...]:
        """One per year, in order, summed over the institutions."""
        return _sum_years(self.per_institution)

    @property
    def retries(self) -> dict[str, int]:
        """Retries by kind, summed over the institutions."""
        total: dict[str, int] = {}
        for part in self.per_institution:
            for kind, n in part.retries.items():
                total[kind] = total.get(kind, 0) + n
        return total

    @property
    def refetched(self) -> int:
        """Truncated works whose full record is stored, summed over the institutions."""
        return sum(part.refetched for part in self.per_institution)

    @property
    def refetched_now(self) -> int:
        """Of those, fetched in this run."""
        return sum(part.refetched_now for part in self.per_institution)

    @property
    def refetch_failed(self) -> tuple[str, ...]:
        """Truncated works whose full record could not be had, over the institutions."""
        failed = (w for part in self.per_institution for w in part.refetch_failed)
        return tuple(dict.fromkeys(failed))

    @property
    def per_page(self) -> int:
        """The page size used in the end (the smallest any institution needed)."""
        return min(part.per_page for part in self.per_institution)

    @property
    def raw_dir(self) -> Path:
        """The institution's raw directory; for several, the one above theirs."""
        if len(self.per_institution) == 1:
            return self.per_institution[0].raw_dir
        return self.per_institution[0].raw_dir.parent

    @property
    def expected(self) -> int:
        """Sum of ``meta.count`` over the years and institutions."""
        return sum(part.expected for part in self.per_institution)

    @property
    def received(self) -> int:
        """Distinct works received per institution, summed (a shared work counts for each)."""
        return sum(part.received for part in self.per_institution)

    @property
    def pages(self) -> int:
        """Pages stored over the years and institutions."""
        return sum(part.pages for part in self.per_institution)

    @property
    def pages_fetched(self) -> int:
        """Pages fetched in this run."""
        return sum(part.pages_fetched for part in self.per_institution)

    def summary(self) -> str:
        """A few lines for stderr: works per year, retries, re-fetched, duplicates.

        One block per institution when there are several, then what the
        union holds.
        """
        lines: list[str] = []
        several = len(self.per_institution) > 1
        for n, part in enumerate(self.per_institution, 1):
            head = part.headline(self.years)
            lines.append(f"institution {n}/{len(self.institutions)}: {head}" if several else head)
            lines += [f"  {year.describe()}" for year in part.per_year]
            if several:
                lines.append(f"  {_retries_line(part.retries)}; {_refetch_line(part)}")
            if part.set_aside:
                lines.append(f"{'  ' if several else ''}{_set_aside_line(part)}")
        if several:
            first, last = self.years
            lines.append(
                f"all {len(self.per_institution)} institutions {first}-{last}: "
                f"{self.received} works received, {self.expected} counted by the server; "
                f"{self.shared_works} works shared by more than one of them are stored once"
            )
        lines.append(_retries_line(self.retries))
        lines.append(_refetch_line(self))
        lines.append(f"duplicates removed: {self.duplicates_removed}")
        lines.append(
            f"tables: {self.works} works, {self.authorships} authorships in {self.tables_dir}"
        )
        lines += list(self.notes)
        return "\n".join(lines)


def _retries_line(retries: Mapping[str, int]) -> str:
    return "retries: " + (", ".join(f"{kind} x{n}" for kind, n in retries.items()) or "none")


def _set_aside_line(part: InstitutionResult) -> str:
    line = (
        f"set aside: {len(part.set_aside)} answers the tables cannot be built from, kept in "
        f"{part.raw_dir / 'quarantine'}"
    )
    if part.left_out:
        line += f"; {len(part.left_out)} records left out ({shown_ids(part.left_out, 5)})"
    return line


def _refetch_line(result: InstitutionResult | FetchResult) -> str:
    line = f"re-fetched in full: {result.refetched} truncated works"
    if result.refetch_failed:
        line += f" ({len(result.refetch_failed)} could not be re-fetched and stay truncated)"
    return line
