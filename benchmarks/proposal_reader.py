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


def arrow_read_file(path: Path) -> Any:
    """Drop-in for ``copub.normalize.reader._read_file``: same frame, same errors."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.json as pa_json

    from copub.errors import DataError
    from copub.normalize import reader
    from copub.normalize.schemas import RAW_WORK

    raw = reader._read_bytes(path)
    if not raw[:4096].strip() and not raw.strip():
        return pl.DataFrame(schema=RAW_WORK).with_columns(_record=pl.lit(0, pl.UInt32))
    kind = reader._kind_of(raw)
    work_schema, page_schema = _schemas()
    page = kind == "page"
    try:
        table = pa_json.read_json(
            io.BytesIO(raw),
            read_options=pa_json.ReadOptions(
                block_size=max(_LINE_BLOCK, len(raw) + 1) if page else _LINE_BLOCK
            ),
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
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pl.exceptions.PolarsError):
        raise DataError(f"{path}: {reader._locate_problem(path, raw, kind)}") from None
    return works.with_row_index("_record", offset=1)


def _patched_read_works(paths: list[str]) -> Any:
    import copub
    from copub.normalize import reader

    original = reader._read_file
    reader._read_file = arrow_read_file
    try:
        return copub.read_works(paths)
    finally:
        reader._read_file = original


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
