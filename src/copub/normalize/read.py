"""OpenAlex JSON files to the six tables: in memory (:func:`read_works`) or straight to disk.

Both run one build (:func:`_build_into`): the files are read in parts
(:mod:`copub.normalize.parts`), each part goes to disk as soon as it is read
(lz4 parquet, or uncompressed Arrow IPC when the tables end in memory), and
the merge streams into the six table files, so memory stays bounded by a
couple of parts and the merge, whatever the number of works.
:func:`build_tables` builds into a new generation of a data directory;
:func:`read_works` builds into a temporary folder and collects the merge.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from copub.errors import DataError
from copub.normalize.generations import build_generation, write_provenance
from copub.normalize.parts import PART_NAMES, XPAC, Merged, merge_parts, read_parts
from copub.normalize.snapshot import expand_inputs
from copub.normalize.tables import Tables, trust_keys
from copub.progress import Progress
from copub.provenance import SYNTHETIC_WORK_ID, Provenance

__all__ = ["BuiltTables", "build_tables", "read_works"]

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
_PARTS_DIR = ".parts"


def _paths(paths: Paths) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return expand_inputs(paths)


def _tagged(frame: pl.DataFrame, index: int) -> pl.DataFrame:
    return frame.with_columns(_part=pl.lit(index, pl.UInt32))


def _provenance(
    base: Provenance | None,
    files: Sequence[Path],
    records: int,
    xpac: pl.LazyFrame,
    merged: Merged,
    authorships: int,
    expected_copies: int = 0,
) -> Provenance:
    base = base or Provenance(source="import")
    winners = merged.winners
    n_synthetic = int(winners["work_id"].str.contains(SYNTHETIC_WORK_ID).sum())
    if n_synthetic:
        base = base.with_(synthetic=True)
    counts = {
        **base.counts,
        "files": len(files),
        "records": records,
        "xpac_dropped": int(xpac.select(pl.col("work_id").n_unique()).collect().item()),
        "duplicates_removed": merged.duplicates_removed - expected_copies,
        "truncated_completed": merged.truncated_completed,
        "works": winners.height,
        "authorships": authorships,
        "truncated_works": int(winners["_truncated"].sum()),
    }
    if n_synthetic:
        counts["synthetic_works"] = n_synthetic
    conflicts = _conflicts_by_institution(merged.institution_conflicts)
    counts["institution_conflicts"] = len(conflicts)
    inputs = base.inputs or tuple(str(p) for p in files)
    return base.with_(counts=counts, inputs=inputs, institution_conflicts=conflicts)


def _conflicts_by_institution(conflicts: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Per institution id, per attribute: works whose record gives another value than the kept."""
    out: dict[str, dict[str, int]] = {}
    for row in conflicts.iter_rows(named=True):
        out.setdefault(row["institution_id"], {})[row["attribute"]] = row["conflicting_works"]
    return out


#: Conflicts named one by one in the progress notes; the rest are counted.
_NOTED_CONFLICTS = 3


def _note_conflicts(conflicts: pl.DataFrame, home: Sequence[str], progress: Progress) -> None:
    """Say which institutions' records disagree, the home institution's country first."""
    if conflicts.is_empty():
        return
    n = conflicts["institution_id"].n_unique()
    progress.note(
        f"records of the works disagree on {n:,} institution(s): each attribute keeps the value "
        "most works' records give (ties: the newest record); see institution_conflicts in "
        "provenance.json"
    )
    shown = conflicts.with_columns(
        _home=pl.col("institution_id").is_in(list(home)),
        _country=pl.col("attribute") == "country_code",
    ).sort(["_home", "_country", "conflicting_works"], descending=True)
    for row in shown.head(_NOTED_CONFLICTS).iter_rows(named=True):
        others = ", ".join(repr(v) for v in row["others"][:3])
        whose = " (a home institution)" if row["_home"] else ""
        progress.note(
            f"  {row['institution_id']}{whose}: {row['attribute']} {row['kept']!r} in "
            f"{row['kept_works']:,} works, kept; {others} in {row['conflicting_works']:,}"
        )


