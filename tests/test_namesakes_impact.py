"""Unknown is not zero in impact (issue 26, item 7): a zero FWCI the citation data cannot test.

``counts_by_year`` starts in 2012, so for an older work the missing-FWCI rule
cannot see citations in the FWCI window. The works are found at run time in
../shared/data (skipped without it) and checked against a plain Python rule
over the raw JSON.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

import copub
from conftest import shared_path
from copub.indicators import Definitions


def _raw() -> dict[str, dict[str, Any]]:
    works: dict[str, dict[str, Any]] = {}
    page = shared_path("openalex-2026", "works_page_2026.json")
    for work in json.loads(page.read_text())["results"]:
        works[work["id"].rsplit("/", 1)[-1]] = work
    return works


def _known_fwci(work: dict[str, Any]) -> bool:
    """The plain rule: is the work's FWCI known (a true value, a true zero)?"""
    fwci = work.get("fwci")
    if fwci is None:
        return False
    if fwci != 0:
        return True
    year = work["publication_year"]
    counts = work.get("counts_by_year") or []
    in_window = sum(c["cited_by_count"] for c in counts if 0 <= c["year"] - year <= 3)
    percentile = (work.get("citation_normalized_percentile") or {}).get("value")
    topic = (work.get("primary_topic") or {}).get("id")
    if percentile is None or topic is None or in_window > 0:
        return False
    hidden = (work.get("cited_by_count") or 0) - sum(c["cited_by_count"] for c in counts)
    return not (year < 2012 and hidden > 0)


def test_a_zero_fwci_before_the_citation_data_is_unknown() -> None:
    raw = _raw()
    tables = copub.read_works([shared_path("openalex-2026", "works_page_2026.json")])
    every = tuple(tables.institutions["institution_id"].to_list())
    definitions = Definitions(institutions=every, universe="all", bootstrap=0)
    per_work = copub.impact_per_work(tables, definitions)
    assert per_work.height > 50
    for work_id, has_fwci in per_work.select("work_id", "has_fwci").iter_rows():
        assert has_fwci == _known_fwci(raw[work_id]), work_id
    # The cases: cited works from before 2012 with a zero that counts_by_year cannot test.
    blind = [
        w
        for w in per_work["work_id"]
        if raw[w].get("fwci") == 0
        and raw[w]["publication_year"] < 2009
        and (raw[w].get("cited_by_count") or 0)
        > sum(c["cited_by_count"] for c in raw[w].get("counts_by_year") or [])
    ]
    assert blind, "the real page holds cited pre-2009 works with fwci 0"
    flags = per_work.filter(pl.col("work_id").is_in(blind))
    assert not flags["has_fwci"].any()
    # The coverage column counts them: the share of works without an FWCI.
    table = copub.impact_indicators(tables, definitions, periods="all", collaborations=["all"])
    row = table.row(0, named=True)
    n = per_work.height
    assert row["fwci_missing_share"] == pytest.approx((~per_work["has_fwci"]).sum() / n)
    assert row["fwci_missing_share"] >= len(blind) / n
    print(f"{len(blind)} blind zeros; fwci_mean {row['fwci_mean']:.3f}")
