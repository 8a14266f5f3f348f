"""``report.xlsx``: every report table as a sheet, for Excel and LibreOffice.

The first sheet, ``provenance``, says where the numbers came from (and, for
the synthetic sample, that they are not real publications); then one sheet
per table of :meth:`ReportData.tables`, with the same columns as the CSV
files (lists joined with ``;``, and a ``synthetic`` column on every row when
the data is synthetic). Written with polars' ``write_excel`` (xlsxwriter) to a
temporary file that is fsynced and renamed, so a reader never sees half a
workbook. For the sample the file is kept in the cache under a digest of its
sheets, so a warm report copies it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from polars.selectors import Selector
from xlsxwriter import Workbook

from copub.atomic import atomic_write
from copub.indicators.label_cache import cached_bytes
from copub.render.tables import csv_frame
from copub.report.data import ReportData

__all__ = ["PROVENANCE_SHEET", "provenance_rows", "write_workbook"]

PROVENANCE_SHEET = "provenance"
#: A sheet: its name, frame, column formats, autofit and frozen panes.
_Formats = dict[str | Selector | tuple[str | Selector, ...], str]
_Sheet = tuple[str, pl.DataFrame, _Formats | None, bool, tuple[int, int] | None]


def provenance_rows(data: ReportData) -> pl.DataFrame:
    """The provenance sheet: ``item, value`` rows, the synthetic warning first.

    Examples
    --------
    >>> import copub
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     scope="table", progress=Progress.silent())
    >>> provenance_rows(data).row(0)
    ('data', 'SYNTHETIC SAMPLE DATA: not real publications')
    """
    prov = data.provenance
    rows: list[tuple[str, str]] = [
        (
            "data",
            "SYNTHETIC SAMPLE DATA: not real publications"
            if data.synthetic
            else f"{prov.source} data",
        ),
        ("institution", f"{data.institution_name} ({data.options.institution})"),
        ("source", prov.describe()),
        ("query", prov.query or ""),
        ("built", prov.created),
        ("api_url", prov.api_url or ""),
        ("inputs", "; ".join(prov.inputs)),
        ("software", ", ".join(f"{k} {v}" for k, v in prov.versions.items())),
        ("options", json.dumps(data.options.to_dict(), ensure_ascii=False)),
    ]
    rows += [(f"count: {key}", str(value)) for key, value in prov.counts.items()]
    rows += [("note", note) for note in data.notes]
    return pl.DataFrame(rows, schema={"item": pl.String, "value": pl.String}, orient="row")


def _sheet_frame(frame: pl.DataFrame, synthetic: bool) -> pl.DataFrame:
    flat = csv_frame(frame, synthetic=synthetic)
    # NaN is not a spreadsheet value: an empty cell says "not computed" best.
    return flat.with_columns(pl.selectors.float().fill_nan(None))


def _formats(frame: pl.DataFrame) -> _Formats:
    """Years as plain whole numbers, shares as percentages with one decimal (values exact).

    Examples
    --------
    >>> _formats(pl.DataFrame({"year": [2012], "intl_share": [0.574], "works": [3]}))
    {'year': '0', 'intl_share': '0.0%'}
    """
    formats: _Formats = {}
    for column, dtype in frame.schema.items():
        if dtype.is_integer() and (column == "year" or column.endswith(("_year", "year_"))):
            formats[column] = "0"  # "2,012" reads as a count, not a year
        elif dtype.is_float() and (
            column.endswith(("_share", "_share_low", "_share_high", "_share_frac", "_rate"))
            or "_share_" in column
            or column in ("share", "share_low", "share_high")
        ):
            formats[column] = "0.0%"
    return formats


def _created(stamp: str) -> dt.datetime:
    """The workbook's creation time: when the tables were built (now, if that is unreadable)."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return dt.datetime.now(dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def write_workbook(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Write ``report.xlsx``: the provenance sheet, then one sheet per table.

    Parameters
    ----------
    data : ReportData
    path : path
        The workbook's file name; replaced atomically.

    Returns
    -------
    Path

    Examples
    --------
    >>> import copub, tempfile, pathlib
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     scope="table", progress=Progress.silent())
    >>> write_workbook(data, pathlib.Path(tempfile.mkdtemp()) / "report.xlsx").suffix
    '.xlsx'
    """
    sheets = [
        (PROVENANCE_SHEET, provenance_rows(data), None, True, None),
        *(
            (name[:31], sheet, _formats(sheet), frame.width <= 40, (1, 0))
            for name, frame in data.tables().items()
            for sheet in [_sheet_frame(frame, data.synthetic)]
        ),
    ]
    properties = {
        "title": f"copub report: {data.institution_name}",
        "subject": "SYNTHETIC SAMPLE DATA: not real publications"
        if data.synthetic
        else data.provenance.describe(),
        "comments": data.provenance.describe(),
        "author": "copub",
        # The tables' build time, not the clock: the same tables give the same file.
        "created": _created(data.provenance.created),
    }

    def make() -> bytes:
        # A file, not memory: xlsxwriter dates the zip entries differently in memory.
        with tempfile.TemporaryDirectory(prefix="copub-xlsx-") as folder:
            name = str(Path(folder) / "report.xlsx")
            _write_sheets(name, sheets, properties)
            return Path(name).read_bytes()

    # The same sheets give the same file: for the sample it is written once and kept
    # (a million cells take xlsxwriter seconds).
    target = Path(path)
    atomic_write(target, cached_bytes(data.known, "xlsx", _content(sheets, properties), make))
    return target


def _write_sheets(filename: str, sheets: list[_Sheet], properties: dict[str, Any]) -> None:
    with Workbook(filename, {"strings_to_urls": False, "strings_to_formulas": False}) as book:
        book.set_properties(properties)
        for name, sheet, formats, autofit, panes in sheets:
            sheet.write_excel(
                workbook=book, worksheet=name, autofit=autofit, header_format={"bold": True},
                column_formats=formats, freeze_panes=panes,
            )  # fmt: skip


def _content(sheets: list[_Sheet], properties: object) -> str:
    """A digest of everything the workbook is made of (the sheets' values as CSV included)."""
    digest = hashlib.sha256(repr((properties, xlsxwriter.__version__)).encode())
    for name, sheet, formats, autofit, panes in sheets:
        digest.update(repr((name, formats, autofit, panes, sheet.schema)).encode())
        # CSV, not Arrow: the same values give the same text however they are laid out.
        digest.update(sheet.write_csv().encode())
    return digest.hexdigest()