def _write_part(frame: pl.DataFrame, stem: Path, in_memory: bool) -> None:
    """One frame of a part, to disk until the merge.

    The parts live for one build. When the tables end in memory, they are as
    large as the parts anyway, so the parts are Arrow IPC without compression:
    next to nothing to write, and the merge maps them rather than decoding
    them (at 100k works a third of the time lz4 parquet took, both ways).
    On disk, lz4 parquet keeps the parts of a whole snapshot a quarter of
    that size, at a fraction of zstd's time to write.
    """
    if in_memory:
        frame.write_ipc(stem.with_suffix(".arrow"), compression="uncompressed")
    else:
        frame.write_parquet(stem.with_suffix(".parquet"), compression="lz4")


def _scan_parts(folder: Path, in_memory: bool) -> pl.LazyFrame:
    """Every part :func:`_write_part` wrote to ``folder``, in part order."""
    if in_memory:
        return pl.scan_ipc(folder / "*.arrow")
    return pl.scan_parquet(folder / "*.parquet")


def _kept_records(records: int, xpac: pl.LazyFrame) -> int:
    return records - int(xpac.select(pl.len()).collect().item())


def _build_into(
    folder: Path,
    files: Sequence[Path],
    provenance: Provenance | None,
    include_xpac: bool,
    progress: Progress,
    expected_copies: int = 0,
    *,
    empty_ok: bool,
    in_memory: bool = False,
) -> tuple[Provenance, dict[str, pl.DataFrame]]:
    """Write the six tables and ``provenance.json`` of ``files`` into the empty ``folder``.

    With ``in_memory``, the tables are collected and returned instead, and
    nothing but the parts is written (what :func:`read_works` needs: encoding
    the tables to parquet only to decode them again cost a tenth of its time).
    """
    parts_dir = folder / _PARTS_DIR
    for name in PART_NAMES:
        (parts_dir / name).mkdir(parents=True)
    records = n_parts = impossible_dates = 0
    date_example: str | None = None
    for index, part in enumerate(read_parts(files, include_xpac=include_xpac)):
        # Everything of a part goes to disk at once: a frame kept in memory pins the
        # buffers of the raw records it was cut from (all of them, at 1M works 20 GB).
        for name, frame in part.frames.items():
            _write_part(_tagged(frame, index), parts_dir / name / f"{index:06d}", in_memory)
        records += part.records
        impossible_dates += part.impossible_dates
        date_example = date_example or part.date_example
        n_parts = index + 1
        progress.tick(f"normalising: part {n_parts} read ({len(files)} files in all)")
    frames = {name: _scan_parts(parts_dir / name, in_memory) for name in PART_NAMES}
    merged = merge_parts(frames, _kept_records(records, frames[XPAC]))
    if merged.winners.is_empty() and not empty_ok:
        shown = ", ".join(str(f) for f in files[:3]) + (" …" if len(files) > 3 else "")
        raise DataError(
            f"no works in {shown or 'no files'}: no tables were written, and the data "
            "directory is unchanged"
        )
    if n_parts > 1:
        progress.note(f"normalising: merging {n_parts} parts into the tables")
    collected: dict[str, pl.DataFrame] = {}
    # One table at a time: collected side by side (pl.collect_all), the sorts of the
    # largest ones overlap and the peak at 1M works rose from 3.1 to 4.1-4.2 GiB, for no
    # time saved in the whole read.
    for name, table in merged.tables.items():
        if in_memory:
            collected[name] = table.collect()
        else:
            table.sink_parquet(folder / f"{name}.parquet")
    home = provenance.institutions if provenance is not None else ()
    _note_conflicts(merged.institution_conflicts, home, progress)
    if impossible_dates:
        progress.note(
            f"{impossible_dates:,} record(s) give a publication_date that is no calendar date "
            f"(first: {date_example}): kept without a date, counted as impossible_dates"
        )
    if in_memory:
        authorships = collected["authorships"].height
    else:
        scanned = pl.scan_parquet(folder / "authorships.parquet").select(pl.len()).collect()
        authorships = int(scanned.item())
    result = _provenance(
        provenance, files, records, frames[XPAC], merged, authorships, expected_copies
    )
    result = result.with_(counts={**result.counts, "impossible_dates": impossible_dates})
    if not in_memory:
        write_provenance(folder, result.to_dict())
    shutil.rmtree(parts_dir)
    return result, collected


