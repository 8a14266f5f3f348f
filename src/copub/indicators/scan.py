"""The tables as lazy parquet scans, for data larger than memory.

:func:`scan_tables` is the lazy twin of :func:`copub.load_tables`: it opens
the same six parquet files (of the same generation) without reading them.
:func:`~copub.indicators.labels.label_works`, and so the yearly and window
tables, accept the scan: every label of a work is computed from that work's
rows alone, so the works are labelled in passes over ranges of work ids.
Each pass reads its rows of the big tables with the streaming engine (the
range filter is pushed into the parquet reader, which skips row groups whose
statistics lie outside it), labels them exactly as in memory, and keeps only
the narrow labelled rows. At most about ``works_per_pass`` works' rows of
authorships and affiliations are in memory at once; the labelled works (one
narrow row per work) and the small tables (institutions, sources) are held
whole, and the work ids are read whole once, to cut the ranges, and dropped
before the first pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from copub.errors import DataError, UsageError
from copub.normalize import TABLE_NAMES, Tables
from copub.normalize.schemas import SCHEMAS, UNKEYED
from copub.normalize.tables import read_provenance, table_files
from copub.provenance import Provenance

__all__ = ["BIG_TABLES", "DEFAULT_WORKS_PER_PASS", "TableScan", "scan_tables"]

#: The tables read in passes; the others are read whole.
BIG_TABLES = ("works", "authorships", "affiliations", "funding")
#: About 0.5 GiB of peak memory per pass for OpenAlex-sized records.
DEFAULT_WORKS_PER_PASS = 150_000


@dataclass(frozen=True)
class TableScan:
    """The six tables as lazy frames, and how many works each labelling pass reads.

    Made by :func:`scan_tables` (or :meth:`of`). Read-only: labelling reads it
    in passes; nothing is cached.

    Attributes
    ----------
    works, authorships, affiliations, institutions, sources, funding : pl.LazyFrame
    provenance : Provenance
    works_per_pass : int
    """

    works: pl.LazyFrame
    authorships: pl.LazyFrame
    affiliations: pl.LazyFrame
    institutions: pl.LazyFrame
    sources: pl.LazyFrame
    funding: pl.LazyFrame
    provenance: Provenance = field(default_factory=Provenance)
    works_per_pass: int = DEFAULT_WORKS_PER_PASS

    def __post_init__(self) -> None:
        n = self.works_per_pass
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise UsageError(f"works_per_pass must be a whole number of 1 or more, not {n!r}")

    @classmethod
    def of(cls, tables: Tables, *, works_per_pass: int = DEFAULT_WORKS_PER_PASS) -> TableScan:
        """In-memory tables seen as a scan (to label them in passes, as a test does).

        Examples
        --------
        >>> TableScan.of(Tables.empty(), works_per_pass=10).works_per_pass
        10
        """
        frames = {name: frame.lazy() for name, frame in tables.frames().items()}
        return cls(**frames, provenance=tables.provenance, works_per_pass=works_per_pass)

    def frames(self) -> dict[str, pl.LazyFrame]:
        """The six lazy frames by name, in schema order."""
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def passes(self, engine: str = "streaming") -> Iterator[dict[str, pl.LazyFrame]]:
        """The big tables restricted to each range of work ids, in work-id order.

        The ranges cut the sorted work ids every ``works_per_pass`` works, so
        a work and all its rows fall in one pass and the passes' labelled
        works, concatenated, are in work-id order. With no works there is one
        pass over everything.
        """
        starts = self._starts(engine)
        if not starts:
            yield {name: getattr(self, name) for name in BIG_TABLES}
            return
        work_id = pl.col("work_id")
        for k, start in enumerate(starts):
            inside = work_id >= start
            if k + 1 < len(starts):
                inside &= work_id < starts[k + 1]
            yield {name: getattr(self, name).filter(inside) for name in BIG_TABLES}

    def _starts(self, engine: str) -> list[str]:
        """The first work id of each pass.

        The work ids are read whole to cut the ranges and dropped here: a
        generator's locals live until its last pass, and the ids of millions
        of works would be held through every pass for nothing.
        """
        ids = (
            self.works.select("work_id")
            .drop_nulls()
            .collect(engine=engine)  # type: ignore[call-overload]
            .to_series()
        )
        if not ids.is_sorted():
            ids = ids.sort()
        firsts = ids.gather_every(self.works_per_pass).unique(maintain_order=True)
        return list(firsts.to_list())


def _scan(path: Path, name: str) -> pl.LazyFrame:
    try:
        scan = pl.scan_parquet(path)
        schema = scan.collect_schema()
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise DataError(f"cannot read {path}: {exc}") from None
    expected = SCHEMAS[name]
    wrong = [c for c, dtype in UNKEYED[name].items() if schema.get(c) != dtype]
    if wrong:
        raise DataError(
            f"the {name} table {path} does not follow its schema ({', '.join(wrong)}): "
            "build the tables again with `copub import` or `copub fetch`"
        )
    # An older copub's tables have no key columns: each labelling pass keys its rows.
    return scan.select([c for c, dtype in expected.items() if schema.get(c) == dtype])


def scan_tables(
    data_dir: str | os.PathLike[str], *, works_per_pass: int = DEFAULT_WORKS_PER_PASS
) -> TableScan:
    """Open the tables that :func:`copub.load_tables` would read, lazily.

    Parameters
    ----------
    data_dir : path
        The data directory (the one given to ``fetch`` or ``import``).
    works_per_pass : int
        Works labelled per pass: memory grows with it, the number of passes
        (each one a scan of the big tables) shrinks with it.

    Returns
    -------
    TableScan
        Lazy frames of the six tables of the current generation (the
        previous generation is kept when a writer switches, so a scan in use
        survives one rewrite), with the provenance.

    Raises
    ------
    DataError
        If the directory holds no tables, or a table does not follow its schema.

    Examples
    --------
    >>> import tempfile, copub
    >>> data = tempfile.mkdtemp()
    >>> _ = copub.load_sample(scale=0.01).write(data)
    >>> scan = copub.scan_tables(data, works_per_pass=500)
    >>> streamed = copub.yearly_indicators(scan, bootstrap=0)
    >>> streamed.equals(copub.yearly_indicators(copub.load_tables(data), bootstrap=0))
    True
    """
    tables_dir, paths = table_files(data_dir)
    frames = {name: _scan(path, name) for name, path in paths.items()}
    return TableScan(
        **frames,
        provenance=read_provenance(tables_dir / "provenance.json"),
        works_per_pass=works_per_pass,
    )
