"""Breakdown by field and unit: groups partition the universe, figures are the yearly table's."""

from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import copub
from copub.classify.definitions import Definitions
from copub.errors import UsageError
from copub.indicators.breakdown import (
    NO_UNIT,
    STANDING,
    UNKNOWN,
    breakdown_indicators,
    breakdown_schema,
    where_we_stand,
    work_groups,
)
from copub.settings import Settings

HOME = "I204778367"


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> copub.Tables:
    # Module scope runs before the root conftest's per-test cache isolation: use
    # the session's cache directory explicitly, never the user's.
    cache = tmp_path_factory.getbasetemp() / "copub-cache"
    return copub.load_sample(scale=0.02, settings=Settings(cache_dir=cache))


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    return Definitions(years=(2019, 2022), bootstrap=0)


@pytest.fixture(scope="module")
def labelled(tables: copub.Tables, definitions: Definitions) -> copub.LabelledWorks:
    return copub.label_works(tables, definitions)


def test_fields_partition_the_universe(
    tables: copub.Tables, definitions: Definitions, labelled: copub.LabelledWorks
) -> None:
    result = breakdown_indicators(labelled, by="field")
    assert result.table.schema == breakdown_schema(definitions)
    # Independent reference: count works per (field, year) in plain Python.
    universe = set(labelled.works["work_id"])
    field_of = {
        w: (f or UNKNOWN)
        for w, f in zip(tables.works["work_id"], tables.works["field_id"], strict=True)
        if w in universe
    }
    year_of = dict(zip(labelled.works["work_id"], labelled.works["year"], strict=True))
    expected = Counter((field_of[w], year_of[w]) for w in universe)
    got = {(g, y): n for g, y, n in result.table.select("group_id", "year", "works").iter_rows()}
    assert got == dict(expected)
    total = copub.yearly_indicators(labelled)
    sums = result.table.group_by("year").agg(pl.col("works").sum(), pl.col("works_frac").sum())
    joined = total.join(sums, on="year", suffix="_sum")
    assert (joined["works"] == joined["works_sum"]).all()
    assert joined["works_frac"].to_list() == pytest.approx(joined["works_frac_sum"].to_list())


def test_a_field_row_is_the_yearly_table_of_its_works(
    tables: copub.Tables, labelled: copub.LabelledWorks
) -> None:
    result = breakdown_indicators(labelled, by="field")
    biggest = result.table["group_id"][0]
    ids = tables.works.filter(pl.col("field_id") == biggest)["work_id"]
    own = copub.LabelledWorks(
        labelled.works.filter(pl.col("work_id").is_in(ids.to_list())), labelled.definitions, tables
    )
    assert_frame_equal(
        result.table.filter(pl.col("group_id") == biggest).drop("group_id", "group_name", "small"),
        copub.yearly_indicators(own),
    )


def test_unknown_field_bucket(tables: copub.Tables, definitions: Definitions) -> None:
    # Drop the topic of a few works: they must land in the unknown bucket, not vanish.
    works = tables.works.with_columns(
        field_id=pl.when(pl.int_range(pl.len()) % 7 == 0).then(None).otherwise("field_id")
    )
    blanked = copub.Tables(
        works=works,
        authorships=tables.authorships,
        affiliations=tables.affiliations,
        institutions=tables.institutions,
        sources=tables.sources,
        funding=tables.funding,
        provenance=tables.provenance,
    )
    result = breakdown_indicators(blanked, definitions, by="field")
    total = copub.yearly_indicators(blanked, definitions)["works"].sum()
    assert result.table["works"].sum() == total
    assert result.table.filter(pl.col("group_id") == UNKNOWN)["works"].sum() > 0


def test_units_cover_the_universe(tables: copub.Tables, labelled: copub.LabelledWorks) -> None:
    result = breakdown_indicators(labelled, by="unit")
    children = {
        i
        for i, lineage in zip(
            tables.institutions["institution_id"], tables.institutions["lineage"], strict=True
        )
        if i != HOME and HOME in lineage
    }
    assert children
    universe = set(labelled.works["work_id"])
    units_of: dict[str, set[str]] = defaultdict(set)
    for w, i in zip(
        tables.affiliations["work_id"], tables.affiliations["institution_id"], strict=True
    ):
        if w in universe and i in children:
            units_of[w].add(i)
    expected: Counter[str] = Counter()
    for w in universe:
        for unit in units_of.get(w) or {NO_UNIT}:
            expected[unit] += 1
    got = result.pooled.select("group_id", "works").rows()
    assert dict(got) == dict(expected)
    # Full counts: every work at least once; fractional: the total exactly.
    assert result.pooled["works"].sum() >= len(universe)
    total = copub.yearly_indicators(labelled)["works_frac"].sum()
    assert result.pooled["works_frac"].sum() == pytest.approx(total)
    groups = work_groups(labelled, "unit")
    assert set(groups["work_id"]) == universe


def test_small_groups_are_flagged_not_hidden(labelled: copub.LabelledWorks) -> None:
    result = breakdown_indicators(labelled, by="unit", min_works=10)
    assert (result.table["small"] == (result.table["works"] < 10)).all()
    assert result.table["small"].any()


def test_where_we_stand(labelled: copub.LabelledWorks) -> None:
    result = breakdown_indicators(labelled, by="field")
    stand = where_we_stand(result, n=3)
    assert stand.schema == STANDING
    pooled = result.pooled.filter(pl.col("intl_share").is_not_null())
    assert stand.filter(end="highest")["share"][0] == pooled["intl_share"].max()
    assert stand.filter(end="lowest")["share"][0] == pooled["intl_share"].min()
    assert (stand["share_low"] <= stand["share"]).all()
    assert (stand["share"] <= stand["share_high"]).all()


def test_bad_input(tables: copub.Tables, labelled: copub.LabelledWorks) -> None:
    with pytest.raises(UsageError, match="I86987016 is not a unit of I204778367"):
        breakdown_indicators(labelled, by="unit", units=["I86987016"])
    with pytest.raises(UsageError, match="by must be field"):
        breakdown_indicators(labelled, by="faculty")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="min_works"):
        breakdown_indicators(labelled, min_works=-1)
    with pytest.raises(UsageError, match="no share"):
        where_we_stand(breakdown_indicators(labelled), indicator="nothing")
