"""What a report is asked for: one frozen bundle of choices, checked once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from copub.errors import DataError, UsageError
from copub.indicators.presets import PRESETS, PresetName
from copub.settings import DEFAULT_INSTITUTION
from copub.validate import parse_institution_id, parse_year_range

__all__ = [
    "DEFAULT_BASELINE",
    "DEFAULT_PLAN",
    "Counting",
    "OutputFormat",
    "ReportOptions",
    "TypesName",
]

Counting = Literal["full", "fractional"]
OutputFormat = Literal["table", "csv", "json", "markdown"]
TypesName = Literal["core", "all"]

#: NTNU's International Development Plan 2022–2025 against the four years before it.
DEFAULT_BASELINE = (2018, 2021)
DEFAULT_PLAN = (2022, 2025)


def _choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise UsageError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True)
class ReportOptions:
    """The choices behind one report.

    Parameters
    ----------
    institution : str
        Short OpenAlex id of the home institution (default NTNU).
    years : (int, int), optional
        Inclusive year range; default every year in the tables.
    baseline, plan : (int, int)
        The periods compared in the goal summary (default 2018–2021 and 2022–2025).
    types : {"core", "all"}, optional
        Document types; default from the preset.
    counting : {"full", "fractional"}
        Which counting method the terminal table, the goal summary and the
        figures show; the files always carry both.
    preset : {"leiden", "scival", "bibliometrix"}
        Definition family.
    bootstrap : int
        Resamples for the fractional shares' stability intervals (0: none).
    seed : int
        Bootstrap seed.
    register : Path, optional
        The Norwegian channel register; without it level 2 is "unavailable".
    groups : Path, optional
        A TOML file of partner groups that extends the defaults.
    top_partners : int
        Partners listed in the partner review.

    Examples
    --------
    >>> ReportOptions(years=(2015, 2024), counting="fractional").counting
    'fractional'
    >>> ReportOptions(bootstrap=-1)
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: bootstrap must be 0 or more resamples, not -1
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "institution", parse_institution_id(self.institution))
        if self.years is not None:
            object.__setattr__(self, "years", parse_year_range(self.years))
        for name in ("baseline", "plan"):
            period = parse_year_range(getattr(self, name), allow_future=True)
            object.__setattr__(self, name, period)
        if self.baseline[1] >= self.plan[0]:
            raise UsageError(
                f"baseline {self.baseline[0]}-{self.baseline[1]} must end before the plan "
                f"period {self.plan[0]}-{self.plan[1]} starts"
            )
        if self.types is not None:
            _choice(self.types, get_args(TypesName), "types")
        _choice(self.counting, get_args(Counting), "counting")
        _choice(self.preset, tuple(PRESETS), "preset")
        if self.bootstrap < 0:
            raise UsageError(f"bootstrap must be 0 or more resamples, not {self.bootstrap}")
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

    @property
    def fractional(self) -> bool:
        """True when the headline numbers use fractional counting."""
        return self.counting == "fractional"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (paths as text, periods as lists)."""
        out = dataclasses.asdict(self)
        for key in ("years", "baseline", "plan"):
            out[key] = list(out[key]) if out[key] is not None else None
        for key in ("register", "groups"):
            out[key] = str(out[key]) if out[key] is not None else None
        return out

    def with_(self, **changes: Any) -> ReportOptions:
        """Return a copy with ``changes`` applied (and checked)."""
        return dataclasses.replace(self, **changes)
