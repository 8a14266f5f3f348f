"""One analysis's result on its own: what ``copub impact``, ``mobility``, ``eu``, ``peers``,
``breakdown`` and ``points`` print and write, with the report's writers.

stdout formats: ``table`` (the analysis's text), ``csv`` (its main table as
plain CSV; the provenance goes to stderr), ``json`` (every table, the notes
and the provenance) and ``markdown``. ``--out DIR`` writes every table (CSV
and Parquet), the figures (PNG and SVG, the one figure style), a
``provenance.json`` and an HTML page of the section, built beside ``DIR`` and
swapped in whole.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Literal

from copub.analyses.contract import AnalysisResult
from copub.outdir import building
from copub.provenance import Provenance
from copub.render.figures import save_figure, stamp
from copub.render.html import esc, img_tag
from copub.render.tables import SYNTHETIC_TEXT, csv_frame, write_csv_text, write_table_files
from copub.report.formats import result_markdown
from copub.report.html_style import CSS, print_mark_css

__all__ = ["OutputFormat", "render_result", "result_header", "write_result"]

OutputFormat = Literal["table", "csv", "json", "markdown"]


def result_header(result: AnalysisResult, provenance: Provenance) -> dict[str, Any]:
    """The provenance block every machine-readable output of a result carries."""
    synthetic = result.synthetic or provenance.synthetic
    return {
        "analysis": result.key,
        "synthetic": synthetic,
        "warning": SYNTHETIC_TEXT if synthetic else None,
        "provenance": provenance.to_dict(),
        "analysis_provenance": dict(result.provenance),
        "notes": list(result.notes),
    }


def render_result(result: AnalysisResult, fmt: OutputFormat, provenance: Provenance) -> str:
    """The result as text for stdout in ``fmt``.

    Examples
    --------
    >>> import polars as pl
    >>> from copub.analyses.contract import AnalysisResult
    >>> result = AnalysisResult("demo", "Demo", {"demo": pl.DataFrame({"year": [2020]})},
    ...                         text="Demo text\\n", synthetic=True)
    >>> render_result(result, "csv", Provenance()).splitlines()[0]
    'year,synthetic'
    >>> print(render_result(result, "table", Provenance()), end="")
    Demo text
    SYNTHETIC SAMPLE DATA: not real publications
    """
    synthetic = result.synthetic or provenance.synthetic
    if fmt == "csv":
        return write_csv_text(csv_frame(result.main_table, synthetic=synthetic))
    if fmt == "json":
        document = {**result_header(result, provenance), **result.to_json()}
        document["synthetic"] = synthetic
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt == "markdown":
        return result_markdown(result) + "\n"
    text = result.text_with_notes(result.text or f"{result.title}: unavailable. {result.reason}")
    return text + (f"{SYNTHETIC_TEXT}\n" if synthetic else "")


def _page(result: AnalysisResult, figures: list[tuple[str, str, Path, Path]], synthetic: bool,
          provenance: Provenance) -> str:  # fmt: skip
    banner = f'<div class="banner" role="note">{esc(SYNTHETIC_TEXT)}</div>' if synthetic else ""
    body = result.html
    if not result.available:
        body = f"<p class=note>Unavailable: {esc(result.reason or '')}</p>{body}"
    shown = "".join(
        f"<figure>{img_tag(png, title, svg=svg)}<figcaption><strong>{esc(title)}.</strong> "
        f"{esc(caption)}</figcaption></figure>"
        for title, caption, png, svg in figures
    )
    notes = "".join(f"<p class=note>{esc(note)}</p>" for note in result.notes)
    source = f"<footer>Source: {esc(provenance.describe())}</footer>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(result.title)}{' (SYNTHETIC SAMPLE)' if synthetic else ''}</title>"
        f"<style>{CSS}{print_mark_css(synthetic)}</style></head><body>{banner}"
        f'<div class="wrap"><h1>{esc(result.title)}</h1>{body}{shown}{notes}{source}</div>'
        "</body></html>\n"
    )


def write_result(
    result: AnalysisResult,
    out_dir: str | os.PathLike[str],
    provenance: Provenance,
    *,
    footer: str,
    replace: bool = False,
) -> list[Path]:
    """Write the result into ``out_dir`` (tables/, figures/, provenance.json, KEY.html).

    ``out_dir`` is built beside and swapped in (:func:`copub.outdir.building`).
    Returns the paths written, relative to ``out_dir``'s final place.
    """
    synthetic = result.synthetic or provenance.synthetic
    out = Path(out_dir)
    header = result_header(result, provenance)
    what = f"copub {result.key}" + (f"; {SYNTHETIC_TEXT}" if synthetic else "")
    with building(out, replace=replace, what=what) as folder:
        written: list[Path] = []
        for name, frame in result.tables.items():
            written += write_table_files(
                folder / "tables", name, frame, synthetic=synthetic,
                metadata={"copub.provenance": header},
            )  # fmt: skip
        figures = []
        for spec in result.figures:
            figure = spec.draw()
            stamp(figure, footer=footer, synthetic=synthetic)
            description = (f"{SYNTHETIC_TEXT}. " if synthetic else "") + provenance.describe()
            png, svg = save_figure(
                figure, folder / "figures" / spec.name, title=spec.title, description=description
            )
            figures.append((spec.title, spec.caption, png, svg))
            written += [png, svg]
        (folder / "provenance.json").write_text(
            json.dumps({**header, "written": dt.datetime.now(dt.UTC).isoformat()}, indent=2,
                       ensure_ascii=False) + "\n",
            encoding="utf-8",
        )  # fmt: skip
        page = folder / f"{result.key}.html"
        page.write_text(_page(result, figures, synthetic, provenance), encoding="utf-8")
        written += [folder / "provenance.json", page]
    return [out / path.relative_to(folder) for path in written]
