"""Where a set of numbers came from: recorded at every run, stated in every report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Literal

__all__ = [
    "OPENALEX_PAGE",
    "SYNTHETIC_ID",
    "SYNTHETIC_WORK_ID",
    "Provenance",
    "is_synthetic_id",
    "is_synthetic_work_id",
    "openalex_page",
    "package_versions",
]

SourceKind = Literal["openalex", "import", "synthetic", "unknown"]

#: Work ids of copub's synthetic world (``copub.sample.ids``): ``W``, ``9`` and 11
#: digits, longer than any real OpenAlex id. Tables with such a work are synthetic,
#: however their files arrived (``import``, a replay server, a copy).
SYNTHETIC_WORK_ID = r"^W9\d{11}$"

#: Any id copub's generator invents (works, authors, institutions, sources; the
#: N5T peers' ``W8…``/``A8…``): a letter, ``9`` or ``8``, and 11 digits. OpenAlex
#: has no page for it, so no output links one to openalex.org.
SYNTHETIC_ID = r"^[A-Z][89]\d{11}$"

#: Where an OpenAlex entity's page is.
OPENALEX_PAGE = "https://openalex.org/"


def is_synthetic_id(entity_id: str) -> bool:
    """True for an id of copub's synthetic world (of any entity).

    Examples
    --------
    >>> is_synthetic_id("I900000000042"), is_synthetic_id("A800000000007")
    (True, True)
    >>> is_synthetic_id("I204778367"), is_synthetic_id("A5023888391")
    (False, False)
    """
    return re.match(SYNTHETIC_ID, entity_id) is not None


def openalex_page(entity_id: str) -> str:
    """The OpenAlex page of an id; "" for a synthetic id, which has none.

    Examples
    --------
    >>> openalex_page("I204778367"), openalex_page("I900000000042")
    ('https://openalex.org/I204778367', '')
    """
    return "" if is_synthetic_id(entity_id) else OPENALEX_PAGE + entity_id


def is_synthetic_work_id(work_id: str) -> bool:
    """True for a work id of copub's synthetic world.

    Examples
    --------
    >>> is_synthetic_work_id("W900000000042"), is_synthetic_work_id("W4391234567")
    (True, False)
    """
    return re.match(SYNTHETIC_WORK_ID, work_id) is not None


def package_versions() -> dict[str, str]:
    """Versions of copub and the libraries that shape its numbers.

    Read once a process: the code it runs is the code it imported, and each
    read scans the metadata of every installed package (a third of reading a
    small page of works took this).

    Examples
    --------
    >>> sorted(package_versions())
    ['copub', 'polars', 'pyalex']
    """
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> dict[str, str]:
    versions = {}
    for name in ("copub", "pyalex", "polars"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Provenance:
    """The origin of a set of tables.

    Attributes
    ----------
    source : {"openalex", "import", "synthetic", "unknown"}
        How the works arrived.
    synthetic : bool
        True for the generated sample: every output made from it says so.
    institution : str or None
        Short OpenAlex id of the institution the works were fetched for; None
        when they were fetched for several (see ``institutions``).
    institutions : tuple of str
        Every institution the works were fetched for, in order; one for a
        single-institution fetch. Filled from ``institution`` when only that
        is given (as in provenance files written before it existed).
    years : tuple of int or None
        First and last publication year asked for.
    query : str or None
        The OpenAlex filter, or the generator's parameters.
    api_url : str or None
        The base URL the works came from.
    created : str
        When the tables were built (UTC, ISO 8601).
    versions : dict
        copub, pyalex and polars versions.
    counts : dict
        Records read, duplicates removed, truncated works completed, and so on.
    inputs : tuple of str
        Files the tables were read from.
    per_institution : dict
        For a fetch: each institution's own counts (``expected_works``,
        ``received_works``, ``pages``, ``refetched``, ``retries``), by id.
    institution_conflicts : dict
        Institutions whose records in the works disagree: per institution id,
        per attribute (``name``, ``country_code``, …), the works whose record
        gives another value than the one kept (a data-quality count).

    Examples
    --------
    >>> Provenance(institution="I1").institutions
    ('I1',)
    >>> both = Provenance(institutions=("I1", "I2"))
    >>> both.institution is None, Provenance.from_dict(both.to_dict()).institutions
    (True, ('I1', 'I2'))
    """

    source: SourceKind = "unknown"
    synthetic: bool = False
    institution: str | None = None
    years: tuple[int, int] | None = None
    query: str | None = None
    api_url: str | None = None
    created: str = field(default_factory=_now)
    versions: dict[str, str] = field(default_factory=package_versions)
    counts: dict[str, int] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    per_institution: dict[str, dict[str, int]] = field(default_factory=dict)
    institution_conflicts: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        institutions = tuple(self.institutions)
        if len(institutions) > 1 and self.institution is not None:
            raise ValueError("institution names one institution; give several in institutions")
        if self.institution is not None:
            institutions = (self.institution,)
        elif len(institutions) == 1:
            object.__setattr__(self, "institution", institutions[0])
        object.__setattr__(self, "institutions", institutions)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        out = dataclasses.asdict(self)
        out["years"] = list(self.years) if self.years else None
        out["inputs"] = list(self.inputs)
        out["institutions"] = list(self.institutions)
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Provenance:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        kept = {k: v for k, v in values.items() if k in known}
        if kept.get("years"):
            kept["years"] = tuple(kept["years"])
        kept["inputs"] = tuple(kept.get("inputs", ()))
        kept["institutions"] = tuple(kept.get("institutions") or ())
        if len(kept["institutions"]) > 1:
            kept["institution"] = None
        return cls(**kept)

    def with_(self, **changes: Any) -> Provenance:
        """Return a copy with ``changes`` applied.

        Changing ``institution`` or ``institutions`` alone sets the other to match.
        """
        if "institutions" in changes and "institution" not in changes:
            changes["institution"] = None
        elif "institution" in changes and "institutions" not in changes:
            changes["institutions"] = ()
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """One line for stderr and report footers."""
        if self.synthetic:
            origin = "SYNTHETIC sample data (not real publications)"
        elif self.source == "openalex":
            origin = f"OpenAlex ({self.api_url or 'api.openalex.org'})"
        else:
            origin = f"{self.source} data"
        parts = [origin]
        if len(self.institutions) == 1:
            parts.append(f"institution {self.institutions[0]}")
        elif self.institutions:
            parts.append(f"{len(self.institutions)} institutions {', '.join(self.institutions)}")
        if self.years:
            parts.append(f"years {self.years[0]}-{self.years[1]}")
        parts.append(f"built {self.created}")
        parts.append(f"copub {self.versions.get('copub', '?')}")
        return "; ".join(parts)
