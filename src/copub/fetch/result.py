"""What a fetch did: per-year counts against ``meta.count``, retries, re-fetches, duplicates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FetchResult", "YearResult"]


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
class FetchResult:
    """The outcome of :func:`copub.fetch_works`.

    Attributes
    ----------
    institution : str
        Short OpenAlex id.
    years : tuple of int
        First and last year.
    per_year : tuple of YearResult
        One per year, in order.
    retries : mapping of str to int
        Retries by kind: HTTP status (``"403"``, ``"503"``), ``"timeout"``,
        ``"connection"``, ``"cut_body"``, ``"invalid_json"``.
    refetched : int
        Truncated works whose full record is in the tables.
    refetched_now : int
        Of those, fetched in this run.
    refetch_failed : tuple of str
        Truncated works whose full record could not be had (kept truncated).
    duplicates_removed : int
        Repeated list records dropped (overlapping or repeated pages); the
        truncated records replaced by full ones are not counted here.
    works, authorships : int
        Rows in the tables.
    per_page : int
        The page size used in the end (100 if the server refused 200).
    tables_dir, raw_dir : Path
        Where the tables and the raw pages are.
    """

    institution: str
    years: tuple[int, int]
    per_year: tuple[YearResult, ...]
    retries: Mapping[str, int]
    refetched: int
    refetched_now: int
    refetch_failed: tuple[str, ...]
    duplicates_removed: int
    works: int
    authorships: int
    per_page: int
    tables_dir: Path
    raw_dir: Path
    notes: tuple[str, ...] = field(default=())

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

    def summary(self) -> str:
        """A few lines for stderr: works per year, retries, re-fetched, duplicates."""
        first, last = self.years
        lines = [
            f"{self.institution} {first}-{last}: {self.received} works received, "
            f"{self.expected} counted by the server; {self.pages} pages "
            f"({self.pages_fetched} fetched now, per-page {self.per_page})"
        ]
        lines += [f"  {year.describe()}" for year in self.per_year]
        retries = ", ".join(f"{kind} x{n}" for kind, n in self.retries.items()) or "none"
        lines.append(f"retries: {retries}")
        refetch = f"re-fetched in full: {self.refetched} truncated works"
        if self.refetch_failed:
            refetch += f" ({len(self.refetch_failed)} could not be re-fetched and stay truncated)"
        lines.append(refetch)
        lines.append(f"duplicates removed: {self.duplicates_removed}")
        lines.append(
            f"tables: {self.works} works, {self.authorships} authorships in {self.tables_dir}"
        )
        lines += list(self.notes)
        return "\n".join(lines)