def read_works(
    paths: Paths,
    *,
    provenance: Provenance | None = None,
    include_xpac: bool = False,
) -> Tables:
    """Build the six tables from OpenAlex JSON files, in memory.

    Parameters
    ----------
    paths : path or iterable of paths
        OpenAlex list-response pages (``{"meta": …, "results": […]}``) or JSON
        Lines with one work per line (the snapshot's format); gzip allowed. A
        folder stands for the works files under it, the snapshot's
        ``data/works/updated_date=…/part_*.gz`` layout included.
    provenance : Provenance, optional
        Where the files came from; counts are filled in here.
    include_xpac : bool
        Keep XPAC works (``is_xpac: true``, the records OpenAlex added from
        outside its core sources in 2025). The API leaves them out unless asked,
        so they are dropped by default, and counted (``xpac_dropped``), so
        counts from a snapshot match the API's.

    Returns
    -------
    Tables
        Deduplicated by ``work_id``; ``provenance.counts`` says how many
        records were read, how many XPAC works were dropped, how many
        duplicates were removed, how many truncated works a complete record
        replaced (``truncated_completed``) and how many are still truncated
        (``truncated_works``). Works of copub's synthetic world
        (``SYNTHETIC_WORK_ID``) are counted in ``synthetic_works`` and make
        ``provenance.synthetic`` True, so the sample's pages stay SYNTHETIC
        after ``import``.

    Raises
    ------
    DataError
        Naming the file and the record when a file is malformed.

    See Also
    --------
    build_tables : the same tables written to a data directory in bounded memory.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> work = {"id": "https://openalex.org/W1", "publication_year": 2020,
    ...         "authorships": [{"author": {"id": "https://openalex.org/A1"},
    ...                          "institutions": [], "countries": ["NO"]}]}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "w.jsonl"
    >>> _ = path.write_text(json.dumps(work) + "\\n" + json.dumps(work) + "\\n")
    >>> tables = read_works(path)
    >>> tables.works["work_id"].to_list(), tables.provenance.counts["duplicates_removed"]
    (['W1'], 1)
    """
    files = _paths(paths)
    with tempfile.TemporaryDirectory(prefix="copub-tables-") as folder:
        result, frames = _build_into(
            Path(folder),
            files,
            provenance,
            include_xpac,
            Progress.silent(),
            empty_ok=True,
            in_memory=True,
        )
    return trust_keys(Tables(**frames, provenance=result))


@dataclass(frozen=True)
class BuiltTables:
    """Where :func:`build_tables` wrote the tables, and their provenance."""

    path: Path
    provenance: Provenance


def build_tables(
    paths: Paths,
    data_dir: str | os.PathLike[str],
    *,
    provenance: Provenance | None = None,
    include_xpac: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
    expected_copies: int = 0,
) -> BuiltTables:
    """Build the six tables from OpenAlex JSON files into ``data_dir/tables``, in bounded memory.

    The same tables as :func:`read_works` (same arguments), never all in
    memory: the files are read a few hundred megabytes at a time, each part
    goes to parquet at once, and the merge streams into the table files of a
    new generation, switched in when complete
    (:func:`~copub.normalize.generations.build_generation`).

    Parameters
    ----------
    paths, provenance, include_xpac
        As for :func:`read_works`.
    data_dir : path
        The data directory.
    replace : bool
        Replace tables that hold more works than the new ones.
    progress : Progress, optional
        A line on stderr per part read, at most every half second.
    expected_copies : int
        Records known to repeat a work on purpose (a work fetched once for
        each of two institutions): not counted in ``duplicates_removed``.

    Returns
    -------
    BuiltTables
        ``path`` (``data_dir/tables``) and ``provenance`` with the counts.

    Raises
    ------
    DataError
        Naming the file and the record when a file is malformed, or when the
        files hold no works (the tables in ``data_dir`` are then unchanged).
    ShrinkRefusedError
        When the new tables hold fewer works and ``replace`` is False.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> work = {"id": "https://openalex.org/W1", "publication_year": 2020, "authorships": []}
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "w.jsonl").write_text(json.dumps(work) + "\\n")
    >>> built = build_tables(folder / "w.jsonl", folder / "data")
    >>> from copub.normalize import load_tables
    >>> built.provenance.counts["works"], load_tables(folder / "data").works.height
    (1, 1)
    """
    files = _paths(paths)
    progress = progress if progress is not None else Progress.silent()
    built: list[Provenance] = []

    def fill(folder: Path) -> None:
        result, _ = _build_into(
            folder, files, provenance, include_xpac, progress, expected_copies, empty_ok=False
        )
        built.append(result)

    path = build_generation(fill, data_dir, replace=replace)
    return BuiltTables(path=path, provenance=built[0])
