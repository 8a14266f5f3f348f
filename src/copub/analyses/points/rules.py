"""The national publication-points rules, on plain values for one work.

A port of how the Norwegian research-documentation system (NVA) computes the
Norwegian Publication Indicator (NVI) today, read in BIBSYSDEV/nva-nvi:

- ``event-handlers/.../evaluator/calculator/PointCalculationConstants.java``:
  the base points by publication type, channel type and level
  (``INSTANCE_TYPE_AND_LEVEL_POINT_MAP``), the factors 1.3 and 1.0, and the
  arithmetic: ``MATH_CONTEXT = new MathContext(10, HALF_UP)``, ``SCALE = 10``,
  ``RESULT_SCALE = 4``;
- ``event-handlers/.../evaluator/calculator/PointCalculator.java``:
  ``getInstitutionContributorFraction`` and ``executeNviFormula``;
- ``event-handlers/.../evaluator/PointService.java``: ``getTotalShares`` (the
  author shares, *forfatterandeler*);
- ``libs/publication-service/.../nvi_international_collaboration.rq``: a work
  is an international collaboration when some creator has an affiliation
  whose country is not ``NO``;
- ``libs/publication-service/.../nvi_channel_pairing.rq``: a book or chapter
  takes its series' level when the series has an assigned level, otherwise
  its publisher's.

Everything here works on :class:`decimal.Decimal`, as the Java does on
``BigDecimal``, so the rounding is the same digit for digit.

Examples
--------
>>> institution_points(Decimal(1), True, 2, 4)
Decimal('0.9192')
>>> work_points("chapter", "publisher", 1, [["I1"], ["I1", "I2"], []], ["NO"])
{'I1': Decimal('0.4950'), 'I2': Decimal('0.3500')}
"""

from __future__ import annotations

import decimal
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Literal, get_args

from copub.errors import UsageError

__all__ = [
    "BASE_POINTS",
    "HOME_COUNTRY",
    "INTERNATIONAL_FACTOR",
    "NOT_INTERNATIONAL_FACTOR",
    "ChannelKind",
    "PublicationType",
    "base_points",
    "contributor_fraction",
    "creator_shares",
    "institution_creators",
    "institution_points",
    "is_international",
    "organisation_count",
    "work_points",
]

#: The NVI instance types: ``AcademicArticle``, ``AcademicLiteratureReview``,
#: ``AcademicMonograph``, ``AcademicCommentary``, ``AcademicChapter``.
PublicationType = Literal["article", "review", "monograph", "commentary", "chapter"]
#: The NVI channel types: ``Journal``, ``Series``, ``Publisher``.
ChannelKind = Literal["journal", "series", "publisher"]

#: ``PointCalculationConstants.SCALE``: significant digits of every division
#: and square root (``MATH_CONTEXT``), and decimals of the fraction and root.
SCALE = 10
#: ``PointCalculationConstants.RESULT_SCALE``: decimals of an institution's points.
RESULT_SCALE = 4
#: ``INTERNATIONAL_COLLABORATION_FACTOR`` and ``NOT_INTERNATIONAL_COLLABORATION_FACTOR``.
INTERNATIONAL_FACTOR = Decimal("1.3")
NOT_INTERNATIONAL_FACTOR = Decimal("1.0")
#: ``COUNTRY_CODE_NORWAY``: any other affiliation country makes a work international.
HOME_COUNTRY = "NO"

_ONE, _THREE = Decimal(1), Decimal(3)
_JOURNAL = {1: _ONE, 2: _THREE}
_BOOK = {1: Decimal(5), 2: Decimal(8)}
#: ``INSTANCE_TYPE_AND_LEVEL_POINT_MAP``: base points by (type, channel kind), then level.
BASE_POINTS: Mapping[tuple[PublicationType, ChannelKind], Mapping[int, Decimal]] = {
    ("article", "journal"): _JOURNAL,
    ("review", "journal"): _JOURNAL,
    ("monograph", "publisher"): _BOOK,
    ("monograph", "series"): _BOOK,
    ("commentary", "publisher"): _BOOK,
    ("commentary", "series"): _BOOK,
    # BigDecimal.valueOf(0.7) is 0.7 exactly (it goes through Double.toString).
    ("chapter", "publisher"): {1: Decimal("0.7"), 2: _ONE},
    ("chapter", "series"): {1: _ONE, 2: _THREE},
}

