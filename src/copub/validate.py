"""Checks of user-supplied arguments, shared by the API and the CLI."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from copub.errors import UsageError

__all__ = [
    "missing_file","parse_institution_id", "parse_year_range"]

#: OpenAlex ids have at most a dozen digits; 15 leaves room and keeps file names short.
_INSTITUTION = re.compile(r"^(?:https?://openalex\.org/)?([Ii]\d{1,15})$")
_FIRST_YEAR = 1900


def parse_institution_id(text: str) -> str:
    """Return the short OpenAlex institution id (``I…``) or raise :class:`UsageError`.

    Examples
    --------
    >>> parse_institution_id("https://openalex.org/I204778367")
    'I204778367'
    """
    match = _INSTITUTION.match(text.strip())
    if not match:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UsageError(
            f"institution {shown!r} is not an OpenAlex institution id such as I204778367"
        )
    return "I" + match.group(1)[1:]


def parse_year_range(
    value: str | tuple[int, int] | int, *, allow_future: bool = False
) -> tuple[int, int]:
    """Parse ``"2012-2025"``, ``"2020"``, ``2020`` or ``(2012, 2025)``.

    Raises
    ------
    UsageError
        For text that is not a range, a reversed range, or years before 1900
        or after next year.

    Examples
    --------
    >>> parse_year_range("2012-2025")
    (2012, 2025)
    >>> parse_year_range("2025-2012")
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: year range 2025-2012 ends before it starts
    """
    if isinstance(value, tuple):
        first, last = value
    elif isinstance(value, int):
        first = last = value
    else:
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–:]\s*(\d{4}))?\s*", value)
        if not match:
            raise UsageError(f"years {value!r} must look like 2012-2025 or 2020")
        first = int(match.group(1))
        last = int(match.group(2) or first)
    if first > last:
        raise UsageError(f"year range {first}-{last} ends before it starts")
    latest = dt.date.today().year + 1
    if first < _FIRST_YEAR or (last > latest and not allow_future):
        raise UsageError(f"year range {first}-{last} is outside {_FIRST_YEAR}-{latest}")
    return first, last


def missing_file(path: Path, what: str) -> str | None:
    """Why ``path`` cannot be read as ``what`` (a directory, or nothing there), else None.

    Examples
    --------
    >>> import tempfile
    >>> missing_file(Path(tempfile.mkdtemp()), "register file")  # doctest: +ELLIPSIS
    'register file /tmp/... is a directory, not a file'
    >>> missing_file(Path("/no/such.csv"), "groups file")
    'groups file /no/such.csv does not exist'
    """
    if path.is_dir():
        return f"{what} {path} is a directory, not a file"
    if not path.is_file():
        return f"{what} {path} does not exist"
    return None
