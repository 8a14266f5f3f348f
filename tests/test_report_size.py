"""Significant is not important: the size of a change beside its significance."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from copub.report.goals import DEFAULT_MIN_CHANGE, GOALS, change_status, goal_summary, is_meaningful
from copub.report.html_goals import card_status, size_words

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@given(
    difference=st.floats(-0.5, 0.5, allow_nan=False),
    p_value=st.floats(0, 1, allow_nan=False),
    min_change=st.sampled_from([0.005, 0.01, 0.02]),
)
def test_meaningful_means_significant_and_large_enough(
    difference: float, p_value: float, min_change: float
) -> None:
    status = change_status(difference, p_value)
    meaningful = is_meaningful(status, difference, min_change)
    if meaningful:
        assert status in ("up", "down") and p_value < 0.05
        assert abs(difference) >= min_change - 0.0005  # at the 0.1 pp the report shows
    elif status in ("up", "down"):
        assert abs(difference) < min_change + 0.0005
    assert meaningful is not None


def test_a_tiny_significant_rise_is_marked_small() -> None:
    # 40,000 works per period: +0.3 pp is significant, and smaller than what matters.
    comparison = pl.DataFrame(
        {"indicator": ["intl", "enhance", "n5t"], "baseline_share": [0.6, 0.05, 0.04],
         "plan_share": [0.603, 0.08, 0.03], "difference": [0.003, 0.03, -0.01],
         "difference_low": [0.001, 0.02, -0.015], "difference_high": [0.005, 0.04, -0.005],
         "p_value": [0.001, 0.0001, 0.001], "trend_p": [0.01, 0.01, 0.01],
         "plan_partial": [False, False, False]}
    )  # fmt: skip
    summary = goal_summary(comparison)
    intl = summary.filter(indicator="intl").row(0, named=True)
    assert intl["status"] == "up" and intl["meaningful"] is False
    assert intl["min_change"] == DEFAULT_MIN_CHANGE
    assert size_words(intl) == "smaller than the 1.0 pp that matters"
    assert card_status([intl]) == "flat"
    alliances = summary.filter(goal="alliances").to_dicts()
    alliance_goal = next(g for g in GOALS if g.key == "alliances")
    assert [r["indicator"] for r in alliances] == list(alliance_goal.indicators)
    assert {"enhance", "n5t"} <= set(alliance_goal.indicators)
    assert card_status(alliances) == "mixed"  # ENHANCE up, Nordic Five Tech down, both matter
    assert summary["goal"].unique(maintain_order=True).to_list() == [g.key for g in GOALS]


def test_notebooks_say_nothing_about_how_the_project_is_developed() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
        for word in ("../shared", "COPUB_SHARED_DIR", " CI", "workplace", "this project's"):
            assert word not in text, (path.name, word)
