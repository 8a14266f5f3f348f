"""The works table's impact columns, checked against the raw JSON in plain Python."""

from __future__ import annotations

import json
import math
from typing import Any

import orjson
import polars as pl

import copub
from conftest import shared_path


def _fwci_reference(work: dict[str, Any]) -> float | None:
    """The missing-FWCI rule of copub.normalize.impact, written out in plain Python."""
    fwci = work.get("fwci")
    if fwci is None:
        return None
    if fwci != 0:
        return float(fwci)
    year = work["publication_year"]
    in_window = sum(
        c["cited_by_count"]
        for c in work.get("counts_by_year") or []
        if year <= c["year"] <= year + 3
    )
    if (
        work.get("citation_normalized_percentile") is None
        or work.get("primary_topic") is None
        or in_window > 0
    ):
        return None
    return 0.0


def test_real_2026_page_impact_columns() -> None:
    path = shared_path("openalex-2026", "works_page_2026.json")
    raw = {w["id"].rsplit("/", 1)[-1]: w for w in json.loads(path.read_text())["results"]}
    works = copub.read_works([path]).works
    assert works.height == len(raw)
    zeros_kept = zeros_dropped = 0
    for row in works.iter_rows(named=True):
        work = raw[row["work_id"]]
        assert row["cited_by_count"] == work["cited_by_count"]
        expected = _fwci_reference(work)
        if expected is None:
            assert row["fwci"] is None
        else:
            assert row["fwci"] is not None and math.isclose(row["fwci"], expected)
        if work.get("fwci") == 0:
            zeros_kept += expected is not None
            zeros_dropped += expected is None
        pct = work.get("citation_normalized_percentile")
        assert row["citation_percentile"] == (pct or {}).get("value")
        assert row["is_top_10_percent"] == (pct or {}).get("is_in_top_10_percent")
        assert row["is_top_1_percent"] == (pct or {}).get("is_in_top_1_percent")
        assert [(c["year"], c["cited_by_count"]) for c in row["counts_by_year"]] == [
            (c["year"], c["cited_by_count"]) for c in work["counts_by_year"]
        ]
        topic = work.get("primary_topic")
        if topic is None:
            assert row["topic_id"] is None and row["field_name"] is None
        else:
            assert row["topic_id"] == topic["id"].rsplit("/", 1)[-1]
            assert row["subfield_id"] == topic["subfield"]["id"].rsplit("/", 1)[-1]
            assert row["field_name"] == topic["field"]["display_name"]
            assert row["domain_id"] == topic["domain"]["id"].rsplit("/", 1)[-1]
    # The page has both kinds of zero, so the rule is exercised both ways.
    assert zeros_kept > 0


def _page(tmp_path: Any, works: list[dict[str, Any]]) -> Any:
    path = tmp_path / "page.json"
    path.write_bytes(orjson.dumps({"meta": {"count": len(works)}, "results": works}))
    return path


def _work(n: int, **fields: Any) -> dict[str, Any]:
    base = {"id": f"https://openalex.org/W{n}", "publication_year": 2020, "authorships": []}
    return base | fields


def test_zero_fwci_rule_cases(tmp_path: Any) -> None:
    pct = {"value": 0.3, "is_in_top_1_percent": False, "is_in_top_10_percent": False}
    topic = {"id": "https://openalex.org/T1", "display_name": "t"}
    works = [
        _work(1, fwci=0.0, cited_by_count=0, counts_by_year=[],
              citation_normalized_percentile=pct, primary_topic=topic),  # real zero
        _work(2, fwci=0.0, cited_by_count=5, counts_by_year=[],
              citation_normalized_percentile=None, primary_topic=topic),  # no percentile
        _work(3, fwci=0.0, cited_by_count=5, counts_by_year=[],
              citation_normalized_percentile=pct, primary_topic=None),  # no topic
        _work(4, fwci=0.0, cited_by_count=5,
              counts_by_year=[{"year": 2022, "cited_by_count": 5}],
              citation_normalized_percentile=pct, primary_topic=topic),  # cited in window
        _work(5, fwci=0.0, cited_by_count=5,
              counts_by_year=[{"year": 2025, "cited_by_count": 5}],
              citation_normalized_percentile=pct, primary_topic=topic),  # cited later
        _work(6, fwci=2.5, citation_normalized_percentile=None),  # a value is kept as is
    ]  # fmt: skip
    fwci = copub.read_works([_page(tmp_path, works)]).works.sort("work_id")["fwci"].to_list()
    assert fwci == [0.0, None, None, None, 0.0, 2.5]


def test_records_without_impact_fields_are_null_not_zero(tmp_path: Any) -> None:
    works = copub.read_works([_page(tmp_path, [_work(1), _work(2)])]).works
    impact = works.select(
        "cited_by_count", "fwci", "citation_percentile", "is_top_10_percent", "counts_by_year",
        "field_id",
    )  # fmt: skip
    assert impact.null_count().row(0) == (2,) * impact.width
    assert works.schema["counts_by_year"] == pl.List(
        pl.Struct({"year": pl.Int32, "cited_by_count": pl.Int64})
    )
