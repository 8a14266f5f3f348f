"""copub's figures against an independent plain-Python port of the Leiden rules.

``reference_leiden`` reads the raw JSON with no copub code. Every real page
(2024 and 2026 schemas) and the synthetic sample are checked, for every
institution that occurs in them, to 1e-9: P, P fractional, P(collab),
P(int collab), their shares in both counting methods, and a partner-group share.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import copub
from conftest import shared_path
from copub.classify import home_affiliations, work_countries
from copub.classify.collaboration import work_institutions
from copub.indicators import Definitions, fractional_weights, universe_works
from reference_leiden import (
    institutions_of,
    known_institutions,
    leiden_weight,
    lineage,
    reference_yearly,
    short,
)

PRIORITY = {"BR", "CA", "CN", "IN", "JP", "RU", "ZA", "KR", "US"}
#: How many of the pages' institutions with the most works each yearly test runs for.
N_HOMES = 5
TOL = 1e-9


def _raw(pages: list[Path]) -> list[dict[str, Any]]:
    works: list[dict[str, Any]] = []
    for page in pages:
        text = page.read_text()
        if text.lstrip().startswith('{"meta"') or '"results"' in text[:200]:
            works.extend(json.loads(text)["results"])
        else:
            works.extend(json.loads(line) for line in text.splitlines() if line.strip())
    return works


def _page_sets() -> dict[str, list[Path]]:
    return {
        "2024": sorted(shared_path("openalex").glob("*.json")),
        "2026": [shared_path("openalex-2026", "works_page_2026.json")],
    }


@functools.cache
def _read(schema: str) -> tuple[copub.Tables, tuple[dict[str, Any], ...]]:
    """The tables and the raw records of one page set, read once per module (Tables
    are frozen; nothing here or in the reference writes into a raw record)."""
    pages = _page_sets()[schema]
    return copub.read_works(pages), tuple(_raw(pages))


def _by_institution(works: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each institution's works in order: those naming it or a unit of it (by lineage),
    so ``reference_yearly`` over them equals the reference over every work."""
    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for work in works:
        for key in set().union(*(lineage(i, k) for k, i in institutions_of(work).items())):
            index[key].append(work)
    return index


def _agree(yearly: pl.DataFrame, expected: dict[int, dict[str, Any]], group: str | None) -> float:
    """Assert agreement; return the largest absolute difference seen."""
    worst = 0.0
    assert sorted(yearly["year"].to_list()) == sorted(expected)
    for row in yearly.iter_rows(named=True):
        ref = expected[row["year"]]
        assert row["works"] == ref["works"]
        for stem in ("intl", "collab"):
            assert row[f"{stem}_works"] == ref[f"{stem}_works"]
        pairs = [
            (row["works_frac"], ref["works_frac"]),
            (row["intl_share"], ref["intl_share"]),
            (row["collab_share"], ref["collab_share"]),
            (row["intl_works_frac"], ref["intl_works_frac"]),
            (row["collab_works_frac"], ref["collab_works_frac"]),
            (row["intl_share_frac"], ref["intl_share_frac"]),
            (row["collab_share_frac"], ref["collab_share_frac"]),
        ]
        if group:
            pairs += [
                (row[group], ref["group_share"]),
                (row[f"{group}_frac"], ref["group_share_frac"]),
            ]
        for got, want in pairs:
            if want is None:
                assert got is None
                continue
            assert got == pytest.approx(want, abs=TOL)
            worst = max(worst, abs(got - want))
    return worst


def _top_homes(raw: list[dict[str, Any]], n: int) -> list[str]:
    """The institutions (or parents, by lineage) with the most works in ``raw``."""
    counts: dict[str, int] = defaultdict(int)
    for work in raw:
        ids: set[str] = set()
        for key, inst in institutions_of(work).items():
            ids |= {key} | {x.rsplit("/", 1)[-1] for x in inst.get("lineage") or []}
        for key in ids:
            counts[key] += 1
    return sorted(counts, key=lambda k: (-counts[k], k))[:n]


@pytest.mark.parametrize("schema", ["2024", "2026"])
@pytest.mark.parametrize("rank", range(N_HOMES))
@pytest.mark.parametrize("universe", ["leiden", "core", "types", "all"])
def test_yearly_figures_agree_with_the_leiden_reference(
    schema: str, rank: int, universe: str
) -> None:
    tables, records = _read(schema)
    raw = list(records)
    # Found in the pages themselves (most works, directly or through child units).
    home = _top_homes(raw, N_HOMES)[rank]
    expected = reference_yearly(raw, home, universe=universe, group=PRIORITY)
    if universe in ("types", "all"):
        assert expected, f"{home} has no works in the {schema} pages: the check would be empty"
    definitions = Definitions(institutions=(home,), universe=universe, bootstrap=0)  # type: ignore[arg-type]
    yearly = copub.yearly_indicators(tables, definitions)
    _agree(yearly, expected, "priority_share")


