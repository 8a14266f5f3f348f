"""Issue 27, item 1: one record cannot rewrite an institution, least of all the home one.

The pages are doctored copies of a real page from ../shared/data, built at test
time in ``tmp_path``; the expected institutions come from plain Python over the
raw JSON, not from copub.
"""

from __future__ import annotations

import copy
import functools
import io
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import copub
import copub.normalize.parts as parts
from conftest import shared_path
from copub.classify.countries import work_countries
from copub.cli import main
from copub.normalize import build_tables
from copub.progress import Progress
from copub.provenance import Provenance

HOSTILE_NAME = "\x1b]0;pwned\x07<b>Hostile University</b>"


def _works() -> list[dict[str, Any]]:
    page = json.loads(shared_path("openalex", "works_page.json").read_bytes())
    return list(page["results"])


def _write(folder: Path, works: list[dict[str, Any]], name: str) -> Path:
    path = folder / name
    path.write_text(json.dumps({"meta": {"count": len(works)}, "results": works}))
    return path


@functools.cache
def _busiest() -> tuple[str, str, str]:
    """The page's institution with the most works (found here, not written down: Mahidol
    University, nearly all of its works domestic), with its country and name as most works
    give them (plain Python, :func:`_reference`)."""
    works = _works()
    counts: Counter[str] = Counter()
    for work in works:
        counts.update({i for a in work["authorships"] for i in _short_ids(a)})
    home = min(counts, key=lambda i: (-counts[i], i))
    country = _reference(works, "country_code")[home]
    name = _reference(works, "display_name")[home]
    assert country is not None and name is not None
    return home, country, name


def _short_ids(authorship: dict[str, Any]) -> set[str]:
    return {r["id"].removeprefix("https://openalex.org/") for r in authorship["institutions"]}


def _doctored(works: list[dict[str, Any]], institution: str, **changes: str) -> list[dict]:
    """The works with one record of ``institution`` (in the newest-updated work) changed."""
    out = copy.deepcopy(works)
    holders = [w for w in out if any(_ids(w, institution))]
    target = max(holders, key=lambda w: w["updated_date"])
    target["updated_date"] = "2025-12-31T23:59:59.000000"
    for authorship in target["authorships"]:
        for record in authorship["institutions"]:
            if record["id"].endswith("/" + institution):
                record.update(changes)
    return out


def _ids(work: dict[str, Any], institution: str) -> list[bool]:
    return [
        record["id"].endswith("/" + institution)
        for authorship in work["authorships"]
        for record in authorship["institutions"]
    ]


def _reference(works: list[dict[str, Any]], field: str) -> dict[str, str | None]:
    """Plain Python: per institution the value most works give, ties to the newest record."""
    holders: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    newest: dict[tuple[str, str], str] = {}
    ids: set[str] = set()
    for work in works:
        for authorship in work["authorships"]:
            for record in authorship["institutions"]:
                iid = record["id"].removeprefix("https://openalex.org/")
                ids.add(iid)
                value = record.get(field)
                if value is None:
                    continue
                value = value.upper() if field == "country_code" else value
                holders[iid][value].add(work["id"])
                key = (iid, value)
                newest[key] = max(newest.get(key, ""), work["updated_date"] or "")
    chosen: dict[str, str | None] = {}
    for iid in ids:
        votes = holders.get(iid, {})
        # Stable sorts, last key first: value, then newest record, then most works.
        ranked = sorted(votes)
        ranked.sort(key=lambda v: newest[(iid, v)], reverse=True)
        ranked.sort(key=lambda v: len(votes[v]), reverse=True)
        chosen[iid] = ranked[0] if ranked else None
    return chosen


def test_one_hostile_record_changes_no_work_and_no_name(tmp_path: Path) -> None:
    home, country, name = _busiest()
    works = _works()
    clean = copub.read_works(_write(tmp_path, works, "clean.json"))
    hostile = _doctored(works, home, country_code="DE", display_name=HOSTILE_NAME)
    doctored = copub.read_works(_write(tmp_path, hostile, "hostile.json"))

    row = doctored.institutions.filter(pl.col("institution_id") == home).row(0, named=True)
    assert row["country_code"] == country and row["name"] == name
    # The flip would have made the institution's domestic works international.
    before = work_countries(clean).select("work_id", "is_international").sort("work_id")
    after = work_countries(doctored).select("work_id", "is_international").sort("work_id")
    home_works = clean.affiliations.filter(pl.col("institution_id") == home)["work_id"]
    domestic = before.filter(pl.col("work_id").is_in(home_works.implode()))
    assert (~domestic["is_international"]).sum() >= 3  # the flip would be visible
    assert after.equals(before)
    conflicts = doctored.provenance.institution_conflicts
    assert conflicts[home] == {"country_code": 1, "name": 1}
    assert doctored.provenance.counts["institution_conflicts"] == len(conflicts)
    assert home not in clean.provenance.institution_conflicts


