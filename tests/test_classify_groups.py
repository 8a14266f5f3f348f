"""Partner groups: packaged data, user TOML, validity years, and per-work flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import copub
from copub.classify.groups import load_groups, work_group_flags
from copub.errors import DataError, UsageError

HOME = "I204778367"  # NTNU: an ENHANCE and N5T member, so "home never a partner" is tested


def inst(iid: str, country: str, *, ror: str | None = None, kind: str = "education",
         lineage: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/{iid}",
        "display_name": iid,
        "ror": f"https://ror.org/{ror}" if ror else None,
        "country_code": country,
        "type": kind,
        "lineage": [f"https://openalex.org/{i}" for i in (lineage or [iid])],
    }


NTNU = inst(HOME, "NO", ror="05xg72x27")
NTNU_UNIT = inst("I101", "SE", kind="facility", lineage=["I101", HOME])  # a home unit abroad
CHALMERS = inst("I66862912", "SE", ror="040wg7k59")
DELFT_UNIT = inst("I999", "NL", lineage=["I999", "I98358874"])  # TU Delft child, no ROR
FACILITY = inst("I400", "CH", kind="facility")
US_UNI = inst("I500", "US")
OSLO = inst("I600", "NO")
LONDON = inst("I700", "GB")
HK_UNI = inst("I800", "HK")


def work(wid: str, year: int, *institution_lists: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/{wid}",
        "publication_year": year,
        "type": "article",
        "authorships": [
            {"author": {"id": f"https://openalex.org/A{wid}{i}"}, "institutions": insts,
             "countries": sorted({x["country_code"] for x in insts})}
            for i, insts in enumerate(institution_lists)
        ],
    }


WORLD = [
    work("W1", 2018, [NTNU], [US_UNI]),
    work("W2", 2022, [NTNU], [NTNU_UNIT]),
    work("W3", 2020, [NTNU], [CHALMERS]),
    work("W4", 2020, [NTNU], [DELFT_UNIT]),
    work("W5", 2023, [NTNU], [FACILITY]),
    work("W6", 2019, [NTNU], [OSLO]),
    work("W7", 2019, [NTNU], [LONDON]),
    work("W8", 2020, [NTNU], [HK_UNI]),
    work("W9", 2024, [NTNU, CHALMERS]),  # one author, two affiliations: Chalmers still counts
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> copub.Tables:
    path = tmp_path_factory.mktemp("world") / "works.jsonl"
    path.write_text("\n".join(json.dumps(w) for w in WORLD) + "\n", encoding="utf-8")
    return copub.read_works(path)


def flags_of(tables: copub.Tables, **kwargs: Any) -> dict[str, dict[str, bool]]:
    frame = work_group_flags(tables, load_groups(), institution=HOME, **kwargs)
    return {row.pop("work_id"): row for row in frame.to_dicts()}


# --- packaged reference data ------------------------------------------------------------


def test_default_groups_have_sources_vintages_and_members() -> None:
    groups = load_groups()
    assert groups.keys() == (
        "home", "nordic", "eu", "eea", "priority", "devpartner", "lmic", "enhance", "n5t",
        "infrastructure",
    )
    assert groups.home_country == "NO"
    for group in groups:
        assert len(group.source) > 10 and group.vintage, group.key
        assert group.members, group.key


def test_default_group_sizes_match_their_sources() -> None:
    groups = load_groups()
    assert len(groups.members_in("eu", None)) == 27
    assert "GB" not in {m.code for m in groups.members_in("eu", None)}
    assert "GB" in {m.code for m in groups.members_in("eu", 2015)}
    assert len(groups.members_in("eu", 2012)) == 27  # 27 with the UK, before Croatia
    assert len(groups.members_in("eea", None)) == 30
    devpartner = groups.get("devpartner").members
    assert len(devpartner) == 16
    assert sum(m.status == "long_term_development" for m in devpartner) == 10
    lmic = {m.code: m.status for m in groups.get("lmic").members}
    assert len(lmic) == 133 and lmic["NA"] == "upper_middle" and lmic["ET"] == "low"
    assert "NO" not in lmic and "HK" not in lmic
    assert len(groups.get("enhance").members) == 10 and len(groups.get("n5t").members) == 5


def test_priority_membership_by_year() -> None:
    groups = load_groups()
    in_2018 = {m.code for m in groups.members_in("priority", 2018)}
    in_2022 = {m.code for m in groups.members_in("priority", 2022)}
    assert in_2018 == {"BR", "CN", "IN", "JP", "RU", "ZA"}
    assert in_2022 == in_2018 | {"CA", "KR", "US"}
    assert {m.code for m in groups.members_in("priority", None)} == in_2022
    russia = next(m for m in groups.get("priority").members if m.code == "RU")
    assert "frozen" in russia.status


def test_alliance_members_carry_ids_or_are_marked_unresolved() -> None:
    for key in ("enhance", "n5t"):
        for member in load_groups().get(key).members:
            assert member.ror or member.openalex_id or member.status == "unresolved", member
    enhance = {m.code: m for m in load_groups().get("enhance").members}
    assert enhance["GDANSKTECH"].status == "unresolved" and enhance["GDANSKTECH"].ror is None
    assert enhance["TUDELFT"].valid_from == 2022 and enhance["NTNU"].valid_from == 2019


def test_unknown_group_key_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no partner group 'nope'"):
        load_groups().get("nope")


# --- user TOML -------------------------------------------------------------------------

USER_TOML = """
[groups.partners]
label = "Strategic partners"
kind = "institution"
source = "strategy office, 2024"
vintage = "2024"
members = [
  { code = "CHALMERS", ror = "https://ror.org/040wg7k59", valid_from = 2021 },
  { code = "OSLO", openalex_id = "I600" },
]

