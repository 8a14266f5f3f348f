"""The one partner-group matching rule: member keys and match keys."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.classify import match_keys, member_keys, valid_in_year
from copub.classify.membership import Group, Member, PartnerGroups
from copub.errors import UsageError
from copub.networks.memberships import node_groups


def country(code: str, valid_from: int | None = None, valid_to: int | None = None) -> Member:
    return Member(code, None, None, None, valid_from, valid_to, "member")


EU = Group("eu", "EU", "country", (country("SE"), country("GB", 1973, 2020)), "", "")
ALLIANCE = Group(
    "alliance",
    "Alliance",
    "institution",
    (
        Member("a", None, "0ror", "I10", None, None, "member"),
        Member("b", None, None, "I20", None, None, "member"),
        Member("c", None, None, None, None, None, "unresolved"),
    ),
    "",
    "",
)
INFRA = Group("infra", "Infra", "institution_type", (country("facility"),), "", "")
GROUPS = PartnerGroups((EU, ALLIANCE, INFRA), home_country="NO")


def keyset(frame: pl.DataFrame) -> set[tuple[str, str, str]]:
    return set(frame.select("group", "kind", "key").iter_rows())


def test_member_keys_by_membership() -> None:
    current = member_keys(GROUPS)
    assert keyset(current) == {
        ("eu", "country", "SE"),
        ("alliance", "ror", "0ror"),
        ("alliance", "id", "I10"),
        ("alliance", "id", "I20"),
        ("infra", "type", "facility"),
    }
    assert current.schema["order"] == pl.Int32
    assert set(current.filter(pl.col("group") == "infra")["order"]) == {2}
    assert ("eu", "country", "GB") in keyset(member_keys(GROUPS, "historical"))
    assert ("eu", "country", "GB") in keyset(member_keys(GROUPS, 2015))
    assert ("eu", "country", "GB") not in keyset(member_keys(GROUPS, 2021))


@pytest.mark.parametrize("bad", ["now", True, 2.5])
def test_bad_membership_is_a_usage_error(bad: object) -> None:
    with pytest.raises(UsageError, match="membership"):
        member_keys(GROUPS, bad)  # type: ignore[arg-type]


def test_match_keys_cover_country_ror_lineage_and_type() -> None:
    rows = pl.DataFrame(
        {
            "work_id": ["W1", "W2"],
            "institution_id": ["I11", None],
            "country_code": [" mo", "SE"],
            "ror": ["9ror", None],
            "lineage": [["I11", "I10"], None],
            "type": ["facility", None],
        }
    )
    keys = set(match_keys(rows, by="work_id").collect().iter_rows())
    assert keys == {
        ("W1", "country", "CN"),
        ("W1", "ror", "9ror"),
        ("W1", "id", "I11"),
        ("W1", "id", "I10"),
        ("W1", "type", "facility"),
        ("W2", "country", "SE"),
    }
    apart = match_keys(rows, by="work_id", merge_hk_mo=False).collect()
    assert ("W1", "country", "MO") in set(apart.iter_rows())


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(st.none(), st.integers(1990, 2030)),
    st.one_of(st.none(), st.integers(1990, 2030)),
    st.integers(1980, 2040),
)
def test_valid_in_year_agrees_with_member(
    valid_from: int | None, valid_to: int | None, year: int
) -> None:
    frame = pl.DataFrame(
        {"valid_from": [valid_from], "valid_to": [valid_to]},
        schema={"valid_from": pl.Int32, "valid_to": pl.Int32},
    )
    in_frame = frame.select(valid_in_year(pl.lit(year))).item()
    assert in_frame == country("SE", valid_from, valid_to).valid_in(year)


def test_node_groups_follow_the_shared_rule() -> None:
    nodes = pl.DataFrame(
        {
            "node": ["I11", "I30", "HK"],
            "country": ["GB", "NO", "HK"],
            "type": ["education", "facility", "country"],
            "ror": [None, "0ror", None],
            "lineage": [["I11", "I10"], [], []],
        }
    )
    current = dict(node_groups(nodes, GROUPS).iter_rows())
    assert current == {"I11": ["alliance"], "I30": ["alliance", "infra"], "HK": []}
    in_2015 = dict(node_groups(nodes, GROUPS, year=2015).iter_rows())
    assert in_2015["I11"] == ["eu", "alliance"]
