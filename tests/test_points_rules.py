"""The national publication-points rules, against hand-computed values and nva-nvi's own tests.

Expected values marked "nva-nvi" are copied from BIBSYSDEV/nva-nvi
``event-handlers/src/test/java/no/sikt/nva/nvi/events/evaluator/PointCalculationTest.java``
(``singleCreatorSingleInstitutionPointProvider``,
``twoCreatorsAffiliatedWithOneInstitutionPointProvider``,
``twoCreatorsAffiliatedWithTwoDifferentInstitutionsPointProvider`` and the
single tests named below); the others are worked out by hand in the comments.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from copub.analyses.points import rules
from copub.errors import UsageError

# nva-nvi singleCreatorSingleInstitutionPointProvider: (type, channel, level) -> points.
SINGLE_CREATOR = [
    ("commentary", "series", 1, "5"),
    ("commentary", "series", 2, "8"),
    ("commentary", "publisher", 1, "5"),
    ("commentary", "publisher", 2, "8"),
    ("monograph", "series", 1, "5"),
    ("monograph", "series", 2, "8"),
    ("monograph", "publisher", 1, "5"),
    ("monograph", "publisher", 2, "8"),
    ("chapter", "series", 1, "1"),
    ("chapter", "series", 2, "3"),
    ("chapter", "publisher", 1, "0.7"),
    ("chapter", "publisher", 2, "1"),
    ("article", "journal", 1, "1"),
    ("article", "journal", 2, "3"),
    ("review", "journal", 1, "1"),
    ("review", "journal", 2, "3"),
]


@pytest.mark.parametrize(("kind", "channel", "level", "expected"), SINGLE_CREATOR)
def test_one_creator_at_one_institution_earns_the_base_points(
    kind: rules.PublicationType, channel: rules.ChannelKind, level: int, expected: str
) -> None:
    points = rules.work_points(kind, channel, level, [["N1"]], ["NO"])
    assert points == {"N1": Decimal(expected).quantize(Decimal("0.0001"))}


# nva-nvi twoCreatorsAffiliatedWithOneInstitutionPointProvider: creator 1 at N1 and N2,
# creator 2 at N1, and (shares - 3) creators at a third institution in Sweden when the
# work is international, in Norway otherwise.
TWO_CREATORS_ONE_INSTITUTION = [
    ("commentary", "series", 1, False, 3, "4.0825", "2.8868", "6.9693"),
    ("commentary", "series", 2, True, 4, "7.3539", "5.2000", "12.5539"),
    ("commentary", "series", 2, False, 4, "5.6569", "4.0000", "9.6569"),
    ("monograph", "series", 1, False, 3, "4.0825", "2.8868", "6.9693"),
    ("monograph", "series", 2, True, 4, "7.3539", "5.2000", "12.5539"),
    ("monograph", "series", 2, False, 4, "5.6569", "4.0000", "9.6569"),
    ("chapter", "series", 1, True, 5, "0.8222", "0.5814", "1.4036"),
    ("chapter", "series", 2, False, 5, "1.8974", "1.3416", "3.2390"),
    ("article", "journal", 1, False, 7, "0.5345", "0.3780", "0.9125"),
    ("article", "journal", 2, False, 7, "1.6036", "1.1339", "2.7375"),
    ("review", "journal", 1, True, 8, "0.6500", "0.4596", "1.1096"),
    ("review", "journal", 2, True, 8, "1.9500", "1.3789", "3.3289"),
]


@pytest.mark.parametrize(
    ("kind", "channel", "level", "intl", "shares", "first", "second", "total"),
    TWO_CREATORS_ONE_INSTITUTION,
)
def test_nva_nvi_co_publishing_examples(
    kind: rules.PublicationType,
    channel: rules.ChannelKind,
    level: int,
    intl: bool,
    shares: int,
    first: str,
    second: str,
    total: str,
) -> None:
    others = shares - 3
    creators = [["N1", "N2"], ["N1"], *[["X"]] * others]
    countries = ["NO", "NO", "NO"] + (["SE"] if intl else ["NO"]) * others
    points = rules.work_points(kind, channel, level, creators, countries)
    assert rules.creator_shares(creators) == shares
    assert points["N1"] == Decimal(first)
    assert points["N2"] == Decimal(second)
    assert points["N1"] + points["N2"] == Decimal(total)


def test_nva_nvi_two_creators_at_two_institutions() -> None:
    # twoCreatorsAffiliatedWithTwoDifferentInstitutionsPointProvider ("example from cristin
    # calculations, publicationYear 2022"): 0.7071 each, 1.4142 in all.
    points = rules.work_points("article", "journal", 1, [["N1"], ["N2"]], ["NO", "NO"])
    assert points == {"N1": Decimal("0.7071"), "N2": Decimal("0.7071")}


def test_nva_nvi_four_shares_two_home_creators_international() -> None:
    # shouldReturnExpectedPointsWhenResultWithFourSharesHasTwoNviAffiliatedContributors:
    # creator 1 at N1, creator 2 in Sweden, creator 3 at N1 and in Sweden: 1 + 1 + 2 shares;
    # sqrt(2/4) = 0.7071067812, x 1 x 1.3 = 0.91923881556 -> 0.9192.
    creators = [["N1"], ["S1"], ["N1", "S1"]]
    points = rules.work_points("article", "journal", 1, creators, ["NO", "SE", "NO", "SE"])
    assert rules.creator_shares(creators) == 4
    assert points["N1"] == Decimal("0.9192")


def test_a_creator_without_affiliation_counts_one_share() -> None:
    # shouldCountOneCreatorShareForCreatorsWithoutAffiliations: sqrt(1/2) -> 0.7071.
    points = rules.work_points("article", "journal", 1, [["N1"], []], ["NO"])
    assert points == {"N1": Decimal("0.7071")}


def test_affiliations_without_id_count_no_share_of_their_own() -> None:
    # shouldNotCountCreatorSharesForAffiliationsWithoutId: one share, 1 point.
    assert rules.creator_shares([["N1", None, None]]) == 1
    assert rules.work_points("article", "journal", 1, [["N1", None, None]], ["NO"]) == {
        "N1": Decimal("1.0000")
    }
    # shouldCountOneCreatorShareForCreatorsWithOnlyAffiliationsWithoutId: 2 shares, 0.7071.
    creators: list[list[str | None]] = [["N1"], [None, None]]
    assert rules.creator_shares(creators) == 2
    assert rules.work_points("article", "journal", 1, creators, ["NO"])["N1"] == Decimal("0.7071")


def test_an_author_with_two_institutions_counts_a_share_at_each() -> None:
    # One author at N1 and N2, one at N1: 3 shares. N1: sqrt(2/3) = 0.8164965809 -> 0.8165;
    # N2: sqrt(1/3) = 0.5773502692 -> 0.5774.
    points = rules.work_points("article", "journal", 1, [["N1", "N2"], ["N1"]], ["NO"])
    assert points == {"N1": Decimal("0.8165"), "N2": Decimal("0.5774")}


def test_two_units_of_one_university_are_one_organisation() -> None:
    # shouldCountOneInstitutionShareForCreatorsWithSeveralAffiliationsInSameInstitution:
    # one creator at two units of one university earns the university 1 point.
    assert rules.organisation_count([["D1", "U1"], ["U1", "D2"]]) == 1
    assert rules.organisation_count([["D1", "U1"], ["U2"]]) == 2
    # A joint unit links its two parents for this creator.
    assert rules.organisation_count([["U1"], ["J", "U1", "U2"], ["U2"]]) == 1
    assert rules.organisation_count([["U1"]]) == 1


def test_a_chapter_in_a_series_earns_more_than_one_in_an_anthology() -> None:
    # Two creators, one at home, international: sqrt(1/2) = 0.7071067812.
    creators, countries = [["N1"], ["S1"]], ["NO", "SE"]
    # Series, level 2: 3 x 1.3 x 0.7071067812 = 2.75771644668 -> 2.7577.
    assert rules.work_points("chapter", "series", 2, creators, countries)["N1"] == Decimal("2.7577")
    # Publisher (anthology), level 2: 1 x 1.3 x 0.7071067812 = 0.91923881556 -> 0.9192.
    assert rules.work_points("chapter", "publisher", 2, creators, countries)["N1"] == Decimal(
        "0.9192"
    )
    # Level 1: series 1 x 1.3 x 0.7071067812 -> 0.9192; publisher 0.7 x ... = 0.64346717089.
    assert rules.work_points("chapter", "series", 1, creators, countries)["N1"] == Decimal("0.9192")
    assert rules.work_points("chapter", "publisher", 1, creators, countries)["N1"] == Decimal(
        "0.6435"
    )


def test_rounding_at_the_fourth_decimal_is_half_up() -> None:
    # 9 home creators of 64 shares: fraction 0.140625, root 0.375 exactly; a chapter from a
    # publisher, level 1, international: 0.7 x 1.3 x 0.375 = 0.34125 exactly, a tie at the
    # 5th decimal: half up gives 0.3413 (half even would give 0.3412).
    points = rules.institution_points(Decimal("0.7"), True, 9, 64)
    assert points == Decimal("0.3413")
    assert str(points) == "0.3413"
    # Below the tie it rounds down: 1 x 1.0 x sqrt(1/3) = 0.5773502692 -> 0.5774 (up),
    # sqrt(1/7) = 0.3779644730 -> 0.3780, sqrt(1/5) = 0.4472135955 -> 0.4472 (down).
    assert rules.institution_points(Decimal(1), False, 1, 5) == Decimal("0.4472")


def test_fractions_are_ten_digits_then_ten_decimals_half_up() -> None:
    assert rules.contributor_fraction(2, 3) == Decimal("0.6666666667")
    # 1/30 to 10 significant digits is 0.03333333333; 10 decimals cut it to 0.0333333333.
    assert rules.contributor_fraction(1, 30) == Decimal("0.0333333333")
    assert rules.contributor_fraction(0, 3) == Decimal("0E-10")
    assert rules.institution_points(Decimal(3), True, 0, 3) == Decimal("0.0000")


def test_international_means_an_affiliation_outside_norway() -> None:
    assert not rules.is_international(["NO", "NO", None])
    assert rules.is_international(["NO", "DK"])
    # The national rule, not copub's two-country rule: one foreign country is enough.
    assert rules.is_international(["SE"])
    assert not rules.is_international([])


def test_only_levels_one_and_two_of_paired_channels_earn_points() -> None:
    assert rules.work_points("article", "journal", 0, [["N1"]], ["NO"]) == {}
    assert rules.work_points("article", "journal", None, [["N1"]], ["NO"]) == {}
    # An article is paired with a journal only; a chapter never with a journal.
    assert rules.work_points("article", "series", 2, [["N1"]], ["NO"]) == {}
    assert rules.work_points("chapter", "journal", 2, [["N1"]], ["NO"]) == {}


def test_bad_values_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown publication type"):
        rules.base_points("letter", "journal", 1)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="unknown channel kind"):
        rules.base_points("article", "conference", 1)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="3 creators out of 2"):
        rules.contributor_fraction(3, 2)


orgs = st.sampled_from(["N1", "N2", "S1", "U1"])
creator_lists = st.lists(st.lists(orgs, max_size=3), min_size=1, max_size=8)
kinds = st.sampled_from(sorted(rules.BASE_POINTS))
country_lists = st.lists(st.sampled_from(["NO", "SE", "US"]), max_size=4)


@given(creator_lists, kinds, st.sampled_from([0, 1, 2, None]), country_lists, st.randoms())
def test_points_are_non_negative_and_order_free(
    creators: list[list[str]],
    kind: tuple[rules.PublicationType, rules.ChannelKind],
    level: int | None,
    countries: list[str],
    random: object,
) -> None:
    points = rules.work_points(*kind, level, creators, countries)
    assert all(value >= 0 for value in points.values())
    shuffled = list(creators)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rules.work_points(*kind, level, shuffled, list(reversed(countries))) == points
    # A plain float formula agrees to the 4th decimal (within one unit of it, for ties).
    base = rules.base_points(*kind, level)
    shares = rules.creator_shares(creators)
    for org, value in points.items():
        assert base is not None
        factor = 1.3 if rules.is_international(countries) else 1.0
        share = sum(org in creator for creator in creators) / shares
        assert abs(float(value) - float(base) * factor * math.sqrt(share)) <= 0.00006


@given(creator_lists)
def test_the_author_share_fraction_lies_in_zero_one(creators: list[list[str]]) -> None:
    shares = rules.creator_shares(creators)
    for org in {org for creator in creators for org in creator}:
        fraction = rules.contributor_fraction(rules.institution_creators(creators, org), shares)
        assert 0 < fraction <= 1
