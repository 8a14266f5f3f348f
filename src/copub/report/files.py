"""``--out DIR``: every table as CSV and Parquet, every figure as PNG and SVG, and report.html.

Layout of the directory::

    report.html          the self-contained report (figures inline)
    report.xlsx          every table as a sheet, a provenance sheet first
    provenance.json      the provenance block of every output
    tables/NAME.csv      plain RFC 4180 CSV, one header row (+ a ``synthetic``
                         column on every row when the data is synthetic)
    tables/NAME.parquet  the table; provenance in the file's key-value metadata
    tables/README.txt    the sidecar: provenance and each table's columns
    figures/NAME.png     and NAME.svg; every figure carries its source footer,
                         and the sample's say SYNTHETIC on their face

Every file states where its numbers came from, and that the sample is synthetic.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import json
import os
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from copub.atomic import swap_in_dir
from copub.errors import UsageError
from copub.indicators.mobility import MobilityResult
from copub.locking import writable_dir
from copub.networks.plot import plot_country_network, plot_top_partners
from copub.normalize.generations import GENERATIONS_DIR, TABLES_LINK
from copub.progress import Progress
from copub.report.data import ReportData
from copub.report.formats import csv_frame, write_csv_text
from copub.report.html import render_html
from copub.report.impact_plot import impact_figure
from copub.report.mobility_section import mobility_html, write_mobility
from copub.report.peers_section import ExtraSection, write_section
from copub.report.plots import FigureFile, figure_footer, trend_figures
from copub.report.workbook import write_workbook

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FigureFile",
    "WrittenReport",
    "check_out_dir",
    "tables_readme",
    "write_figures",
    "write_report",
    "write_tables",
]

_DPI = 144


@dataclass(frozen=True)
class WrittenReport:
    """What :func:`write_report` wrote."""

    out_dir: Path
    html: Path
    tables: tuple[Path, ...]
    figures: tuple[FigureFile, ...]

    def paths(self) -> list[Path]:
        """Every file written."""
        figures = [p for f in self.figures for p in (f.png, f.svg)]
        return [
            self.html,
            self.out_dir / "report.xlsx",
            self.out_dir / "provenance.json",
            *self.tables,
            *figures,
        ]


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_tables(data: ReportData, out_dir: Path) -> list[Path]:
    """Write every table of ``data`` as CSV and Parquet under ``out_dir/tables``."""
    folder = out_dir / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    metadata = {
        "copub.provenance": json.dumps(data.header(), ensure_ascii=False),
        "copub.synthetic": "true" if data.synthetic else "false",
    }
    written = []
    for name, frame in data.tables().items():
        csv_path = folder / f"{name}.csv"
        _atomic_write(csv_path, write_csv_text(csv_frame(frame, synthetic=data.synthetic)))
        parquet_path = folder / f"{name}.parquet"
        tmp = parquet_path.with_name(f".{parquet_path.name}.tmp")
        frame.write_parquet(tmp, metadata=metadata)
        os.replace(tmp, parquet_path)
        written += [csv_path, parquet_path]
    readme = folder / "README.txt"
    _atomic_write(readme, tables_readme(data))
    written.append(readme)
    return written


def tables_readme(data: ReportData) -> str:
    """The sidecar of ``tables/``: where the numbers came from and each file's columns."""
    lines = []
    if data.synthetic:
        lines += ["SYNTHETIC SAMPLE DATA: not real publications.", ""]
    lines += [
        f"copub report tables: {data.institution_name} ({data.options.institution})",
        f"Source: {data.provenance.describe()}",
        "",
        "Each NAME.csv is plain CSV (RFC 4180, comma, one header row, UTF-8); lists are",
        "joined with ';'. NAME.parquet holds the same table, with the provenance in its",
        "key-value metadata. ../provenance.json has the full provenance block.",
    ]
    if data.synthetic:
        lines.append("Every CSV ends with a 'synthetic' column that says so on every row.")
    lines.append("")
    for name, frame in data.tables().items():
        columns = csv_frame(frame, synthetic=data.synthetic).columns
        lines.append(f"{name}.csv ({frame.height} rows): " + ", ".join(columns))
    return "\n".join(lines) + "\n"


