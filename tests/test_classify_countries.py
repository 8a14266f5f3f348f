"""Countries of works: unknown codes, HK/MO merging and order-independence (hypothesis)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import copub
from copub.classify import (
    load_groups,
    unknown_country_codes,
    valid_country_codes,
    work_countries,
    work_group_flags,
)

CODES = ["NO", "SE", "se ", "CN", "HK", "MO", "mo", "US", "ZZ", "XK", "N0", ""]
INSTITUTIONS = {f"I{i}": code for i, code in enumerate(["NO", "SE", "HK", "US", "ZZ", None])}
HOME = "I0"
World = list[list[dict[str, Any]]]


def _norm(code: str | None) -> str | None:
    return code.strip().upper() if code and code.strip() else None


def expected_countries(work: dict[str, Any], merge: bool) -> tuple[set[str], set[str]]:
    """Known and unknown codes of a raw work, computed the slow, obvious way."""
    raw = set()
    for authorship in work["authorships"]:
        raw |= {_norm(c) for c in authorship["countries"]}
        raw |= {_norm(i["country_code"]) for i in authorship["institutions"]}
    raw.discard(None)
    known = {c for c in raw if c in valid_country_codes()}
    if merge:
        known = {"CN" if c in ("HK", "MO") else c for c in known}
    return known, {c for c in raw if c not in valid_country_codes()}  # type: ignore[misc]


authorships = st.fixed_dictionaries(
    {
        "countries": st.lists(st.sampled_from(CODES), max_size=3),
        "institutions": st.lists(st.sampled_from(sorted(INSTITUTIONS)), max_size=2, unique=True),
    }
)
worlds = st.lists(st.lists(authorships, min_size=1, max_size=4), min_size=1, max_size=5)


def build(world: World) -> tuple[copub.Tables, list[dict[str, Any]]]:
    works = []
    for n, work_authorships in enumerate(world):
        works.append({
            "id": f"https://openalex.org/W{n + 1}",
            "publication_year": 2015 + n,
            "authorships": [
                {
                    "author": {"id": f"https://openalex.org/A{n}{k}"},
                    "countries": a["countries"],
                    "institutions": [
                        {"id": f"https://openalex.org/{iid}", "country_code": INSTITUTIONS[iid],
                         "type": "education", "lineage": [f"https://openalex.org/{iid}"]}
                        for iid in a["institutions"]
                    ],
                }
                for k, a in enumerate(work_authorships)
            ],
        })
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.jsonl"
        path.write_text("\n".join(json.dumps(w) for w in works), encoding="utf-8")
        tables = copub.read_works(path)
    return tables, works


def shuffled(tables: copub.Tables, seed: int) -> copub.Tables:
    return tables.with_(**{
        name: frame.sample(fraction=1.0, shuffle=True, seed=seed)
        for name, frame in tables.frames().items()
    })


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(worlds)
def test_countries_and_international_follow_the_definition(world: World) -> None:
    tables, works = build(world)
    for merge in (True, False):
        labels = {
            r["work_id"]: r
            for r in work_countries(tables, institution=HOME, merge_hk_mo=merge).to_dicts()
        }
        for work in works:
            row = labels[work["id"].rsplit("/", 1)[1]]
            known, unknown = expected_countries(work, merge)
            assert set(row["countries"]) == known and row["n_countries"] == len(known)
            assert set(row["unknown_codes"]) == unknown
            assert row["is_international"] == (row["n_countries"] >= 2)
            # An authorship without a known code of its own (reported or institutional).
            without = [
                a
                for a in work["authorships"]
                if not expected_countries({"authorships": [a]}, merge)[0]
            ]
            assert row["n_authorships_no_country"] == len(without)
            home = [any(i["id"].endswith(f"/{HOME}") for i in a["institutions"]) for a in without]
            assert row["country_missing"] == (not all(home))


@FAST
@given(worlds)
def test_merging_hong_kong_and_macao_never_adds_countries(world: World) -> None:
    tables, _ = build(world)
    merged = work_countries(tables, merge_hk_mo=True)
    apart = work_countries(tables, merge_hk_mo=False)
    assert merged["work_id"].to_list() == apart["work_id"].to_list()
    assert (merged["n_countries"] <= apart["n_countries"]).all()
    assert not merged["countries"].list.eval(pl.element().is_in(["HK", "MO"])).list.any().any()


@FAST
@given(worlds, st.integers(0, 2**16))
def test_classification_does_not_depend_on_row_order(
    world: World, seed: int
) -> None:
    tables, _ = build(world)
    other = shuffled(tables, seed)
    assert work_countries(tables, institution=HOME).equals(work_countries(other, institution=HOME))
    groups = load_groups()
    for membership in ("current", "historical"):
        assert work_group_flags(tables, groups, institution=HOME, membership=membership).equals(
            work_group_flags(other, groups, institution=HOME, membership=membership)
        )


def test_unknown_codes_are_kept_aside_and_counted(tmp_path: Path) -> None:
    works = [
        {"id": "https://openalex.org/W1", "publication_year": 2020, "authorships": [
            {"author": {"id": "A1"}, "countries": ["no", "ZZ"], "institutions": []},
            {"author": {"id": "A2"}, "countries": ["ZZ", "Q1"], "institutions": []},
        ]},
        {"id": "https://openalex.org/W2", "publication_year": 2020, "authorships": [
            {"author": {"id": "A3"}, "countries": [], "institutions": [
                {"id": "https://openalex.org/I9", "country_code": "ZZ", "lineage": []}]},
        ]},
    ]
    path = tmp_path / "w.jsonl"
    path.write_text("\n".join(json.dumps(w) for w in works), encoding="utf-8")
    tables = copub.read_works(path)
    labels = work_countries(tables).to_dicts()
    assert labels[0]["countries"] == ["NO"] and labels[0]["unknown_codes"] == ["Q1", "ZZ"]
    assert labels[1]["countries"] == [] and labels[1]["n_authorships_no_country"] == 1
    counts = unknown_country_codes(tables).to_dicts()
    assert counts == [
        {"code": "ZZ", "n_authorships": 3, "n_works": 2},
        {"code": "Q1", "n_authorships": 1, "n_works": 1},
    ]
