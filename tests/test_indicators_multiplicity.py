"""Many tests at once, and trends that say which way: Holm's adjustment and the trend's direction.

The plan-versus-baseline block tests about 28 indicators at the 0.05 level;
each p-value comes with its Holm adjustment, checked here against a plain
step-down written from the definition. A trend is called rising or falling
only when it is significant and the series keeps that direction.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from copub.indicators.trends import (
    cochran_armitage,
    compare_periods,
    holm_adjust,
    trend_direction,
)


def _holm_by_hand(p: list[float]) -> list[float]:
    """Holm's adjusted p-values from the definition, in plain Python (NaN not tested)."""
    tested = sorted((v, i) for i, v in enumerate(p) if not math.isnan(v))
    m = len(tested)
    out = [math.nan] * len(p)
    running = 0.0
    for j, (value, i) in enumerate(tested):
        running = max(running, min(1.0, (m - j) * value))
        out[i] = running
    return out


def test_holm_on_small_vectors_computed_by_hand() -> None:
    assert holm_adjust([0.01, 0.02, 0.03, 0.04, 0.05]).tolist() == pytest.approx(
        [0.05, 0.08, 0.09, 0.09, 0.09]
    )
    got = holm_adjust([0.04, math.nan, 0.001, 0.2]).tolist()
    assert math.isnan(got[1])
    assert [got[0], got[2], got[3]] == pytest.approx([0.08, 0.003, 0.2])
    assert holm_adjust([0.6, 0.9]).tolist() == pytest.approx([1.0, 1.0])
    assert holm_adjust([]).tolist() == []


_P = st.floats(0, 1, allow_nan=False) | st.just(math.nan)


@given(st.lists(_P, max_size=40))
@settings(max_examples=300, deadline=None)
def test_holm_bounds_order_and_definition(p: list[float]) -> None:
    adjusted = holm_adjust(p).tolist()
    reference = _holm_by_hand(p)
    for raw, adj, ref in zip(p, adjusted, reference, strict=True):
        if math.isnan(raw):
            assert math.isnan(adj)
            continue
        assert raw <= adj <= 1.0
        assert adj == pytest.approx(ref, rel=1e-12, abs=1e-15)
    pairs = [(r, a) for r, a in zip(p, adjusted, strict=True) if not math.isnan(r)]
    for r1, a1 in pairs:  # a smaller raw p never gets a larger adjusted one
        for r2, a2 in pairs:
            if r1 < r2:
                assert a1 <= a2


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.sampled_from([0.01, 0.05, 0.1]))
@settings(max_examples=300, deadline=None)
def test_holm_rejects_what_the_step_down_rejects(p: list[float], alpha: float) -> None:
    """adjusted < alpha is Holm's step-down: reject while p_(j) < alpha / (m - j)."""
    m = len(p)
    ordered = sorted(p)
    assume(all(abs(v * (m - j) - alpha) > 1e-9 for j, v in enumerate(ordered)))
    rejected_count = 0
    for j, value in enumerate(ordered):
        if value < alpha / (m - j):
            rejected_count += 1
        else:
            break
    adjusted = holm_adjust(p)
    assert int((adjusted < alpha).sum()) == rejected_count


def _yearly(series: dict[str, list[int]], n: int = 1000) -> pl.DataFrame:
    years = list(range(2012, 2012 + len(next(iter(series.values())))))
    columns: dict[str, object] = {"year": years, "partial": [False] * len(years)}
    for name, k in series.items():
        columns |= {
            f"{name}_works": k,
            f"{name}_base": [n] * len(years),
            f"{name}_share": [v / n for v in k],
            f"{name}_works_frac": [float(v) for v in k],
            f"{name}_base_frac": [float(n)] * len(years),
        }
    return pl.DataFrame(columns)


def test_compare_periods_adjusts_every_p_value_by_holm() -> None:
    series = {
        "intl": [500 + 4 * i for i in range(14)],
        "collab": [800 - 3 * i for i in range(14)],
        "eu": [300 if i < 10 else 322 for i in range(14)],  # raw p about 0.03
        "nordic": [200] * 14,
    }
    table = compare_periods(_yearly(series), baseline=(2014, 2017), plan=(2022, 2025))
    raw = table["p_value"].to_list()
    assert table["p_value_adjusted"].to_list() == pytest.approx(_holm_by_hand(raw))
    assert set(table["adjustment"]) == {"holm"}
    assert table["significant"].to_list() == [a < 0.05 for a in _holm_by_hand(raw)]
    # at least one raw p below 0.05 is not significant once adjusted
    assert any(r < 0.05 and not s for r, s in zip(raw, table["significant"], strict=True))
    assert table["trend_p_adjusted"].to_list() == pytest.approx(
        _holm_by_hand(table["trend_p"].to_list())
    )


