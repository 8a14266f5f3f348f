"""Joint units split between their universities, and a child unit as home (issue 26, items 1-2).

The real cases are found at run time in ../shared/data (skipped without it):
W2277834738 (the Mahidol Oxford Tropical Medicine Research Unit, I4210126604,
under Mahidol University and the University of Oxford), W2180613954 (World
Bank with World Bank Group) and W3022355789 (National Cancer Institute with
the National Institutes of Health).
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
from real_pages import raw_works, real_pages
from reference_leiden import known_institutions, leiden_weight, several_organisations
from strategies import TABLE_SETTINGS, tables_of

MAHIDOL, OXFORD, MORU = "I25399158", "I40120149", "I4210126604"
NTNU = "I204778367"


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    return real_pages()


@pytest.fixture(scope="module")
def tables(pages: list[Path]) -> copub.Tables:
    return copub.read_works(pages)


def test_moru_is_split_between_mahidol_and_oxford(pages: list[Path], tables: copub.Tables) -> None:
    """W2277834738: Mahidol and Oxford share MORU's slots, so together they hold at most 1."""
    raw = raw_works(pages)[0]
    work = "W2277834738"
    assert work in raw, "W2277834738 must be in ../shared/data/openalex"
    known = known_institutions(list(raw.values()))
    weights = {
        home: dict(fractional_weights(tables, home).iter_rows()).get(work, 0.0)
        for home in (MAHIDOL, OXFORD)
    }
    # Before the rule, Mahidol held 0.667 and Oxford 0.417 (1.083 together).
    assert weights[MAHIDOL] == pytest.approx(leiden_weight(raw[work], MAHIDOL, known), abs=1e-12)
    assert weights[OXFORD] == pytest.approx(leiden_weight(raw[work], OXFORD, known), abs=1e-12)
    assert weights[OXFORD] == pytest.approx(0.417 / 2, abs=1e-3)
    assert weights[MAHIDOL] + weights[OXFORD] <= 1.0
    # The unit itself as home keeps every slot at it.
    moru = dict(fractional_weights(tables, MORU).iter_rows())[work]
    assert moru > weights[OXFORD]


def test_the_output_counts_works_with_a_joint_unit(tables: copub.Tables) -> None:
    """The yearly table says how many works had a joint unit (W2277834738, 2016, for Oxford)."""
    definitions = Definitions(institutions=(OXFORD,), universe="all", bootstrap=0)
    labelled = copub.label_works(tables, definitions).works
    joint = labelled.filter("joint_unit")["work_id"].to_list()
    assert "W2277834738" in joint
    yearly = copub.yearly_indicators(tables, definitions)
    per_year = labelled.group_by("year").agg(n=pl.col("joint_unit").sum())
    expected = dict(per_year.iter_rows())
    assert dict(zip(yearly["year"], yearly["joint_unit_works"], strict=True)) == {
        y: expected.get(y, 0) for y in yearly["year"]
    }
    assert yearly.filter(pl.col("year") == 2016)["joint_unit_works"].item() >= 1


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


@pytest.mark.parametrize(
    ("work", "child", "parent"),
    [("W2180613954", "I1334329717", "I55633929"), ("W3022355789", "I4210140884", "I1299303238")],
)
def test_a_parent_on_the_work_is_another_institution(
    pages: list[Path], tables: copub.Tables, work: str, child: str, parent: str
) -> None:
    """World Bank (NCI) as home: World Bank Group (NIH) on the work makes it P(collab)."""
    raw = raw_works(pages)[0]
    assert work in raw, f"{work} must be in ../shared/data"
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