def _save(figure: Figure, base: Path, data: ReportData, title: str) -> tuple[Path, Path]:
    import matplotlib  # here, not at the top: matplotlib takes most of a second to import

    description = data.provenance.describe()
    if data.synthetic:
        description = "SYNTHETIC SAMPLE DATA: not real publications. " + description
    png, svg = base.with_suffix(".png"), base.with_suffix(".svg")
    figure.savefig(
        png,
        format="png",
        dpi=_DPI,
        metadata={"Title": title, "Description": description, "Software": "copub"},
    )
    # Text stays text in the SVG: smaller, faster, searchable (and says SYNTHETIC).
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(
            svg,
            format="svg",
            metadata={"Title": title, "Description": description, "Date": None},
        )
    return png, svg


def write_figures(data: ReportData, out_dir: Path) -> list[FigureFile]:
    """Draw every figure the data allows as PNG and SVG under ``out_dir/figures``."""
    folder = out_dir / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for trend in trend_figures(data):
        png, svg = _save(trend.figure, folder / trend.name, data, trend.title)
        written.append(FigureFile(trend.name, trend.title, trend.caption, png, svg))
    impact = impact_figure(data)
    if impact is not None:
        png, svg = _save(impact.figure, folder / impact.name, data, impact.title)
        written.append(FigureFile(impact.name, impact.title, impact.caption, png, svg))
    synthetic = " (SYNTHETIC sample data)" if data.synthetic else ""
    if data.network is not None and data.network.number_of_nodes():
        paths = plot_country_network(
            data.network, folder / "partner_network", top=25, footer=figure_footer(data)
        )
        written.append(
            FigureFile(
                "partner_network",
                "Partner map",
                "The institution's country in the middle, its 25 partner countries with most "
                "co-publications and every priority and development-partner country with a "
                "shared work, each labelled. Grey spokes: co-publications with the home country "
                "(width: works); node size: works; colour: partner group (colour-blind-safe "
                "palette). Partners are placed by association strength, c_ij / (c_i·c_j), as "
                "VOSviewer does, so neighbours co-publish more than their sizes predict; dotted: "
                "each partner's two strongest such links.",
                *_png_svg(paths),
            )
        )
    if data.partners is not None and data.partners.height:
        paths = plot_top_partners(
            data.partners,
            folder / "top_partners",
            top=10,
            title=f"Top 10 partner countries: co-publications per year{synthetic}",
            synthetic=data.synthetic,
            footer=figure_footer(data),
        )
        written.append(
            FigureFile(
                "top_partners",
                "Top partner countries over time",
                "Co-publications per year (full counting) with the ten partner countries "
                "with most co-publications; the last year may be incomplete.",
                *_png_svg(paths),
            )
        )
    return written


def _png_svg(paths: list[Path]) -> tuple[Path, Path]:
    by_suffix = {p.suffix: p for p in paths}
    return by_suffix[".png"], by_suffix[".svg"]


