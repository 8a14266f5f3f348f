"""Normalising in parts: a batch of files at a time becomes table parts; one merge makes the tables.

Holding the raw records of every file at once is what made 1M works need more
than 20 GB. A :class:`Part` holds only what its files' works yield
(:data:`~copub.normalize.build.PART_FRAMES`); the raw frame is dropped as soon
as they are built. When a work occurs twice (two institutions' pages, a
re-fetched complete record, two snapshot partitions, in one part or in
several), the merge keeps the rows of the one record that the deduplication
rule chooses, which needs only one narrow row per record (``Part.ranks``),
and keeps and keys every row by its record's integer slot.

The merge is a set of lazy queries, so the same definitions serve both ends:
:func:`merge_parts` over in-memory parts is collected by ``read_works``, and
over parquet parts it is streamed to the table files by ``build_tables``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from copub.errors import DataError
from copub.normalize.build import (
    DESCRIPTIONS,
    PART_FRAMES,
    WORK_ROW,
    attach_funder_rors,
    choose_institutions,
    choose_sources,
    institution_conflicts,
    institution_votes,
    part_frames,
)
from copub.normalize.keys import WORK_KEY, institution_key_map
from copub.normalize.reader import read_raw_files
from copub.normalize.schemas import RAW_WORK, SCHEMAS
from copub.normalize.snapshot import expected_records

__all__ = ["PART_NAMES", "Merged", "Part", "batches", "merge_parts", "read_parts"]

#: JSON (uncompressed, estimated) read into one part: large enough that the
#: per-part cost vanishes, small enough that two parts in flight stay far below
#: the memory a whole snapshot would need.
BATCH_BYTES = 256 << 20
#: How much larger a gzipped OpenAlex file is once decompressed (4-9x measured).
_GZIP_RATIO = 8
#: Parts built at once: each is mostly single-threaded parsing that releases the GIL.
_WORKERS = max(1, min(2, os.cpu_count() or 1))

#: The deduplication rule: per work id, the complete record wins over a
#: truncated one, then the one with more authorships, then the most recently
#: updated; remaining ties go to the record read first.
_RANK_BY = ("_truncated", "_n", "updated_date")
_RANK_DESCENDING = (False, True, True)


def _ranked(frame: pl.DataFrame, key: str, then: Sequence[str] = ()) -> pl.DataFrame:
    return frame.sort(
        [key, *_RANK_BY, *then],
        descending=[False, *_RANK_DESCENDING, *(False for _ in then)],
        nulls_last=True,
        maintain_order=True,
    )


#: Two more frames of each part, read by the merge and the counts, not by a table.
RANKS = "ranks"
XPAC = "xpac"
PART_NAMES = (*PART_FRAMES, DESCRIPTIONS, RANKS, XPAC)


@dataclass(frozen=True)
class Part:
    """What one batch of files yields.

    Attributes
    ----------
    frames : dict of str to DataFrame
        One frame per name of :data:`PART_NAMES`: the
        :data:`~copub.normalize.build.PART_FRAMES` of every record read
        (each row naming its record by ``_work``, the record's row in
        ``ranks``); the institution descriptions
        (:data:`~copub.normalize.build.DESCRIPTIONS`); ``ranks``, per record
        ``_work``, ``work_id``, ``_truncated, _n, updated_date`` (what the
        deduplication rule ranks) and ``_xpac`` (an XPAC record the merge
        drops); and ``xpac``, the ``work_id`` of every XPAC record dropped (a
        work read twice, twice).
    records : int
        Records read.
    impossible_dates : int
        Kept records whose ``publication_date`` is no calendar date
        (``2020-13-45``): kept without a date, and counted.
    date_example : str or None
        The first of them, as ``W… ('2020-13-45') in FILE``.
    """

    frames: dict[str, pl.DataFrame]
    records: int
    impossible_dates: int = 0
    date_example: str | None = None


def _estimated_bytes(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
        return path.stat().st_size * (_GZIP_RATIO if gzipped else 1)
    except OSError:
        return 0  # read_raw_file names the file


def batches(paths: Sequence[Path], budget: int | None = None) -> list[list[Path]]:
    """Consecutive files grouped until each group holds about ``budget`` bytes of JSON.

    Examples
    --------
    >>> batches([Path("a"), Path("b")])
    [[PosixPath('a'), PosixPath('b')]]
    >>> batches([])
    [[]]
    """
    budget = BATCH_BYTES if budget is None else budget
    if not paths:
        return [[]]  # one empty part, so every table has its schema
    groups: list[list[Path]] = []
    size = budget
    for path in paths:
        if size >= budget:
            groups.append([])
            size = 0
        groups[-1].append(path)
        size += _estimated_bytes(path)
    return groups


def _impossible_dates(raw: pl.DataFrame) -> pl.DataFrame:
    """Records whose ``publication_date`` is given but no calendar date."""
    given = pl.col("publication_date")
    return raw.filter(given.is_not_null() & given.str.to_date(strict=False).is_null())


def _check_manifest(raw: pl.DataFrame, path: Path) -> None:
    """For a snapshot part, its records against the manifest."""
    expected = expected_records(path)
    if expected is not None and raw.height != expected[0]:
        raise DataError(
            f"{path}: {raw.height:,} records, but the snapshot's manifest {expected[1]} lists "
            f"{expected[0]:,}: the part is incomplete or from another snapshot; download it again"
        )


def _ranks(raw: pl.DataFrame, include_xpac: bool) -> pl.DataFrame:
    """A narrow row per record read: what the deduplication rule ranks it by, at the merge.

    ``_work`` is the record's row (what the part's frames name it by); a
    record the merge must not keep (an XPAC one, unless asked) has ``_xpac``.
    """
    return raw.select(
        WORK_ROW,
        pl.col("id").alias("work_id"),
        _truncated=pl.col("is_authors_truncated").fill_null(False),
        _n=pl.col("authorships").list.len().fill_null(0),
        updated_date=pl.col("updated_date"),
        _xpac=pl.lit(False) if include_xpac else pl.col("is_xpac").fill_null(False),
    )


def _read_part(files: Sequence[Path], include_xpac: bool) -> Part:
    raws = read_raw_files(files, check=_check_manifest)
    bad_dates = [(_impossible_dates(raw), path) for raw, path in zip(raws, files, strict=True)]
    example = next(
        (
            f"{b['id'][0]} ({b['publication_date'][0]!r}) in {path}"
            for b, path in bad_dates
            if b.height
        ),
        None,
    )
    raw = pl.concat(raws, how="vertical") if raws else pl.DataFrame(schema=RAW_WORK)
    del raws
    # Every record's rows are made, those of a record repeated or XPAC too: the merge
    # keeps each work's winning record (the rule ranks narrow rows there, within a
    # part as across parts), so the wide records are never sorted or filtered.
    ranks = _ranks(raw, include_xpac)
    frames = part_frames(raw)
    # The merge keeps the first source row of a source id: the order is the records' id order.
    frames["source_rows"] = frames["source_rows"].sort("work_id", maintain_order=True)
    frames[RANKS] = ranks
    frames[XPAC] = ranks.filter("_xpac").select("work_id")
    return Part(
        frames=frames,
        records=raw.height,
        impossible_dates=sum(b.height for b, _ in bad_dates),
        date_example=example,
    )


def read_parts(
    paths: Sequence[Path],
    *,
    include_xpac: bool,
    budget: int | None = None,
) -> Iterator[Part]:
    """Read ``paths`` in batches of about ``budget`` bytes (default :data:`BATCH_BYTES`).

    Two batches are read at a time; the parts come in file order, and the
    first file that cannot be read raises its :class:`~copub.errors.DataError`.
    """
    groups = batches(paths, budget)
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        # At most _WORKERS parts are in flight, so memory stays bounded by the batch size.
        pending = [pool.submit(_read_part, group, include_xpac) for group in groups[:_WORKERS]]
        for index in range(len(groups)):
            part = pending.pop(0).result()
            following = index + _WORKERS
            if following < len(groups):
                pending.append(pool.submit(_read_part, groups[following], include_xpac))
            yield part


#: The work-keyed tables, ordered by ``work_key`` alone: a stable sort keeps each
#: work's rows in the order its part gave them (by position, then institution id,
#: :func:`~copub.normalize.build.part_frames`), and all of them come from one
#: record. So the tables come out in ``work_id, position, institution_id`` order
#: (a key is the rank of its id), from a sort on one integer.
_SORTED_BY_WORK_KEY = ("works", "authorships", "affiliations")


@dataclass(frozen=True)
class Merged:
    """The merge's plan and counts.

    Attributes
    ----------
    tables : dict of str to LazyFrame
        The six tables (in :data:`~copub.normalize.schemas.SCHEMAS` order),
        each sorted by its key and with its integer keys
        (:mod:`copub.normalize.keys`), not yet collected.
    winners : DataFrame
        ``work_id, _part, _truncated``: the part whose record of each work is kept.
    duplicates_removed : int
        Records that repeat a kept work (a re-fetched complete record
        replacing its truncated twin is not counted).
    truncated_completed : int
        Works whose truncated record a complete one replaced.
    institution_conflicts : DataFrame
        Where the kept records disagree on an institution
        (:func:`~copub.normalize.build.institution_conflicts`).
    """

    tables: dict[str, pl.LazyFrame]
    winners: pl.DataFrame
    duplicates_removed: int
    truncated_completed: int
    institution_conflicts: pl.DataFrame


def _work_keys(ranks: pl.DataFrame, winners: pl.DataFrame) -> pl.Expr:
    """Each part row's ``work_key``: its record's, when that record won; null when it lost.

    A record's slot is its part's offset plus its ``_work``; the winners'
    slots hold their keys, the rows in ``winners``' order (the work ids'
    sorted order, which :func:`~copub.normalize.keys.work_key_map` ranks by).
    Integer gathers: no string id is hashed or compared.
    """
    n_parts = int(ranks.select(pl.col("_part").max() + 1).item() or 0)
    sizes = pl.repeat(0, n_parts, dtype=pl.UInt32, eager=True).scatter(
        *ranks.group_by("_part").agg(pl.len().cast(pl.UInt32)).get_columns()
    )
    offsets = sizes.cum_sum() - sizes
    slots = offsets.gather(winners["_part"]) + winners["_work"]
    keys = pl.repeat(None, ranks.height, dtype=pl.UInt32, eager=True).scatter(
        slots, pl.int_range(winners.height, dtype=pl.UInt32, eager=True)
    )
    return pl.lit(keys).gather(pl.lit(offsets).gather(pl.col("_part")) + pl.col("_work"))


def merge_parts(frames: dict[str, pl.LazyFrame], records: int) -> Merged:
    """Plan the six tables from every part's frames.

    ``frames`` maps each name of :data:`PART_NAMES` to the union of the parts'
    frames, each with ``_part``, the part's index; ``records`` is the number
    of records they were built from, XPAC records dropped left out.
    """
    ranks = frames[RANKS].collect()
    # Ties go to the record read first: the earlier part, then the earlier row.
    ranked = _ranked(ranks.filter(~pl.col("_xpac")), "work_id", ("_part", "_work"))
    winners = ranked.unique(subset="work_id", keep="first", maintain_order=True).select(
        "work_id", "_part", "_work", "_truncated"
    )
    any_truncated = ranked.group_by("work_id").agg(_any_truncated=pl.col("_truncated").any())
    completed = int(
        winners.join(any_truncated, on="work_id")
        .select((pl.col("_any_truncated") & ~pl.col("_truncated")).sum())
        .item()
    )
    # The rows of a work's winning record get its key; the rows of records that lost
    # (the work read in another part too) get none and are dropped. A filter keeps
    # the rows in order.
    work_key = _work_keys(ranks, winners)
    kept = {
        name: frames[name]
        .with_columns(work_key.alias(WORK_KEY))
        .filter(pl.col(WORK_KEY).is_not_null())
        .drop("_work")
        for name in PART_FRAMES
    }
    # Collected once (a row per institution and value): the table and the conflicts read it.
    votes, institution_ids = institution_votes(kept["institution_rows"], frames[DESCRIPTIONS])
    kept = {name: frame.drop("_part") for name, frame in kept.items()}
    # The institutions table is small: collected once, its ids give the institution keys.
    institutions = choose_institutions(votes, institution_ids.to_frame().lazy()).collect()
    institution_keys = institution_key_map(institutions["institution_id"])

    # The integer keys, made once here and stored (copub.normalize.keys): the work keys
    # above (the winners are the works table's rows), the institution keys by a join
    # with the small institutions table.
    def with_institution_key(frame: pl.LazyFrame) -> pl.LazyFrame:
        keys = institution_keys.lazy()
        return frame.join(keys, on="institution_id", how="left", maintain_order="left")

    tables = {
        "works": kept["works"],
        "authorships": kept["authorships"],
        "affiliations": with_institution_key(kept["affiliations"]),
        "institutions": with_institution_key(institutions.lazy()),
        "sources": choose_sources(kept["source_rows"].drop(WORK_KEY)),
        "funding": attach_funder_rors(kept["funding"], kept["funder_rows"].drop(WORK_KEY)),
    }
    for name in _SORTED_BY_WORK_KEY:
        tables[name] = tables[name].sort(WORK_KEY, maintain_order=True)
    return Merged(
        tables={name: tables[name].select(list(SCHEMAS[name])) for name in SCHEMAS},
        winners=winners.drop("_work"),
        duplicates_removed=records - winners.height - completed,
        truncated_completed=completed,
        institution_conflicts=institution_conflicts(votes),
    )
