"""Raw OpenAlex JSON (list pages or JSON Lines, gzip allowed) to polars frames.

Each file goes to the JSON engine that reads its shape fastest, always with
the narrow :data:`~copub.normalize.schemas.RAW_WORK` schema, so fields copub
does not use are never materialised:

- **JSON Lines** (the snapshot's format, usually gzip): DuckDB's
  ``read_json`` with that schema as its ``columns``, handed to polars through
  Arrow without a copy. DuckDB parses and projects line by line in native
  code (measured about 3x faster than polars on gzip JSON Lines of
  full-schema works; see the benchmarks). The plain JSON Lines files of a
  part are read in one query (:func:`read_raw_files`), which DuckDB spreads
  over its threads; a part with any other file is read file by file.
- **List pages** (one JSON document each): polars' JSON reader, which reads a
  single large document far faster than DuckDB does.

Both give the same frame (the tests compare them on every real page). Only
when an engine fails does a slow pass with orjson look for the first bad
record, to name it in the error: an engine's own message never reaches the
user.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import orjson
import polars as pl
from polars._typing import PolarsDataType

from copub.errors import DataError
from copub.normalize.schemas import RAW_WORK

if TYPE_CHECKING:
    import duckdb

__all__ = ["FIRST_YEAR", "read_raw_file", "read_raw_files"]

FileKind = Literal["page", "lines"]
_PAGE_SCHEMA = pl.Schema({"results": pl.List(pl.Struct(RAW_WORK))})
_FIRST_KEY = re.compile(rb'^\s*\{\s*"([^"]*)"')
_WORK_ID = re.compile(r"^W\d+$")
_OPENALEX_PREFIX = "https://openalex.org/"


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


def _duckdb_type(dtype: PolarsDataType) -> str:
    """The DuckDB type of a polars type of the raw schema."""
    if isinstance(dtype, pl.List):
        return f"{_duckdb_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Struct):
        fields = ", ".join(f'"{f.name}" {_duckdb_type(f.dtype)}' for f in dtype.fields)
        return f"STRUCT({fields})"
    names: dict[object, str] = {
        pl.String: "VARCHAR",
        pl.Boolean: "BOOLEAN",
        pl.Int8: "TINYINT",
        pl.Int16: "SMALLINT",
        pl.Int32: "INTEGER",
        pl.Int64: "BIGINT",
        pl.Float32: "FLOAT",
        pl.Float64: "DOUBLE",
    }
    return names[dtype.base_type()]


#: RAW_WORK as DuckDB ``columns``: derived, so a field added to the schema is read by both engines.
_DUCKDB_COLUMNS = {name: _duckdb_type(dtype) for name, dtype in RAW_WORK.items()}


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


#: DuckDB's JSON buffer per file is a few times ``maximum_object_size``: 16 MiB
#: (DuckDB's default) holds any OpenAlex work seen (hyperauthored ones are a
#: few MB); a file with a larger object is read again with this. Twice as much
#: cost a tenth more CPU time at 100k works (the buffers are allocated per file).
_OBJECT_BYTES = 16 << 20
_LARGE_OBJECT_BYTES = 1 << 30


#: The process's one in-memory DuckDB database, made at its first read, and the
#: process that made it (a forked child makes its own).
_DATABASE: tuple[int, duckdb.DuckDBPyConnection] | None = None
_DATABASE_LOCK = threading.Lock()


def _connection() -> duckdb.DuckDBPyConnection:
    """A new connection to the process's one DuckDB database, for one query.

    A database per query started its own threads and warmed its own memory
    each time: the parts read at once shared two cores among four DuckDB
    threads, and the reads took a tenth more CPU time than over one database
    (measured at 100k works, a query per part of two files).
    """
    import duckdb  # here, not at the top: every start of copub would pay for it

    global _DATABASE
    with _DATABASE_LOCK:
        if _DATABASE is None or _DATABASE[0] != os.getpid():
            _DATABASE = (os.getpid(), duckdb.connect())
        connection = _DATABASE[1].cursor()
    # DuckDB would draw its own progress bar on the user's terminal.
    connection.execute("SET enable_progress_bar = false")
    return connection


def _read_lines_duckdb(path: Path, object_bytes: int | None = None) -> pl.DataFrame:
    """A JSON Lines file through DuckDB (raises ``duckdb.Error`` on a bad record)."""

    with _connection() as connection:
        relation = connection.read_json(
            str(path),
            columns=_DUCKDB_COLUMNS,
            format="newline_delimited",
            compression="gzip" if _is_gzip(path) else "none",
            maximum_object_size=object_bytes or _OBJECT_BYTES,
        )
        frame = pl.from_arrow(relation.to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.cast(RAW_WORK)  # type: ignore[arg-type]


def _read_lines_engine(path: Path) -> pl.DataFrame:
    """DuckDB with the small buffer, then with the large one (an object over 16 MiB)."""
    import duckdb

    try:
        return _read_lines_duckdb(path)
    except duckdb.Error:
        return _read_lines_duckdb(path, _LARGE_OBJECT_BYTES)


def _read_lines_polars(path: Path, raw: bytes) -> pl.DataFrame:
    """JSON Lines that DuckDB refused, through polars, or the error naming the first bad line.

    DuckDB is stricter than JSON: it refuses a key that occurs twice in one
    object. Polars reads it, keeping the first value, as it does in the list
    pages it reads, so a record gives the same row in either shape.
    """
    try:
        return pl.read_ndjson(io.BytesIO(raw), schema=RAW_WORK)
    except pl.exceptions.PolarsError:
        raise DataError(f"{path}: {_locate_problem(path, raw, 'lines')}") from None


def _head(path: Path) -> bytes:
    """The first bytes of the file, decompressed: enough to tell its shape."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(2)
        opener = gzip.open if magic == b"\x1f\x8b" else open
        with opener(path, "rb") as stream:
            return bytes(stream.read(4096))
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    except (EOFError, gzip.BadGzipFile) as exc:
        raise DataError(f"{path}: broken gzip stream: {exc}") from exc


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=RAW_WORK).with_columns(_record=pl.lit(0, pl.UInt32))


