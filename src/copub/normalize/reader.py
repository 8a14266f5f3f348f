"""Raw OpenAlex JSON (list pages or JSON Lines, gzip allowed) to polars frames.

The fast path hands each file to polars' native JSON reader with the narrow
:data:`~copub.normalize.schemas.RAW_WORK` schema, so fields copub does not use
are never turned into Python objects. Only when that fails does a slow pass
with orjson look for the first bad record, to name it in the error.
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import orjson
import polars as pl

from copub.errors import DataError
from copub.normalize.schemas import RAW_WORK

__all__ = ["read_raw_works"]

FileKind = Literal["page", "lines"]
_PAGE_SCHEMA = pl.Schema({"results": pl.List(pl.Struct(RAW_WORK))})
_FIRST_KEY = re.compile(rb'^\s*\{\s*"([^"]*)"')
_WORK_ID = re.compile(r"^W\d+$")
_OPENALEX_PREFIX = "https://openalex.org/"
#: Files read at once: polars' JSON reader is single-threaded per document and
#: releases the GIL, so files read side by side use every core.
_READERS = max(1, min(4, os.cpu_count() or 1))


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    except (EOFError, gzip.BadGzipFile) as exc:
        raise DataError(f"{path}: broken gzip stream: {exc}") from exc
    return raw


def _kind_of(raw: bytes) -> FileKind:
    """A list response starts with its ``meta`` or ``results`` key; a work with ``id``."""
    match = _FIRST_KEY.match(raw[:4096])
    if match and match.group(1) in (b"meta", b"results", b"group_by"):
        return "page"
    return "lines"


def _lines_as_page(raw: bytes) -> bytes:
    if _is_one_document(raw):
        # One work spread over several lines (a pretty-printed /works/W… answer).
        return b'{"results":[' + raw + b"]}"
    # JSON Lines cannot hold a raw newline inside a record, so splitting is safe.
    records = [line for line in raw.split(b"\n") if line.strip()]
    return b'{"results":[' + b",".join(records) + b"]}"


def _is_one_document(raw: bytes) -> bool:
    """True when the first line is not a whole record but the file is one JSON object."""
    first = next((line for line in raw.split(b"\n", 50) if line.strip()), b"")
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        try:
            return isinstance(orjson.loads(raw), dict)
        except orjson.JSONDecodeError:
            return False
    return False


def _locate_problem(path: Path, raw: bytes, kind: FileKind) -> str:
    """Find the first record polars could not read, for the error message."""
    if kind == "page":
        try:
            records = orjson.loads(raw).get("results")
        except orjson.JSONDecodeError as exc:
            return f"not valid JSON ({exc})"
        if not isinstance(records, list):
            return "an OpenAlex list response needs a 'results' list"
        numbered = list(enumerate(records, start=1))
        where = "result"
    elif _is_one_document(raw):
        numbered = [(1, orjson.loads(raw))]
        where = "work"
    else:
        numbered = []
        for line_no, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((line_no, orjson.loads(line)))
            except orjson.JSONDecodeError as exc:
                return f"line {line_no}: not valid JSON ({exc})"
        where = "line"
    for position, record in numbered:
        if not isinstance(record, dict):
            return f"{where} {position}: a work must be a JSON object, got {type(record).__name__}"
        try:
            pl.read_ndjson(io.BytesIO(orjson.dumps(record)), schema=RAW_WORK)
        except pl.exceptions.PolarsError as exc:
            first = str(exc).splitlines()[0]
            return f"{where} {position} ({record.get('id', 'no id')}): malformed work: {first}"
    return "polars could not read it, and no single record is at fault"


def _read_file(path: Path) -> pl.DataFrame:
    raw = _read_bytes(path)
    if not raw.strip():
        return pl.DataFrame(schema=RAW_WORK).with_columns(_record=pl.lit(0, pl.UInt32))
    kind = _kind_of(raw)
    try:
        # polars reads one JSON document faster than the same records as JSON
        # Lines (measured on lean and full-schema works), so lines are wrapped
        # into a list response first.
        document = raw if kind == "page" else _lines_as_page(raw)
        page = pl.read_json(io.BytesIO(document), schema=_PAGE_SCHEMA)
        if page.height != 1 or page["results"].null_count():
            raise DataError(f"{path}: an OpenAlex list response needs a 'results' list")
        if page["results"].list.len()[0] == 0:
            works = pl.DataFrame(schema=RAW_WORK)
        else:
            works = page.select(pl.col("results").explode()).unnest("results")
    except pl.exceptions.PolarsError:
        raise DataError(f"{path}: {_locate_problem(path, raw, kind)}") from None
    return works.with_row_index("_record", offset=1)


def _check_ids(works: pl.DataFrame, path: Path) -> pl.DataFrame:
    works = works.with_columns(pl.col("id").str.strip_prefix(_OPENALEX_PREFIX))
    bad = works.filter(
        pl.col("id").is_null()
        | ~pl.col("id").str.contains(_WORK_ID.pattern)
        | pl.col("publication_year").is_null()
    )
    if bad.height:
        row = bad.row(0, named=True)
        what = (
            "no publication_year"
            if row["id"] and _WORK_ID.match(row["id"])
            else (f"id {row['id']!r} is not an OpenAlex work id (W…)")
        )
        raise DataError(f"{path}: record {row['_record']}: {what}")
    return works


def read_raw_works(paths: Iterable[str | os.PathLike[str]]) -> tuple[pl.DataFrame, int]:
    """Read raw works from files into one frame with the ``RAW_WORK`` schema.

    Returns the frame (with a short ``id``) and the number of files read.

    Raises
    ------
    DataError
        Naming the file and the record when a file cannot be read.
    """
    path_list = [Path(item) for item in paths]
    for path in path_list:
        if not path.is_file():
            raise DataError(f"{path}: no such file")

    def read_one(path: Path) -> pl.DataFrame:
        return _check_ids(_read_file(path), path).drop("_record")

    if not path_list:
        return pl.DataFrame(schema=RAW_WORK), 0
    # map keeps the files' order, and raises the first file's error.
    with ThreadPoolExecutor(max_workers=_READERS) as pool:
        frames = list(pool.map(read_one, path_list))
    return pl.concat(frames, how="vertical"), len(path_list)
