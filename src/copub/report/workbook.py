"""``report.xlsx``: every report table as a sheet, for Excel and LibreOffice.

The first sheet, ``provenance``, says where the numbers came from (and, for
the synthetic sample, that they are not real publications); then one sheet
per table of :meth:`ReportData.tables`, with the same columns as the CSV
files (lists joined with ``;``, and a ``synthetic`` column on every row when
the data is synthetic). Written with polars' ``write_excel`` (xlsxwriter) to a
temporary file that is fsynced and renamed, so a reader never sees half a
workbook. For the sample the file is kept in the cache under a digest of the
report's content (:func:`report_digest`), so a warm report copies it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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

__all__ = ["PROVENANCE_SHEET", "provenance_rows", "report_digest", "write_workbook"]

PROVENANCE_SHEET = "provenance"


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
    target = Path(path)

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="copub-xlsx-") as folder:
            return _write_book(data, Path(folder) / target.name).read_bytes()

    # The same report gives the same file: for the sample it is written once and kept
    # (a million cells take xlsxwriter seconds).
    atomic_write(target, cached_bytes(data.known, "xlsx", report_digest(data), make))
    return target


def report_digest(data: ReportData) -> str:
    """A digest of what a report's files are made of (not its figures).

    Every table (its schema and its values as CSV: the same values give the
    same text however they are laid out in memory), the notes, provenance,
    options, institution name and each result's notes and provenance.
    """
    digest = hashlib.sha256()
    facts = (
        data.institution_name, data.notes, data.options.to_dict(), data.provenance.to_dict(),
        [(r.key, r.title, r.notes, dict(r.provenance), r.available, r.reason, r.synthetic)
         for r in data.results],
    )  # fmt: skip
    digest.update(json.dumps(facts, sort_keys=True, default=repr).encode())
    for name, frame in data.tables().items():
        digest.update(repr((name, frame.schema)).encode())
        digest.update(csv_frame(frame, synthetic=False).write_csv().encode())
    return digest.hexdigest()


def _write_book(data: ReportData, target: Path) -> Path:
    tmp = target.with_name(f".{target.name}.tmp")
    with Workbook(str(tmp), {"strings_to_urls": False, "strings_to_formulas": False}) as book:
        book.set_properties(
            {
                "title": f"copub report: {data.institution_name}",
                "subject": "SYNTHETIC SAMPLE DATA: not real publications"
                if data.synthetic
                else data.provenance.describe(),
                "comments": data.provenance.describe(),
                "author": "copub",
                # The tables' build time, not the clock: the same tables give the same file.
                "created": _created(data.provenance.created),
            }
        )
        provenance_rows(data).write_excel(
            workbook=book, worksheet=PROVENANCE_SHEET, autofit=True, header_format={"bold": True}
        )
        for name, frame in data.tables().items():
            sheet = _sheet_frame(frame, data.synthetic)
            sheet.write_excel(
                workbook=book,
                worksheet=name[:31],
                column_formats=_formats(sheet),
                autofit=frame.width <= 40,
                header_format={"bold": True},
                freeze_panes=(1, 0),
            )
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    return target
