"""A partial register year is marked, never shown as a rise.

The register decides next year's level-2 list in advance, so its newest year
(``level_2026`` in the August 2025 table) rates level-2 channels only: every
rated work of that year is level 2, and the level-2 share would leap to 100%.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import copub
from conftest import shared_path
from copub.classify.register import load_register, partial_years
from report_helpers import sample_register, sample_tables


def test_the_real_register_s_2026_holds_only_level_2() -> None:
    register = load_register(shared_path("channel-register", "nor_channels_2025-08.parquet"))
    assert register.partial_years == (2026,)
    in_2026 = register.levels.filter(pl.col("year") == 2026)
    assert 1 not in set(in_2026["level"].to_list())


def test_partial_years_are_trailing_years_without_level_1() -> None:
    def levels(rows: list[tuple[str, int, int]]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema=["issn", "year", "level"], orient="row")

    two_journals = [("a", 2025, 1), ("b", 2025, 2), ("b", 2026, 2)]
    assert partial_years(levels(two_journals)) == (2026,)
    # a year in the middle without level 1 is not a partial register's trailing year
    assert partial_years(levels([("a", 2024, 1), ("b", 2025, 2), ("a", 2026, 1)])) == ()
    # a register with no level 1 at all says nothing about completeness
    assert partial_years(levels([("b", 2025, 2), ("b", 2026, 2)])) == ()


@pytest.fixture(scope="module")
def partial_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's register with 2025 cut to its level-2 rows, like level_2026 in the real one."""
    full = pl.read_csv(sample_register(), schema_overrides={"issn": pl.String})
    cut = full.filter((pl.col("year") < 2025) | (pl.col("level") == 2))
    path = tmp_path_factory.mktemp("register") / "partial.csv"
    cut.write_csv(path)
    return path


def test_a_partial_year_is_marked_and_its_level_2_share_not_shown(partial_register: Path) -> None:
    tables = sample_tables()
    d = copub.Definitions(bootstrap=0, register=partial_register)
    yearly = copub.yearly_indicators(tables, d)
    marked = dict(zip(yearly["year"], yearly["register_partial"], strict=True))
    assert [y for y, m in marked.items() if m] == [2025]
    last = yearly.filter(pl.col("year") == 2025).row(0, named=True)
    for column in ("level2_share", "level2_works", "channel_unmatched_share"):
        assert last[column] is None, column
    assert last["intl_share"] is not None  # the other shares stay
    full = copub.yearly_indicators(tables, d.with_(register=sample_register()))
    assert full["register_partial"].to_list() == [False] * full.height
    windows = copub.window_indicators(tables, d)
    reaches = windows["last_year"] >= 2025
    assert windows["register_partial"].to_list() == reaches.to_list()
    assert windows.filter(reaches)["level2_share"].null_count() == int(reaches.sum())


def test_the_plan_period_leaves_the_partial_year_out(partial_register: Path) -> None:
    d = copub.Definitions(bootstrap=0, register=partial_register)
    yearly = copub.yearly_indicators(sample_tables(), d)
    row = copub.compare_periods(yearly, definitions=d).filter(indicator="level2").row(0, named=True)
    in_plan = yearly.filter(pl.col("year").is_between(2022, 2024))
    assert row["plan_works"] == float(in_plan["level2_base"].sum())


def test_the_terminal_says_the_register_is_partial(partial_register: Path) -> None:
    from copub.progress import Progress
    from copub.report import ReportOptions, build_report
    from copub.report.terminal import render_terminal

    options = ReportOptions(bootstrap=0, register=partial_register)
    data = build_report(sample_tables(), options, scope="table", progress=Progress.silent())
    text = render_terminal(data)
    assert "register partial in 2025 (only its level-2 decisions)" in text
