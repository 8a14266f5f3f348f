"""What replacing a generation would lose: works, years and institutions, not only a count.

A new generation is refused (unless the caller replaces on purpose) when it
would lose what the current one holds: fewer works or authors, any year the
current works cover, any institution the works were fetched for, or more than
:data:`LOST_SHARE` of the current works (or authors) by id. A refresh from
OpenAlex loses a handful of merged works; an import of other years or of
another institution loses them all.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

__all__ = ["LOST_SHARE", "authors_losses", "format_years", "tables_losses"]

#: The share of the current ids a replacement may lose without ``--replace``
#: (OpenAlex merges a few works between two fetches; 1% is far above that).
LOST_SHARE = 0.01


def format_years(years: list[int], most: int = 4) -> str:
    """Sorted years as runs (``2012-2018, 2020``); beyond ``most`` runs, their count and span.

    Examples
    --------
    >>> format_years([2014, 2012, 2013, 2020])
    'the years 2012-2014, 2020'
    >>> format_years([1990, 1995, 2000, 2005, 2010])
    '5 years from 1990 to 2010'
    """
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    if len(runs) > most:
        return f"{len(set(years))} years from {runs[0][0]} to {runs[-1][1]}"
    return "the years " + ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _column(path: Path, column: str) -> pl.Series | None:
    """One column of a parquet file, or None when the file or column is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        frame = pl.scan_parquet(path)
        if column not in frame.collect_schema().names():
            return None
        return frame.select(pl.col(column).unique()).collect().get_column(column).drop_nulls()
    except (OSError, pl.exceptions.PolarsError):
        return None


def _count(path: Path) -> int:
    try:
        return int(pl.scan_parquet(path).select(pl.len()).collect().item())
    except (OSError, pl.exceptions.PolarsError):
        return 0


def _fetched_for(folder: Path) -> set[str]:
    """The institutions the generation's works were fetched for (its provenance)."""
    try:
        values = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
        return {str(i) for i in values.get("institutions") or [] if i}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


def _lost_ids(old: pl.Series | None, new: pl.Series | None) -> int:
    if old is None:
        return 0
    if new is None:
        return old.len()
    return int((~old.is_in(new.implode())).sum())


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "0%"


def tables_losses(current: Path, new: Path) -> tuple[str, str] | None:
    """What the works tables in ``new`` would lose against ``current``, or None.

    Returns the size of the current tables and what would be lost, as text.

    Examples
    --------
    >>> import tempfile
    >>> old, new = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> pl.DataFrame({"work_id": ["W1", "W2"], "year": [2012, 2013]}).write_parquet(
    ...     old / "works.parquet")
    >>> pl.DataFrame({"work_id": ["W3", "W4"], "year": [2019, 2020]}).write_parquet(
    ...     new / "works.parquet")
    >>> tables_losses(old, new)
    ('2 works', 'would lose 2 of the 2 works (100%), the years 2012-2013')
    >>> tables_losses(old, old) is None
    True
    """
    works = current / "works.parquet"
    before = _count(works)
    if not works.is_file() or before == 0:
        return None
    after = _count(new / "works.parquet")
    lost = _lost_ids(_column(works, "work_id"), _column(new / "works.parquet", "work_id"))
    old_years = _column(works, "year")
    new_years = _column(new / "works.parquet", "year")
    years = [] if old_years is None else _lost_list(old_years, new_years)
    institutions = sorted(_fetched_for(current) - _fetched_for(new))
    if after >= before and lost <= LOST_SHARE * before and not years and not institutions:
        return None
    what = [f"would lose {lost:,} of the {before:,} works ({_share(lost, before)})"]
    if after < before:
        what[0] += f" and hold {after:,}"
    if years:
        what.append(format_years(years))
    if institutions:
        what.append(f"the institution(s) {', '.join(institutions)}")
    return f"{before:,} works", ", ".join(what)


def _lost_list(old: pl.Series, new: pl.Series | None) -> list[int]:
    gone = old if new is None else old.filter(~old.is_in(new.implode()))
    return [int(v) for v in gone.to_list()]


def authors_losses(current: Path, new: Path) -> tuple[str, str] | None:
    """What the authors table in ``new`` would lose against ``current``, or None.

    Returns the size of the current table and what would be lost, as text.

    Examples
    --------
    >>> import tempfile
    >>> old, new = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> pl.DataFrame({"author_id": ["A1", "A2"]}).write_parquet(old / "authors.parquet")
    >>> pl.DataFrame({"author_id": []}, schema={"author_id": pl.String}).write_parquet(
    ...     new / "authors.parquet")
    >>> authors_losses(old, new)
    ('2 authors', 'would lose 2 of the 2 authors (100%) and hold 0')
    """
    table = current / "authors.parquet"
    old_ids = _column(table, "author_id")
    if old_ids is None or old_ids.is_empty():
        return None
    new_ids = _column(new / "authors.parquet", "author_id")
    before, after = old_ids.len(), 0 if new_ids is None else new_ids.len()
    lost = _lost_ids(old_ids, new_ids)
    if after >= before and lost <= LOST_SHARE * before:
        return None
    what = f"would lose {lost:,} of the {before:,} authors ({_share(lost, before)})"
    return f"{before:,} authors", what + (f" and hold {after:,}" if after < before else "")