def _read_file(path: Path) -> pl.DataFrame:
    head = _head(path)
    if not head.strip() and not _read_bytes(path).strip():
        return _empty()
    if _kind_of(head) == "lines":
        import duckdb

        try:
            works = _read_lines_engine(path)
        except (duckdb.Error, pl.exceptions.PolarsError):
            # Only now is the whole file read again: it may be one work spread over several
            # lines (a pretty-printed /works/W… answer), or lines only DuckDB refuses.
            raw = _read_bytes(path)
            if _is_one_document(raw):
                return _read_document(path, raw)
            works = _read_lines_polars(path, raw)
        if works.height == 1 and works["id"][0] is None:
            # One object without an id: a list response whose first key is not 'meta' or
            # 'results', or no OpenAlex shape at all.
            return _read_document(path, _read_bytes(path))
        return works.with_row_index("_record", offset=1)
    return _read_page(path, _read_bytes(path))


def _read_document(path: Path, raw: bytes) -> pl.DataFrame:
    """A file that is one JSON object: a list response (its keys in any order) or one work.

    Raises
    ------
    DataError
        When the object is neither: no ``results`` list and no ``id``.
    """
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        document = None
    if isinstance(document, dict):
        if "results" in document:
            return _read_page(path, raw)
        if "id" not in document:
            keys = ", ".join(repr(k) for k in list(document)[:5])
            raise DataError(
                f"{path}: not an OpenAlex list response or work: a JSON object with the keys "
                f"{keys or '(none)'} but no 'results' list and no 'id'; give /works list pages "
                '({"meta": …, "results": […]}), JSON Lines of works, or single works'
            )
    return _read_page(path, b'{"results":[' + raw + b"]}")


def _read_page(path: Path, raw: bytes) -> pl.DataFrame:
    """One JSON document with a ``results`` list, through polars."""
    try:
        page = pl.read_json(io.BytesIO(raw), schema=_PAGE_SCHEMA)
        if page.height != 1 or page["results"].null_count():
            raise DataError(f"{path}: an OpenAlex list response needs a 'results' list")
        if page["results"].list.len()[0] == 0:
            works = pl.DataFrame(schema=RAW_WORK)
        else:
            works = page.select(pl.col("results").explode()).unnest("results")
    except pl.exceptions.PolarsError:
        raise DataError(f"{path}: {_locate_problem(path, raw, 'page')}") from None
    return works.with_row_index("_record", offset=1)


#: The first year a work can have; the last is next year (OpenAlex dates a
#: forthcoming issue ahead). A year outside, or not whole, is impossible.
FIRST_YEAR = 1


