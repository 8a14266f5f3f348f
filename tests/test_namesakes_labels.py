"""Joint units split between their universities, and a child unit as home (issue 26, items 1-2).

The real cases are found at run time in ../shared/data (skipped without it), by
what they are (no id is written here): a joint unit (such as the Mahidol Oxford
Tropical Medicine Research Unit, under Mahidol University and the University of
Oxford) and a unit on a work with its parent only (such as the World Bank with
the World Bank Group, or the National Cancer Institute with the National
Institutes of Health).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import copub
from copub.classify.collaboration import work_institutions
from copub.indicators import Definitions, fractional_weights, universe_works
from real_pages import child_home_cases, joint_unit_cases, raw_works, real_pages
from reference_leiden import known_institutions, leiden_weight, several_organisations
from strategies import TABLE_SETTINGS, tables_of

NTNU = "I204778367"  # the sample's home (packaged reference data)


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    return real_pages()


@pytest.fixture(scope="module")
def tables(pages: list[Path]) -> copub.Tables:
    return copub.read_works(pages)


@pytest.fixture(scope="module")
def joint(pages: list[Path]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A work of the real pages with joint units: ``(work, units, universities)``."""
    raw = raw_works(pages)[0]
    cases = joint_unit_cases(raw, known_institutions(list(raw.values())))
    assert cases, "the real pages hold a work with a joint unit (MORU's)"
    work, _, universities = cases[0]
    units = tuple(u for w, u, k in cases if w == work and k == universities)
    return work, units, universities


def _only_through(work: dict[str, Any], university: str, units: tuple[str, ...]) -> bool:
    """Whether every affiliation of ``work`` with ``university`` goes through ``units``."""
    return all(
        inst["id"].rsplit("/", 1)[-1] in units
        for a in work.get("authorships") or []
        for inst in a.get("institutions") or []
        if university in {x.rsplit("/", 1)[-1] for x in inst.get("lineage") or [inst["id"]]}
    )


