"""What a report is asked for: one frozen bundle of choices, checked once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from copub.classify.definitions import (
    DEFAULT_BASELINE,
    DEFAULT_PLAN,
    Counting,
    Definitions,
    resolve_definitions,
)
from copub.errors import DataError, UsageError
from copub.indicators.universe import UNIVERSE_LABELS

__all__ = [
    "DEFAULT_BASELINE",
    "DEFAULT_PLAN",
    "UNIVERSE_LABELS",
    "Counting",
    "OutputFormat",
    "ReportOptions",
    "TypesName",
]

OutputFormat = Literal["table", "csv", "json", "markdown"]
TypesName = Literal["core", "all"]


@dataclass(frozen=True, init=False)
class ReportOptions:
    """How one report is shown, beside the :class:`Definitions` that say what it means.

    ReportOptions holds presentation only (``top_partners``); every field that
    gives a number its meaning lives in ``definitions``, validated once by its
    rules, and is read from there (``institution``, ``years``, ``counting``, ...
    are views of it).

    Parameters
    ----------
    definitions : Definitions, optional
        Default: NTNU, every year, the Leiden definitions.
    top_partners : int
        Partners listed in the partner review (15).
    **legacy
        The old keyword arguments (``institution``, ``years``, ``types``,
        ``counting``, ``bootstrap``, ``register``, ``groups``, ...), applied to
        ``definitions`` through :func:`~copub.classify.definitions.resolve_definitions`.

    Examples
    --------
    >>> ReportOptions(years=(2015, 2024), counting="fractional").counting
    'fractional'
    >>> ReportOptions(bootstrap=-1)
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: definitions: bootstrap must be a whole number of resamples from 0 ...
    >>> options = ReportOptions(Definitions(membership="historical", merge_hk_mo=False))
    >>> options.with_(years=(2018, 2020)).defs.membership  # nothing else is reset
    'historical'
    """

    definitions: Definitions
    top_partners: int

    def __init__(
        self, definitions: Definitions | None = None, top_partners: int = 15, **legacy: Any
    ) -> None:
        if isinstance(top_partners, bool) or not isinstance(top_partners, int) or top_partners < 1:
            raise UsageError(f"top partners must be at least 1, not {top_partners!r}")
        for name in ("register", "groups"):
            path = legacy.get(name)
            if isinstance(path, (str, Path)) and not Path(path).is_file():
                # A missing register is missing data (exit 1), as the README says.
                error = DataError if name == "register" else UsageError
                raise error(f"{name} file {path} does not exist")
        put = object.__setattr__
        put(self, "definitions", resolve_definitions(definitions, **legacy))
        put(self, "top_partners", top_partners)

    @property
    def defs(self) -> Definitions:
        """The report's definitions."""
        return self.definitions

    institution = property(lambda self: self.definitions.institution, doc="The home institution.")
    years = property(lambda self: self.definitions.years, doc="The year range, or None.")
    baseline = property(lambda self: self.definitions.baseline, doc="The baseline period.")
    plan = property(lambda self: self.definitions.plan, doc="The plan period.")
    counting = property(lambda self: self.definitions.counting, doc="The headline counting.")
    preset = property(lambda self: self.definitions.preset, doc="The definition family.")
    bootstrap = property(lambda self: self.definitions.bootstrap, doc="Bootstrap resamples.")
    seed = property(lambda self: self.definitions.seed, doc="The bootstrap seed.")
    universe = property(lambda self: self.definitions.universe, doc="The universe rule.")

    @property
    def fractional(self) -> bool:
        """True when the headline numbers use fractional counting."""
        return self.definitions.counting == "fractional"

    @property
    def universe_label(self) -> str:
        """The universe rule in words, for headers and footers."""
        return UNIVERSE_LABELS[self.definitions.universe_rule]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary: the presentation choices and the definitions."""
        return {"top_partners": self.top_partners, "definitions": self.definitions.to_dict()}

    def with_(self, **changes: Any) -> ReportOptions:
        """A copy with ``changes`` applied; a definitional change keeps every other definition."""
        top = changes.pop("top_partners", self.top_partners)
        return ReportOptions(self.definitions, top, **changes)


