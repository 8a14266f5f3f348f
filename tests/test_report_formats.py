"""Golden structure of the report's stdout formats on a tiny seeded sample."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import polars as pl
import pytest

import copub
from copub.provenance import Provenance
from copub.report.goals import GOALS
from report_helpers import run_report, sample_register, sample_tables

PRIORITY = ("BR", "CA", "CN", "IN", "JP", "KR", "RU", "US", "ZA")
# DESIGN.md's interface contract: the yearly table has at least these columns.
CONTRACT = [
    "year", "works", "intl_works", "intl_share", "intl_share_low", "intl_share_high",
    "intl_share_frac", "priority_share", "lmic_share", "devpartner_share", "nordic_share",
    "eu_share", "enhance_share", "n5t_share", "infrastructure_share", "level2_share",
    "channel_unmatched_share", "country_missing_share", "partial",
    *(f"priority_share_{c}" for c in PRIORITY),
]  # fmt: skip
JSON_KEYS = {
    "synthetic", "warning", "institution", "institution_name", "provenance", "options",
    "notes", "yearly", "period_comparison", "goals", "data_quality",
    "analyses",  # every registered analysis's result, by key
}  # fmt: skip
#: Presentation only, beside the one Definitions (issue 24).
OPTION_KEYS = {"top_partners", "definitions"}
COMPARISON_KEYS = {
    "indicator", "baseline_share", "plan_share", "difference", "difference_low",
    "difference_high", "p_value", "baseline_share_frac", "plan_share_frac", "difference_frac",
    "trend_z", "trend_p", "plan_partial", "baseline_works", "plan_works",
}  # fmt: skip


@pytest.fixture(scope="module")
def expected_yearly() -> pl.DataFrame:
    # --sample brings the synthetic world's own channel register.
    return copub.yearly_indicators(sample_tables(), register=sample_register(), bootstrap=0)


def test_csv_is_one_header_row_then_every_yearly_column_and_the_synthetic_mark(
    capsys: pytest.CaptureFixture[str], expected_yearly: pl.DataFrame
) -> None:
    run = run_report(capsys, "--format", "csv", "--bootstrap", "0")
    assert run.code == 0
    first = run.out.splitlines()[0]
    assert first.startswith("year,works,")
    table = pl.read_csv(io.StringIO(run.out), infer_schema_length=None)
    assert table.columns == [*expected_yearly.columns, "synthetic"]
    assert set(table["synthetic"]) == {"SYNTHETIC SAMPLE DATA: not real publications"}
    # The provenance is on stderr, not in the CSV.
    assert "copub yearly indicators; SYNTHETIC SAMPLE DATA" in run.err
    assert set(CONTRACT) <= set(table.columns)
    assert table["year"].to_list() == expected_yearly["year"].to_list()
    assert table.schema["year"].is_integer() and table.schema["works"].is_integer()
    assert table.schema["partial"] == pl.Boolean
    for column in table.columns:
        if column.endswith(("_share", "_low", "_high", "_frac", "_rate")):
            assert table.schema[column] == pl.Float64 or table[column].null_count() == len(table)
    assert table["level2_share"].to_list() == pytest.approx(
        expected_yearly["level2_share"].to_list()
    )
    assert table["intl_share"].to_list() == pytest.approx(expected_yearly["intl_share"].to_list())
    assert "SYNTHETIC" in run.err


def test_json_carries_the_provenance_block_and_every_column(
    capsys: pytest.CaptureFixture[str], expected_yearly: pl.DataFrame
) -> None:
    run = run_report(capsys, "--format", "json", "--bootstrap", "0")
    assert run.code == 0
    document = json.loads(run.out)  # strict JSON: NaN would fail to parse elsewhere
    assert "NaN" not in run.out
    assert set(document) == JSON_KEYS
    assert document["synthetic"] is True and "SYNTHETIC" in document["warning"]
    assert set(document["provenance"]) == {f.name for f in dataclasses.fields(Provenance)}
    assert document["provenance"]["synthetic"] is True
    assert document["provenance"]["source"] == "synthetic"
    assert set(document["provenance"]["versions"]) >= {"copub", "polars"}
    assert set(document["options"]) == OPTION_KEYS
    assert document["options"]["definitions"]["baseline"] == [2018, 2021]
    assert set(document["analyses"]) == {"impact", "eu", "mobility"}
    assert document["analyses"]["impact"]["tables"]["impact"], "no impact rows"
    rows = document["yearly"]
    assert len(rows) == expected_yearly.height
    assert list(rows[0]) == expected_yearly.columns
    for row in rows:
        assert isinstance(row["year"], int) and isinstance(row["works"], int)
        assert isinstance(row["partial"], bool)
        assert isinstance(row["intl_share"], float)
        assert 0 <= row["level2_share"] <= 1
        assert row["intl_share_low"] <= row["intl_share"] <= row["intl_share_high"]
    assert {r["indicator"] for r in document["period_comparison"]} >= {"intl", "priority"}
    assert set(document["period_comparison"][0]) == COMPARISON_KEYS
    assert [g["indicator"] for g in document["goals"]] == [
        stem for goal in GOALS for stem in goal.indicators
    ]
    assert {q["unit"] for q in document["data_quality"]} <= {"works", "records", "share", "years"}


def test_markdown_has_a_table_per_indicator(
    capsys: pytest.CaptureFixture[str], expected_yearly: pl.DataFrame
) -> None:
    run = run_report(capsys, "--format", "markdown", "--bootstrap", "0")
    assert run.code == 0
    assert "> **SYNTHETIC SAMPLE DATA: not real publications.**" in run.out
    headings = re.findall(r"^## (.+)$", run.out, flags=re.MULTILINE)
    assert headings[0] == "Works per year"
    assert any("`intl_share`" in h for h in headings)
    assert any("`priority_share_US`" in h for h in headings)
    core = headings[: headings.index("Data quality") + 1]
    assert core[-3:] == ["Development goals", "Not measured in this report", "Data quality"]
    # Then every registered analysis, in registry order.
    assert headings[len(core) :] == [
        "Citation impact by collaboration type", "EU programme participation",
        "Researcher mobility",
    ]  # fmt: skip
    # Every yearly column appears in some table header.
    header_cells = {
        cell.strip()
        for line in run.out.splitlines()
        if line.startswith("| year |")
        for cell in line.strip("|").split("|")
    }
    assert set(expected_yearly.columns) <= header_cells
    body = [line for line in run.out.splitlines() if line.startswith("| 20")]
    assert body, "no data rows"


def test_terminal_table_fits_in_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_report(capsys, "--bootstrap", "0")
    assert run.code == 0
    lines = run.out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "SYNTHETIC SAMPLE DATA" in lines[0]
    header = next(line for line in lines if line.startswith("Year"))
    for column in ("Works", "International [95% CI]", "Priority", "LMIC", "ENHANCE", "N5T",
                   "Level 2"):  # fmt: skip
        assert column in header
    rows = [line for line in lines if re.match(r"^20\d\d", line)]
    assert len(rows) == sample_tables().works["year"].n_unique()
    assert all(line.rstrip().endswith("%") for line in rows)  # the sample's own register
    assert any("Plan 2022-2025 against baseline 2018-2021" in line for line in lines)
    assert any(line.startswith("Data quality:") for line in lines)
    assert re.search(r"[↑↓→] International co-publication", run.out)
    assert "SYNTHETIC" in run.err and "computing yearly indicators" in run.err


def test_without_a_register_level_2_is_unavailable_not_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sample_tables().write(tmp_path)
    run = run_report(capsys, "--data-dir", str(tmp_path), "--bootstrap", "0", sample=False)
    assert run.code == 0
    rows = [line for line in run.out.splitlines() if re.match(r"^20\d\d", line)]
    assert rows and all(line.rstrip().endswith("n/a") for line in rows)
    assert "unavailable: no register" in run.out
    csv_run = run_report(
        capsys, "--data-dir", str(tmp_path), "--bootstrap", "0", "--format", "csv", sample=False
    )
    table = pl.read_csv(io.StringIO(csv_run.out), infer_schema_length=None)
    assert table["level2_share"].null_count() == table.height


def test_table_falls_back_to_ascii_where_unicode_cannot_be_shown() -> None:
    from copub.progress import Progress
    from copub.report import ReportOptions, build_report, render_terminal

    data = build_report(
        sample_tables(), ReportOptions(bootstrap=0), scope="table", progress=Progress.silent()
    )
    text = render_terminal(data, unicode=False)
    text.encode("ascii")  # raises if anything outside ASCII is left
    assert re.search(r"^[-^v.] International", text, flags=re.MULTILINE)
