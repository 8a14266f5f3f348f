"""Every definition behind a figure, in one frozen, validated value.

:class:`Definitions` holds what a number *means*: the home institution(s),
the years, the universe rule, the counting rules, the preset (resolved when
the value is built, never later), group membership, the Hong Kong/Macao
switch, the partner groups, the channel register, the baseline and plan
periods and the window size. It is validated once, with one set of rules and
defaults; each bad field raises one :class:`~copub.errors.UsageError` line
that names it. :class:`~copub.settings.Settings` keeps only the machine side
(paths, URL, key, retries).

Every stage after this one reads its definitions from here: the labelling
step, the yearly and window tables, the period comparison, the partner
table, the networks and the report.

Examples
--------
>>> d = Definitions(years=(2015, 2024))
>>> d.preset, d.universe, d.merge_hk_mo, d.fractional
('leiden', 'leiden', True, 'affiliation_strings')
>>> Definitions(preset="bibliometrix").merge_hk_mo
False
>>> Definitions(baseline=(2022, 2025), plan=(2018, 2021))
Traceback (most recent call last):
...
copub.errors.UsageError: definitions: baseline 2022-2025 must end before the plan ...
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from copub.classify.channels import Register, load_register
from copub.classify.group_data import load_groups
from copub.classify.matching import Membership
from copub.classify.membership import PartnerGroups
from copub.errors import UsageError
from copub.settings import DEFAULT_INSTITUTION
from copub.validate import parse_institution_id, parse_year_range

__all__ = [
    "CORE_TYPES",
    "DEFAULT_BASELINE",
    "DEFAULT_PLAN",
    "PRESET_RULES",
    "Counting",
    "Definitions",
    "FractionalRule",
    "FullInterval",
    "PresetName",
    "PresetRule",
    "TypesChoice",
    "Universe",
    "check_periods",
    "legacy_universe",
    "resolve_definitions",
]

PresetName = Literal["leiden", "scival", "bibliometrix"]
#: ``leiden``: the Leiden Ranking Open Edition's publications; ``core``: its
#: core publications; ``types``: the document types in ``types``, not
#: retracted, not paratext; ``all``: every work.
Universe = Literal["leiden", "core", "types", "all"]
Counting = Literal["full", "fractional"]
#: ``affiliation_strings``: Leiden's rule (1/n_authors, split over the
#: author's raw affiliation strings, then over each string's institutions);
#: ``institutions``: split over the authorship's distinct institutions.
FractionalRule = Literal["affiliation_strings", "institutions"]
#: The interval of full-counting shares: Wilson, or the Leiden Ranking's
#: bootstrap stability interval.
FullInterval = Literal["wilson", "bootstrap"]

#: The old ``types=`` argument: ``"core"``, ``"all"`` or a list of document types.
TypesChoice = Literal["core", "all"] | Sequence[str]
BreakdownBy = Literal["field", "domain", "subfield", "unit"]

#: Whole-number fields: (name, lowest, highest, unit). The ranges are the
#: documented ones; 10 million resamples already take hours.
_WHOLE_NUMBERS: tuple[tuple[str, int, int, str], ...] = (
    ("period_window", 1, 50, "years"),
    ("bootstrap", 0, 10_000_000, "resamples"),
    ("citation_window", 0, 50, "years"),
    ("mobility_window", 1, 20, "years"),
    ("early_career_years", 0, 20, "years"),
    ("guest_max_years", 1, 20, "years"),
    ("min_works", 0, 1_000_000, "works"),
)

#: Articles, reviews and book chapters: the ``types`` universe's default.
CORE_TYPES: tuple[str, ...] = ("article", "review", "book-chapter")
#: NTNU's International Development Plan 2022–2025 against the four years before it.
DEFAULT_BASELINE = (2018, 2021)
DEFAULT_PLAN = (2022, 2025)

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class PresetRule:
    """The definitional defaults of one preset (its extra shares live in indicators)."""

    name: PresetName
    universe: Universe
    merge_hk_mo: bool
    fractional: FractionalRule
    source: str


PRESET_RULES: dict[str, PresetRule] = {
    "leiden": PresetRule(
        "leiden", "leiden", True, "affiliation_strings", "CWTS Leiden Ranking Open Edition"
    ),
    "scival": PresetRule(
        "scival",
        "types",
        True,
        "affiliation_strings",
        "Elsevier SciVal collaboration categories; SciVal's categories, copub's approximation "
        "of SciVal's merged institutions (OpenAlex lineage), universe and Hong Kong/Macao",
    ),
    "bibliometrix": PresetRule(
        "bibliometrix", "all", False, "affiliation_strings", "bibliometrix biblioAnalysis (SCP/MCP)"
    ),
}


def _choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise UsageError(f"definitions: {name} must be one of {', '.join(allowed)}, not {value!r}")


def _period(name: str, value: object, *, allow_future: bool) -> tuple[int, int]:
    try:
        return parse_year_range(value, allow_future=allow_future)  # type: ignore[arg-type]
    except (UsageError, TypeError, ValueError) as error:
        raise UsageError(f"definitions: {name}: {error}") from None


def check_periods(baseline: object, plan: object) -> tuple[tuple[int, int], tuple[int, int]]:
    """The one period rule: two valid year ranges, the baseline ending before the plan starts.

    Plan periods may lie in the future (a plan is made before its years
    happen); both start in 1900 or later.

    Examples
    --------
    >>> check_periods("2018-2021", (2026, 2029))
    ((2018, 2021), (2026, 2029))
    >>> check_periods((2018, 2023), (2022, 2025))
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: definitions: baseline 2018-2023 must end before the plan ...
    """
    first = _period("baseline", baseline, allow_future=True)
    second = _period("plan", plan, allow_future=True)
    if first[1] >= second[0]:
        raise UsageError(
            f"definitions: baseline {first[0]}-{first[1]} must end before the plan "
            f"{second[0]}-{second[1]} starts"
        )
    return first, second


@dataclass(frozen=True)
class Definitions:
    """What every figure means; see the module docs.

    Parameters
    ----------
    institutions : str or sequence of str
        The home institution(s), short OpenAlex ids (URLs accepted); a work
        is the home's when an authorship is affiliated with one of them or a
        child unit (OpenAlex lineage). Default NTNU.
    years : (int, int) or str, optional
        Inclusive publication years; default every year in the tables.
    preset : {"leiden", "scival", "bibliometrix"}
        Definition family; fills ``universe``, ``merge_hk_mo`` and
        ``fractional`` when they are not given.
    universe : {"leiden", "core", "types", "all"}, optional
    types : sequence of str
        Document types of the ``types`` universe.
    counting : {"full", "fractional"}
        The headline counting method (tables always carry both).
    fractional : {"affiliation_strings", "institutions"}, optional
    membership : {"current", "historical"}
    merge_hk_mo : bool, optional
        Count Hong Kong and Macao as China, the same way in every table.
    groups : PartnerGroups or path, optional
        Partner groups; a path is a TOML file extending the defaults.
    register : Register or path, optional
        The Norwegian channel register; without it level indicators are
        unavailable, never zero.
    baseline, plan : (int, int) or str
        The compared periods (:func:`check_periods`).
    period_window : int
        Years per rolling period window of the shares (4, as in the Leiden
        Ranking). The old name ``window`` is accepted by :func:`resolve_definitions`.
    citation_window : int
        Citation window of the impact analysis: the publication year plus this
        many years (3).
    mobility_window : int
        N of the mobility definitions: years before a first home year (after a
        last one) in which an affiliation abroad makes a recruitment (a
        departure) (3).
    early_career_years : int
        Largest career age that counts as early career in the mobility analysis (6).
    guest_max_years : int
        Most home years of a guest in the mobility analysis (2).
    home_country : str, optional
        ISO alpha-2 code that "abroad" is measured from in the mobility
        analysis; default the home institution's own country in the data.
    eu_organisation : str, optional
        The home organisation in EU participation data (a key of the packaged
        organisation mapping, a PIC, VAT or organisation number). Default: the
        organisation the mapping gives for the first home institution; when it
        has none, the EU analysis says so instead of showing another
        organisation's figures.
    peer_group : str, optional
        The institution group the peers analysis compares the home with.
    peers : sequence of str
        Peer institutions (short OpenAlex ids) compared with the home, besides
        ``peer_group``'s members.
    breakdown_by : {"field", "domain", "subfield", "unit"}, optional
        The breakdown analysis's grouping.
    breakdown_units : sequence of str
        With ``breakdown_by="unit"``: only these child units of the home.
    min_works : int
        Groups (fields, units) with fewer works are flagged ``small`` (30).
    bootstrap : int
        Resamples of the bootstrap intervals (0: none).
    full_interval : {"wilson", "bootstrap"}
        Interval of the full-counting shares.
    seed : int
        Bootstrap seed.
    """

    institutions: tuple[str, ...] = (DEFAULT_INSTITUTION,)
    years: tuple[int, int] | None = None
    preset: PresetName = "leiden"
    universe: Universe | None = None
    types: tuple[str, ...] = CORE_TYPES
    counting: Counting = "full"
    fractional: FractionalRule | None = None
    membership: Membership = "current"
    merge_hk_mo: bool | None = None
    groups: PartnerGroups | PathLike | None = field(default=None, compare=False)
    register: Register | PathLike | None = field(default=None, compare=False)
    baseline: tuple[int, int] = DEFAULT_BASELINE
    plan: tuple[int, int] = DEFAULT_PLAN
    period_window: int = 4
    bootstrap: int = 1000
    full_interval: FullInterval = "wilson"
    seed: int = 0
    citation_window: int = 3
    mobility_window: int = 3
    early_career_years: int = 6
    guest_max_years: int = 2
    home_country: str | None = None
    eu_organisation: str | None = None
    peer_group: str | None = None
    peers: tuple[str, ...] = ()
    breakdown_by: BreakdownBy | None = None
    breakdown_units: tuple[str, ...] = ()
    min_works: int = 30

    def __post_init__(self) -> None:
        put = object.__setattr__
        # Fields copied unchanged from a validated value (``with_``) are not parsed again.
        known = _KNOWN_VALID.get()
        if "institutions" not in known:
            institutions: object = self.institutions
            if isinstance(institutions, str):
                institutions = (institutions,)
            if not isinstance(institutions, Sequence) or not institutions:
                raise UsageError("definitions: institutions must name at least one institution")
            put(self, "institutions", _ids("institutions", institutions))
        if self.years is not None and "years" not in known:
            put(self, "years", _period("years", self.years, allow_future=False))
        _choice("preset", self.preset, tuple(PRESET_RULES))
        rule = PRESET_RULES[self.preset]
        put(self, "universe", rule.universe if self.universe is None else self.universe)
        _choice("universe", self.universe, get_args(Universe))
        if isinstance(self.types, str) or not all(isinstance(t, str) for t in self.types):
            raise UsageError(
                f"definitions: types must be a list of document types, not {self.types!r}"
            )
        put(self, "types", tuple(self.types))
        if self.universe == "types" and not self.types:
            raise UsageError("definitions: types must name at least one document type")
        _choice("counting", self.counting, get_args(Counting))
        put(self, "fractional", rule.fractional if self.fractional is None else self.fractional)
        _choice("fractional", self.fractional, get_args(FractionalRule))
        _choice("membership", self.membership, ("current", "historical"))
        put(self, "merge_hk_mo", rule.merge_hk_mo if self.merge_hk_mo is None else self.merge_hk_mo)
        if not isinstance(self.merge_hk_mo, bool):
            raise UsageError(
                f"definitions: merge_hk_mo must be True or False, not {self.merge_hk_mo!r}"
            )
        put(self, "groups", _groups(self.groups))
        put(self, "register", _register(self.register))
        if not {"baseline", "plan"} <= known:
            baseline, plan = check_periods(self.baseline, self.plan)
            put(self, "baseline", baseline)
            put(self, "plan", plan)
        for name, low, high, unit in _WHOLE_NUMBERS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise UsageError(
                    f"definitions: {name} must be a whole number of {unit} from {low} to "
                    f"{high}, not {value!r}"
                )
        if self.breakdown_by is not None:
            _choice("breakdown_by", self.breakdown_by, get_args(BreakdownBy))
        for name in ("peers", "breakdown_units"):
            if name not in known:
                put(self, name, _ids(name, getattr(self, name)))
        if self.breakdown_units and self.breakdown_by != "unit":
            raise UsageError("definitions: breakdown_units needs breakdown_by 'unit'")
        if self.home_country is not None:
            code = str(self.home_country).strip().upper()
            if len(code) != 2 or not code.isalpha():
                raise UsageError(
                    f"definitions: home_country must be an ISO alpha-2 code, not "
                    f"{self.home_country!r}"
                )
            put(self, "home_country", code)
        for name in ("eu_organisation", "peer_group"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise UsageError(f"definitions: {name} must be a non-empty text, not {value!r}")
        _choice("full_interval", self.full_interval, get_args(FullInterval))
        if self.full_interval == "bootstrap" and self.bootstrap == 0:
            raise UsageError(
                "definitions: full_interval 'bootstrap' needs bootstrap resamples (> 0)"
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise UsageError(f"definitions: seed must be a whole number, not {self.seed!r}")

    @property
    def institution(self) -> str:
        """The first (usually the only) home institution."""
        return self.institutions[0]

    @property
    def partner_groups(self) -> PartnerGroups:
        """The partner groups (always resolved)."""
        assert isinstance(self.groups, PartnerGroups)
        return self.groups

    @property
    def channel_register(self) -> Register | None:
        """The loaded channel register, or None."""
        assert self.register is None or isinstance(self.register, Register)
        return self.register

    @property
    def fractional_rule(self) -> FractionalRule:
        """The resolved fractional-counting rule."""
        assert self.fractional is not None
        return self.fractional

    @property
    def universe_rule(self) -> Universe:
        """The resolved universe rule."""
        assert self.universe is not None
        return self.universe

    @property
    def merge(self) -> bool:
        """The resolved Hong Kong/Macao switch."""
        return bool(self.merge_hk_mo)

    def with_(self, **changes: Any) -> Definitions:
        """A copy with ``changes`` applied and validated again.

        Changing the preset re-resolves the fields it fills unless they are
        also given.

        Examples
        --------
        >>> Definitions().with_(preset="bibliometrix").universe
        'all'
        """
        changes = _renamed(changes)
        if "preset" in changes:
            for name in ("universe", "merge_hk_mo", "fractional"):
                changes.setdefault(name, None)
        # Validated once: what is copied unchanged is not parsed again (the rules that
        # tie fields together still run).
        token = _KNOWN_VALID.set(frozenset(f.name for f in dataclasses.fields(self)) - set(changes))
        try:
            return dataclasses.replace(self, **changes)
        finally:
            _KNOWN_VALID.reset(token)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, for provenance and the report's definitions table."""
        return {
            "institutions": list(self.institutions),
            "years": list(self.years) if self.years is not None else None,
            "preset": self.preset,
            "universe": self.universe,
            "types": list(self.types) if self.universe == "types" else None,
            "counting": self.counting,
            "fractional": self.fractional,
            "membership": self.membership,
            "merge_hk_mo": self.merge_hk_mo,
            "groups": list(self.partner_groups.keys()),
            "register": self.channel_register.source if self.channel_register else None,
            "baseline": list(self.baseline),
            "plan": list(self.plan),
            "period_window": self.period_window,
            "bootstrap": self.bootstrap,
            "full_interval": self.full_interval,
            "seed": self.seed,
            "citation_window": self.citation_window,
            "mobility_window": self.mobility_window,
            "early_career_years": self.early_career_years,
            "guest_max_years": self.guest_max_years,
            "home_country": self.home_country,
            "eu_organisation": self.eu_organisation,
            "peer_group": self.peer_group,
            "peers": list(self.peers),
            "breakdown_by": self.breakdown_by,
            "breakdown_units": list(self.breakdown_units),
            "min_works": self.min_works,
        }