def _every_institution(raw: list[dict[str, Any]]) -> list[str]:
    found: set[str] = set()
    for work in raw:
        found |= set(institutions_of(work))
    return sorted(found)


@pytest.mark.parametrize("schema", ["2024", "2026"])
def test_every_institution_of_the_real_pages_agrees(schema: str) -> None:
    """P, P frac, P(collab), P(int collab) and shares per year, for each institution;
    and its weight in each work that names it (or a unit of it)."""
    tables, records = _read(schema)
    raw = {w["id"].rsplit("/", 1)[-1]: w for w in records}
    works = list(raw.values())
    known = known_institutions(works)
    by_institution = _by_institution(works)
    # Home-independent labels, once.
    in_universe = set(universe_works_all(tables))
    flags = work_countries(tables)
    intl = dict(zip(flags["work_id"], flags["is_international"], strict=True))
    year = dict(zip(tables.works["work_id"], tables.works["year"], strict=True))
    worst = 0.0
    institutions = _every_institution(works)
    assert len(institutions) > 100
    for home in institutions:
        expected = reference_yearly(by_institution[home], home, universe="leiden", known=known)
        homes = home_affiliations(tables, home).filter(pl.col("is_home"))["work_id"].unique()
        weights = dict(fractional_weights(tables, home).iter_rows())
        for work in by_institution[home]:
            work_id = short(work["id"])
            want = leiden_weight(work, home, known)
            assert weights.get(work_id, 0.0) == pytest.approx(want, abs=TOL), (home, work_id)
        assert set(weights) <= {short(work["id"]) for work in by_institution[home]}, home
        # P(collab) is judged against the home (Leiden folds only its component units).
        organisations = work_institutions(tables, home)
        several = dict(organisations.select("work_id", "several_organisations").iter_rows())
        collab = {w: bool(intl[w]) or bool(several.get(w)) for w in intl}
        got: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for work_id in set(homes.to_list()) & in_universe:
            row = got[year[work_id]]
            w = weights.get(work_id, 0.0)
            row["works"] += 1
            row["works_frac"] += w
            for stem, flag in (("intl", intl[work_id]), ("collab", collab[work_id])):
                row[f"{stem}_works"] += flag
                row[f"{stem}_works_frac"] += w * flag
        assert sorted(got) == sorted(expected), home
        for y, ref in expected.items():
            for key in ("works", "intl_works", "collab_works"):
                assert got[y][key] == ref[key], (home, y, key)
            for key in ("works_frac", "intl_works_frac", "collab_works_frac"):
                assert got[y][key] == pytest.approx(ref[key], abs=TOL), (home, y, key)
                worst = max(worst, abs(got[y][key] - ref[key]))
            for stem in ("intl", "collab"):
                share = got[y][f"{stem}_works"] / got[y]["works"]
                assert share == pytest.approx(ref[f"{stem}_share"], abs=TOL)
    print(f"{schema}: {len(institutions)} institutions, max difference {worst:.3g}")


def universe_works_all(tables: copub.Tables) -> list[str]:
    """Works in the Leiden universe whatever the home (every institution as home)."""
    every = tables.institutions["institution_id"].to_list()
    return universe_works(tables, Definitions(institutions=tuple(every)))["work_id"].to_list()


def test_sample_agrees_with_reference(tmp_path: Path) -> None:
    from copub.sample import write_sample

    files = write_sample(tmp_path, seed=3, scale=0.01)
    paths = [*files.pages, *files.full_records]
    # The reference reads every raw record, XPAC works too (the leiden universe drops them).
    tables = copub.read_works(paths, include_xpac=True)
    raw = _raw(list(files.full_records) + list(files.pages))
    for universe in ("leiden", "types"):
        expected = reference_yearly(raw, "I204778367", universe=universe, group=PRIORITY)
        yearly = copub.yearly_indicators(tables, Definitions(universe=universe, bootstrap=0))  # type: ignore[arg-type]
        _agree(yearly, expected, "priority_share")


def _string_ids(authorship: dict[str, Any]) -> list[set[str]] | None:
    """The institution ids of each raw affiliation string (None: no ``affiliations``)."""
    strings = authorship.get("affiliations")
    if strings is None:
        return None
    return [{short(i) for i in (s.get("institution_ids") or [])} for s in strings]  # type: ignore[misc]


def _weights(tables: copub.Tables, home: str, work_id: str) -> tuple[float, float]:
    """(Leiden weight, old rule's weight) of ``home`` in ``work_id``."""
    leiden = fractional_weights(tables, home).filter(work_id=work_id)["weight"]
    old = fractional_weights(tables, home, rule="institutions").filter(work_id=work_id)["weight"]
    return float(leiden.item()), float(old.item())


