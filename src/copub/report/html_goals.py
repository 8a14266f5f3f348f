"""The report page's goal section: one card per goal with every indicator, then the table.

A card lists each indicator the goal names (``report.goals``) with its plan
value, the change from the baseline, whether that change is significant and
whether it is as large as the goal's smallest change that matters. A card is
green or red only when a change both is significant and matters; a goal whose
indicators moved both ways is marked "mixed".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from copub.render import fmt
from copub.render.html import Cell, esc, policy_note, status_mark, table
from copub.report.checks import unavailable_reason
from copub.report.data import ReportData
from copub.report.goals import DEFAULT_MIN_CHANGE, SIGNIFICANCE

__all__ = [
    "card_status",
    "change_interval",
    "goal_cards",
    "goals_section",
    "indicator_label",
    "period_text",
    "size_words",
    "tone",
]


def _pp(value: float) -> str:
    return f"{100 * value:.1f} pp"


def size_words(row: Mapping[str, Any]) -> str:
    """How large a change is against the goal's threshold, in words.

    Examples
    --------
    >>> size_words({"status": "up", "difference": 0.003, "min_change": 0.01,
    ...             "meaningful": False})
    'smaller than the 1.0 pp that matters'
    >>> size_words({"status": "down", "difference": -0.02, "min_change": 0.01,
    ...             "meaningful": True})
    'at least the 1.0 pp that matters'
    >>> size_words({"status": "flat", "difference": 0.02, "min_change": 0.01,
    ...             "meaningful": False})
    ''
    """
    if row["status"] not in ("up", "down") or row.get("meaningful") is None:
        return ""
    threshold = _pp(float(row.get("min_change") or DEFAULT_MIN_CHANGE))
    if row["meaningful"]:
        return f"at least the {threshold} that matters"
    return f"smaller than the {threshold} that matters"


def _matters(row: Mapping[str, Any]) -> str:
    """The goal table's short size column: ``yes`` or ``no: < 1.0 pp``; empty if not significant."""
    if row["status"] not in ("up", "down") or row.get("meaningful") is None:
        return ""
    threshold = _pp(float(row.get("min_change") or DEFAULT_MIN_CHANGE))
    return f"yes: ≥ {threshold}" if row["meaningful"] else f"no: < {threshold}"


def tone(row: Mapping[str, Any]) -> str:
    """``good`` or ``bad``: a significant change read against its goal's direction."""
    toward = row.get("toward_goal")
    if toward is None:
        toward = row["status"] == "up" if row["status"] in ("up", "down") else None
    return "" if toward is None else ("good" if toward else "bad")


def change_interval(row: Mapping[str, Any]) -> str:
    """The 95% interval of a plan-minus-baseline change in points, or ``""`` when it has none.

    Examples
    --------
    >>> change_interval({"difference_low": -0.012, "difference_high": 0.03})
    '-1.2 to +3.0'
    >>> change_interval({"difference_low": None, "difference_high": None})
    ''
    """
    low, high = row.get("difference_low"), row.get("difference_high")
    if low is None or high is None or fmt.is_missing(low) or fmt.is_missing(high):
        return ""
    return f"{100 * float(low):+.1f} to {100 * float(high):+.1f}"


def card_status(rows: list[dict[str, Any]]) -> str:
    """The colour of a goal card from its indicators' rows: the goal's way, not the sign.

    Examples
    --------
    >>> card_status([{"status": "up", "meaningful": True},
    ...              {"status": "down", "meaningful": True}])
    'mixed'
    >>> card_status([{"status": "up", "meaningful": False}])
    'flat'
    >>> card_status([{"status": "down", "meaningful": True, "toward_goal": True}])
    'good'
    >>> card_status([{"status": "unavailable", "meaningful": None}])
    'unavailable'
    """
    if all(r["status"] == "unavailable" for r in rows):
        return "unavailable"
    moved = {tone(r) for r in rows if r["status"] in ("up", "down") and r.get("meaningful")}
    if len(moved) == 2:
        return "mixed"
    return moved.pop() if moved else "flat"


def _reason(data: ReportData, indicator: str) -> str:
    return unavailable_reason(
        indicator,
        register_available=data.register_available,
        years=data.yearly["year"].to_list(),
        baseline=data.options.baseline,
        plan=data.options.plan,
    )


def indicator_label(data: ReportData, row: Mapping[str, Any]) -> str:
    """An indicator's short label under the report's definitions (its long label else)."""
    return data.short_labels.get(str(row["indicator"]), str(row["label"]))


def _indicator_item(data: ReportData, row: Mapping[str, Any], named: bool) -> str:
    name = f"<span class=n>{esc(indicator_label(data, row))}</span> " if named else ""
    if row["status"] == "unavailable":
        return (
            f'<li class="ind unavailable" data-indicator="{esc(row["indicator"])}">'
            f"{name}<span class=v>n/a</span> "
            f"{status_mark('unavailable', _reason(data, str(row['indicator'])))}"
            f"{policy_note(row.get('note'))}</li>"
        )
    size = size_words(row)
    size_html = f' <span class="size">({esc(size)})</span>' if size else ""
    return (
        f'<li class="{" ".join(filter(None, ("ind", esc(row["status"]), tone(row))))}" '
        f'data-indicator="{esc(row["indicator"])}">'
        f"{name}<span class=v>{esc(fmt.percent(row['plan_share']))}</span> "
        f"<span class=d>{esc(fmt.change(row['difference']))} from "
        f"{esc(fmt.percent(row['baseline_share']))}</span> "
        f"{status_mark(str(row['status']))}{size_html}{policy_note(row.get('note'))}</li>"
    )