def legacy_universe(types: TypesChoice | None) -> dict[str, object]:
    """``Definitions`` fields for the old ``types=`` argument.

    ``"core"`` was copub's name for articles, reviews and book chapters that
    are neither retracted nor paratext (now the ``types`` universe); ``"all"``
    is every work; a list keeps those types (not retracted, not paratext).
    """
    if types is None:
        return {}
    if isinstance(types, str):
        if types == "core":
            return {"universe": "types", "types": CORE_TYPES}
        if types == "all":
            return {"universe": "all"}
        raise UsageError(f"types must be 'core', 'all' or a list of types, not {types!r}")
    return {"universe": "types", "types": tuple(types)}


#: The fields of the value being built that were copied from a validated one (``with_``).
_KNOWN_VALID: ContextVar[frozenset[str]] = ContextVar("copub_known_valid", default=frozenset())

#: Old keyword names and the fields that replaced them.
_OLD_NAMES = {"window": "period_window"}


def _renamed(changes: dict[str, Any]) -> dict[str, Any]:
    return {_OLD_NAMES.get(name, name): value for name, value in changes.items()}


def resolve_definitions(definitions: Definitions | None = None, **legacy: Any) -> Definitions:
    """``definitions`` with the old keyword arguments applied (``None`` means not given).

    This is the one shim for the keyword arguments the public functions took
    before :class:`Definitions` (``institution=``, ``types=``, ``window=``, ...):
    every function that still accepts them passes them here.

    Examples
    --------
    >>> resolve_definitions(institution="I1", preset="bibliometrix").universe
    'all'
    >>> resolve_definitions(Definitions(years=(2020, 2021)), types="all").universe
    'all'
    >>> resolve_definitions(window=3).period_window
    3
    """
    changes = _renamed({k: v for k, v in legacy.items() if v is not None})
    if "institution" in changes:
        changes["institutions"] = (changes.pop("institution"),)
    if "types" in changes:
        changes |= legacy_universe(changes.pop("types"))
    if definitions is None:
        return Definitions(**changes)
    return definitions.with_(**changes) if changes else definitions


def _ids(name: str, values: object) -> tuple[str, ...]:
    """Distinct short OpenAlex institution ids, in order."""
    if isinstance(values, str):
        values = (values,)
    if not isinstance(values, Sequence):
        raise UsageError(f"definitions: {name} must be a list of institution ids, not {values!r}")
    try:
        return tuple(dict.fromkeys(parse_institution_id(str(i)) for i in values))
    except UsageError as error:
        raise UsageError(f"definitions: {error}") from None


def _groups(value: object) -> PartnerGroups:
    if isinstance(value, PartnerGroups):
        return value
    if value is None or isinstance(value, (str, os.PathLike)):
        try:
            return load_groups(value)
        except UsageError as error:
            raise UsageError(f"definitions: groups: {error}") from None
    raise UsageError(f"definitions: groups must be PartnerGroups or a TOML path, not {value!r}")


def _register(value: object) -> Register | None:
    if value is None or isinstance(value, Register):
        return value
    if isinstance(value, (str, os.PathLike)):
        return load_register(Path(value))
    raise UsageError(f"definitions: register must be a Register or a path, not {value!r}")