def test_a_second_string_without_institution_halves_the_share(
    real_tables: copub.Tables, openalex_pages: list[Path]
) -> None:
    """Works (found by their shape in the real pages, like the issue's example) whose
    home authors each have the home string and a second, institution-less string.

    Leiden: k of n authors give k/n x 1/2; the old split over institutions gave k/n.
    """
    found = 0
    for work in _raw(openalex_pages):
        authorships = work.get("authorships") or []
        n = len(authorships)
        homes = {short(i["id"]) for a in authorships for i in a["institutions"] if i.get("id")}
        for home in homes:
            at_home = [
                a for a in authorships if home in {short(i["id"]) for i in a["institutions"]}
            ]
            shapes = [_string_ids(a) for a in at_home]
            if not all(
                ids is not None
                and sorted(map(len, ids)) == [0, 1]
                and {home} in ids
                and len(a["institutions"]) == 1
                for a, ids in zip(at_home, shapes, strict=True)
            ) or any(short(p) != home for a in at_home for p in a["institutions"][0]["lineage"]):
                continue  # a home author also counted through a parent unit
            leiden, old = _weights(real_tables, home, short(work["id"]))  # type: ignore[arg-type]
            k = len(at_home)
            assert leiden == pytest.approx(k / n / 2, abs=1e-12)
            assert old == pytest.approx(k / n, abs=1e-12)
            found += 1
    assert found > 0, "the real pages hold works of this shape"


def test_the_old_rule_errs_on_real_works() -> None:
    """The old rule (an authorship's weight split over its institutions, strings
    ignored) gives other weights than Leiden's on real works: the change shows.

    Each Leiden weight is checked against the reference by
    :func:`test_every_institution_of_the_real_pages_agrees`.
    """
    tables, records = _read("2026")
    differ = pairs = 0
    for home in _every_institution(list(records)):
        new = dict(fractional_weights(tables, home).iter_rows())
        old = dict(fractional_weights(tables, home, rule="institutions").iter_rows())
        for work_id in old.keys() | new.keys():
            pairs += 1
            differ += abs(new.get(work_id, 0.0) - old.get(work_id, 0.0)) > TOL
        if differ >= 10 and pairs >= 100:
            break
    assert differ >= 10, "the real pages must show the old rule's error"
    assert pairs > differ


def _tables_2026() -> copub.Tables:
    return _read("2026")[0]


def _raw_2026() -> list[dict[str, Any]]:
    return list(_read("2026")[1])


def test_a_string_naming_two_institutions_splits_its_share() -> None:
    """Single-author works (found by their shape in the 2026 page) with two strings, one
    naming institutions A and B, the other A only.

    Leiden: A gets 1/2 x 1/2 + 1/2 x 1 = 3/4, B 1/2 x 1/2 = 1/4; the old split over
    the authorship's two institutions gave each 1/2.
    """
    tables = _tables_2026()
    found = 0
    for work in _raw_2026():
        authorships = work.get("authorships") or []
        if len(authorships) != 1:
            continue
        ids = _string_ids(authorships[0])
        if ids is None or len(ids) != 2 or sorted(map(len, ids)) != [1, 2]:
            continue
        single, double = sorted(ids, key=len)
        if not single < double or len(authorships[0]["institutions"]) != 2:
            continue
        (both,) = single
        (other,) = double - single
        work_id = short(work["id"])
        assert work_id is not None
        assert _weights(tables, both, work_id) == pytest.approx((3 / 4, 1 / 2), abs=1e-12)
        assert _weights(tables, other, work_id) == pytest.approx((1 / 4, 1 / 2), abs=1e-12)
        found += 1
    assert found > 0, "the 2026 page holds a work of this shape"


def test_a_work_without_references_is_outside_the_leiden_universe() -> None:
    """Works with ``referenced_works_count`` 0 (found in the 2026 page):
    the Leiden universe leaves them out, the ``types`` universe keeps their articles."""
    tables = _tables_2026()
    found = 0
    for work in _raw_2026():
        homes = sorted(institutions_of(work))
        if work.get("referenced_works_count") != 0 or work.get("type") != "article" or not homes:
            continue
        work_id, home = short(work["id"]), homes[0]
        for universe, kept in (("leiden", False), ("types", True)):
            works = universe_works(tables, Definitions(institutions=(home,), universe=universe))  # type: ignore[arg-type]
            if universe == "types" and (work.get("is_retracted") or work.get("is_paratext")):
                kept = False
            assert (work_id in works["work_id"].to_list()) is kept
        found += 1
    assert found > 0
