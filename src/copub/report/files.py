"""``--out DIR``: every table as CSV and Parquet, every figure as PNG and SVG, and report.html.

Layout of the directory::

    report.html          the self-contained report (figures inline)
    provenance.json      the provenance block of every output
    tables/NAME.csv      one '#' provenance line, then the table
    tables/NAME.parquet  the table; provenance in the file's key-value metadata
    figures/NAME.png     and NAME.svg; the sample's figures say so on their face

Every file states where its numbers came from, and that the sample is synthetic.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import polars as pl
from matplotlib.figure import Figure

from copub.networks.plot import plot_country_network, plot_top_partners
from copub.progress import Progress
from copub.report.data import ReportData
from copub.report.formats import comment_line
from copub.report.html import render_html
from copub.report.plots import FigureFile, trend_figures

__all__ = ["FigureFile", "WrittenReport", "write_figures", "write_report", "write_tables"]

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
        return [self.html, self.out_dir / "provenance.json", *self.tables, *figures]


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
        flat = frame.with_columns(
            pl.col(c).list.join(";") for c, dtype in frame.schema.items() if dtype == pl.List
        )
        _atomic_write(
            csv_path,
            comment_line(data, name.replace("_", " ")) + "\n" + flat.write_csv(),
        )
        parquet_path = folder / f"{name}.parquet"
        tmp = parquet_path.with_name(f".{parquet_path.name}.tmp")
        frame.write_parquet(tmp, metadata=metadata)
        os.replace(tmp, parquet_path)
        written += [csv_path, parquet_path]
    return written


def _save(figure: Figure, base: Path, data: ReportData, title: str) -> tuple[Path, Path]:
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
    synthetic = " (SYNTHETIC sample data)" if data.synthetic else ""
    if data.network is not None and data.network.number_of_nodes():
        paths = plot_country_network(data.network, folder / "partner_network", top=40)
        written.append(
            FigureFile(
                "partner_network",
                "Country co-authorship network",
                "The 40 countries with most co-publications and the links between them. "
                "Node size: works; colour: partner group; line width: co-publications.",
                *_png_svg(paths),
            )
        )
    if data.partners is not None and data.partners.height:
        paths = plot_top_partners(
            data.partners,
            folder / "top_partners",
            top=10,
            title=f"Top 10 partner countries: co-publications per year{synthetic}",
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
    extra_sections: Sequence[tuple[str, str, str]] = (),
) -> WrittenReport:
    """Write the tables, figures, provenance and ``report.html`` into ``out_dir``.

    Parameters
    ----------
    data : ReportData
        From :func:`copub.report.build_report` with ``scope="files"``.
    out_dir : path
        Created if missing; files of an earlier report are replaced.
    progress : Progress, optional
    extra_sections : sequence of (key, title, html)
        Added HTML sections (:mod:`copub.report.peers_section`).

    Returns
    -------
    WrittenReport

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
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    progress.note(f"writing tables to {out / 'tables'}")
    tables = write_tables(data, out)
    progress.note(f"drawing figures in {out / 'figures'}")
    figures = write_figures(data, out)
    _atomic_write(
        out / "provenance.json",
        json.dumps(data.header(), indent=2, ensure_ascii=False) + "\n",
    )
    html = out / "report.html"
    _atomic_write(html, render_html(data, figures, extra_sections=extra_sections))
    progress.note(f"report written: {html}")
    return WrittenReport(out, html, tuple(tables), tuple(figures))
