"""Progress and notes on stderr, so stdout stays clean for tables and data."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from copub.secrets import for_terminal

__all__ = ["Progress"]


@dataclass
class Progress:
    """A small stderr reporter that callers pass down; ``enabled=False`` silences it.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> p = Progress(stream=out)
    >>> p.note("fetching 2020")
    >>> out.getvalue()
    'copub: fetching 2020\\n'
    """

    enabled: bool = True
    stream: TextIO | None = None
    min_interval: float = 0.5
    _last: float = field(default=0.0, repr=False)

    def _out(self) -> TextIO:
        return self.stream if self.stream is not None else sys.stderr

    def note(self, message: str) -> None:
        """Print one line: keys and URL credentials masked, control characters removed.

        A note often carries text from outside (a server's message, an
        institution's name): :func:`~copub.secrets.for_terminal` keeps it one
        line without escape sequences.
        """
        if self.enabled:
            print(for_terminal(f"copub: {message}"), file=self._out(), flush=True)

    def tick(self, message: str, *, force: bool = False) -> None:
        """Print a progress line, at most every ``min_interval`` seconds."""
        now = time.monotonic()
        if force or now - self._last >= self.min_interval:
            self._last = now
            self.note(message)

    @classmethod
    def silent(cls) -> Progress:
        """A reporter that prints nothing."""
        return cls(enabled=False)