def test_a_joint_unit_is_split_between_its_universities(
    pages: list[Path], tables: copub.Tables, joint: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    """The universities share the joint unit's slots, so together they hold at most 1."""
    work, units, universities = joint
    raw = raw_works(pages)[0]
    known = known_institutions(list(raw.values()))
    weights = {
        home: dict(fractional_weights(tables, home).iter_rows()).get(work, 0.0)
        for home in universities
    }
    # Before the rule, MORU's Mahidol held 0.667 and Oxford 0.417 (1.083 together).
    for home in universities:
        assert weights[home] == pytest.approx(leiden_weight(raw[work], home, known), abs=1e-12)
    assert sum(weights.values()) <= 1.0
    # A university on the work only through the unit holds 1/k of what it held before the
    # rule (Oxford: 0.417 / 2): the reference without the split is the reference with the
    # other universities not taken for universities.
    unit_weight = max(dict(fractional_weights(tables, u).iter_rows())[work] for u in units)
    through = [h for h in universities if _only_through(raw[work], h, units)]
    assert through, "a university on the work only through the joint unit"
    for home in through:
        unsplit = {
            **known,
            **{u: {**known[u], "type": "other"} for u in universities if u != home},
        }
        before = leiden_weight(raw[work], home, unsplit)
        assert weights[home] == pytest.approx(before / len(universities), abs=1e-12)
        # The unit itself as home (the widest of them) keeps every slot at it.
        assert unit_weight > weights[home]


def test_the_output_counts_works_with_a_joint_unit(
    tables: copub.Tables, joint: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    """The yearly table says how many works had a joint unit, for each university of it."""
    work, _, universities = joint
    definitions = Definitions(institutions=(universities[-1],), universe="all", bootstrap=0)
    labelled = copub.label_works(tables, definitions).works
    joint_works = labelled.filter("joint_unit")["work_id"].to_list()
    assert work in joint_works
    yearly = copub.yearly_indicators(tables, definitions)
    per_year = labelled.group_by("year").agg(n=pl.col("joint_unit").sum())
    expected = dict(per_year.iter_rows())
    assert dict(zip(yearly["year"], yearly["joint_unit_works"], strict=True)) == {
        y: expected.get(y, 0) for y in yearly["year"]
    }
    year = labelled.filter(pl.col("work_id") == work)["year"].item()
    assert yearly.filter(pl.col("year") == year)["joint_unit_works"].item() >= 1


# A world with joint units: U1-U3 are top-level universities, F a funder;
# J12 is joint (U1, U2), J123 joint (U1, U2, U3), S a unit under J12, C1 a
# department of U1; X a company. Joint units have universities alone above them.
WORLD = {
    "U1": ("NO", "education", ["U1"]),
    "U2": ("GB", "education", ["U2"]),
    "U3": ("TH", "education", ["U3"]),
    "F": ("GB", "funder", ["F"]),
    "J12": ("TH", "facility", ["U1", "U2", "J12"]),
    "J123": ("TH", "facility", ["U1", "U2", "U3", "J123"]),
    "S": ("MM", "nonprofit", ["U1", "U2", "J12", "S"]),
    "C1": ("NO", "education", ["U1", "C1"]),
    "X": ("US", "company", ["X"]),
}


def _institution(key: str) -> dict[str, Any]:
    country, kind, lineage = WORLD[key]
    return {
        "id": f"https://openalex.org/I{key}",
        "display_name": key,
        "country_code": country,
        "type": kind,
        "lineage": [f"https://openalex.org/I{x}" for x in lineage],
    }


@st.composite
def _joint_works(draw: st.DrawFn) -> list[dict[str, Any]]:
    works = []
    for n in range(draw(st.integers(1, 4))):
        authorships = []
        for _ in range(draw(st.integers(1, 4))):
            strings = draw(
                st.lists(
                    st.lists(st.sampled_from(sorted(WORLD)), max_size=3, unique=True),
                    min_size=1,
                    max_size=3,
                )
            )
            named = sorted({k for ids in strings for k in ids})
            authorships.append(
                {
                    "author": {"id": f"https://openalex.org/A{n}"},
                    "institutions": [_institution(k) for k in named],
                    "countries": [],
                    "affiliations": [
                        {
                            "raw_affiliation_string": f"string {'-'.join(ids) or 'none'}",
                            "institution_ids": [f"https://openalex.org/I{k}" for k in ids],
                        }
                        for ids in strings
                    ],
                }
            )
        works.append(
            {
                "id": f"https://openalex.org/W{n + 1}",
                "publication_year": 2020,
                "authorships": authorships,
            }
        )
    # The types of lineage ids come from the tables' institutions (fetch
    # completes them for ids no work names): one work names them all.
    everyone = {
        "author": {"id": "https://openalex.org/A99"},
        "countries": [],
        "institutions": [_institution(k) for k in sorted(WORLD)],
    }
    works.append(
        {"id": "https://openalex.org/W99", "publication_year": 2020, "authorships": [everyone]}
    )
    return works


def _ancestors(key: str) -> set[str]:
    return set(WORLD[key][2]) - {key}


@st.composite
def _antichain(draw: st.DrawFn) -> list[str]:
    """Home institutions none of which is another's ancestor."""
    chosen: list[str] = []
    for key in draw(st.permutations(sorted(WORLD))):
        if all(key not in _ancestors(c) and c not in _ancestors(key) for c in chosen):
            chosen.append(key)
    return chosen[: draw(st.integers(1, len(chosen)))]


@TABLE_SETTINGS
@given(works=_joint_works(), homes=_antichain())
def test_weights_over_non_nested_homes_sum_to_at_most_one(
    works: list[dict[str, Any]], homes: list[str]
) -> None:
    """Each work's fractional weights over homes that are not each other's ancestors: <= 1."""
    tables = tables_of(works)
    total: dict[str, float] = {}
    for home in homes:
        for work_id, weight in fractional_weights(tables, f"I{home}").iter_rows():
            total[work_id] = total.get(work_id, 0.0) + weight
    known = known_institutions(works)
    for work in works:
        work_id = work["id"].rsplit("/", 1)[-1]
        assert total.get(work_id, 0.0) <= 1.0 + 1e-9, (homes, work)
        # And each weight is the plain reference's.
        for home in homes:
            got = dict(fractional_weights(tables, f"I{home}").iter_rows()).get(work_id, 0.0)
            assert got == pytest.approx(leiden_weight(work, f"I{home}", known), abs=1e-12)


def test_a_parent_on_the_work_is_another_institution(
    pages: list[Path], tables: copub.Tables
) -> None:
    """A unit as home (World Bank, NCI): its parent on the work (World Bank Group, NIH)
    makes the work P(collab)."""
    raw = raw_works(pages)[0]
    cases = child_home_cases(raw)
    assert len(cases) >= 2, "the real pages hold units on a work with their parents"
    for work, child, parent in cases:
        _check_child_home(raw, tables, work, child, parent)


def _check_child_home(
    raw: dict[str, dict[str, Any]], tables: copub.Tables, work: str, child: str, parent: str
) -> None:
    definitions = Definitions(institutions=(child,), universe="all", bootstrap=0)
    row = copub.label_works(tables, definitions).works.filter(pl.col("work_id") == work)
    assert row["is_international"].item() is False
    assert row["is_collab"].item() is True
    assert several_organisations(raw[work], child) is True
    # Before: one organisation by lineage, so not a collaboration.
    old = work_institutions(tables).filter(pl.col("work_id") == work)
    assert old["several_organisations"].item() is False
    # The parent as home folds its component (the child) in: not a collaboration.
    as_parent = copub.label_works(tables, definitions.with_(institutions=(parent,))).works
    assert as_parent.filter(pl.col("work_id") == work)["is_collab"].item() is False


def test_ntnu_figures_do_not_change() -> None:
    """For a top-level home (NTNU, in the sample) the rule against the home is the
    lineage rule: P(collab) is what it was, and no joint unit is split."""
    tables = copub.load_sample(scale=0.05)
    definitions = Definitions(institutions=(NTNU,), universe="all", bootstrap=0)
    labelled = copub.label_works(tables, definitions).works
    assert labelled.height > 50
    old = work_institutions(tables).select("work_id", old="several_organisations")
    joined = labelled.join(old, on="work_id", how="left").with_columns(
        was=pl.col("old").fill_null(False) | (pl.col("n_countries") >= 2)
    )
    assert joined["is_collab"].to_list() == joined["was"].to_list()
    assert labelled["joint_unit"].sum() == 0


def test_top_level_homes_of_the_real_pages_do_not_change(tables: copub.Tables) -> None:
    """The same on the real pages, for the 40 top-level institutions with the most works."""
    top = tables.institutions.filter(
        pl.col("lineage").list.len() <= 1,
        pl.col("lineage").list.first() == pl.col("institution_id"),
    )["institution_id"]
    counts = (
        tables.affiliations.filter(pl.col("institution_id").is_in(top.implode()))
        .group_by("institution_id")
        .agg(n=pl.col("work_id").n_unique())
        .sort("n", "institution_id", descending=[True, False])
    )
    old = dict(work_institutions(tables).select("work_id", "several_organisations").iter_rows())
    checked = 0
    for home in counts["institution_id"].head(40):
        works = tables.affiliations.filter(pl.col("institution_id") == home)["work_id"].unique()
        new = work_institutions(tables, home).filter(pl.col("work_id").is_in(works.implode()))
        for work_id, several in new.select("work_id", "several_organisations").iter_rows():
            assert several == old[work_id], (home, work_id)
            checked += 1
    assert checked > 100


def test_core_publications_start_in_2000(pages: list[Path], tables: copub.Tables) -> None:
    """Leiden's core publications require publication_year >= 2000 (its database starts there)."""
    from reference_leiden import in_universe, institutions_of

    raw = raw_works(pages)[0]
    every = tuple(tables.institutions["institution_id"].to_list())
    core = set(universe_works(tables, Definitions(institutions=every, universe="core"))["work_id"])
    # Every institution is a home: the works with an institution.
    expected = {w for w, work in raw.items() if in_universe(work, "core") and institutions_of(work)}
    assert core == expected
    # Works that meet every other core rule but are older: found in the real pages.
    older = [
        w
        for w, work in raw.items()
        if in_universe({**work, "publication_year": 2000}, "core")
        and work["publication_year"] < 2000
    ]
    assert older, "the real pages hold core-eligible works from before 2000"
    assert not core & set(older)


def test_fractional_collaboration_shares_are_labelled_copubs() -> None:
    """Leiden defines PP(int collab) and PP(collab) under full counting only."""
    from copub.indicators.catalogue import catalogue, catalogue_markdown

    by_name = {i.name: i for i in catalogue(Definitions())}
    for stem in ("intl", "collab"):
        text = by_name[stem].definition
        assert f"{stem}_share_frac) is copub's extension" in text
        assert "full counting" in text
    assert "intl_share_frac) is copub's extension" in catalogue_markdown()