def goal_cards(data: ReportData) -> str:
    """One card per goal, listing every indicator of the goal with its own status."""
    cards = []
    for goal in data.goal_list:
        rows = data.goals.filter(pl.col("goal") == goal.key).to_dicts()
        if not rows:
            continue
        # A one-indicator goal's card title names its indicator already.
        named = len(rows) > 1
        items = "".join(_indicator_item(data, row, named) for row in rows)
        cards.append(
            f'<div class="card {card_status(rows)}" data-goal="{esc(goal.key)}">'
            f"<div class=k>{esc(goal.title)}</div><ul class=inds>{items}</ul></div>"
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _trend(row: Mapping[str, Any]) -> str:
    """The trend test's p-value, its direction in words (``rising``, …) on a line of its own."""
    p = esc(fmt.p_value(row["trend_p"]))
    direction = row.get("trend_direction")
    return f"{p}<span class=ci>{esc(direction)}</span>" if direction and p else p


def period_text(period: tuple[int, int]) -> str:
    """A period as ``2018–2021``.

    Examples
    --------
    >>> period_text((2018, 2021))
    '2018–2021'
    """
    return f"{period[0]}–{period[1]}"


def _goal_table(data: ReportData) -> str:
    options = data.options
    headers = [
        ("Indicator", False),
        (f"Baseline<span class=ci>{period_text(options.baseline)}</span>", True),
        (f"Plan<span class=ci>{period_text(options.plan)}</span>", True),
        ("Change [95% CI]", True),
        ("p [Holm]", True),
        ("Status", False),
        ("Matters", False),
        ("Trend p", True),
    ]
    rows: list[list[Cell] | str] = []
    for goal in data.goal_list:
        goal_rows = data.goals.filter(pl.col("goal") == goal.key).to_dicts()
        if not goal_rows:
            continue
        rows.append(esc(goal.text))
        for row in goal_rows:
            label = esc(indicator_label(data, row)) + policy_note(row.get("note"))
            if row["status"] == "unavailable":
                reason = _reason(data, str(row["indicator"]))
                rows.append(
                    [(label, False)]
                    + [("n/a", True)] * 4
                    + [(status_mark("unavailable", reason), False), ("", False), ("", True)]
                )
                continue
            change = esc(fmt.change(row["difference"]))
            interval = change_interval(row)
            if interval:
                # The interval on its own line, as in the yearly tables, so the table fits A4.
                change += f"<span class=ci>{esc(interval)}</span>"
            rows.append(
                [
                    (label, False),
                    (esc(fmt.percent(row["baseline_share"])), True),
                    (esc(fmt.percent(row["plan_share"])), True),
                    (change, True),
                    (
                        esc(fmt.p_value(row["p_value"]))
                        + f"<span class=ci>{esc(fmt.p_value(row.get('p_value_adjusted')))}</span>",
                        True,
                    ),
                    (f'<span class="{tone(row)}">{status_mark(str(row["status"]))}</span>', False),
                    (esc(_matters(row)), False),
                    (_trend(row), True),
                ]
            )
    return table(headers, rows, css_class="goals")


def _thresholds(data: ReportData) -> str:
    values = sorted({float(v) for v in data.goals["min_change"].drop_nulls().to_list()})
    if not values or values == [DEFAULT_MIN_CHANGE]:
        return f"{_pp(DEFAULT_MIN_CHANGE)} for every goal (the default)"
    own = ", ".join(
        f"{goal.title} {_pp(goal.min_change)}"
        for goal in data.goal_list
        if goal.min_change != DEFAULT_MIN_CHANGE
    )
    return f"{_pp(DEFAULT_MIN_CHANGE)} by default; {own}"


def goals_section(data: ReportData) -> str:
    """The whole goal section: the reading guide, the cards and the table."""
    options = data.options
    intro = (
        f"<p class=lead>The plan period {period_text(options.plan)} against the baseline "
        f"{period_text(options.baseline)}, {esc(options.counting)} counting. A change is "
        f"<b>significant</b> when the two-proportion z-test on full counts gives p &lt; "
        f"{SIGNIFICANCE:g} after Holm's adjustment for testing every indicator at once: it "
        "is unlikely to be chance. Whether it <b>matters</b> is a "
        "separate question: with tens of thousands of works a fraction of a percentage point "
        "is significant. A change matters when it is at least the goal's smallest change "
        f"that matters: {esc(_thresholds(data))}. Cards are green (the goal's way: a rise, or a "
        "fall for a share the goal wants lower, such as channels not in the register) or red "
        "only for significant changes that matter.</p>"
    )
    if bool(data.goals["plan_partial"].fill_null(False).any()):
        intro += (
            "<p class=note>The plan period includes an incomplete year: its share is "
            "provisional.</p>"
        )
    return (
        intro
        + goal_cards(data)
        + "<h3>Every goal indicator</h3>"
        + _goal_table(data)
        + "<p class=note>Change and interval in percentage points (pp); the interval is "
        "Newcombe's 95% interval for the difference. p: two-proportion z-test of plan against "
        "baseline; under it, the Holm p: the same, adjusted for the number of indicators "
        "tested, which "
        "decides the status. Matters: a significant change at least the goal's smallest change "
        "that matters. Trend: Cochran–Armitage test for a linear trend over every complete "
        "year (Holm-adjusted for its direction), with its direction: rising or falling only "
        "when significant and monotone (first, middle and last third of the years in order), "
        "else no monotone trend.</p>"
    )
