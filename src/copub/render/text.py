"""Plain fixed-width text tables for the terminal (within 100 columns)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

__all__ = ["clip", "percent", "text_table", "wrap_label"]


def wrap_label(text: str, width: int) -> list[str]:
    """``text`` over as many lines of at most ``width`` characters as it needs: never cut.

    A table row shows the first line; the others go on the lines below it, in
    the same column.

    Examples
    --------
    >>> wrap_label("Priority countries (Panorama), of intl.", 33)
    ['Priority countries (Panorama), of', 'intl.']
    >>> wrap_label("ERC", 33), wrap_label("", 5)
    (['ERC'], [''])
    """
    return textwrap.wrap(text, width) or [""]


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with ``…`` when cut.

    Examples
    --------
    >>> clip("Technical University of Denmark", 12)
    'Technical U…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


def percent(value: float | None, low: float | None = None, high: float | None = None) -> str:
    """A share as ``58.8%``, with ``[55.1–62.3]`` when an interval is given; ``n/a`` when null.

    Examples
    --------
    >>> percent(0.5882, 0.551, 0.6234)
    '58.8% [55.1-62.3]'
    >>> percent(None)
    'n/a'
    """
    if value is None:
        return "n/a"
    text = f"{100 * value:.1f}%"
    if low is not None and high is not None:
        text += f" [{100 * low:.1f}-{100 * high:.1f}]"
    return text


def text_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool],
    *,
    wrap: Sequence[int | None] | None = None,
) -> str:
    """Columns padded to their widest cell, two spaces apart, a rule under the header.

    ``wrap`` gives a column's largest width: a longer cell goes on over the
    next lines of its column (:func:`wrap_label`), never cut.

    Examples
    --------
    >>> print(text_table(["a", "n"], [["x", "1"], ["yy", "10"]], [False, True]))
    a    n
    --  --
    x    1
    yy  10
    >>> print(text_table(["name", "n"], [["Technical University of Denmark", "7"]],
    ...                  [False, True], wrap=[12, None]))
    name        n
    ----------  -
    Technical   7
    University
    of Denmark
    """
    limits = list(wrap) if wrap is not None else [None] * len(headers)
    cells = [
        [wrap_label(c, w) if w is not None else [c] for c, w in zip(r, limits, strict=True)]
        for r in rows
    ]
    widths = [
        max(len(h), *(len(part) for r in cells for part in r[i])) for i, h in enumerate(headers)
    ]

    def line(parts: Sequence[str]) -> str:
        out = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(parts, widths, right, strict=True)
        ]
        return "  ".join(out).rstrip()

    lines = [line(headers), line(["-" * w for w in widths])]
    for row in cells:
        for k in range(max(len(c) for c in row)):
            lines.append(line([c[k] if k < len(c) else "" for c in row]))
    return "\n".join(lines)
