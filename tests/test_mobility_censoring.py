"""The edges of the data: mobility years whose definition cannot be observed are censored.

In the sample, 2012 shows no recruitment (no earlier home history), 2025 shows
no guests and a record of departures (the next papers are not out yet), and
the early-career denominator halves once career ages stop being cut at 2012.
Those years are marked in every table, left off the figure's lines and kept
out of the flow sums.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

import copub
from copub.analyses.mobility.present import flow_table, mobility_figure, mobility_terminal
from copub.indicators.mobility import CENSORING_NOTE, censored_years, mobility_indicators
from copub.normalize.authors import AUTHORS

HOME = "I204778367"


@pytest.fixture(scope="module")
def result() -> copub.MobilityResult:
    return mobility_indicators(copub.load_sample_authors(scale=0.01), HOME)


def test_the_sample_s_edge_years_are_censored(result: copub.MobilityResult) -> None:
    yearly = {r["year"]: r for r in result.yearly.iter_rows(named=True)}
    assert yearly[2012]["censored"] and "recruitment" in yearly[2012]["censored_reason"]
    assert yearly[2025]["censored"] and "departures" in yearly[2025]["censored_reason"]
    assert yearly[2018]["censored"] and "career ages" in yearly[2018]["censored_reason"]
    assert not yearly[2020]["censored"] and yearly[2020]["censored_reason"] is None
    assert result.censored["recruited"] == (2012, 2013, 2014)
    assert result.censored["left"] == (2023, 2024, 2025)


def _authors(rows: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(a, None, None, i, None, None, c, None, [i], y) for a, i, c, y in rows],
        schema=AUTHORS,
        orient="row",
    )


def test_censored_years_follow_the_home_span_and_the_window() -> None:
    # home affiliations 2015-2020; the data's last year is 2022 (an abroad row)
    rows = [("A1", "I1", "NO", y) for y in range(2015, 2021)]
    rows += [("A2", "I1", "NO", 2017), ("A2", "I9", "US", 2022), ("A3", "I9", "US", 2010)]
    d = copub.Definitions(institutions="I1", mobility_window=2, early_career_years=1)
    result = mobility_indicators(_authors(rows), d, years=(2015, 2022))
    # by hand: recruitment needs 2 home years before -> 2015, 2016; departures need y..y+2
    # inside the data (last 2022) -> 2021, 2022; career ages cut at 2015 -> 2015, 2016
    assert result.censored["recruited"] == (2015, 2016)
    assert result.censored["left"] == (2021, 2022)
    assert result.censored["early_career"] == (2015, 2016)
    marked = dict(zip(result.yearly["year"], result.yearly["censored"], strict=True))
    assert [y for y, c in marked.items() if c] == [2015, 2016, 2021, 2022]
    assert censored_years((2015, 2022), (2018, 2019), d) == {
        "recruited": (), "left": (), "guests": (), "early_career": (),
    }  # fmt: skip


def test_flows_carry_the_mark_and_the_sums_leave_censored_years_out(
    result: copub.MobilityResult,
) -> None:
    for frame in (result.flows, result.countries):
        assert frame.schema["censored"] == pl.Boolean
        for year, direction, censored in frame.select("year", "direction", "censored").rows():
            expected = (direction == "inflow" and year in result.censored["recruited"]) or (
                direction == "outflow" and year in result.censored["left"]
            )
            assert censored == expected
    kept = result.flows.filter(~pl.col("censored"))
    by_hand: dict[tuple[str, str], int] = {}
    for group, direction, authors in kept.select("group", "direction", "authors").rows():
        by_hand[(group, direction)] = by_hand.get((group, direction), 0) + authors
    table = flow_table(result)
    for row in table.iter_rows(named=True):
        for direction in ("inflow", "outflow", "concurrent"):
            assert row[direction] == by_hand.get((row["group"], direction), 0)


def test_the_figure_draws_censored_years_hollow_off_the_line(
    result: copub.MobilityResult,
) -> None:
    figure = mobility_figure(result, synthetic=True)
    lines = figure.axes[0].get_lines()
    solid = {line.get_label(): line for line in lines if not line.get_label().startswith("_")}
    recruited = solid["recruited from abroad"]
    for year, value in zip(recruited.get_xdata(), recruited.get_ydata(), strict=True):
        assert math.isnan(value) == (year in result.censored["recruited"])
    hollow = [line for line in lines if line.get_fillstyle() == "none"]
    points = {(int(x), "hollow") for line in hollow for x in line.get_xdata()}
    assert {(2012, "hollow"), (2025, "hollow")} <= points


def test_the_terminal_marks_censored_years_with_one_sentence(
    result: copub.MobilityResult,
) -> None:
    text = mobility_terminal(result)
    row_2012 = next(line for line in text.splitlines() if line.strip().startswith("2012"))
    assert row_2012.endswith("*")
    assert "censored" in text and CENSORING_NOTE.split(":")[0] in text
