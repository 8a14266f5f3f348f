"""ISSNs with a correct check digit (ISO 3297), made in bulk."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["is_valid_issn", "issn_check_digit", "random_issns"]

_WEIGHTS = np.arange(8, 1, -1)


def issn_check_digit(first_seven: str) -> str:
    """The check character for the first seven digits of an ISSN.

    Examples
    --------
    >>> issn_check_digit("0317847")
    '1'
    >>> issn_check_digit("2434561")
    'X'
    """
    if len(first_seven) != 7 or not first_seven.isdigit():
        raise ValueError(f"{first_seven!r} is not seven digits")
    total = sum(int(d) * w for d, w in zip(first_seven, _WEIGHTS.tolist(), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def is_valid_issn(text: str) -> bool:
    """True for ``NNNN-NNNC`` with the right check character.

    Examples
    --------
    >>> is_valid_issn("0317-8471"), is_valid_issn("0317-8472")
    (True, False)
    """
    if len(text) != 9 or text[4] != "-":
        return False
    digits = text[:4] + text[5:8]
    return digits.isdigit() and issn_check_digit(digits) == text[8].upper()


def random_issns(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct random ISSNs in ``NNNN-NNNC`` form, each with a valid check digit."""
    numbers = rng.choice(10_000_000, size=n, replace=False)
    digits = (numbers[:, None] // 10 ** np.arange(6, -1, -1)) % 10
    checks: npt.NDArray[np.int64] = (11 - (digits * _WEIGHTS).sum(axis=1) % 11) % 11
    out = []
    for number, check in zip(numbers.tolist(), checks.tolist(), strict=True):
        body = f"{number:07d}"
        out.append(f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}")
    return out