# MathContext(10, HALF_UP) for divisions and roots; exact for products and rescaling.
_MATH = decimal.Context(prec=SCALE, rounding=decimal.ROUND_HALF_UP)
_EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)
_SCALE_STEP = Decimal(1).scaleb(-SCALE)
_RESULT_STEP = Decimal(1).scaleb(-RESULT_SCALE)


def _set_scale(value: Decimal, step: Decimal) -> Decimal:
    """``BigDecimal.setScale(n, HALF_UP)``: round to ``step`` (``1E-n``), half up."""
    return value.quantize(step, rounding=decimal.ROUND_HALF_UP, context=_EXACT)


def base_points(
    publication_type: PublicationType, channel_kind: ChannelKind, level: int | None
) -> Decimal | None:
    """The base points of a work, or None when it earns none.

    ``PointCalculator.getInstanceTypeAndLevelPoints`` reads
    ``INSTANCE_TYPE_AND_LEVEL_POINT_MAP``; only levels 1 and 2 of the channel
    types paired with the publication type are there (``nvi_applicability.rq``
    makes any other work a non-candidate).

    Examples
    --------
    >>> base_points("chapter", "series", 2), base_points("chapter", "publisher", 2)
    (Decimal('3'), Decimal('1'))
    >>> base_points("article", "journal", 0) is None
    True
    """
    if publication_type not in get_args(PublicationType):
        raise UsageError(f"points: unknown publication type {publication_type!r}")
    if channel_kind not in get_args(ChannelKind):
        raise UsageError(f"points: unknown channel kind {channel_kind!r}")
    by_level = BASE_POINTS.get((publication_type, channel_kind))
    if by_level is None or level is None:
        return None
    return by_level.get(level)


def is_international(countries: Iterable[str | None]) -> bool:
    """Whether a creator's affiliation country is not Norway.

    ``nvi_international_collaboration.rq``: ``FILTER (?creatorCountry != "NO")``
    over the creators' affiliations; an affiliation with no country says
    nothing. (The older ``PointService.isInternationalCollaboration`` did the
    same with ``filter(Objects::nonNull).anyMatch(!"NO".equals)``.)

    Examples
    --------
    >>> is_international(["NO", None]), is_international(["NO", "SE"]), is_international(["SE"])
    (False, True, True)
    """
    return any(country is not None and country != HOME_COUNTRY for country in countries)


def creator_shares(creators: Sequence[Collection[str | None]]) -> int:
    """The work's author shares: per creator, its distinct top-level institutions, at least 1.

    ``PointService.getTotalShares`` / ``getUniqueContributorShare``:
    ``Math.max(1, distinct non-null top-level organisation ids)``, summed over
    the creators. A creator with no affiliation, or only affiliations without
    an id, counts once.

    Parameters
    ----------
    creators : sequence of collections of str
        Per creator, the ids of its affiliations' top-level institutions.

    Examples
    --------
    >>> creator_shares([["I1"], ["I1", "I2"], [], [None]])
    5
    """
    return sum(max(1, len({org for org in creator if org is not None})) for creator in creators)


def institution_creators(creators: Sequence[Collection[str | None]], institution: str) -> int:
    """How many creators are affiliated with ``institution`` (a top-level id).

    ``PointCalculator.countCreators``: ``creator.isAffiliatedWith(institutionId)``.
    """
    return sum(1 for creator in creators if institution in creator)


def contributor_fraction(creators: int, shares: int) -> Decimal:
    """``getInstitutionContributorFraction``: ``creators / shares``, 10 digits, then 10 decimals.

    ``BigDecimal.valueOf(count).divide(new BigDecimal(shares), MATH_CONTEXT)
    .setScale(SCALE, HALF_UP)``; zero creators give zero.

    Examples
    --------
    >>> contributor_fraction(1, 3), contributor_fraction(1, 30)
    (Decimal('0.3333333333'), Decimal('0.0333333333'))
    """
    if creators < 0 or shares < 1 or creators > shares:
        raise UsageError(f"points: {creators} creators out of {shares} author shares")
    if creators == 0:
        return _set_scale(Decimal(0), _SCALE_STEP)
    return _set_scale(_MATH.divide(Decimal(creators), Decimal(shares)), _SCALE_STEP)


