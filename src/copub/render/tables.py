"""The one set of table writers: plain CSV, Parquet, JSON records, markdown and terminal.

Every table of every analysis, in every command, is written by these
functions, so a CSV is always plain RFC 4180 with one header row (never a
comment line), lists are joined with ``;``, and a table made from synthetic
data ends with a ``synthetic`` column that says so on every row.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

__all__ = [
    "SYNTHETIC_COLUMN",
    "SYNTHETIC_TEXT",
    "csv_frame",
    "markdown_table",
    "to_records",
    "write_csv_text",
    "write_table_files",
]

#: The words every output made from the synthetic sample carries.
SYNTHETIC_TEXT = "SYNTHETIC SAMPLE DATA: not real publications"
#: The column every CSV and spreadsheet made from synthetic data ends with.
SYNTHETIC_COLUMN = "synthetic"


def to_records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as dictionaries, with NaN turned into None (JSON has no NaN).

    Examples
    --------
    >>> to_records(pl.DataFrame({"x": [1.0, float("nan")]}))
    [{'x': 1.0}, {'x': None}]
    """
    return [
        {
            key: None if isinstance(value, float) and math.isnan(value) else value
            for key, value in row.items()
        }
        for row in frame.iter_rows(named=True)
    ]


def csv_frame(frame: pl.DataFrame, *, synthetic: bool) -> pl.DataFrame:
    """``frame`` ready for CSV and spreadsheets: lists joined with ``;``, and the
    :data:`SYNTHETIC_COLUMN` last when the data is synthetic.

    Examples
    --------
    >>> frame = pl.DataFrame({"year": [2020], "groups": [["eu", "nordic"]]})
    >>> csv_frame(frame, synthetic=True).row(0)
    (2020, 'eu;nordic', 'SYNTHETIC SAMPLE DATA: not real publications')
    >>> csv_frame(frame, synthetic=False).columns
    ['year', 'groups']
    """
    flat = frame.with_columns(
        pl.col(c).cast(pl.List(pl.String)).list.join(";")
        for c, dtype in frame.schema.items()
        if isinstance(dtype, pl.List)
    )
    if synthetic:
        flat = flat.with_columns(pl.lit(SYNTHETIC_TEXT).alias(SYNTHETIC_COLUMN))
    return flat


def write_csv_text(frame: pl.DataFrame) -> str:
    """RFC 4180 text: one header row, CRLF line ends, fields quoted when needed.

    Examples
    --------
    >>> write_csv_text(pl.DataFrame({"a": [1], "b": ["x,y"]})).split("\\r\\n")
    ['a,b', '1,"x,y"', '']
    """
    buffer = io.StringIO()
    frame.write_csv(buffer, line_terminator="\r\n")
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("|", "\\|")


def markdown_table(frame: pl.DataFrame) -> str:
    """A frame as a GitHub-flavoured markdown table.

    Examples
    --------
    >>> print(markdown_table(pl.DataFrame({"year": [2020], "share": [0.5]})))
    | year | share |
    |---:|---:|
    | 2020 | 0.5000 |
    """
    align = ["---:" if dtype.is_numeric() else "---" for dtype in frame.dtypes]
    lines = [
        "| " + " | ".join(frame.columns) + " |",
        "|" + "|".join(align) + "|",
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join(lines)


def write_table_files(
    folder: Path,
    name: str,
    frame: pl.DataFrame,
    *,
    synthetic: bool,
    metadata: Mapping[str, Any],
) -> list[Path]:
    """Write ``folder/name.csv`` (plain CSV) and ``folder/name.parquet``.

    ``folder`` lies in a directory being built (:func:`copub.render.outdir.building`),
    which is swapped in whole, so the files need no atomic writes of their own.
    The parquet file keeps the table as it is (lists stay lists) and carries
    ``metadata`` (JSON-encoded where it is not text) as key-value metadata.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> paths = write_table_files(folder, "t", pl.DataFrame({"a": [1]}), synthetic=True,
    ...                           metadata={"copub.note": "x"})
    >>> [p.name for p in paths], (folder / "t.csv").read_text().splitlines()[0]
    (['t.csv', 't.parquet'], 'a,synthetic')
    """
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, parquet_path = folder / f"{name}.csv", folder / f"{name}.parquet"
    csv_path.write_text(write_csv_text(csv_frame(frame, synthetic=synthetic)), encoding="utf-8")
    text = {
        k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        for k, v in metadata.items()
    }
    text["copub.synthetic"] = "true" if synthetic else "false"
    frame.write_parquet(parquet_path, metadata=text)
    return [csv_path, parquet_path]
