"""Number formatting shared by the terminal, markdown and HTML renderers."""

from __future__ import annotations

import math
import textwrap

__all__ = [
    "ARROWS",
    "ASCII_ARROWS",
    "arrow",
    "change",
    "count",
    "interval",
    "is_missing",
    "p_value",
    "percent",
    "policy_note",
    "policy_note_lines",
]

#: Significant rise, significant fall, no significant change, unavailable.
ARROWS = {"up": "↑", "down": "↓", "flat": "→", "unavailable": "·"}
ASCII_ARROWS = {"up": "^", "down": "v", "flat": "-", "unavailable": "."}


def is_missing(value: object) -> bool:
    """True for None and NaN.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0)
    (True, True, False)
    """
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent(value: float | None, digits: int = 1, missing: str = "n/a") -> str:
    """A share as a percentage.

    Examples
    --------
    >>> percent(0.6234), percent(None)
    ('62.3%', 'n/a')
    """
    return missing if is_missing(value) else f"{100 * value:.{digits}f}%"  # type: ignore[operator]


def interval(low: float | None, high: float | None, digits: int = 1) -> str:
    """A 95% interval in percent, ``[57.1–59.3]``; empty when unknown.

    Examples
    --------
    >>> interval(0.571, 0.593), interval(None, 0.5)
    ('[57.1–59.3]', '')
    """
    if is_missing(low) or is_missing(high):
        return ""
    return f"[{100 * low:.{digits}f}–{100 * high:.{digits}f}]"  # type: ignore[operator]


def change(value: float | None, digits: int = 1) -> str:
    """A difference of shares in percentage points, with its sign.

    Examples
    --------
    >>> change(0.0334), change(-0.002), change(None)
    ('+3.3 pp', '-0.2 pp', 'n/a')
    """
    if is_missing(value):
        return "n/a"
    return f"{100 * value:+.{digits}f} pp"  # type: ignore[operator]


def p_value(value: float | None) -> str:
    """A p-value for people: ``<0.001``, ``0.032``, ``0.41``.

    Examples
    --------
    >>> p_value(0.00001), p_value(0.0321), p_value(0.41), p_value(None)
    ('<0.001', '0.032', '0.41', '')
    """
    if is_missing(value):
        return ""
    assert value is not None
    if value < 0.001:
        return "<0.001"
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def count(value: float | None, digits: int = 0) -> str:
    """A count with thousands separators.

    Examples
    --------
    >>> count(12345), count(12.345, 1), count(None)
    ('12,345', '12.3', 'n/a')
    """
    if is_missing(value):
        return "n/a"
    return f"{value:,.{digits}f}"


def arrow(status: str, *, unicode: bool = True) -> str:
    """The arrow of a change status (see :func:`copub.report.goals.change_status`).

    Examples
    --------
    >>> arrow("up"), arrow("down", unicode=False)
    ('↑', 'v')
    """
    return (ARROWS if unicode else ASCII_ARROWS).get(status, "?")


def policy_note(note: str) -> str:
    """A partner's policy note as every output prints it.

    Examples
    --------
    >>> policy_note("Cooperation frozen in March 2022")
    'Policy note: Cooperation frozen in March 2022'
    """
    return f"Policy note: {note}"


def policy_note_lines(note: str, width: int, indent: int = 4) -> list[str]:
    """:func:`policy_note` wrapped to ``width`` under a row, indented ``indent`` spaces.

    Examples
    --------
    >>> policy_note_lines("Cooperation frozen in March 2022", 30)
    ['    Policy note: Cooperation', '      frozen in March 2022']
    """
    return textwrap.wrap(
        policy_note(note), width, initial_indent=" " * indent, subsequent_indent=" " * (indent + 2)
    )