def institution_points(base: Decimal, international: bool, creators: int, shares: int) -> Decimal:
    """``executeNviFormula``: base × factor × √fraction, rounded to 4 decimals half up.

    The root is taken to 10 significant digits (``sqrt(MATH_CONTEXT)``) and
    rounded to 10 decimals; the products are exact, as ``BigDecimal.multiply``
    is; only the result is rounded to ``RESULT_SCALE``. Python's
    :meth:`~decimal.Decimal.sqrt` rounds half even where Java's rounds half
    up, but a square root of a 10-digit fraction is never a tie at 10 digits.

    Examples
    --------
    >>> institution_points(Decimal(5), False, 2, 3)
    Decimal('4.0825')
    >>> institution_points(Decimal(3), True, 1, 1)
    Decimal('3.9000')
    """
    fraction = contributor_fraction(creators, shares)
    root = _set_scale(fraction.sqrt(_MATH), _SCALE_STEP)
    factor = INTERNATIONAL_FACTOR if international else NOT_INTERNATIONAL_FACTOR
    product = _EXACT.multiply(_EXACT.multiply(base, factor), root)
    return _set_scale(product, _RESULT_STEP)


def organisation_count(lineages: Sequence[Collection[str]]) -> int:
    """How many top-level organisations a creator's institutions make.

    NVA maps each affiliation to its top-level organisation (Cristin's
    hierarchy). OpenAlex gives each institution a ``lineage``: its id and its
    parents' ids, in no particular order, and a parent is often absent from
    the institutions table. So two institutions are one organisation when
    their lineages share an id (a university and its department, or two
    departments of one university), and the organisations are the connected
    groups of that relation. For a tree of institutions this is exactly the
    number of distinct top-level parents.

    Parameters
    ----------
    lineages : sequence of collections of str
        Per institution of the creator, its id together with its lineage.

    Examples
    --------
    >>> organisation_count([["D1", "U1"], ["D2", "U1"], ["U2"]])
    2
    >>> organisation_count([])
    0
    """
    parent = list(range(len(lineages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, lineage in enumerate(lineages):
        for unit in lineage:
            j = owner.setdefault(unit, i)
            parent[root(j)] = root(i)
    return len({root(i) for i in range(len(lineages))})


def work_points(
    publication_type: PublicationType,
    channel_kind: ChannelKind,
    level: int | None,
    creators: Sequence[Collection[str | None]],
    countries: Iterable[str | None],
    *,
    international_factor: bool = True,
) -> dict[str, Decimal]:
    """Points per top-level institution of one work (``PointCalculator.calculatePoints``).

    Parameters
    ----------
    publication_type : {"article", "review", "monograph", "commentary", "chapter"}
    channel_kind : {"journal", "series", "publisher"}
        The channel that decides the level (``nvi_channel_pairing.rq``: a
        series with an assigned level, else the publisher).
    level : int or None
        The channel's level in the work's year (None: not in the register).
    creators : sequence of collections of str
        Per creator, its affiliations' top-level institution ids.
    countries : iterable of str
        The creators' affiliation countries.
    international_factor : bool
        False leaves out the 1.3 factor (what the factor adds is the difference).

    Returns
    -------
    dict of str to Decimal
        Every top-level institution with a creator, and its points (4
        decimals); empty when the work earns no points.

    Examples
    --------
    >>> work_points("article", "journal", 1, [["I1"], ["I2"]], ["NO"])
    {'I1': Decimal('0.7071'), 'I2': Decimal('0.7071')}
    >>> work_points("article", "journal", 0, [["I1"]], ["NO"])
    {}
    """
    base = base_points(publication_type, channel_kind, level)
    if base is None:
        return {}
    international = international_factor and is_international(countries)
    shares = creator_shares(creators)
    institutions = sorted({org for creator in creators for org in creator if org is not None})
    return {
        org: institution_points(base, international, institution_creators(creators, org), shares)
        for org in institutions
    }
