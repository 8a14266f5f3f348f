"""The scival preset decides national vs institutional on merged institutions, and says
which parts are SciVal's and which are copub's approximation (issue 26, item 4)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

import copub
from copub.classify.definitions import PRESET_RULES
from copub.indicators import Definitions
from copub.indicators.catalogue import catalogue
from copub.indicators.presets import SCIVAL_APPROXIMATION
from real_pages import child_home_cases, raw_works, real_pages
from reference_leiden import countries_of, institutions_of, several_organisations


def _category(work: dict[str, Any]) -> str:
    """SciVal's exclusive category, on institutions merged by lineage (plain Python)."""
    if len(countries_of(work)) >= 2:
        return "international"
    if several_organisations(work):
        return "national"
    return "single_author" if len(work.get("authorships") or []) == 1 else "institutional"


def test_a_unit_with_its_parent_is_institutional() -> None:
    """The World Bank with the World Bank Group (found in the data by what it is: a unit and
    its parent alone on a one-country work) is one merged institution."""
    pages = real_pages()
    raw = raw_works(pages)[0]
    tables = copub.read_works(pages)
    cases = child_home_cases(raw)
    assert cases, "the real pages hold a unit on a work with its parent alone"
    work, child, _ = cases[0]
    definitions = Definitions(institutions=(child,), preset="scival", universe="all", bootstrap=0)
    row = copub.label_works(tables, definitions).works.filter(pl.col("work_id") == work)
    # Two raw OpenAlex ids (national before), one institution once merged by lineage.
    assert row["n_institutions"].item() == 2
    assert row["several_merged"].item() is False
    assert _category(raw[work]) == "institutional"
    specs = {s.name: s for s in catalogue(definitions)}
    flags = row.select(
        national=specs["scival_national"].numerator,
        institutional=specs["scival_institutional"].numerator,
    )
    assert flags.row(0) == (False, True)


def test_every_real_work_gets_the_plain_category() -> None:
    """Every work of the real pages, every institution as home: one category, the plain one."""
    pages = real_pages()
    raw = raw_works(pages)[0]
    tables = copub.read_works(pages)
    every = tuple(tables.institutions["institution_id"].to_list())
    definitions = Definitions(institutions=every, preset="scival", universe="all", bootstrap=0)
    labelled = copub.label_works(tables, definitions).works
    specs = {s.name: s for s in catalogue(definitions) if s.name.startswith("scival_")}
    flags = labelled.select(
        "work_id", **{name.removeprefix("scival_"): s.numerator for name, s in specs.items()}
    )
    checked = 0
    for row in flags.iter_rows(named=True):
        work = raw[row.pop("work_id")]
        if not institutions_of(work):
            continue
        assert sum(row.values()) == 1
        assert row[_category(work)], work["id"]
        checked += 1
    assert checked > 200


def test_every_scival_output_says_what_is_scivals() -> None:
    definitions = Definitions(preset="scival")
    specs = [s for s in catalogue(definitions) if s.name.startswith("scival_")]
    assert len(specs) == 4
    for spec in specs:
        assert SCIVAL_APPROXIMATION in spec.definition
    assert "SciVal's rule" in SCIVAL_APPROXIMATION
    assert "copub's approximation" in SCIVAL_APPROXIMATION
    assert "approximation" in PRESET_RULES["scival"].source


def test_the_report_carries_the_split(capsys: pytest.CaptureFixture[str]) -> None:
    from report_helpers import run_report

    run = run_report(capsys, "--preset", "scival", "--format", "json", "--bootstrap", "0")
    assert run.code == 0
    assert "copub's approximation" in run.out
