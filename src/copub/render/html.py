"""Small HTML builders: escaped cells, tables and status marks. No JavaScript anywhere."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path

from copub.render import fmt

__all__ = ["Cell", "esc", "img_tag", "policy_note", "status_mark", "table"]

#: A table cell: (inner HTML, numeric?). Text must already be escaped.
Cell = tuple[str, bool]

STATUS_WORDS = {
    "up": "significant rise",
    "down": "significant fall",
    "flat": "no significant change",
    "unavailable": "unavailable",
}


#: A cell that is a figure: a year (``2020``, ``2025 *``, ``2018–2021``, ``2025 (incomplete)``),
#: a count, a share, a change in points or a p-value. Such a cell never wraps (a year
#: printed "202" / "0" across two lines reads as two numbers).
_FIGURE = re.compile(r"[<>+\-−–]?\s*\d[\d\s,.:%*/+\-−–]*(?:pp)?(?:\s*\([a-z ]+\))?")


def _td(content: str, numeric: bool) -> str:
    """A body cell: ``num`` for numeric columns, ``nowrap`` for a figure in a text column."""
    if numeric:
        return f"<td class=num>{content}</td>"
    text = html.unescape(re.sub(r"<[^>]*>", "", content)).strip()  # "2012 <abbr>*</abbr>"
    figure = _FIGURE.fullmatch(text)
    return f"<td class=nowrap>{content}</td>" if figure else f"<td>{content}</td>"


def esc(value: object) -> str:
    """Escape text for HTML; None becomes an empty string.

    Examples
    --------
    >>> esc("<b> & co"), esc(None)
    ('&lt;b&gt; &amp; co', '')
    """
    return "" if value is None else html.escape(str(value), quote=True)


def policy_note(note: str | None) -> str:
    """A partner's policy note under its name in a cell or a card; empty when it has none.

    Examples
    --------
    >>> policy_note("Frozen in 2022"), policy_note(None)
    ('<span class=pnote>Policy note: Frozen in 2022</span>', '')
    """
    return f"<span class=pnote>{esc(fmt.policy_note(note))}</span>" if note else ""


def table(
    headers: Sequence[tuple[str, bool]],
    rows: Sequence[Sequence[Cell] | str],
    *,
    css_class: str = "",
    caption: str | None = None,
) -> str:
    """A table; ``headers`` are (escaped label, numeric?) and rows are cells.

    A row given as a string is a group heading across the whole table.

    Examples
    --------
    >>> html_table = table([("Year", False), ("Works", True)], [[("2020", False), ("10", True)]])
    >>> html_table.count("<th scope"), html_table.count("<td class=num>10</td>")
    (2, 1)
    >>> "<td class=nowrap>2020</td>" in html_table
    True
    >>> table([("Year", False)], [[("2012 <abbr title=censored>*</abbr>", False)]]).count("nowrap")
    1
    """
    head = "".join(f'<th scope="col"{" class=num" if n else ""}>{h}</th>' for h, n in headers)
    body = "".join(
        f'<tr class="group"><th colspan="{len(headers)}" scope="rowgroup">{row}</th></tr>'
        if isinstance(row, str)
        else "<tr>" + "".join(_td(c, n) for c, n in row) + "</tr>"
        for row in rows
    )
    cls = f' class="{css_class}"' if css_class else ""
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (
        f'<div class="scroll"><table{cls}>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def status_mark(status: str, words: str | None = None) -> str:
    """An arrow and words for a change status, coloured by CSS class.

    Examples
    --------
    >>> status_mark("up")
    '<span class="st up">↑ significant rise</span>'
    """
    text = words if words is not None else STATUS_WORDS.get(status, status)
    return f'<span class="st {esc(status)}">{fmt.arrow(status)} {esc(text)}</span>'


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def img_tag(png: Path, alt: str, *, svg: Path | None = None, scale: float = 1.5) -> str:
    """An ``<img>`` with the picture inline as base64, sized for the page.

    The PNG gives the size: ``scale`` is its pixels per CSS pixel (drawn at
    about 144 dpi for 96 dpi screens), so it stays sharp on dense screens and
    in print. When the SVG is much smaller (a network of many thin lines),
    the SVG is inlined instead, which keeps the page light enough to email.
    """
    raw = png.read_bytes()
    size = _png_size(raw)
    dims = ""
    if size:
        dims = f' width="{round(size[0] / scale)}" height="{round(size[1] / scale)}"'
    mime = "image/png"
    if svg is not None and svg.is_file() and svg.stat().st_size < 0.6 * len(raw):
        raw, mime = svg.read_bytes(), "image/svg+xml"
    encoded = base64.b64encode(raw).decode("ascii")
    return f'<img src="data:{mime};base64,{encoded}" alt="{esc(alt)}"{dims}>'
