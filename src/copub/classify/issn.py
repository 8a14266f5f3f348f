"""ISSNs normalised to ``NNNN-NNNX`` with a validated check digit (ISO 3297).

The check digit is ``(11 - Σ dᵢ·(8 - i)) mod 11`` over the first seven digits,
written ``X`` for 10. Anything else (wrong length, letters, a wrong check
digit) is invalid: ``None`` in Python, null in polars.

Examples
--------
>>> normalize_issn("0028-0836"), normalize_issn(" 1474547x "), normalize_issn("0028-0837")
('0028-0836', '1474-547X', None)
"""

from __future__ import annotations

import re

import polars as pl

__all__ = ["issn_check_char", "normalize_issn", "normalize_issn_expr"]

_SHAPE = re.compile(r"^(\d{4})-?(\d{3}[\dX])$")


def issn_check_char(seven_digits: str) -> str:
    """The ISSN check character (ISO 3297, modulus 11) of the first seven digits.

    Examples
    --------
    >>> issn_check_char("0317847"), issn_check_char("2434561")
    ('1', 'X')
    """
    total = sum(int(d) * (8 - i) for i, d in enumerate(seven_digits))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_issn(text: str | None) -> str | None:
    """``NNNN-NNNX`` for a valid ISSN (hyphen optional, ``x`` allowed), else ``None``.

    Examples
    --------
    >>> normalize_issn("19326203")
    '1932-6203'
    >>> normalize_issn("1932-620X") is None
    True
    """
    if text is None:
        return None
    match = _SHAPE.match(text.strip().upper())
    if not match:
        return None
    digits = match.group(1) + match.group(2)
    if issn_check_char(digits[:7]) != digits[7]:
        return None
    return f"{digits[:4]}-{digits[4:]}"


def normalize_issn_expr(expr: pl.Expr) -> pl.Expr:
    """The vectorised twin of :func:`normalize_issn`: a String expression, null when invalid.

    Examples
    --------
    >>> frame = pl.DataFrame({"issn": ["0140-6736", "01406736", "0140-6737", None]})
    >>> frame.select(normalize_issn_expr(pl.col("issn")))["issn"].to_list()
    ['0140-6736', '0140-6736', None, None]
    """
    text = expr.str.strip_chars().str.to_uppercase()
    digits = text.str.replace("-", "", literal=True)
    total = pl.sum_horizontal(
        digits.str.slice(i, 1).cast(pl.Int32, strict=False) * (8 - i) for i in range(7)
    )
    check = (11 - total % 11) % 11
    check_char = pl.when(check == 10).then(pl.lit("X")).otherwise(check.cast(pl.String))
    valid = text.str.contains(_SHAPE.pattern) & (digits.str.slice(7, 1) == check_char)
    formatted = digits.str.slice(0, 4) + pl.lit("-") + digits.str.slice(4, 4)
    return pl.when(valid).then(formatted).otherwise(pl.lit(None, pl.String))
