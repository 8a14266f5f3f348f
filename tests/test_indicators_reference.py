"""yearly_indicators against an independent plain-Python loop over the raw JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import copub
from copub.indicators.counting import fractional_weights
from reference_indicators import reference_yearly

PRIORITY = {"BR", "CA", "CN", "IN", "JP", "RU", "ZA", "KR", "US"}
# Institutions of the real pages with the most works, directly or through child units.
REAL_HOMES = ["I25399158", "I40120149", "I94402716", "I1299022934", "I315704651"]


def _raw(pages: list[Path]) -> list[dict[str, Any]]:
    works: list[dict[str, Any]] = []
    for page in pages:
        text = page.read_text()
        if text.lstrip().startswith('{"meta"') or '"results"' in text[:200]:
            works.extend(json.loads(text)["results"])
        else:
            works.extend(json.loads(line) for line in text.splitlines() if line.strip())
    return works


def _agree(
    yearly: pl.DataFrame, expected: dict[int, dict[str, float]], group_column: str | None
) -> None:
    assert sorted(yearly["year"].to_list()) == sorted(expected)
    for row in yearly.iter_rows(named=True):
        ref = expected[row["year"]]
        assert row["works"] == ref["works"]
        assert row["intl_works"] == ref["intl_works"]
        assert row["intl_share"] == pytest.approx(ref["intl_share"], abs=1e-9)
        assert row["intl_share_frac"] == pytest.approx(ref["intl_share_frac"], abs=1e-9)
        assert row["works_frac"] == pytest.approx(ref["works_frac"], abs=1e-9)
        if group_column:
            assert row[group_column] == pytest.approx(ref["group_share"], abs=1e-9)
            assert row[f"{group_column}_frac"] == pytest.approx(ref["group_share_frac"], abs=1e-9)


@pytest.mark.parametrize("home", REAL_HOMES)
@pytest.mark.parametrize("types", ["core", "all"])
def test_real_pages_agree_with_reference(
    openalex_pages: list[Path], real_tables: copub.Tables, home: str, types: str
) -> None:
    expected = reference_yearly(_raw(openalex_pages), home, core=types == "core", group=PRIORITY)
    yearly = copub.yearly_indicators(real_tables, institution=home, types=types, bootstrap=0)
    _agree(yearly, expected, "priority_share")


def test_sample_agrees_with_reference(tmp_path: Path) -> None:
    from copub.sample import write_sample

    files = write_sample(tmp_path, seed=3, scale=0.01)
    paths = [*files.pages, *files.full_records]
    tables = copub.read_works(paths)
    expected = reference_yearly(
        _raw(list(files.full_records) + list(files.pages)), "I204778367", group=PRIORITY
    )
    yearly = copub.yearly_indicators(tables, bootstrap=0)
    _agree(yearly, expected, "priority_share")


def test_fractional_weights_sum_to_the_home_share_of_authorships(real_tables: copub.Tables) -> None:
    for home in REAL_HOMES:
        weights = fractional_weights(real_tables, home)
        assert ((weights["weight"] > 0) & (weights["weight"] <= 1 + 1e-12)).all()
