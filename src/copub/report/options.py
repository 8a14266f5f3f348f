"""What a report is asked for: one frozen bundle of choices, checked once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from copub.classify.definitions import (
    DEFAULT_BASELINE,
    DEFAULT_PLAN,
    Definitions,
    FullInterval,
    PresetName,
    Universe,
)
from copub.errors import DataError, UsageError
from copub.indicators.universe import UNIVERSE_LABELS, legacy_universe
from copub.settings import DEFAULT_INSTITUTION

__all__ = [
    "DEFAULT_BASELINE",
    "DEFAULT_PLAN",
    "UNIVERSE_LABELS",
    "Counting",
    "OutputFormat",
    "ReportOptions",
    "TypesName",
]

Counting = Literal["full", "fractional"]
OutputFormat = Literal["table", "csv", "json", "markdown"]
TypesName = Literal["core", "all"]


def _choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise UsageError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True)
class ReportOptions:
    """The choices behind one report: its :class:`Definitions` and how it is shown.

    Every definitional field (institution, years, periods, universe, preset,
    bootstrap, register, groups) goes into one
    :class:`~copub.classify.definitions.Definitions`, validated once by its
    rules; ``definitions`` holds it. Pass ``definitions=`` to use a value
    built elsewhere (the CLI builds one from its arguments): its fields then
    win and the matching fields here are set from it.

    Parameters
    ----------
    institution : str
        Short OpenAlex id of the home institution (default NTNU).
    years : (int, int), optional
        Inclusive year range; default every year in the tables.
    baseline, plan : (int, int)
        The periods compared in the goal summary (default 2018–2021 and 2022–2025).
    types : {"core", "all"}, optional
        The old universe switch (``core``: articles, reviews, chapters, not
        retracted or paratext); ``universe`` is the new one.
    counting : {"full", "fractional"}
        Which counting method the terminal table, the goal summary and the
        figures show; the files always carry both.
    preset : {"leiden", "scival", "bibliometrix"}
        Definition family.
    bootstrap : int
        Resamples for the bootstrap intervals (0: none).
    seed : int
        Bootstrap seed.
    register : Path, optional
        The Norwegian channel register; without it level 2 is "unavailable".
    groups : Path, optional
        A TOML file of partner groups that extends the defaults.
    top_partners : int
        Partners listed in the partner review.
    universe : {"leiden", "core", "types", "all"}, optional
        The universe rule; default from the preset.
    full_interval : {"wilson", "bootstrap"}
        The full-counting shares' interval.
    definitions : Definitions, optional

    Examples
    --------
    >>> ReportOptions(years=(2015, 2024), counting="fractional").counting
    'fractional'
    >>> ReportOptions(bootstrap=-1)
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: definitions: bootstrap must be 0 or more resamples, not -1
    """

    institution: str = DEFAULT_INSTITUTION
    years: tuple[int, int] | None = None
    baseline: tuple[int, int] = DEFAULT_BASELINE
    plan: tuple[int, int] = DEFAULT_PLAN
    types: TypesName | None = None
    counting: Counting = "full"
    preset: PresetName = "leiden"
    bootstrap: int = 1000
    seed: int = 0
    register: Path | None = None
    groups: Path | None = None
    top_partners: int = 15
    universe: Universe | None = None
    full_interval: FullInterval = "wilson"
    definitions: Definitions | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.types is not None:
            _choice(self.types, get_args(TypesName), "types")
        if self.top_partners < 1:
            raise UsageError(f"top partners must be at least 1, not {self.top_partners}")
        for name in ("register", "groups"):
            path = getattr(self, name)
            if path is not None:
                path = Path(path)
                if not path.is_file():
                    # A missing register is missing data (exit 1), as the README says.
                    error = DataError if name == "register" else UsageError
                    raise error(f"{name} file {path} does not exist")
                object.__setattr__(self, name, path)
        definitions = self.definitions
        if definitions is None:
            fields: dict[str, Any] = legacy_universe(self.types)
            if self.universe is not None:
                fields["universe"] = self.universe
            definitions = Definitions(
                institutions=(self.institution,),
                years=self.years,
                preset=self.preset,
                counting=self.counting,
                groups=self.groups,
                register=self.register,
                baseline=self.baseline,
                plan=self.plan,
                bootstrap=self.bootstrap,
                full_interval=self.full_interval,
                seed=self.seed,
                **fields,
            )
        put = object.__setattr__
        put(self, "definitions", definitions)
        for name in ("years", "baseline", "plan", "preset", "bootstrap", "seed", "counting"):
            put(self, name, getattr(definitions, name))
        put(self, "institution", definitions.institution)
        put(self, "universe", definitions.universe)
        put(self, "full_interval", definitions.full_interval)

    @property
    def defs(self) -> Definitions:
        """The report's definitions (always set)."""
        assert self.definitions is not None
        return self.definitions

    @property
    def fractional(self) -> bool:
        """True when the headline numbers use fractional counting."""
        return self.counting == "fractional"

    @property
    def universe_label(self) -> str:
        """The universe rule in words, for headers and footers."""
        return UNIVERSE_LABELS[self.defs.universe_rule]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (paths as text, periods as lists), with the definitions."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out.pop("definitions")
        for key in ("years", "baseline", "plan"):
            out[key] = list(out[key]) if out[key] is not None else None
        for key in ("register", "groups"):
            out[key] = str(out[key]) if out[key] is not None else None
        out["definitions"] = self.defs.to_dict()
        return out

    def with_(self, **changes: Any) -> ReportOptions:
        """Return a copy with ``changes`` applied (and checked)."""
        definitional = {k for k in changes if k in _DEFINITIONAL}
        if definitional:
            return dataclasses.replace(self, definitions=None, **changes)
        return dataclasses.replace(self, **changes)


_DEFINITIONAL = frozenset(
    {
        "institution",
        "years",
        "baseline",
        "plan",
        "types",
        "counting",
        "preset",
        "bootstrap",
        "seed",
        "register",
        "groups",
        "universe",
        "full_interval",
    }
)

