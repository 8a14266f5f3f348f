"""The argument parser class of every copub command: its errors are one line, exit 2.

Its own module, free of the stages, so that ``copub --help`` and ``copub
--version`` import nothing heavy (see :mod:`copub.cli.commands`).
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from copub.errors import UsageError

__all__ = ["CopubArgumentParser"]


class CopubArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are :class:`UsageError` (one line, exit 2)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        # main() prints "copub: error: " before it: say the command once, at the end.
        raise UsageError(f"{message} (see {self.prog} --help)")
