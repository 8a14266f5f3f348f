"""The one exception tree of copub.

Every error copub raises on purpose is a :class:`CopubError`. The command line
translates them at the edge into one line on stderr and an exit code: 2 for
usage errors, 1 for data and network errors.

Examples
--------
>>> from copub.errors import CopubError, UsageError
>>> issubclass(UsageError, CopubError)
True
>>> UsageError("bad --years").exit_code
2
"""

from __future__ import annotations

__all__ = [
    "BudgetExhaustedError",
    "CopubError",
    "DataError",
    "NetworkError",
    "RegisterFormatError",
    "UsageError",
]


class CopubError(Exception):
    """Root of every error that copub raises on purpose."""

    exit_code: int = 1


class UsageError(CopubError, ValueError):
    """An argument or setting is invalid: the caller can fix it (exit 2)."""

    exit_code = 2


class DataError(CopubError):
    """Input data is malformed: a file, a record or a reference table (exit 1)."""


class RegisterFormatError(DataError):
    """A channel-register file is not in a format copub reads."""


class NetworkError(CopubError):
    """The API could not be reached or kept failing after all retries (exit 1)."""


class BudgetExhaustedError(NetworkError):
    """OpenAlex answered 429: the daily budget is spent. Everything fetched is kept."""
