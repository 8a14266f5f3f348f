"""Reading the `;`-separated, quoted CSV files of CORDIS and the Research Council of Norway.

Every column is read as text (ids keep their leading zeros), a byte-order mark
is dropped, and a file whose header lacks a required column is refused with
one line naming the file, the missing columns and the header it has.

Examples
--------
>>> frame = read_text_csv(b'\\xef\\xbb\\xbfid;name\\r\\n1;"A; B"\\r\\n', "x.csv", ("id", "name"))
>>> frame.row(0)
('1', 'A; B')
>>> read_text_csv(b"a;b\\n1;2\\n", "x.csv", ("id",))
Traceback (most recent call last):
...
copub.errors.DataError: x.csv: not the expected file: it lacks the column id (its header: a;b)
"""

from __future__ import annotations

import io

import polars as pl

from copub.errors import DataError

__all__ = ["header_of", "money", "read_text_csv", "signed_on", "utf8"]

_BOM = b"\xef\xbb\xbf"


def utf8(data: bytes) -> bytes:
    """``data`` as UTF-8 without a byte-order mark; Windows-1252 (older exports) is converted.

    Examples
    --------
    >>> utf8("Programområde".encode("cp1252")).decode()
    'Programområde'
    """
    data = data.removeprefix(_BOM)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace").encode("utf-8")
    return data


def header_of(data: bytes) -> list[str]:
    """The column names on the first line of ``data`` (``;``-separated, quotes removed)."""
    first = utf8(data.split(b"\n", 1)[0]).rstrip(b"\r")
    text = first.decode("utf-8", errors="replace")
    return [name.strip().strip('"') for name in text.split(";")]


def read_text_csv(data: bytes, where: str, required: tuple[str, ...]) -> pl.DataFrame:
    """Read ``data`` as a ``;``-separated CSV of text columns; check the ``required`` columns."""
    data = utf8(data)
    header = header_of(data)
    missing = [name for name in required if name not in header]
    if missing:
        shown = ";".join(header)
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        plural = "s" if len(missing) > 1 else ""
        raise DataError(
            f"{where}: not the expected file: it lacks the column{plural} "
            f"{', '.join(missing)} (its header: {shown})"
        )
    try:
        return pl.read_csv(
            io.BytesIO(data),
            separator=";",
            quote_char='"',
            infer_schema_length=0,
            encoding="utf8-lossy",
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{where}: cannot be read as a ;-separated CSV: {first}") from None


def money(frame: pl.DataFrame, column: str, where: str) -> pl.Series:
    """``column`` as euros (Float64): ``.`` or ``,`` decimals; blank is null; junk is an error."""
    text = frame[column].str.strip_chars()
    text = pl.select(
        pl.when(text.str.contains(r"^-?\d+,\d+$")).then(text.str.replace(",", ".")).otherwise(text)
    ).to_series()
    values = text.cast(pl.Float64, strict=False)
    bad = text.filter(values.is_null() & text.is_not_null() & (text != ""))
    if bad.len():
        raise DataError(
            f"{where}: column {column} has {bad.len()} values that are not amounts, e.g. {bad[0]!r}"
        )
    return values.alias(column)


def signed_on(frame: pl.DataFrame, columns: tuple[str, ...], fmt: str) -> pl.Expr:
    """The first of ``columns`` (those ``frame`` has) that parses as a date in ``fmt``.

    The signature date, else the start date: what dates a row when the goals
    are pro-rated over the span of the data. A value that does not parse is
    null (the year columns keep their own checks).

    Examples
    --------
    >>> frame = pl.DataFrame({"signed": ["2024-04-22", None], "start": ["", "2023-01-01"]})
    >>> frame.select(signed_on(frame, ("signed", "start"), "%Y-%m-%d")).to_series().to_list()
    [datetime.date(2024, 4, 22), datetime.date(2023, 1, 1)]
    """
    parsed = [
        pl.col(name).str.strip_chars().str.to_date(fmt, strict=False)
        for name in columns
        if name in frame.columns
    ]
    if not parsed:
        return pl.lit(None, pl.Date).alias("signature_date")
    return pl.coalesce(parsed).alias("signature_date")
