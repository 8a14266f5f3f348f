"""Invariants of the normalizer and of fractional counting, on generated works."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import copub
from copub.indicators.counting import fractional_weights
from strategies import INSTITUTIONS, unique_works

_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _tables(batches: list[list[dict[str, Any]]]) -> copub.Tables:
    folder = Path(tempfile.mkdtemp())
    paths = []
    for i, batch in enumerate(batches):
        path = folder / f"page{i}.json"
        path.write_text(json.dumps({"meta": {"count": len(batch)}, "results": batch}))
        paths.append(path)
    return copub.read_works(paths)


def _frames_equal(a: copub.Tables, b: copub.Tables) -> None:
    for name, frame in a.frames().items():
        assert frame.equals(b.frames()[name]), name


@given(unique_works(), st.randoms(use_true_random=False))
@_SETTINGS
def test_order_of_pages_and_works_does_not_matter(works: list[dict[str, Any]], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = works[:]
    rnd.shuffle(shuffled)
    half = len(shuffled) // 2
    _frames_equal(_tables([works]), _tables([shuffled[half:], shuffled[:half]]))


@given(unique_works(), st.data())
@_SETTINGS
def test_duplicates_are_removed_and_counted(
    works: list[dict[str, Any]], data: st.DataObject
) -> None:
    repeats = data.draw(st.lists(st.sampled_from(works), max_size=5)) if works else []
    tables = _tables([works, repeats])
    assert tables.works.height == len(works)
    assert tables.provenance.counts["duplicates_removed"] == len(repeats)
    tables.check_keys()
    _frames_equal(tables, _tables([works]))


@given(unique_works())
@_SETTINGS
def test_every_authorship_gives_a_row(works: list[dict[str, Any]]) -> None:
    tables = _tables([works])
    assert tables.authorships.height == sum(len(w["authorships"]) for w in works)
    no_institution = sum(1 for w in works for a in w["authorships"] if not a["institutions"])
    assert tables.authorships.filter(pl.col("n_institutions") == 0).height == no_institution
    # Each authorship's distinct institution ids, as plain Python counts them.
    want = {
        (w["id"].removeprefix("https://openalex.org/"), position): len(
            {i["id"] for i in a["institutions"] if i.get("id")}
        )
        for w in works
        for position, a in enumerate(w["authorships"])
    }
    got = tables.authorships.select("work_id", "position", "n_institutions").iter_rows()
    assert {(work, position): n for work, position, n in got} == want


@given(unique_works())
@_SETTINGS
def test_parquet_round_trip_changes_nothing(works: list[dict[str, Any]]) -> None:
    tables = _tables([works])
    folder = Path(tempfile.mkdtemp())
    tables.write(folder)
    _frames_equal(tables, copub.load_tables(folder))


@given(unique_works())
@_SETTINGS
def test_fractional_weights_sum_to_the_share_of_affiliated_authorships(
    works: list[dict[str, Any]],
) -> None:
    """Leiden's weights of a work sum to the share kept by strings that name an institution."""
    from reference_leiden import leiden_weight, strings_of

    tables = _tables([works])
    weights = pl.concat(
        [
            fractional_weights(tables, i).with_columns(institution=pl.lit(i))
            for i, *_ in INSTITUTIONS
        ]
    )
    # I2 is a child unit of I1 and is counted inside it: leave it out of the sum.
    top_level = weights.filter(pl.col("institution") != "I2")
    per_work = top_level.group_by("work_id").agg(pl.col("weight").sum())
    for work in works:
        wid = work["id"].rsplit("/", 1)[-1]
        n = len(work["authorships"])
        named: dict[str, set[str]] = {}
        for a in work["authorships"]:
            for text, ids in (strings_of(a) or {}).items():
                named.setdefault(text, set()).update(ids)
        kept = 0.0
        for a in work["authorships"]:
            strings = strings_of(a)
            if strings is None:
                kept += 1.0 if a["institutions"] else 0.0
            elif strings:
                kept += sum(1 for t in strings if named[t]) / len(strings)
        got = per_work.filter(pl.col("work_id") == wid)["weight"].sum()
        assert got <= 1 + 1e-12
        assert abs(got - (kept / n if n else 0)) < 1e-9
        # Each institution's weight is exactly its Leiden share of the work.
        for i, *_ in INSTITUTIONS:
            mine = weights.filter((pl.col("work_id") == wid) & (pl.col("institution") == i))
            assert abs(mine["weight"].sum() - leiden_weight(work, i)) < 1e-9
    # Each weight is in (0, 1], and a parent's weight includes its child units'.
    assert ((weights["weight"] > 0) & (weights["weight"] <= 1 + 1e-12)).all()
    parent = weights.filter(pl.col("institution") == "I1").select("work_id", p="weight")
    child = weights.filter(pl.col("institution") == "I2").select("work_id", c="weight")
    joined = child.join(parent, on="work_id", how="left")
    assert (joined["p"] >= joined["c"] - 1e-12).all()