def _year_problem(year: float | None, latest: int) -> str:
    if year is None:
        return "no publication_year; fix or remove this record"
    if year != year or year != int(year):  # NaN, or 2020.7: never cut to a whole year
        return f"publication_year {year} is not a whole year; fix or remove this record"
    return (
        f"publication_year {int(year)} is impossible (outside {FIRST_YEAR}-{latest}); "
        "fix or remove this record"
    )


def _check_ids(works: pl.DataFrame, path: Path) -> pl.DataFrame:
    works = works.with_columns(pl.col("id").str.strip_prefix(_OPENALEX_PREFIX))
    latest = dt.date.today().year + 1
    year = pl.col("publication_year")
    bad = works.filter(
        pl.col("id").is_null()
        | ~pl.col("id").str.contains(_WORK_ID.pattern)
        | year.is_null()
        | year.is_nan()
        | (year != year.floor())
        | (year < FIRST_YEAR)
        | (year > latest)
    )
    if bad.height:
        row = bad.row(0, named=True)
        what = (
            _year_problem(row["publication_year"], latest)
            if row["id"] and _WORK_ID.match(row["id"])
            else (f"id {row['id']!r} is not an OpenAlex work id (W…)")
        )
        if row["id"] and re.match(r"^A\d+$", row["id"]):
            what += (
                "; it is an OpenAlex author: import author files with `copub import --kind authors`"
            )
        raise DataError(f"{path}: record {row['_record']}: {what}")
    return works.with_columns(year.cast(pl.Int32))


def _read_lines_together(paths: Sequence[Path]) -> list[pl.DataFrame] | None:
    """Plain JSON Lines files in one DuckDB query, cut back into one frame per file.

    One query over several files lets DuckDB spread them over its threads and
    costs less than a query per file (measured: about a fifth of the engine's
    CPU time on the benchmark's gzip files). Returns None, so that each file
    takes :func:`_read_file`'s careful path, whenever a file is not plainly
    JSON Lines of works: missing, empty, a page, mixed compression, a record
    DuckDB refuses or a record without an id (that path gives the same rows,
    or the error naming the file and the record).
    """
    import duckdb

    if len(paths) < 2 or not all(path.is_file() for path in paths):
        return None
    try:
        heads = [_head(path) for path in paths]
        gzipped = {_is_gzip(path) for path in paths}
    except (DataError, OSError):
        return None
    if len(gzipped) != 1 or any(not h.strip() or _kind_of(h) != "lines" for h in heads):
        return None
    names = [str(path) for path in paths]
    try:
        with _connection() as connection:
            relation = connection.read_json(
                names,
                columns=_DUCKDB_COLUMNS,
                format="newline_delimited",
                compression="gzip" if gzipped.pop() else "none",
                maximum_object_size=_OBJECT_BYTES,
                filename="_file",
            )
            table = relation.to_arrow_table()
    except duckdb.Error:
        return None
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    del table
    # Rows come file by file, in the order given; anything else goes the careful way.
    runs = frame["_file"].rle().struct.unnest()
    if runs["value"].to_list() != names or frame["id"].null_count():
        return None
    works = frame.drop("_file").cast(RAW_WORK)  # type: ignore[arg-type]
    out, start = [], 0
    for length in runs["len"].to_list():
        out.append(works.slice(start, length).with_row_index("_record", offset=1))
        start += length
    return out


def read_raw_files(
    paths: Sequence[Path], check: Callable[[pl.DataFrame, Path], None] | None = None
) -> list[pl.DataFrame]:
    """:func:`read_raw_file` of each path, in order, plain JSON Lines files read together.

    ``check`` is called on each file's frame and path, in order, as soon as
    it is read: the first file that fails, in order, raises.

    Raises
    ------
    DataError
        As :func:`read_raw_file`, or from ``check``.
    """
    together = _read_lines_together(paths)
    raws = []
    for index, path in enumerate(paths):
        if together is None:
            raw = read_raw_file(path)
        else:
            raw = _check_ids(together[index], path).drop("_record")
        if check is not None:
            check(raw, path)
        raws.append(raw)
    return raws


def read_raw_file(path: Path) -> pl.DataFrame:
    """One file's raw works with the ``RAW_WORK`` schema and a short ``id``.

    Every record is checked (this is the validation a fetched page can be put
    through before it is trusted): a work id, and a whole ``publication_year``
    from :data:`FIRST_YEAR` to next year, returned as ``Int32``.

    Raises
    ------
    DataError
        Naming the file and the record when the file cannot be read, a record
        has no work id, or its year is missing or impossible.
    """
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    return _check_ids(_read_file(path), path).drop("_record")
