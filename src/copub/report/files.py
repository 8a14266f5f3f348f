"""``--out DIR``: every table as CSV and Parquet, every figure as PNG and SVG, and report.html.

Layout of the directory::

    report.html          the self-contained report (figures inline)
    report.xlsx          every table as a sheet, an About sheet first (sheets, definitions, source)
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

import dataclasses
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from copub.analyses.contract import AnalysisResult, FigureSpec
from copub.errors import UsageError
from copub.networks.plot import plot_country_network, plot_top_partners
from copub.networks.plot_periods import ego_periods, plot_ego_periods
from copub.outdir import building
from copub.progress import Progress
from copub.render.figures import save_figure, stamp
from copub.render.tables import SYNTHETIC_TEXT, csv_frame, write_table_files
from copub.report.data import ReportData
from copub.report.figure_cache import kept_figure
from copub.report.html import render_html
from copub.report.plots import (
    TREND_FIGURES,
    FigureFile,
    TrendFigure,
    figure_footer,
    notes_sentence,
)
from copub.report.workbook import write_workbook

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FigureFile",
    "WrittenReport",
    "tables_readme",
    "write_figures",
    "write_report",
    "write_tables",
]


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


def write_tables(data: ReportData, out_dir: Path) -> list[Path]:
    """Write every table of ``data`` as CSV and Parquet under ``out_dir/tables``."""
    folder = out_dir / "tables"
    metadata = {"copub.provenance": data.header()}
    written = []
    for name, frame in data.tables().items():
        written += write_table_files(
            folder, name, frame, synthetic=data.synthetic, metadata=metadata
        )
    readme = folder / "README.txt"
    readme.write_text(tables_readme(data), encoding="utf-8")
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
    description = data.provenance.describe()
    if data.synthetic:
        description = f"{SYNTHETIC_TEXT}. {description}"
    return save_figure(figure, base, title=title, description=description)


def write_result_figures(data: ReportData, out_dir: Path) -> dict[str, list[FigureFile]]:
    """Draw every registered analysis's figures in the one figure style, by result key.

    For the sample, a figure drawn before is copied (:mod:`copub.report.figure_cache`).
    """
    folder = out_dir / "figures"
    written: dict[str, list[FigureFile]] = {}
    for result in data.results:
        for spec in result.figures:

            def draw(
                into: Path, result: AnalysisResult = result, spec: FigureSpec = spec
            ) -> FigureFile:
                figure = spec.draw()
                synthetic = data.synthetic or result.synthetic
                stamp(figure, footer=figure_footer(data), synthetic=synthetic)
                png, svg = _save(figure, into / spec.name, data, spec.title)
                return FigureFile(spec.name, spec.title, spec.caption, png, svg)

            # The figure is drawn from what the result presents (its tables are in the digest).
            shown = (result.key, spec.title, spec.caption, result.text, result.summary, result.html)
            drawn = kept_figure(data, folder, spec.name, draw, depends=json.dumps(shown))
            if drawn is not None:
                written.setdefault(result.key, []).append(drawn)
    return written


def _trend_drawer(
    data: ReportData, make: Callable[[ReportData], TrendFigure | None]
) -> Callable[[Path], FigureFile | None]:
    def draw(folder: Path) -> FigureFile | None:
        trend = make(data)
        if trend is None:
            return None
        png, svg = _save(trend.figure, folder / trend.name, data, trend.title)
        return FigureFile(trend.name, trend.title, trend.caption, png, svg)

    return draw


def _network_figure(data: ReportData, folder: Path) -> FigureFile | None:
    if data.network is None or not data.network.number_of_nodes():
        return None
    paths = plot_country_network(
        data.network, folder / "partner_network", top=25, footer=figure_footer(data)
    )
    return FigureFile(
        "partner_network",
        "Partner map",
        "The institution's country in the middle, its 25 partner countries with most "
        "co-publications and every priority and development-partner country with a "
        "shared work, each labelled. Distance from the middle means co-publications "
        "with the home country: the nearer, the more (log scale; dashed rings "
        "labelled with their counts). Angle groups partners by Louvain cluster of "
        "association strength, c_ij / (c_i·c_j), as VOSviewer normalises links, so "
        "partners that co-publish with each other more than their sizes predict sit "
        "side by side; lines: each partner's two strongest such links (width and "
        "darkness: strength). Node size: works; colour: partner group "
        "(colour-blind-safe palette)."
        + notes_sentence(data, (str(node) for node in data.network.nodes)),
        *_png_svg(paths),
    )


def _periods_figure(data: ReportData, folder: Path) -> FigureFile | None:
    if data.prepared is None:
        return None
    try:
        paths = plot_ego_periods(
            data.prepared, folder / "partner_periods", footer=figure_footer(data)
        )
    except UsageError:
        return None  # home has no partner in the periods: nothing to draw
    if not paths:
        return None
    return FigureFile(
        "partner_periods",
        "Partners in the baseline and the plan period",
        "Home's strongest partner countries in the baseline and the plan period, "
        "side by side at the same places and on one scale, so a partner drawn "
        "larger in the plan had more co-publications than in the baseline. "
        "Distance from home, in the middle, means co-publications with home in "
        "the two periods together (log scale, dashed rings with their counts)."
        # The partners the picture draws (the same call it makes, on its defaults).
        + notes_sentence(data, ego_periods(data.prepared)["partner"].to_list()),
        *_png_svg(paths),
    )


def _top_partners_figure(data: ReportData, folder: Path) -> FigureFile | None:
    if data.partners is None or not data.partners.height:
        return None
    synthetic = " (SYNTHETIC sample data)" if data.synthetic else ""
    paths = plot_top_partners(
        data.partners,
        folder / "top_partners",
        top=10,
        title=f"Top 10 partner countries: co-publications per year{synthetic}",
        synthetic=data.synthetic,
        footer=figure_footer(data),
    )
    return FigureFile(
        "top_partners",
        "Top partner countries over time",
        "Co-publications per year (full counting) with the ten partner countries "
        "with most co-publications; the last year may be incomplete."
        + notes_sentence(data, data.partners.head(10)["partner_id"].to_list()),
        *_png_svg(paths),
    )


def write_figures(data: ReportData, out_dir: Path) -> list[FigureFile]:
    """Draw every figure the data allows as PNG and SVG under ``out_dir/figures``.

    For the sample, a figure drawn before is copied (:mod:`copub.report.figure_cache`):
    the country network is pure in the tables and the definitions, like every
    table, so a warm report copies its two pictures without building it.
    """
    folder = out_dir / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    network = f"country network: {data.country_network is not None}"
    drawers = [(name, _trend_drawer(data, make), "") for name, make in TREND_FIGURES]
    drawers += [
        ("partner_network", lambda into: _network_figure(data, into), network),
        ("partner_periods", lambda into: _periods_figure(data, into), network),
        ("top_partners", lambda into: _top_partners_figure(data, into), ""),
    ]
    figures = (kept_figure(data, folder, name, draw, depends=on) for name, draw, on in drawers)
    return [figure for figure in figures if figure is not None]


def _png_svg(paths: list[Path]) -> tuple[Path, Path]:
    by_suffix = {p.suffix: p for p in paths}
    return by_suffix[".png"], by_suffix[".svg"]


def write_report(
    data: ReportData,
    out_dir: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
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
    out = Path(out_dir)
    # Everything is written into a fresh directory beside ``out`` and switched in
    # at the end, so ``out`` is always one whole report: the old or the new.
    what = "copub report" + (f"; {SYNTHETIC_TEXT}" if data.synthetic else "")
    with building(out, what=what) as folder:
        written = _write_report_into(data, folder, progress)
        progress.note(f"switching the new report into {out}")
    progress.note(f"report written: {out / written.html.name}")
    return _moved(written, folder, out)


def _write_report_into(data: ReportData, out: Path, progress: Progress) -> WrittenReport:
    """Write every file of the report into the (new, empty) directory ``out``."""
    progress.note(f"writing tables to {out / 'tables'}")
    tables = write_tables(data, out)
    progress.note(f"drawing figures in {out / 'figures'}")
    figures = write_figures(data, out)
    result_figures = write_result_figures(data, out)
    (out / "provenance.json").write_text(
        json.dumps(data.header(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    progress.note(f"writing the workbook {out / 'report.xlsx'}")
    write_workbook(data, out / "report.xlsx")
    html = out / "report.html"
    html.write_text(render_html(data, figures, result_figures=result_figures), encoding="utf-8")
    every_figure = [*figures, *(f for shown in result_figures.values() for f in shown)]
    return WrittenReport(out, html, tuple(tables), tuple(every_figure))


def _moved(written: WrittenReport, old: Path, new: Path) -> WrittenReport:
    def move(path: Path) -> Path:
        return new / path.relative_to(old)

    figures = tuple(
        dataclasses.replace(f, png=move(f.png), svg=move(f.svg)) for f in written.figures
    )
    return WrittenReport(new, move(written.html), tuple(map(move, written.tables)), figures)
