"""The pieces of the report that need no data: goals, status, formatting, quality, options."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.errors import UsageError
from copub.provenance import Provenance
from copub.render import fmt
from copub.report.goals import GOALS, SIGNIFICANCE, change_status, goal_summary
from copub.report.options import ReportOptions
from copub.report.quality import quality_line, quality_table

maybe_float = st.one_of(st.none(), st.just(math.nan), st.floats(-1, 1, allow_nan=False))
probability = st.one_of(st.none(), st.floats(0, 1, allow_nan=False))


@given(difference=maybe_float, p_value=probability)
@settings(max_examples=200)
def test_change_status_follows_sign_and_significance(
    difference: float | None, p_value: float | None
) -> None:
    status = change_status(difference, p_value)
    if difference is None or math.isnan(difference):
        assert status == "unavailable"
    elif p_value is None or p_value >= SIGNIFICANCE:
        assert status == "flat"
    else:
        assert status == ("up" if difference > 0 else "down")


def _comparison(rows: list[dict[str, object]]) -> pl.DataFrame:
    schema = {
        "indicator": pl.String,
        "baseline_share": pl.Float64,
        "plan_share": pl.Float64,
        "difference": pl.Float64,
        "difference_low": pl.Float64,
        "difference_high": pl.Float64,
        "p_value": pl.Float64,
        "baseline_share_frac": pl.Float64,
        "plan_share_frac": pl.Float64,
        "difference_frac": pl.Float64,
        "trend_p": pl.Float64,
        "plan_partial": pl.Boolean,
    }
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)


def test_goal_summary_lists_every_goal_indicator_and_marks_missing_ones_unavailable() -> None:
    comparison = _comparison(
        [
            {"indicator": "intl", "baseline_share": 0.6, "plan_share": 0.66, "difference": 0.06,
             "difference_low": 0.02, "difference_high": 0.1, "p_value": 0.001,
             "baseline_share_frac": 0.4, "plan_share_frac": 0.38, "difference_frac": -0.02},
            {"indicator": "enhance", "baseline_share": 0.05, "plan_share": 0.04,
             "difference": -0.01, "difference_low": -0.03, "difference_high": 0.01,
             "p_value": 0.3},
        ]
    )  # fmt: skip
    summary = goal_summary(comparison, {"intl": "International"})
    expected = [stem for goal in GOALS for stem in goal.indicators]
    assert summary["indicator"].to_list() == expected
    by = {row["indicator"]: row for row in summary.iter_rows(named=True)}
    assert by["intl"]["status"] == "up" and by["intl"]["label"] == "International"
    assert by["enhance"]["status"] == "flat"
    assert by["level2"]["status"] == "unavailable" and by["level2"]["plan_share"] is None

    fractional = goal_summary(comparison, fractional=True)
    row = fractional.filter(indicator="intl").row(0, named=True)
    assert row["plan_share"] == pytest.approx(0.38)
    assert row["difference"] == pytest.approx(-0.02)
    # The comparison has no interval for the fractional difference: none is invented.
    assert row["difference_low"] is None
    assert fractional.filter(indicator="enhance")["status"].item() == "unavailable"


def test_every_goal_of_the_design_is_there() -> None:
    stems = {stem for goal in GOALS for stem in goal.indicators}
    assert {"intl", "level2", "priority", "lmic", "devpartner", "enhance", "n5t",
            "infrastructure", "fund_ec", "fund_erc", "fund_msca"} <= stems  # fmt: skip
    assert len({goal.key for goal in GOALS}) == len(GOALS) == 7


def test_each_goal_lists_every_indicator_that_serves_it() -> None:
    """The catalogue says which goal an indicator serves; the goal must list it."""
    from copub.indicators import Definitions, catalogue

    by_goal = {goal.key: set(goal.indicators) for goal in GOALS}
    served = [i for i in catalogue(Definitions()) if i.goal is not None]
    assert len(served) > 20
    for indicator in served:
        assert indicator.name in by_goal[indicator.goal], indicator.name
    # Every per-country priority share is on the priority goal's card.
    assert {f"priority_{c}" for c in ("BR", "CA", "CN", "IN", "JP", "KR", "RU", "US", "ZA")} <= (
        by_goal["priority"]
    )


@given(st.floats(0, 1, allow_nan=False), st.floats(0, 1, allow_nan=False))
def test_formatting_round_trips_to_one_decimal(low: float, high: float) -> None:
    assert fmt.percent(low) == f"{100 * low:.1f}%"
    text = fmt.interval(low, high)
    assert text.startswith("[") and text.endswith("]") and "–" in text
    assert fmt.change(high - low).endswith(" pp")
    assert fmt.change(high - low)[0] in "+-"


def test_formatting_missing_values() -> None:
    assert fmt.percent(None) == "n/a" and fmt.percent(math.nan) == "n/a"
    assert fmt.interval(None, 0.3) == "" and fmt.p_value(None) == ""
    assert fmt.p_value(0.0004) == "<0.001" and fmt.p_value(0.5) == "0.50"


def _yearly(**extra: list[object]) -> pl.DataFrame:
    base: dict[str, list[object]] = {
        "year": [2020, 2021],
        "works": [100, 300],
        "partial": [False, True],
        "authorship_no_country_rate": [0.01, 0.04],
        "country_missing_works": [10, 30],
    }
    return pl.DataFrame({**base, **extra})


def test_quality_table_from_counts_and_yearly_coverage() -> None:
    provenance = Provenance(
        counts={
            "records": 420,
            "duplicates_removed": 20,
            "truncated_completed": 5,
            "truncated_works": 1,
        }
    )
    table = quality_table(_yearly(), provenance)
    values = dict(table.select("check", "value").iter_rows())
    assert values["works in the universe"] == 400
    assert values["duplicates removed"] == 20
    assert values["truncated works completed"] == 5
    assert values["works not provably domestic"] == pytest.approx(0.1)
    assert values["authorships without a country (worst year)"] == pytest.approx(0.04)
    assert values["channels not in the register"] is None
    assert values["incomplete years"] == 1
    assert set(table["unit"]) <= {"works", "records", "share", "years"}
    line = quality_line(table)
    assert "10.0% of works not provably domestic" in line
    assert "duplicates removed 20" in line and "truncated works completed 5" in line
    assert "channels unmatched n/a" in line


def test_quality_with_a_register_reports_unmatched_channels() -> None:
    yearly = _yearly(channel_unmatched_works=[5, 15], channel_unmatched_base=[100, 300])
    table = quality_table(yearly, Provenance(counts={"expected_works": 400, "received_works": 396}))
    values = dict(table.select("check", "value").iter_rows())
    assert values["channels not in the register"] == pytest.approx(0.05)
    assert values["works received of those counted by OpenAlex"] == pytest.approx(0.99)
    assert values["truncated works completed"] is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"years": (2025, 2012)}, "ends before it starts"),
        ({"baseline": (2022, 2025), "plan": (2018, 2021)}, "must end before"),
        ({"baseline": (2018, 2022), "plan": (2022, 2025)}, "must end before"),
        ({"counting": "weighted"}, "counting must be one of"),
        ({"types": "articles"}, "types must be 'core', 'all' or a list of types"),
        ({"preset": "incites"}, "preset must be one of"),
        ({"bootstrap": -5}, "bootstrap must be a whole number of resamples from 0"),
        ({"top_partners": 0}, "top partners must be at least 1"),
        ({"institution": "NTNU"}, "not an OpenAlex institution id"),
        ({"groups": Path("/no/such/groups.toml")}, "does not exist"),
    ],
)
def test_bad_options_raise_usage_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        ReportOptions(**changes)  # type: ignore[arg-type]


def test_a_missing_register_is_a_data_error() -> None:
    from copub.errors import DataError

    with pytest.raises(DataError, match="does not exist"):
        ReportOptions(register=Path("/no/such/register.csv"))


def test_options_to_dict_is_json_ready(tmp_path: Path) -> None:
    register = tmp_path / "r.csv"
    register.write_text("issn,year,level\n", encoding="utf-8")
    options = ReportOptions(years=(2015, 2020), register=register, counting="fractional")
    as_dict = options.to_dict()
    json.dumps(as_dict)  # JSON-ready
    definitions = as_dict["definitions"]
    assert definitions["years"] == [2015, 2020] and definitions["register"] is True
    assert definitions["baseline"] == [2018, 2021] and options.fractional