@pytest.mark.parametrize("field", ["country_code", "name"])
def test_every_institution_keeps_the_value_most_works_give(tmp_path: Path, field: str) -> None:
    works = _doctored(_works(), _busiest()[0], country_code="DE", display_name=HOSTILE_NAME)
    tables = copub.read_works(_write(tmp_path, works, "hostile.json"))
    column = "name" if field == "name" else "country_code"
    got = dict(tables.institutions.select("institution_id", column).iter_rows())
    want = _reference(works, "display_name" if field == "name" else field)
    assert got == want


def _work(n: int, updated: str, **record: Any) -> dict[str, Any]:
    institution = {"id": "https://openalex.org/I7", "display_name": "Seven", **record}
    return {
        "id": f"https://openalex.org/W{n}",
        "publication_year": 2020,
        "updated_date": updated,
        "authorships": [
            {"author": {"id": "https://openalex.org/A1"}, "institutions": [institution]}
        ],
    }


def test_a_tie_goes_to_the_newest_record_and_a_missing_value_never_wins(tmp_path: Path) -> None:
    works = [
        _work(1, "2020-01-01T00:00:00", country_code="NO"),
        _work(2, "2024-06-01T00:00:00", country_code="SE"),  # a tie: the newest wins
        _work(3, "2025-01-01T00:00:00", country_code=None),
        _work(4, "2025-02-01T00:00:00", country_code=None),
    ]
    tables = copub.read_works(_write(tmp_path, works, "tie.json"))
    assert tables.institutions["country_code"].to_list() == ["SE"]
    assert tables.provenance.institution_conflicts == {"I7": {"country_code": 1}}
    works.append(_work(5, "2019-01-01T00:00:00", country_code="NO"))
    tables = copub.read_works(_write(tmp_path, works, "two.json"))
    assert tables.institutions["country_code"].to_list() == ["NO"]


def test_the_conflict_is_said_and_stored_for_the_home_institution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, country, _ = _busiest()
    hostile = _doctored(_works(), home, country_code="DE")
    path = _write(tmp_path, hostile, "hostile.json")
    out = io.StringIO()
    built = build_tables(
        path,
        tmp_path / "data",
        provenance=Provenance(source="import", institution=home),
        progress=Progress(stream=out),
    )
    notes = out.getvalue()
    assert f"{home} (a home institution): country_code '{country}'" in notes
    assert "'DE' in 1" in notes
    stored = json.loads((built.path / "provenance.json").read_text())
    assert stored["institution_conflicts"][home] == {"country_code": 1}
    assert stored["counts"]["institution_conflicts"] >= 1
    # The command line says it too.
    assert main(["import", str(path), "--data-dir", str(tmp_path / "cli")]) == 0
    assert f"{home}: country_code '{country}'" in capsys.readouterr().err


_COUNTRIES = st.sampled_from(["NO", "SE", "DE", None])
_DATES = st.sampled_from(["2019-01-01T00:00:00", "2023-05-05T00:00:00", "2025-12-31T00:00:00"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(st.tuples(_COUNTRIES, _DATES), min_size=1, max_size=12))
def test_the_country_kept_is_the_majority_then_the_newest(
    tmp_path: Path, records: list[tuple[str | None, str]]
) -> None:
    works = [_work(n, updated, country_code=code) for n, (code, updated) in enumerate(records, 1)]
    tables = copub.read_works(_write(tmp_path, works, "votes.json"))
    want = _reference(works, "country_code")["I7"]
    assert tables.institutions["country_code"].to_list() == [want]
    known = [code for code, _ in records if code is not None]
    conflicting = sum(code != want for code in known)
    got = tables.provenance.institution_conflicts.get("I7", {}).get("country_code", 0)
    assert got == conflicting


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(
        st.tuples(
            st.lists(
                st.tuples(_COUNTRIES, st.sampled_from(["Seven", "7"])), min_size=1, max_size=2
            ),
            _DATES,
        ),
        min_size=1,
        max_size=10,
    ),
    files=st.integers(1, 3),
)
def test_votes_read_in_parts_count_each_work_once_per_value(
    tmp_path: Path, records: list[tuple[list[tuple[str | None, str]], str]], files: int
) -> None:
    """A work may describe I7 twice, alike or not (two authorships); read in parts."""
    works = []
    for n, (described, updated) in enumerate(records, 1):
        work = _work(n, updated)
        work["authorships"] = [
            {
                "author": {"id": f"https://openalex.org/A{k}"},
                "institutions": [
                    {"id": "https://openalex.org/I7", "display_name": name, "country_code": code}
                ],
            }
            for k, (code, name) in enumerate(described)
        ]
        works.append(work)
    paths = [_write(tmp_path, works[i::files], f"part{i}.json") for i in range(files)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "BATCH_BYTES", 1)  # every file its own part
        tables = copub.read_works(paths)
    want = _reference(works, "country_code")["I7"]
    assert tables.institutions["country_code"].to_list() == [want]
    giving: dict[str, set[str]] = defaultdict(set)
    for work in works:
        for authorship in work["authorships"]:
            code = authorship["institutions"][0]["country_code"]
            if code is not None:
                giving[code].add(work["id"])
    conflicting = sum(len(ids) for code, ids in giving.items() if code != want)
    got = tables.provenance.institution_conflicts.get("I7", {}).get("country_code", 0)
    assert got == conflicting
