"""The report's first page: every goal, its status and each indicator's change, on one A4 page.

The page a board reads when it reads nothing else. It shows the numbers the
goal section computed (``ReportData.goals``: the plan-versus-baseline change,
its 95% interval and the status read from the Holm-adjusted p), coloured as
the goal cards are, in one compact table; the goal section that follows
explains them. In print it fills page 1 and the goal section starts page 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from copub.render import fmt
from copub.render.html import Cell, esc, policy_note, status_mark, table
from copub.report.data import ReportData
from copub.report.html_goals import (
    card_status,
    change_interval,
    indicator_label,
    period_text,
    tone,
)

__all__ = ["GOAL_STATUS_WORDS", "summary_section"]

#: A goal's status in words, by the colour of its card (:func:`card_status`).
GOAL_STATUS_WORDS = {
    "good": "moved the goal's way",
    "bad": "moved against the goal",
    "mixed": "moved both ways",
    "flat": "no significant change that matters",
    "unavailable": "not available",
}


def _indicator_row(data: ReportData, row: Mapping[str, Any]) -> list[Cell]:
    label = esc(indicator_label(data, row)) + policy_note(row.get("note"))
    if row["status"] == "unavailable":
        return [(label, False), ("n/a", True), ("n/a", True), ("n/a", True), ("", True),
                (status_mark("unavailable"), False)]  # fmt: skip
    interval = change_interval(row)
    return [
        (label, False),
        (esc(fmt.percent(row["baseline_share"])), True),
        (esc(fmt.percent(row["plan_share"])), True),
        (esc(fmt.change(row["difference"])), True),
        (esc(f"[{interval}]" if interval else ""), True),
        (f'<span class="{tone(row)}">{status_mark(str(row["status"]))}</span>', False),
    ]


def summary_section(data: ReportData) -> str:
    """The one-page summary: a sentence on how to read it, then every goal and indicator.

    Each goal is a row naming it and its status (the colour and words of its
    card); under it, each of its indicators with baseline, plan, the change
    in percentage points, its 95% interval and the indicator's status.
    """
    options = data.options
    rows: list[list[Cell] | str] = []
    for goal in data.goal_list:
        goal_rows = data.goals.filter(pl.col("goal") == goal.key).to_dicts()
        if not goal_rows:
            continue
        status = card_status(goal_rows)
        rows.append(
            f'<span class="goal-name">{esc(goal.title)}</span> '
            f'<span class="goal-status {status}" data-goal="{esc(goal.key)}">'
            f"{esc(GOAL_STATUS_WORDS[status])}</span>"
        )
        rows.extend(_indicator_row(data, row) for row in goal_rows)
    headers = [
        ("Goal and indicator", False),
        # The periods under the words, as in the goal table, so the table fits A4's width.
        (f"Baseline<span class=ci>{period_text(options.baseline)}</span>", True),
        (f"Plan<span class=ci>{period_text(options.plan)}</span>", True),
        ("Change", True),
        ("95% CI", True),
        ("Status", False),
    ]
    partial = bool(data.goals["plan_partial"].fill_null(False).any())
    return (
        f"<p class=note>Each development goal of the plan period {period_text(options.plan)} "
        f"against the baseline {period_text(options.baseline)} ({esc(options.counting)} counting): "
        "shares of the institution's works, the change in percentage points with its 95% "
        "interval, and its status from the two-proportion z-test after Holm's adjustment for "
        "testing every indicator at once. A goal is coloured only for significant changes "
        "that matter; the next section explains each."
        + (" The plan period includes an incomplete year." if partial else "")
        + "</p>"
        + table(headers, rows, css_class="summary")
    )
