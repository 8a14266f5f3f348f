"""The report's figures of the sample, kept as files: a warm report copies them.

Drawing a report's figures (matplotlib, PNG and SVG) is most of what a warm
``copub report --sample --out DIR`` spends. A figure is a pure function of the
report's content, its definitions and copub's code, so for known tables (the
sample, :attr:`ReportData.known`) each figure's files, title and caption are
kept in the cache (:func:`copub.indicators.label_cache.cached_files`) under a
key of: the figure's name, the digest of every table, note, option and
provenance of the report (:attr:`ReportData.digest`), every definition with
the partner groups' and the register's content
(:func:`copub.indicators.label_cache.results_key`), what the caller adds
(``depends``: e.g. an analysis's presented text) and copub's code. Any of them
changed draws the figure again; the same figure gives the same bytes, so a
figure from the cache equals a freshly drawn one. Figures of any other tables
are drawn every time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from copub.indicators.label_cache import cached_files, results_key
from copub.report.data import ReportData
from copub.report.plots import FigureFile

__all__ = ["FIGURE_ENTRY", "kept_figure"]

#: The cache entries of figures end ``.<figure name>.figure``.
FIGURE_ENTRY = "figure"
#: The member of an entry with the figure's title, caption and file names.
_ABOUT = "about.json"


def _content(data: ReportData, name: str, depends: str) -> str:
    known = data.known
    assert known is not None  # only called for known tables
    definitions = results_key(known.fingerprint, data.options.defs, f"figure:{name}")
    return "\n".join((name, data.digest, definitions, depends))


def kept_figure(
    data: ReportData,
    folder: Path,
    name: str,
    draw: Callable[[Path], FigureFile | None],
    *,
    depends: str = "",
) -> FigureFile | None:
    """The figure ``draw(folder)`` writes into ``folder``, copied from the cache when kept.

    Parameters
    ----------
    data : ReportData
        Its figures are kept only when its tables are known (the sample).
    folder : Path
        Where the PNG and SVG go.
    name : str
        The figure's name (its files' stem).
    draw : callable
        Draws the figure into the folder it is given and returns its files, or
        None when the data has no such figure (kept too: a warm run need not ask).
    depends : str
        What the figure is drawn from besides the report's tables, options and
        definitions (e.g. an analysis's presented text); part of the key.
    """
    if data.known is None:
        return draw(folder)
    drawn: list[FigureFile | None] = []

    def make() -> dict[str, bytes]:
        figure = draw(folder)
        drawn.append(figure)
        if figure is None:
            return {}
        about = {"title": figure.title, "caption": figure.caption,
                 "png": figure.png.name, "svg": figure.svg.name}  # fmt: skip
        return {
            _ABOUT: json.dumps(about).encode(),
            figure.png.name: figure.png.read_bytes(),
            figure.svg.name: figure.svg.read_bytes(),
        }

    files = cached_files(
        data.known, f"{name}.{FIGURE_ENTRY}", lambda: _content(data, name, depends), make
    )
    if drawn:
        return drawn[0]
    if not files:
        return None
    try:
        about = json.loads(files.pop(_ABOUT))
        png, svg = folder / about["png"], folder / about["svg"]
    except (KeyError, TypeError, ValueError):  # not an entry this code wrote: draw
        return draw(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for path in (png, svg):
        path.write_bytes(files[path.name])
    return FigureFile(name, about["title"], about["caption"], png, svg)
