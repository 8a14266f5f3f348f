"""``report.xlsx``: an About sheet first that lists every sheet, the definitions in words and
whether the data is synthetic; every table of every section a sheet; and LibreOffice shows
years as "2012" and shares as "57.4%" (issue 25.9)."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
import time
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from report_helpers import report_dir

SYNTHETIC_LINE = "SYNTHETIC SAMPLE DATA: not real publications"
#: Every table the mobility analysis declares; the sample report has authors, so all are there.
MOBILITY = (
    "mobility_yearly",
    "mobility_flows",
    "mobility_countries",
    "mobility_flow_table",
    "mobility_definitions",
)
#: The report's definitions a reader must find on the About sheet.
DEFINITIONS = ("Institution", "Years", "Universe", "Counting", "Partner groups", "Windows",
               "Baseline and plan", "Intervals")  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_dir(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def about(out: Path) -> list[tuple[object, ...]]:
    """The first sheet's rows."""
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _block(rows: list[tuple[object, ...]], title: str) -> list[tuple[object, ...]]:
    """The rows of the About block ``title``: after its title and header, up to an empty row."""
    start = next(i for i, row in enumerate(rows) if row[0] == title)
    block = []
    for row in rows[start + 2 :]:
        if all(cell is None for cell in row):
            break
        block.append(row)
    return block


def test_about_is_first_and_says_synthetic_in_its_first_row(
    out: Path, about: list[tuple[object, ...]]
) -> None:
    assert openpyxl.load_workbook(out / "report.xlsx", read_only=True).sheetnames[0] == "About"
    assert about[0][0] == SYNTHETIC_LINE


def test_about_lists_every_sheet_and_only_those(out: Path, about: list[tuple[object, ...]]) -> None:
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    listed = _block(about, "Sheets")
    assert [row[0] for row in listed] == book.sheetnames  # every sheet, in order, and no other
    for name, holds, section, rows in listed[1:]:
        # A table nobody described would read "Columns: …" in a section called "Report".
        assert isinstance(holds, str) and not holds.startswith("Columns:"), name
        assert isinstance(section, str) and section != "Report", name
        sheet = book[str(name)]
        assert rows == sum(1 for _ in sheet.iter_rows()) - 1, name  # the header is not a row
    sections = {row[0]: row[2] for row in listed}
    assert sections["yearly"] == "Yearly figures"
    assert sections["mobility_yearly"] == "Researcher mobility"
    assert sections["impact"] == "Citation impact by collaboration type"


def test_every_table_of_every_section_is_a_sheet(out: Path) -> None:
    """Every table file the report wrote (its own and each analysis's) is a sheet."""
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    written = sorted(p.stem for p in (out / "tables").glob("*.parquet"))
    assert sorted(book.sheetnames[1:]) == written
    assert set(MOBILITY) <= set(book.sheetnames)
    assert {"yearly", "windows", "period_comparison", "goals", "points_by_year"} <= set(written)


def test_about_gives_the_definitions_in_words(out: Path, about: list[tuple[object, ...]]) -> None:
    definitions = {row[0]: row[1] for row in _block(about, "Definitions")}
    assert set(DEFINITIONS) <= set(definitions)
    for name, words in definitions.items():
        assert isinstance(words, str) and words, name
        # Words, not a Python repr of the options.
        assert not any(mark in words for mark in ("{", "}", "=", "None", "[")), (name, words)
    years = pl.read_parquet(out / "tables" / "yearly.parquet")["year"]
    assert str(definitions["Years"]).startswith(f"{years.min()}–{years.max()}")
    assert str(definitions["Windows"]).startswith("rolling periods of 4 years")
    assert str(definitions["Counting"]).startswith("full counting")
    source = dict(row[:2] for row in _block(about, "Source and provenance"))
    assert source["Data"] == SYNTHETIC_LINE
    assert "seed=3" in str(source["Query"])


def test_every_declared_table_is_described() -> None:
    """A table someone adds to an analysis (or to the report) needs its line on the About sheet."""
    from copub.analyses.registry import ANALYSES
    from copub.report.workbook_about import REPORT_TABLE_SECTIONS, TABLE_ABOUT

    declared = {name for a in ANALYSES for name in a.schemas}
    assert declared | set(REPORT_TABLE_SECTIONS) == set(TABLE_ABOUT)
    assert all(len(text) > 20 for text in TABLE_ABOUT.values())


def test_a_long_or_colliding_table_name_still_gets_its_own_sheet() -> None:
    from copub.report.workbook_about import _sheet_name

    taken = {"about"}
    long = "breakdown_subfield_with_a_name_longer_than_excel"
    first, second = _sheet_name(long, taken), _sheet_name(long, taken)
    assert first == long[:31] and len(second) <= 31 and first != second
    assert _sheet_name("About", taken) != "About"


def _soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    return path


def _one_decimal(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def test_libreoffice_shows_years_and_percentages(out: Path, tmp_path: Path) -> None:
    """LibreOffice's own CSV export of every sheet, cells "as shown": "2012", not "2,012";
    a share as "57.4%" from the cell's exact value, on the yearly and the mobility sheets."""
    soffice = _soffice()
    # Tokens: comma, double quote, UTF-8, line 1, -, language, no quoting of all text,
    # -, save cell contents as shown, no formulas, keep spaces, every sheet (LibreOffice ≥ 7.2).
    options = "44,34,76,1,,0,false,true,true,false,false,-1"
    command = [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
               "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
               "--outdir", str(tmp_path), str(out / "report.xlsx")]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if "Fatal exception: Signal" in done.stderr:
        # LibreOffice 7.4's threaded XLSX import sometimes crashes on a busy machine (a
        # segfault in ScDocumentImport, seen once in a clean-clone CI run): run it once more.
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    if not (tmp_path / "report-yearly.csv").is_file():
        pytest.skip(f"this LibreOffice exports only the first sheet (needs 7.2+): {done.stdout}")
    print(f"LibreOffice converted the workbook in {seconds:.1f} s")

    def read(name: str) -> list[list[str]]:
        with (tmp_path / f"report-{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    assert (tmp_path / "report-About.csv").is_file(), "no About sheet"
    assert read("About")[0][0] == SYNTHETIC_LINE
    for name, share in (("yearly", "intl_share"), ("mobility_yearly", "recruited_share")):
        rows = read(name)
        exact = pl.read_parquet(out / "tables" / f"{name}.parquet")
        assert len(rows) - 1 == exact.height
        year, column = rows[0].index("year"), rows[0].index(share)
        assert [row[year] for row in rows[1:]] == [str(y) for y in exact["year"]]
        checked = 0
        for row, value in zip(rows[1:], exact[share], strict=True):
            if value is None or math.isnan(value):
                assert row[column] == "", name
                continue
            # A half-way value may round either way; those are left out.
            if abs((value * 1000) % 1 - 0.5) > 1e-6:
                assert row[column] == _one_decimal(value), (name, row[year], value)
                checked += 1
        assert checked >= exact.height // 2, name
