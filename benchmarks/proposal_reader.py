"""A proposed reader for ``copub.normalize.reader``: pyarrow's JSON parser with the narrow schema.

Not part of copub: the benchmark runs ``copub.read_works`` with this
``_read_file`` swapped in (route ``proposal`` of ``bench_normalize``) so the
table shows what the patch would give end to end, with copub's own
deduplication and table building. ``check_route`` proves it builds the very
same six tables as the current reader.

Why: polars' ndjson reader decodes the nested ``authorships`` slowly and, with
fat records, keeps several times the input size resident (see the README);
``pyarrow.json.read_json`` with an explicit schema and
``unexpected_field_behavior="ignore"`` parses in parallel blocks, skips the
heavy fields without building them, and hands over Arrow buffers that
``pl.from_arrow`` takes without copying.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import Any

__all__ = ["arrow_read_file", "check_route", "proposal_route"]

_LINE_BLOCK = 1 << 24  # 16 MiB: larger than any single record seen, hyperauthored ones included


def _arrow_type(dtype: Any) -> Any:
    """polars dtype -> the pyarrow type its JSON reader accepts (no large_list, no views)."""
    import polars as pl
    import pyarrow as pa

    if isinstance(dtype, pl.List):
        return pa.list_(_arrow_type(dtype.inner))
    if isinstance(dtype, pl.Struct):
        return pa.struct([pa.field(f.name, _arrow_type(f.dtype)) for f in dtype.fields])
    simple = {
        pl.String: pa.string(),
        pl.Int32: pa.int32(),
        pl.Int64: pa.int64(),
        pl.Boolean: pa.bool_(),
        pl.Float64: pa.float64(),
    }
    return simple[dtype.base_type()]


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    from copub.normalize.schemas import RAW_WORK

    work = pa.schema([pa.field(name, _arrow_type(dtype)) for name, dtype in RAW_WORK.items()])
    page = pa.schema([pa.field("results", pa.list_(pa.struct(list(work))))])
    return work, page


def _head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of a file, decompressed when it is gzip."""
    with path.open("rb") as handle:
        magic = handle.read(2)
    if magic == b"\x1f\x8b":
        with gzip.open(path, "rb") as handle:
            return handle.read(size)
    with path.open("rb") as handle:
        return handle.read(size)


def arrow_read_file(path: Path) -> Any:
    """Drop-in for ``copub.normalize.reader._read_file``: same frame, same errors.

    JSON Lines go to pyarrow as a stream (gzip decompressed in C++, while the
    parser works on the blocks already read), so neither the decompressed file
    nor a Python copy of it is ever held; a page is small and read whole.
    """
    import polars as pl
    import pyarrow as pa
    import pyarrow.json as pa_json

    from copub.errors import DataError
    from copub.normalize import reader
    from copub.normalize.schemas import RAW_WORK

    try:
        head = _head(path)
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    if not head.strip() and not reader._read_bytes(path).strip():
        return pl.DataFrame(schema=RAW_WORK).with_columns(_record=pl.lit(0, pl.UInt32))
    kind = reader._kind_of(head)
    work_schema, page_schema = _schemas()
    page = kind == "page"
    try:
        if page:
            raw = reader._read_bytes(path)
            source: Any = io.BytesIO(raw)
            block = max(_LINE_BLOCK, len(raw) + 1)
        else:
            gz = path.open("rb").read(2) == b"\x1f\x8b"
            source = pa.input_stream(str(path), compression="gzip" if gz else None)
            block = _LINE_BLOCK
        table = pa_json.read_json(
            source,
            read_options=pa_json.ReadOptions(block_size=block),
            parse_options=pa_json.ParseOptions(
                explicit_schema=page_schema if page else work_schema,
                unexpected_field_behavior="ignore",
                # A page may be pretty-printed; a JSON Lines record never spans lines.
                newlines_in_values=page,
            ),
        )
        works = pl.from_arrow(table)
        assert isinstance(works, pl.DataFrame)
        if page:
            if works.height != 1 or works["results"].null_count():
                raise DataError(f"{path}: an OpenAlex list response needs a 'results' list")
            if works["results"].list.len()[0] == 0:
                works = pl.DataFrame(schema=RAW_WORK)
            else:
                works = works.select(pl.col("results").explode()).unnest("results")
        works = works.cast(dict(RAW_WORK))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pl.exceptions.PolarsError, OSError):
        raw = reader._read_bytes(path)
        raise DataError(f"{path}: {reader._locate_problem(path, raw, kind)}") from None
    return works.with_row_index("_record", offset=1)


def _patched_read_works(paths: list[str]) -> Any:
    import copub
    from copub.normalize import reader

    original, together = reader._read_file, reader._read_lines_together
    reader._read_file = arrow_read_file
    # Each file through the proposed reader: no DuckDB query over a part's files.
    reader._read_lines_together = lambda paths: None  # type: ignore[assignment]
    try:
        return copub.read_works(paths)
    finally:
        reader._read_file, reader._read_lines_together = original, together


def proposal_route(args: dict[str, Any]) -> dict[str, Any]:
    """``copub.read_works`` with the proposed reader."""
    tables = _patched_read_works(args["paths"])
    return {name: frame.height for name, frame in tables.frames().items()}


def check_route(args: dict[str, Any]) -> dict[str, Any]:
    """Both readers on the same files: are all six tables identical?"""
    import copub

    current = copub.read_works(args["paths"])
    proposed = _patched_read_works(args["paths"])
    differing = [
        name
        for name, frame in current.frames().items()
        if not frame.equals(getattr(proposed, name))
    ]
    return {"identical": not differing, "differing": differing}
