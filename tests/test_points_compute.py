"""Publication points over labelled works, against a plain-Python reading of the tables.

The reference below reads the tables row by row (ISSNs, register levels,
authorships, affiliations, lineages, countries), groups each author's
institutions into organisations on its own, and calls the rules of
:mod:`copub.analyses.points.rules` per work: what ``compute.py`` does with
polars, done again by hand.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import copub
from conftest import shared_path
from copub.analyses.points import (
    DIFFERENCES,
    POINTS_BY_YEAR_SCHEMA,
    POINTS_PER_WORK_SCHEMA,
    compute_points,
    rules,
)
from copub.classify.countries import valid_country_codes
from copub.classify.definitions import Definitions
from copub.classify.issn import normalize_issn
from copub.errors import DataError
from copub.indicators.labels import label_works
from copub.sample import sample_register_path
from copub.settings import DEFAULT_INSTITUTION
from strategies import TABLE_SETTINGS, tables_of, unique_works

TYPES = {"article": "article", "review": "review", "book": "monograph", "book-chapter": "chapter"}


def _groups(lineages: dict[str, set[str]], ids: list[str]) -> list[set[str]]:
    """The author's institutions merged while two groups' lineages meet."""
    groups = [({i}, set(lineages.get(i, {i}))) for i in ids]
    merged = True
    while merged:
        merged = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if groups[a][1] & groups[b][1]:
                    groups[a] = (groups[a][0] | groups[b][0], groups[a][1] | groups[b][1])
                    del groups[b]
                    merged = True
                    break
            if merged:
                break
    return [members for members, _ in groups]


def reference_points(
    tables: copub.Tables, definitions: Definitions, universe: list[str]
) -> dict[str, dict[str, Decimal]]:
    """Per institution of ``definitions``, its points per work of ``universe``, row by row."""
    register = definitions.channel_register
    assert register is not None
    institutions = {r["institution_id"]: r for r in tables.institutions.iter_rows(named=True)}
    lineages = {i: {i, *(r["lineage"] or [])} for i, r in institutions.items()}
    homes = {
        home: {i for i, lineage in lineages.items() if home in lineage} | {home}
        for home in definitions.institutions
    }
    sources = {r["source_id"]: r for r in tables.sources.iter_rows(named=True)}
    affiliations: dict[tuple[str, int], list[str]] = defaultdict(list)
    for r in tables.affiliations.iter_rows(named=True):
        if r["institution_id"] not in affiliations[(r["work_id"], r["position"])]:
            affiliations[(r["work_id"], r["position"])].append(r["institution_id"])
    authorships: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in tables.authorships.iter_rows(named=True):
        authorships[r["work_id"]].append(r)
    works = {r["work_id"]: r for r in tables.works.iter_rows(named=True)}
    issns = {}
    for work_id in universe:
        work = works[work_id]
        source = sources.get(work["source_id"]) or {}
        stated = [work["issn_l"], *(work["issns"] or []), source.get("issn_l")]
        issns[work_id] = {normalize_issn(i) for i in stated + (source.get("issns") or []) if i}
    wanted = {i for found in issns.values() for i in found if i}
    levels = {
        (r["issn"], r["year"]): r["level"]
        for r in register.levels.filter(pl.col("issn").is_in(wanted)).iter_rows(named=True)
    }
    valid = valid_country_codes()
    points: dict[str, dict[str, Decimal]] = {home: {} for home in definitions.institutions}
    for work_id in universe:
        work = works[work_id]
        kind = TYPES.get(work["type"])
        if kind is None:
            continue
        found = [levels.get((i, work["year"])) for i in issns[work_id]]
        level = max((x for x in found if x is not None), default=None)
        channel = "journal" if kind in ("article", "review") else "series"
        listed = {r["position"] for r in authorships[work_id]}
        extra = max(0, (work["n_authors"] or 0) - len(listed))
        countries: list[str] = []
        groups = []
        for r in authorships[work_id]:
            ids = affiliations.get((work_id, r["position"]), [])
            groups.append(_groups(lineages, ids))
            codes = [*(r["countries"] or []), *(institutions[i]["country_code"] for i in ids)]
            countries += [c.strip().upper() for c in codes if c]
        countries = [c for c in countries if c in valid]
        for home, members in homes.items():
            creators = [[home if g & members else min(g) for g in found] for found in groups]
            creators += [[] for _ in range(extra)]
            earned = rules.work_points(kind, channel, level, creators, countries)  # type: ignore[arg-type]
            if home in earned:
                points[home][work_id] = earned[home]
    return points


def computed(result: Any, institution: str) -> dict[str, Decimal]:
    frame = result.points_per_work.filter(pl.col("institution_id") == institution)
    return {
        w: Decimal(str(p)).quantize(Decimal("0.0001"))
        for w, p in frame.select("work_id", "points").iter_rows()
    }


def check_against_reference(tables: copub.Tables, definitions: Definitions) -> Any:
    result = compute_points(tables, definitions)
    assert result.available and result.reason is None
    assert result.points_per_work.schema == POINTS_PER_WORK_SCHEMA
    assert result.points_by_year.schema == POINTS_BY_YEAR_SCHEMA
    universe = label_works(tables, definitions).works["work_id"].to_list()
    reference = reference_points(tables, definitions, universe)
    for institution in definitions.institutions:
        expected = reference[institution]
        assert computed(result, institution) == expected
        # The yearly sums are the exact sums of the works' points.
        by_year: dict[int, Decimal] = defaultdict(Decimal)
        years = dict(tables.works.select("work_id", "year").iter_rows())
        for work_id, value in expected.items():
            by_year[years[work_id]] += value
        rows = result.points_by_year.filter(pl.col("institution_id") == institution)
        for year, value, covered in rows.select(
            "year", "points", "register_covers_year"
        ).iter_rows():
            if not covered:
                assert value is None and year not in by_year
                continue
            assert Decimal(str(value)) == by_year.get(year, Decimal(0)), year
    return result


@pytest.fixture(scope="module")
def sample() -> copub.Tables:
    return copub.load_sample(scale=0.01)


@pytest.fixture(scope="module")
def sample_definitions() -> Definitions:
    register = sample_register_path(0, 0.01)
    return Definitions(years=(2015, 2024), register=register, universe="all")


def test_without_a_register_the_points_are_unavailable_not_zero(sample: copub.Tables) -> None:
    result = compute_points(sample, Definitions(years=(2020, 2021)))
    assert not result.available
    assert result.reason is not None and "register" in result.reason
    assert result.points_by_year.is_empty() and result.points_per_work.is_empty()
    assert result.points_by_year.schema == POINTS_BY_YEAR_SCHEMA
    assert result.notes == DIFFERENCES


def test_the_sample_matches_the_row_by_row_reference(
    sample: copub.Tables, sample_definitions: Definitions
) -> None:
    result = check_against_reference(sample, sample_definitions)
    per_work = result.points_per_work
    assert per_work.height > 300
    # Every kind of case occurs: both levels, international or not, shared works.
    assert set(per_work["level"].to_list()) == {1, 2}
    assert set(per_work["intl"].to_list()) == {True, False}
    assert (per_work["author_share_fraction"] < 1).any()
    assert set(DIFFERENCES) <= set(result.notes)


def test_the_yearly_columns_follow_from_the_works(
    sample: copub.Tables, sample_definitions: Definitions
) -> None:
    result = compute_points(sample, sample_definitions)
    works = result.points_per_work.group_by("year").agg(
        n=pl.len(),
        points=pl.col("points").sum(),
        level2=pl.col("points").filter(pl.col("level") == 2).sum(),
        effect=(pl.col("points") - pl.col("points_without_intl")).sum(),
    )
    frame = result.points_by_year.join(works, on="year")
    assert frame.height == 10
    assert (frame["works"] == frame["n"]).all()
    assert ((frame["points_per_work"] - frame["points"] / frame["n"]).abs() < 1e-9).all()
    assert ((frame["level2_points_share"] - frame["level2"] / frame["points"]).abs() < 1e-9).all()
    assert ((frame["intl_factor_effect"] - frame["effect"]).abs() < 1e-6).all()
    assert (frame["intl_factor_effect"] > 0).all()
    assert (frame["universe_works"] >= frame["works"]).all()


def test_labelled_works_give_the_same_points(
    sample: copub.Tables, sample_definitions: Definitions
) -> None:
    direct = compute_points(sample, sample_definitions)
    labelled = compute_points(label_works(sample, sample_definitions), sample_definitions)
    assert labelled.points_per_work.equals(direct.points_per_work)
    # Labels made without the register cannot serve: they are made again, with it.
    plain = label_works(sample, sample_definitions.with_(register=None))
    again = compute_points(plain, sample_definitions)
    assert again.points_by_year.equals(direct.points_by_year)


def test_a_peers_run_gives_each_institution_its_own_rows(
    sample: copub.Tables, sample_definitions: Definitions
) -> None:
    top = (
        sample.affiliations.join(sample.institutions, on="institution_id")
        .filter(pl.col("lineage").list.len() <= 1, pl.col("institution_id") != DEFAULT_INSTITUTION)
        .group_by("institution_id")
        .len()
        .sort("len", "institution_id", descending=True)["institution_id"]
        .head(2)
        .to_list()
    )
    peers = sample_definitions.with_(institutions=(DEFAULT_INSTITUTION, *top))
    result = check_against_reference(sample, peers)
    assert result.points_by_year.height == 3 * 10
    assert result.points_by_year["institution_id"].unique(maintain_order=True).to_list() == [
        DEFAULT_INSTITUTION,
        *top,
    ]
    for institution in peers.institutions:
        alone = compute_points(sample, sample_definitions.with_(institutions=(institution,)))
        rows = result.points_by_year.filter(pl.col("institution_id") == institution)
        assert rows.equals(alone.points_by_year)


def test_years_outside_the_register_have_no_points_not_zero(
    sample: copub.Tables, tmp_path: Path
) -> None:
    register = sample_register_path(0, 0.01)
    tidy = pl.read_csv(register).filter(pl.col("year").is_between(2018, 2019))
    path = tmp_path / "register.csv"
    tidy.write_csv(path)
    result = compute_points(sample, Definitions(years=(2017, 2020), register=path))
    by_year = result.points_by_year
    assert by_year["register_covers_year"].to_list() == [False, True, True, False]
    assert by_year["points"].is_null().to_list() == [True, False, False, True]
    assert any("2017, 2020" in note for note in result.notes)


def test_real_pages_with_the_real_register_match_the_reference(
    real_tables: copub.Tables,
) -> None:
    register = shared_path("channel-register", "nor_channels_2025-08.parquet")
    # The pages mix many institutions: NMBU (the one Norwegian) and the 20 most frequent.
    frequent = (
        real_tables.affiliations.group_by("institution_id")
        .len()
        .sort("len", "institution_id", descending=True)["institution_id"]
        .head(20)
        .to_list()
    )
    institutions = ("I54108979", *(i for i in frequent if i != "I54108979"))
    definitions = Definitions(institutions=institutions, register=register, universe="all")
    result = check_against_reference(real_tables, definitions)
    assert result.points_per_work.height > 10
    assert result.points_per_work["institution_id"].n_unique() > 5
    assert (result.points_per_work["points"] > 0).all()


def _register(tmp: Path, levels: list[int]) -> Path:
    path = tmp / "register.csv"
    rows = [
        f"0028-0836,{year},{level}" for year, level in zip(range(2015, 2026), levels, strict=True)
    ]
    path.write_text("issn,year,level\n" + "\n".join(rows) + "\n")
    return path


@TABLE_SETTINGS
@given(unique_works(), st.lists(st.sampled_from([0, 1, 2]), min_size=11, max_size=11))
def test_generated_works_points_and_fractions_and_row_order(
    tmp_path: Path, works: list[dict[str, Any]], levels: list[int]
) -> None:
    folder = Path(tmp_path) / json.dumps(levels).replace(" ", "")[1:-1].replace(",", "")
    folder.mkdir(exist_ok=True)
    definitions = Definitions(
        institutions=("I1", "I3"), universe="all", register=_register(folder, levels)
    )
    tables = tables_of(works)
    try:
        result = check_against_reference(tables, definitions)
    except DataError:
        assume(False)
        return
    per_work = result.points_per_work
    assert (per_work["points"] >= 0).all()
    assert (per_work["author_share_fraction"] > 0).all()
    assert (per_work["author_share_fraction"] <= 1).all()
    # The order of the rows changes nothing.
    shuffled = compute_points(tables_of(list(reversed(works))), definitions)
    assert shuffled.points_per_work.equals(per_work)
    assert shuffled.points_by_year.equals(result.points_by_year)