def test_a_series_that_rose_then_fell_has_no_direction() -> None:
    rose_then_fell = [400, 470, 540, 610, 680, 700, 710, 690, 640, 600, 580, 560, 550, 545]
    rising = [400 + 20 * i for i in range(14)]
    falling = [700 - 20 * i for i in range(14)]
    flat = [500] * 14
    table = compare_periods(
        _yearly({"intl": rose_then_fell, "collab": rising, "eu": falling, "nordic": flat}),
        baseline=(2014, 2017),
        plan=(2022, 2025),
    )
    by = {r["indicator"]: r for r in table.iter_rows(named=True)}
    assert by["intl"]["trend_p"] < 0.05  # the linear fit alone would call it a trend
    assert by["intl"]["trend_direction"] == "no monotone trend"
    assert by["collab"]["trend_direction"] == "rising"
    assert by["eu"]["trend_direction"] == "falling"
    assert by["nordic"]["trend_direction"] == "no monotone trend"


def test_trend_direction_needs_significance() -> None:
    weak = cochran_armitage([50, 51, 52, 53], [100] * 4, [1, 2, 3, 4])
    assert weak.direction == 1 and weak.p_value > 0.05
    assert trend_direction(weak) == "no monotone trend"
    strong = cochran_armitage([50, 60, 70, 80], [100] * 4, [1, 2, 3, 4])
    assert trend_direction(strong) == "rising"
    assert trend_direction(strong, p_value=0.2) == "no monotone trend"


def _comparison(rows: list[dict[str, object]]) -> pl.DataFrame:
    from copub.indicators.schemas import COMPARISON

    return pl.DataFrame([{c: r.get(c) for c in COMPARISON} for r in rows], schema=COMPARISON)


def test_goal_status_reads_the_adjusted_p_value() -> None:
    from copub.report.goals import goal_summary

    comparison = _comparison(
        [{"indicator": "intl", "baseline_share": 0.6, "plan_share": 0.62, "difference": 0.02,
          "difference_low": 0.001, "difference_high": 0.04, "p_value": 0.03,
          "p_value_adjusted": 0.3, "trend_p": 0.01, "trend_direction": "rising"}]
    )  # fmt: skip
    row = goal_summary(comparison).filter(indicator="intl").row(0, named=True)
    assert row["status"] == "flat" and row["p_value_adjusted"] == 0.3
    assert row["trend_direction"] == "rising"


def test_a_fall_of_channels_not_in_register_is_good_news() -> None:
    from copub.indicators.catalogue import goal_directions
    from copub.report.goals import goal_summary
    from copub.report.html_goals import card_status

    assert goal_directions()["channel_unmatched"] == "decrease"
    assert goal_directions()["level2"] == "increase"
    comparison = _comparison(
        [{"indicator": "channel_unmatched", "baseline_share": 0.2, "plan_share": 0.1,
          "difference": -0.1, "difference_low": -0.12, "difference_high": -0.08,
          "p_value": 1e-9, "p_value_adjusted": 1e-8},
         {"indicator": "level2", "baseline_share": 0.2, "plan_share": 0.2, "difference": 0.0,
          "difference_low": -0.01, "difference_high": 0.01, "p_value": 0.9,
          "p_value_adjusted": 1.0}]
    )  # fmt: skip
    summary = goal_summary(comparison)
    unmatched = summary.filter(indicator="channel_unmatched").row(0, named=True)
    assert unmatched["status"] == "down" and unmatched["toward_goal"] is True
    assert card_status(summary.filter(goal="level2").to_dicts()) == "good"
    rise = _comparison(
        [{"indicator": "channel_unmatched", "baseline_share": 0.1, "plan_share": 0.2,
          "difference": 0.1, "difference_low": 0.08, "difference_high": 0.12,
          "p_value": 1e-9, "p_value_adjusted": 1e-8}]
    )  # fmt: skip
    assert card_status(goal_summary(rise).filter(goal="level2").to_dicts()) == "bad"
