"""``report.xlsx``: every report table as a sheet, for Excel and LibreOffice.

The first sheet, ``About``, says (for the synthetic sample, in its first rows)
that the numbers are not real publications, then lists every sheet with what
it holds and its report section, the report's definitions in words, and where
the data came from; then one sheet per table of :meth:`ReportData.tables`, with
the same columns as the CSV files (lists joined with ``;``, and a ``synthetic``
column on every row when the data is synthetic). The list and the sheets come
from the same :func:`~copub.report.workbook_about.workbook_sheets`, so they
cannot disagree. Written with polars' ``write_excel`` (xlsxwriter) to a
temporary file that is fsynced and renamed, so a reader never sees half a
workbook. For the sample the file is kept in the cache under a digest of the
report's content (:attr:`~copub.report.data.ReportData.digest`), so a warm report copies it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import polars as pl
from polars.selectors import Selector
from xlsxwriter import Workbook

from copub.atomic import atomic_write
from copub.indicators.label_cache import cached_bytes
from copub.render.tables import csv_frame
from copub.report.data import ReportData
from copub.report.workbook_about import (
    ABOUT_SHEET,
    SYNTHETIC_LINE,
    Sheet,
    definition_rows,
    sheet_about,
    source_rows,
    workbook_sheets,
)

__all__ = ["ABOUT_SHEET", "write_workbook"]


def _write_about(book: Workbook, data: ReportData, sheets: tuple[Sheet, ...]) -> None:
    """The first sheet: the synthetic warning, the sheets, the definitions, the source."""
    about = book.add_worksheet(ABOUT_SHEET)
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    top = book.add_format({"valign": "top"})
    about.set_column(0, 0, 24, top)
    about.set_column(1, 1, 90, wrap)
    about.set_column(2, 2, 36, top)
    about.set_column(3, 3, 8, top)
    row = 0
    if data.synthetic:
        warning = book.add_format({"bold": True, "font_size": 16, "font_color": "#b00020"})
        about.write(row, 0, SYNTHETIC_LINE, warning)
        about.write(
            row + 1,
            0,
            "Every number in this workbook comes from copub's generated sample world; every "
            "table sheet says so in its last column, 'synthetic'.",
            bold,
        )
        row += 3
    years = data.yearly["year"].to_list()
    span = f", {min(years)}–{max(years)}" if years else ""
    about.write(
        row, 0, f"copub report: {data.institution_name} ({data.options.institution}){span}", heading
    )
    row += 2

    def block(
        title: str, header: tuple[str, ...], rows: list[tuple[str | int | None, ...]]
    ) -> None:
        nonlocal row
        about.write(row, 0, title, heading)
        about.write_row(row + 1, 0, header, bold)
        for offset, values in enumerate(rows, start=row + 2):
            about.write_row(offset, 0, values)
        row += len(rows) + 3  # one empty row ends a block

    block("Sheets", ("Sheet", "What it holds", "Section", "Rows"), list(sheet_about(sheets)))
    block("Definitions", ("Definition", "In words"), list(definition_rows(data)))
    block("Source and provenance", ("Item", "Value"), list(source_rows(data)))


def _sheet_frame(frame: pl.DataFrame, synthetic: bool) -> pl.DataFrame:
    flat = csv_frame(frame, synthetic=synthetic)
    # NaN is not a spreadsheet value: an empty cell says "not computed" best.
    return flat.with_columns(pl.selectors.float().fill_nan(None))


def _formats(frame: pl.DataFrame) -> dict[str | Selector | tuple[str | Selector, ...], str]:
    """Years as plain whole numbers, shares as percentages with one decimal (values exact).

    Examples
    --------
    >>> _formats(pl.DataFrame({"year": [2012], "intl_share": [0.574], "works": [3]}))
    {'year': '0', 'intl_share': '0.0%'}
    """
    formats: dict[str | Selector | tuple[str | Selector, ...], str] = {}
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
    """Write ``report.xlsx``: the About sheet, then one sheet per table.

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
    target = Path(path)

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="copub-xlsx-") as folder:
            return _write_book(data, Path(folder) / target.name).read_bytes()

    # The same report gives the same file: for the sample it is written once and kept
    # (a million cells take xlsxwriter seconds).
    atomic_write(target, cached_bytes(data.known, "xlsx", lambda: data.digest, make))
    return target


def _write_book(data: ReportData, target: Path) -> Path:
    tmp = target.with_name(f".{target.name}.tmp")
    with Workbook(str(tmp), {"strings_to_urls": False, "strings_to_formulas": False}) as book:
        book.set_properties(
            {
                "title": f"copub report: {data.institution_name}",
                "subject": SYNTHETIC_LINE if data.synthetic else data.provenance.describe(),
                "comments": data.provenance.describe(),
                "author": "copub",
                # The tables' build time, not the clock: the same tables give the same file.
                "created": _created(data.provenance.created),
            }
        )
        sheets = workbook_sheets(data)
        _write_about(book, data, sheets)
        for sheet in sheets:
            frame = _sheet_frame(sheet.frame, data.synthetic)
            frame.write_excel(
                workbook=book,
                worksheet=sheet.name,
                column_formats=_formats(frame),
                autofit=sheet.frame.width <= 40,
                header_format={"bold": True},
                freeze_panes=(1, 0),
            )
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    return target
