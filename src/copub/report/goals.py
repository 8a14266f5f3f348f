"""NTNU's development goals and the indicators that measure them.

The goals are those of NTNU's International Development Plan 2022–2025 that
publications can measure (DESIGN.md), packaged as data
(``copub/indicators/reference/goals.toml``); each lists every yearly-table stem
that tracks it (:mod:`copub.indicators.catalogue`). :func:`goal_summary` joins
them to the plan-versus-baseline comparison and states, for each, whether the
change is significant.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from copub.indicators.catalogue import DEFAULT_MIN_CHANGE, Goal, goal_directions
from copub.indicators.catalogue import GOALS as CATALOGUE_GOALS
from copub.indicators.trends import SIGNIFICANCE

__all__ = [
    "DEFAULT_MIN_CHANGE",
    "GOALS",
    "SIGNIFICANCE",
    "Goal",
    "Status",
    "change_status",
    "goal_summary",
    "is_meaningful",
    "toward_goal",
]

Status = Literal["up", "down", "flat", "unavailable"]

#: The goals and all their indicators come from the catalogue and the packaged
#: ``copub/indicators/reference/goals.toml``; this module only summarises them.
GOALS: tuple[Goal, ...] = CATALOGUE_GOALS



def change_status(difference: float | None, p_value: float | None) -> Status:
    """Classify a plan-minus-baseline change.

    Examples
    --------
    >>> change_status(0.03, 0.001), change_status(-0.02, 0.01), change_status(0.01, 0.4)
    ('up', 'down', 'flat')
    >>> change_status(None, None)
    'unavailable'
    """
    if difference is None or difference != difference:  # None or NaN
        return "unavailable"
    if p_value is None or p_value != p_value or p_value >= SIGNIFICANCE:
        return "flat"
    return "up" if difference > 0 else "down"


_SCHEMA = {
    "goal": pl.String,
    "goal_text": pl.String,
    "indicator": pl.String,
    "label": pl.String,
    "baseline_share": pl.Float64,
    "plan_share": pl.Float64,
    "difference": pl.Float64,
    "difference_low": pl.Float64,
    "difference_high": pl.Float64,
    "p_value": pl.Float64,
    "p_value_adjusted": pl.Float64,
    "trend_p": pl.Float64,
    "trend_direction": pl.String,
    "plan_partial": pl.Boolean,
    "status": pl.String,
    "goal_direction": pl.String,
    "toward_goal": pl.Boolean,
    "min_change": pl.Float64,
    "meaningful": pl.Boolean,
    "note": pl.String,
}


def toward_goal(status: str, direction: str) -> bool | None:
    """Whether a significant change goes the way its goal wants; None when nothing moved.

    Examples
    --------
    >>> toward_goal("up", "increase"), toward_goal("down", "decrease")
    (True, True)
    >>> toward_goal("up", "decrease")
    False
    >>> toward_goal("flat", "increase") is None
    True
    """
    if status not in ("up", "down"):
        return None
    return (status == "up") == (direction == "increase")


def is_meaningful(status: str, difference: float | None, min_change: float) -> bool | None:
    """A significant change at least ``min_change`` in size; None when unavailable.

    The size is compared at the precision the report shows (0.1 percentage
    point), so a change printed as "+1.0 pp" is never called smaller than 1.0 pp.

    Examples
    --------
    >>> is_meaningful("up", 0.003, 0.01), is_meaningful("up", 0.02, 0.01)
    (False, True)
    >>> is_meaningful("up", 0.00996, 0.01), is_meaningful("up", 0.0094, 0.01)
    (True, False)
    >>> is_meaningful("flat", 0.02, 0.01), is_meaningful("unavailable", None, 0.01)
    (False, None)
    """
    if status == "unavailable" or difference is None or difference != difference:
        return None
    shown = round(abs(difference) * 1000)  # in tenths of a percentage point
    return status in ("up", "down") and shown >= round(min_change * 1000)


def goal_summary(
    comparison: pl.DataFrame,
    labels: dict[str, str] | None = None,
    *,
    fractional: bool = False,
    goals: tuple[Goal, ...] | None = None,
    notes: dict[str, str] | None = None,
) -> pl.DataFrame:
    """One row per goal and indicator: baseline, plan, change and its status.

    Parameters
    ----------
    comparison : pl.DataFrame
        The output of :func:`copub.indicators.compare_periods`.
    labels : dict, optional
        Human labels by stem (from the share specs); default the stem.
    fractional : bool
        Show the fractional-counting shares and difference. The comparison
        has no interval for that difference (left null); the p-value and the
        status stay those of the full-counting test.
    goals : tuple of Goal, optional
        The goals under the report's definitions
        (:func:`copub.indicators.catalogue.goals`); default :data:`GOALS`.
    notes : dict, optional
        Policy notes by stem (:func:`copub.indicators.catalogue.indicator_notes`),
        e.g. Russia's frozen cooperation on ``priority_RU``; none by default.

    Returns
    -------
    pl.DataFrame
        ``goal, goal_text, indicator, label, baseline_share, plan_share,
        difference, difference_low, difference_high, p_value,
        p_value_adjusted, trend_p, trend_direction, plan_partial, status,
        goal_direction, toward_goal, min_change, meaningful, note``; ``status`` (the
        sign of a significant change) reads the Holm-adjusted p-value when the
        comparison has one, and ``toward_goal`` says whether that change is good
        news for the goal (:func:`toward_goal`); an indicator missing
        from the comparison (e.g. level 2 without a register) is kept with
        ``status="unavailable"``. ``meaningful`` is True for a significant
        change of at least the goal's ``min_change``. ``note`` is the
        indicator's policy note (null for most).

    Examples
    --------
    >>> comparison = pl.DataFrame({"indicator": ["intl"], "baseline_share": [0.6],
    ...     "plan_share": [0.65], "difference": [0.05], "difference_low": [0.03],
    ...     "difference_high": [0.07], "p_value": [0.0001], "trend_p": [0.01],
    ...     "plan_partial": [False]})
    >>> summary = goal_summary(comparison)
    >>> summary.filter(indicator="intl")["status"].item()
    'up'
    >>> summary.filter(indicator="intl")["meaningful"].item()
    True
    >>> summary.filter(indicator="level2")["status"].item()
    'unavailable'
    """
    labels = labels or {}
    directions = goal_directions()
    by_name = {row["indicator"]: row for row in comparison.iter_rows(named=True)}
    suffix = "_frac" if fractional else ""
    rows = []
    for goal in goals if goals is not None else GOALS:
        for stem in goal.indicators:
            found = by_name.get(stem, {})
            difference = found.get(f"difference{suffix}")
            # Significance is read from the multiplicity-adjusted p when the comparison has it.
            tested = found.get("p_value_adjusted", found.get("p_value"))
            status = (
                "unavailable"
                if difference is None
                else change_status(found.get("difference"), tested)
            )
            rows.append(
                {
                    "goal": goal.key,
                    "goal_text": goal.text,
                    "indicator": stem,
                    "label": labels.get(stem, stem),
                    "baseline_share": found.get(f"baseline_share{suffix}"),
                    "plan_share": found.get(f"plan_share{suffix}"),
                    "difference": difference,
                    "difference_low": None if fractional else found.get("difference_low"),
                    "difference_high": None if fractional else found.get("difference_high"),
                    "p_value": found.get("p_value"),
                    "p_value_adjusted": found.get("p_value_adjusted"),
                    "trend_p": found.get("trend_p"),
                    "trend_direction": found.get("trend_direction"),
                    "plan_partial": found.get("plan_partial"),
                    "status": status,
                    "goal_direction": directions.get(stem, "increase"),
                    "toward_goal": toward_goal(status, directions.get(stem, "increase")),
                    "min_change": goal.min_change,
                    "meaningful": is_meaningful(status, difference, goal.min_change),
                    "note": (notes or {}).get(stem),
                }
            )
    return pl.DataFrame(rows, schema=_SCHEMA)
