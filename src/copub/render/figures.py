"""The one figure style: palette, SYNTHETIC tag, source footer, and PNG + SVG files.

Every figure of every analysis is drawn on a :func:`new_figure` (no pyplot,
so drawing never touches global state or needs a display) and written by
:func:`save_figure`, which stamps the source footer and, for the sample, the
SYNTHETIC tag on its face.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from copub.provenance import Provenance
from copub.render.tables import SYNTHETIC_TEXT

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ticker import Formatter

__all__ = [
    "DPI",
    "PALETTE",
    "SVG_SALT",
    "new_figure",
    "percent_formatter",
    "save_figure",
    "save_svg",
    "source_footer",
    "stable_svg",
    "stamp",
]

#: Okabe & Ito's colour-blind-safe palette, without black and the faint yellow:
#: blue, vermillion, bluish green, reddish purple, orange, sky blue.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
DPI = 144
#: Height (inches) of the strip kept at the bottom for the source footer.
_FOOTER_STRIP = 0.32
_STAMPED = "_copub_stamped"
#: The same figure gives the same SVG file: matplotlib salts the ids of clip paths
#: with a random UUID unless told a salt (the SVGs also leave out their date).
SVG_SALT = "copub"
_CLIP_ID = re.compile(rb'<clipPath id="(p[0-9a-f]{10})"')


def source_footer(provenance: Provenance, who: str, counting: str) -> str:
    """The source line every figure carries: whose works, counting, source, build date, version.

    Examples
    --------
    >>> source_footer(Provenance(source="synthetic", synthetic=True, created="2026-01-02T00:00"),
    ...               "NTNU (I204778367)", "full")[:60]
    'NTNU (I204778367), full counting. Source: SYNTHETIC sample d'
    """
    if provenance.synthetic:
        origin = "SYNTHETIC sample data"
    elif provenance.source == "openalex":
        origin = f"OpenAlex ({provenance.api_url or 'api.openalex.org'})"
    else:
        origin = f"OpenAlex records ({provenance.source})"
    return (
        f"{who}, {counting} counting. Source: {origin}, built {provenance.created[:10]}; "
        f"copub {provenance.versions.get('copub', '?')}"
    )


def percent_formatter() -> Formatter:
    """Percent tick labels that are exactly the tick values (a share 0.125 reads "12.5%").

    Every tick of an axis gets the same number of decimals: the fewest that
    show each tick's value exactly (at most 4), so a gridline at 12.5% is
    never labelled "12%". Every percentage axis of every figure uses it.

    Examples
    --------
    >>> f = percent_formatter()
    >>> f.set_locs([0.0, 0.025, 0.05, 0.125])
    >>> [f(v) for v in (0.0, 0.025, 0.05, 0.125)]
    ['0.0%', '2.5%', '5.0%', '12.5%']
    >>> f.set_locs([0.0, 0.1, 0.2])
    >>> f(0.2)
    '20%'
    """
    from matplotlib.ticker import Formatter

    class ExactPercentFormatter(Formatter):  # type: ignore[misc]
        decimals = 0

        def set_locs(self, locs: list[float]) -> None:
            percents = [100 * float(v) for v in locs]
            for decimals in range(5):
                if all(abs(round(p, decimals) - p) < 1e-9 * max(1.0, abs(p)) for p in percents):
                    break
            self.decimals = decimals

        def __call__(self, x: float, pos: int | None = None) -> str:
            value = round(100 * float(x), self.decimals) + 0.0  # + 0.0: never "-0%"
            return f"{value:.{self.decimals}f}%"

    return ExactPercentFormatter()


def new_figure(figsize: tuple[float, float] = (9.0, 4.4)) -> Figure:
    """An empty figure with constrained layout and a strip kept for the footer.

    Examples
    --------
    >>> new_figure((6, 3)).get_size_inches().tolist()
    [6.0, 3.0]
    """
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    strip = _FOOTER_STRIP / figsize[1]
    # Constrained layout does not see figure texts; a fixed strip spares a second draw.
    layout = ConstrainedLayoutEngine(rect=(0.0, strip, 1.0, 1.0 - strip))
    return Figure(figsize=figsize, layout=layout)


def stamp(figure: Figure, *, footer: str | None, synthetic: bool) -> None:
    """Add the source footer and (for the sample) the SYNTHETIC tag, each at most once.

    A figure drawn for a notebook gets its tag where it is drawn (``footer=None``);
    the writer adds the footer later without a second tag.
    """
    marks: set[str] = getattr(figure, _STAMPED, set())
    if footer is not None and "footer" not in marks:
        figure.text(0.01, 0.01, footer, fontsize=7, color="#666666", ha="left", va="bottom")
        marks.add("footer")
    if synthetic and "synthetic" not in marks:
        figure.text(
            0.99, 0.995, SYNTHETIC_TEXT, fontsize=9, color="#b00020", fontweight="bold",
            ha="right", va="top",
        )  # fmt: skip
        marks.add("synthetic")
    setattr(figure, _STAMPED, marks)


def stable_svg(path: Path) -> None:
    """Name the clip paths of the SVG ``path`` after what the file shows.

    matplotlib names a clip path by a digest of its rectangle at full float
    precision, which can differ in the last bit between two draws of one
    figure while the file shows six digits. Renamed from the file's own
    content (the other ids are digests of what they draw), the same picture is
    the same file, and a figure kept in the cache equals one drawn afresh.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "f.svg"
    >>> _ = path.write_text('<clipPath id="p0123456789"/><g clip-path="url(#p0123456789)"/>')
    >>> stable_svg(path)
    >>> text = path.read_text()
    >>> new = text[len('<clipPath id="') :][:11]
    >>> "p0123456789" in text, new.startswith("p"), text.count(f"#{new})")
    (False, True, 1)
    """
    data = path.read_bytes()
    ids = list(dict.fromkeys(_CLIP_ID.findall(data)))
    if not ids:
        return
    pattern = re.compile(b"|".join(re.escape(i) for i in ids))
    base = hashlib.sha256(pattern.sub(b"", data)).hexdigest()
    names = {
        old: b"p" + hashlib.sha256(f"{base}:{n}".encode()).hexdigest()[:10].encode()
        for n, old in enumerate(ids)
    }
    path.write_bytes(pattern.sub(lambda match: names[match.group()], data))


def save_figure(figure: Figure, base: Path, *, title: str, description: str) -> tuple[Path, Path]:
    """Write ``base.png`` and ``base.svg`` (text stays text in the SVG) with their metadata.

    Examples
    --------
    >>> import tempfile
    >>> figure = new_figure((4, 3))
    >>> stamp(figure, footer="Source: x", synthetic=True)
    >>> png, svg = save_figure(figure, Path(tempfile.mkdtemp()) / "f", title="T",
    ...                        description="d")
    >>> "SYNTHETIC" in svg.read_text()
    True
    """
    base.parent.mkdir(parents=True, exist_ok=True)
    png, svg = base.with_suffix(".png"), base.with_suffix(".svg")
    figure.savefig(
        png, format="png", dpi=DPI,
        metadata={"Title": title, "Description": description, "Software": "copub"},
    )  # fmt: skip
    save_svg(figure, svg, metadata={"Title": title, "Description": description}, text_as_text=True)
    return png, svg


def save_svg(
    figure: Figure,
    path: Path,
    *,
    metadata: dict[str, str | None],
    text_as_text: bool = False,
    dpi: float | None = None,
    bbox_inches: str | None = None,
) -> None:
    """Write ``figure`` as the SVG ``path``: the same picture gives the same file.

    The ids are salted with :data:`SVG_SALT`, the date is left out and the
    clip paths are named by :func:`stable_svg`. ``text_as_text`` keeps text
    as text (``svg.fonttype: none``); ``dpi`` and ``bbox_inches`` are
    ``Figure.savefig``'s (None: matplotlib's defaults).
    """
    import matplotlib

    rc: dict[str, str] = {"svg.hashsalt": SVG_SALT}
    if text_as_text:
        rc["svg.fonttype"] = "none"
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        figure.savefig(
            path, format="svg", metadata={**metadata, "Date": None}, dpi=dpi,
            bbox_inches=bbox_inches,
        )  # fmt: skip
    stable_svg(path)