def write_report(
    data: ReportData,
    out_dir: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    mobility: MobilityResult | None = None,
    sections: Sequence[ExtraSection] = (),
) -> WrittenReport:
    """Write the tables, figures, provenance and ``report.html`` into ``out_dir``.

    Parameters
    ----------
    data : ReportData
        From :func:`copub.report.build_report` with ``scope="files"``.
    out_dir : path
        Created if missing. An earlier report there is replaced as a whole, in
        one step (a reader, or a kill at any moment, leaves the complete old
        report or the complete new one). A directory that is neither empty nor
        a copub report, or a data directory's tables, is refused.
    progress : Progress, optional
    mobility : MobilityResult, optional
        Adds the researcher-mobility section (tables, figure, HTML section).
    sections : sequence of ExtraSection
        Added sections (``report --peers``, ``--by``; :mod:`copub.report.peers_section`),
        with their tables and figures.

    Returns
    -------
    WrittenReport

    Raises
    ------
    UsageError
        For an ``out_dir`` that cannot hold a report (see :func:`check_out_dir`).

    Examples
    --------
    >>> import copub, tempfile
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     progress=Progress.silent())
    >>> written = write_report(data, tempfile.mkdtemp(), progress=Progress.silent())
    >>> written.html.name, written.html.read_text().count("SYNTHETIC") > 0
    ('report.html', True)
    """
    progress = progress or Progress()
    out = check_out_dir(out_dir)
    target = Path(os.path.abspath(out))
    # Everything is written into a fresh directory beside ``out`` and switched in
    # at the end, so ``out`` is always one whole report: the old or the new.
    _remove_stale_builds(target)
    building = target.parent / f".{target.name}{_BUILDING}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    building.mkdir()
    try:
        written = _write_report_into(data, building, progress, mobility, sections)
        progress.note(f"switching the new report into {out}")
        old = swap_in_dir(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    progress.note(f"report written: {out / written.html.name}")
    return _moved(written, building, out)


def _write_report_into(
    data: ReportData,
    out: Path,
    progress: Progress,
    mobility: MobilityResult | None,
    sections: Sequence[ExtraSection],
) -> WrittenReport:
    """Write every file of the report into the (new, empty) directory ``out``."""
    progress.note(f"writing tables to {out / 'tables'}")
    tables = write_tables(data, out)
    progress.note(f"drawing figures in {out / 'figures'}")
    figures = write_figures(data, out)
    _atomic_write(
        out / "provenance.json",
        json.dumps(data.header(), indent=2, ensure_ascii=False) + "\n",
    )
    extra: list[tuple[str, str, str]] = []
    if mobility is not None:
        write_mobility(mobility, out, synthetic=data.synthetic)
        body = mobility_html(mobility, out, synthetic=data.synthetic)
        extra.append(("mobility", "Researcher mobility", body))
    extra += [(s.key, s.title, write_section(s, out)) for s in sections]
    progress.note(f"writing the workbook {out / 'report.xlsx'}")
    write_workbook(data, out / "report.xlsx")
    html = out / "report.html"
    _atomic_write(html, render_html(data, figures, extra_sections=extra))
    return WrittenReport(out, html, tuple(tables), tuple(figures))


_BUILDING = ".building-"
_STALE_SECONDS = 3600
#: A directory with both is a copub report, and may be replaced by a new one.
_REPORT_MARKERS = ("report.html", "provenance.json")


def _moved(written: WrittenReport, old: Path, new: Path) -> WrittenReport:
    def move(path: Path) -> Path:
        return new / path.relative_to(old)

    figures = tuple(
        dataclasses.replace(f, png=move(f.png), svg=move(f.svg)) for f in written.figures
    )
    return WrittenReport(new, move(written.html), tuple(map(move, written.tables)), figures)


def _remove_stale_builds(out: Path) -> None:
    """Remove what a killed ``write_report`` left beside ``out`` (over an hour old)."""
    now = time.time()
    for path in out.parent.glob(f".{glob.escape(out.name)}{_BUILDING}*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)


def check_out_dir(out_dir: str | os.PathLike[str]) -> Path:
    """The report directory ``out_dir``, checked before anything is computed or printed.

    Raises
    ------
    UsageError
        When ``out_dir`` is a file, lies below a file, cannot be created or
        written, is a data directory's ``tables`` (or inside it), or is a
        non-empty directory that is not a copub report.

    Examples
    --------
    >>> import tempfile
    >>> check_out_dir(Path(tempfile.mkdtemp()) / "report").name
    'report'
    """
    out = Path(out_dir)
    resolved = Path(os.path.realpath(out))
    if GENERATIONS_DIR in resolved.parts or (resolved / "works.parquet").exists():
        raise UsageError(
            f"--out {out} is a data directory's tables: the report would overwrite them; "
            "choose another directory"
        )
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a directory")
    if out.is_dir():
        entries = {p.name for p in out.iterdir()}
        if GENERATIONS_DIR in entries or (TABLES_LINK in entries and (out / "raw").is_dir()):
            raise UsageError(f"--out {out} is a copub data directory; choose another directory")
        if entries and not all(marker in entries for marker in _REPORT_MARKERS):
            raise UsageError(
                f"--out {out} holds files that are not a copub report; the report replaces "
                "its directory as a whole, so choose a new or empty directory"
            )
    for above in out.parents:
        if above.exists():
            if not above.is_dir():
                raise UsageError(f"--out {out}: {above} is a file, not a directory")
            break
    try:
        writable_dir(out.parent, "--out")
    except UsageError:
        raise UsageError(f"--out {out}: cannot create or write its directory") from None
    return out
