"""Breakdown by field and unit: groups partition the universe, figures are the yearly table's."""

from __future__ import annotations

import math
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
    Breakdown,
    BreakdownBy,
    breakdown_indicators,
    breakdown_schema,
    standing_sentence,
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


def _z_p(k1: float, n1: float, k2: float, n2: float) -> float:
    """Two-sided pooled two-proportion z-test p-value, in plain Python."""
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(k1 / n1 - k2 / n2) / se / math.sqrt(2))


def _holm(p: dict[str, float]) -> dict[str, float]:
    out, running = {}, 0.0
    for j, (key, value) in enumerate(sorted(p.items(), key=lambda kv: kv[1])):
        running = max(running, min(1.0, (len(p) - j) * value))
        out[key] = running
    return out


@pytest.mark.parametrize("by", ["field", "unit"])
def test_where_we_stand_ranks_only_groups_that_differ(
    labelled: copub.LabelledWorks, by: BreakdownBy
) -> None:
    result = breakdown_indicators(labelled, by=by)
    stand = where_we_stand(result, n=100)
    assert stand.schema == STANDING
    first, last = labelled.definitions.years or (0, 0)
    whole = copub.window_indicators(labelled, labelled.definitions.with_(window=last - first + 1))
    assert whole.height == 1
    total_k, total_n = float(whole["intl_works"].sum()), float(whole["intl_base"].sum())
    p = {
        r["group_id"]: _z_p(r["intl_works"], r["intl_base"],
                            total_k - r["intl_works"], total_n - r["intl_base"])
        for r in result.pooled.iter_rows(named=True)
        if r["group_id"] not in (UNKNOWN, NO_UNIT) and r["intl_base"]
    }  # fmt: skip
    significant = {g for g, q in _holm(p).items() if q < 0.05}
    assert set(stand["group_id"]) == significant
    for row in stand.iter_rows(named=True):
        above = row["share"] > total_k / total_n
        assert row["end"] == ("highest" if above else "lowest")
        assert row["p_value_adjusted"] == pytest.approx(_holm(p)[row["group_id"]])
    assert (stand["share_low"] <= stand["share"]).all()
    assert (stand["share"] <= stand["share_high"]).all()


def _pooled(rows: list[tuple[str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "group_id": [g for g, _, _ in rows],
            "group_name": [g.capitalize() for g, _, _ in rows],
            "works": [n for _, _, n in rows],
            "small": [False] * len(rows),
            "intl_works": [k for _, k, _ in rows],
            "intl_base": [n for _, _, n in rows],
            "intl_share": [k / n for _, k, n in rows],
            "intl_share_low": [k / n - 0.01 for _, k, n in rows],
            "intl_share_high": [k / n + 0.01 for _, k, n in rows],
            "intl_share_frac": [k / n for _, k, n in rows],
        }
    )


def test_overlapping_fields_rank_nobody_and_say_so() -> None:
    """Engineering 62.2% and Physics 61.3% of one institution are not "highest" and "lowest"."""
    pooled = _pooled([("engineering", 1244, 2000), ("physics", 1226, 2000)])
    result = Breakdown(pooled, pooled, "field", 30, copub.Definitions())
    stand = where_we_stand(result)
    assert stand.is_empty()
    assert standing_sentence(result, stand).startswith("No field differs significantly")


def test_the_unknown_bucket_is_never_ranked() -> None:
    pooled = _pooled([("a", 600, 1000), ("b", 610, 1000), (UNKNOWN, 100, 1000)])
    result = Breakdown(pooled, pooled, "field", 30, copub.Definitions())
    stand = where_we_stand(result)
    assert UNKNOWN not in stand["group_id"].to_list()
    # both fields lie far above the institution, which the unknown bucket pulls down
    assert stand["end"].to_list() == ["highest", "highest"]


def test_bad_input(tables: copub.Tables, labelled: copub.LabelledWorks) -> None:
    with pytest.raises(UsageError, match="I86987016 is not a unit of I204778367"):
        breakdown_indicators(labelled, by="unit", units=["I86987016"])
    with pytest.raises(UsageError, match="by must be field"):
        breakdown_indicators(labelled, by="faculty")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="min_works"):
        breakdown_indicators(labelled, min_works=-1)
    with pytest.raises(UsageError, match="no share"):
        where_we_stand(breakdown_indicators(labelled), indicator="nothing")