[groups.nordic]
label = "Nordic without Iceland"
kind = "country"
source = "test"
vintage = "2024"
members = [{ code = "se" }, { code = "DK" }, { code = "FI" }]
"""


def test_user_toml_extends_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text(USER_TOML, encoding="utf-8")
    groups = load_groups(path)
    assert groups.keys()[-1] == "partners" and "priority" in groups
    assert {m.code for m in groups.get("nordic").members} == {"SE", "DK", "FI"}
    partners = groups.get("partners").members
    assert partners[0].ror == "040wg7k59" and partners[0].status == "member"
    assert [m.code for m in groups.members_in("partners", 2020)] == ["OSLO"]
    assert groups.home_country == "NO"


def test_user_toml_replaces_with_its_own_home(tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text('home_country = "se"\n' + USER_TOML, encoding="utf-8")
    groups = load_groups(path, replace=True)
    assert groups.keys() == ("partners", "nordic") and groups.home_country == "SE"


def test_replace_without_a_home_country_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text(USER_TOML, encoding="utf-8")
    with pytest.raises(DataError, match="no home country"):
        load_groups(path, replace=True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[groups.bad\n", "not valid TOML"),
        ('[groups.x]\nlabel="X"\nkind="planet"\nsource="s"\nvintage="v"\nmembers=[{code="SE"}]',
         "group 'x': kind must be one of"),
        ('[groups.x]\nlabel="X"\nkind="country"\nsource="s"\nvintage="v"\nmembers=[{code="QQ"}]',
         "group 'x': 'QQ' is not an ISO 3166-1 alpha-2"),
        ('[groups.x]\nlabel="X"\nkind="country"\nvintage="v"\nmembers=[{code="SE"}]',
         "group 'x': 'source' is required"),
        ('[groups.x]\nlabel="X"\nkind="institution"\nsource="s"\nvintage="v"\nmembers=[{code="A"}]',
         "group 'x': member 'A' needs a ror or openalex_id"),
        ('[groups.x]\nlabel="X"\nkind="institution"\nsource="s"\nvintage="v"\n'
         'members=[{code="A", ror="12345"}]', "group 'x': ror '12345' is not a ROR id"),
        ('[groups.x]\nlabel="X"\nkind="country"\nsource="s"\nvintage="v"\n'
         'members=[{code="SE", valid_from=2022, valid_to=2020}]',
         "ends \\(2020\\) before it starts"),
        ('[groups.Bad-Key]\nlabel="X"\nkind="country"\nsource="s"\nvintage="v"\n'
         'members=[{code="SE"}]', "group 'Bad-Key': keys must be"),
    ],
)
def test_bad_user_toml_names_the_file_and_the_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        load_groups(path)
    assert "mine.toml" in str(info.value)


def test_missing_groups_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        load_groups(tmp_path / "absent.toml")


# --- work_group_flags ------------------------------------------------------------------


def test_flags_have_one_row_per_work_and_the_contract_columns(world: copub.Tables) -> None:
    frame = work_group_flags(world, load_groups(), institution=HOME)
    assert frame["work_id"].to_list() == sorted(w["id"].rsplit("/", 1)[1] for w in WORLD)
    expected = ["nordic", "eu", "eea", "priority", "devpartner", "lmic", "enhance", "n5t",
                "infrastructure"] + [f"priority_{c}" for c in
                                     ("BR", "CA", "CN", "IN", "JP", "KR", "RU", "US", "ZA")]
    assert frame.columns == ["work_id", *expected]
    assert all(frame.schema[c] == pl.Boolean for c in expected)
    assert frame.select(pl.exclude("work_id").null_count()).sum_horizontal().item() == 0


def test_home_institution_and_home_country_are_never_partners(world: copub.Tables) -> None:
    flags = flags_of(world)
    # W2: a home unit abroad (SE, facility) is home: no nordic, no infrastructure, no alliance.
    assert not any(flags["W2"].values())
    # W6: a co-author in Norway, but not at home: Norway is never a partner country.
    assert not flags["W6"]["nordic"] and not flags["W6"]["eea"]
    # NTNU is in ENHANCE and N5T, but a home-only work is in neither.
    assert not flags["W1"]["enhance"] and not flags["W1"]["n5t"]


def test_country_and_alliance_groups(world: copub.Tables) -> None:
    flags = flags_of(world)
    for key in ("nordic", "eu", "eea", "enhance", "n5t"):
        assert flags["W3"][key], key
        assert flags["W9"][key], key  # same institution through a dual affiliation
    assert not flags["W3"]["priority"] and not flags["W3"]["lmic"]
    assert flags["W4"]["enhance"] and not flags["W4"]["n5t"]  # a TU Delft child, via lineage
    assert flags["W5"]["infrastructure"] and not flags["W5"]["eu"]
    assert flags["W8"]["priority"] and flags["W8"]["priority_CN"] and flags["W8"]["lmic"]


def test_current_versus_historical_membership(world: copub.Tables) -> None:
    current = flags_of(world)
    historical = flags_of(world, membership="historical")
    # US joined the priority list in 2021; W1 is from 2018.
    assert current["W1"]["priority"] and not historical["W1"]["priority"]
    assert current["W1"]["priority_US"] and historical["W1"]["priority_US"]
    # TU Delft joined ENHANCE in 2022; W4 is from 2020.
    assert current["W4"]["enhance"] and not historical["W4"]["enhance"]
    # The UK was in the EU in 2019, not in today's EU27.
    assert historical["W7"]["eu"] and not current["W7"]["eu"]
    assert historical["W3"] == current["W3"]


def test_hong_kong_counts_as_china_only_when_merged(world: copub.Tables) -> None:
    merged = flags_of(world)
    apart = flags_of(world, merge_hk_mo=False)
    assert merged["W8"]["priority_CN"] and not apart["W8"]["priority_CN"]
    assert not apart["W8"]["priority"] and not apart["W8"]["lmic"]


def test_bad_membership_is_a_usage_error(world: copub.Tables) -> None:
    with pytest.raises(UsageError, match="membership"):
        work_group_flags(world, load_groups(), institution=HOME, membership="now")  # type: ignore[arg-type]


def test_user_institution_group_flags(world: copub.Tables, tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text(USER_TOML, encoding="utf-8")
    frame = work_group_flags(world, load_groups(path), institution=HOME, membership="historical")
    flags = {row["work_id"]: row for row in frame.to_dicts()}
    assert flags["W6"]["partners"]  # by OpenAlex id, a domestic partner institution
    assert not flags["W3"]["partners"] and flags["W9"]["partners"]  # Chalmers from 2021
    assert flags["W3"]["nordic"]  # the user's Nordic group (SE, DK, FI) replaced the default
