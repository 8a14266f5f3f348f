"""What the report does not measure: plan goals that no publication data can show.

NTNU's International Development Plan 2022–2025 also has goals about students,
teaching and language. Their absence from a co-publication report is not a
result, so the report lists them as outside its scope.
"""

from __future__ import annotations

from copub.render.html import esc

__all__ = ["UNMEASURED_GOALS", "scope_section", "scope_text"]

#: (goal, what would measure it) for the plan's goals that publications cannot show.
UNMEASURED_GOALS: tuple[tuple[str, str], ...] = (
    (
        "Half of all students have an exchange stay abroad during their studies",
        "student records (exchange stays per graduating cohort)",
    ),
    (
        "More student mobility through Erasmus+",
        "Erasmus+ mobility statistics",
    ),
    (
        "A better balance between incoming and outgoing exchange students",
        "incoming and outgoing exchange student counts",
    ),
    (
        "More courses taught in English",
        "the course catalogue (language of instruction)",
    ),
    (
        "Norwegian language training for international staff and students",
        "course enrolment and HR records",
    ),
)


def scope_text() -> list[str]:
    """The unmeasured goals as plain lines (terminal, markdown).

    Examples
    --------
    >>> scope_text()[0].startswith("Not measured here")
    True
    """
    return [
        "Not measured here (no publication data can show them): "
        + "; ".join(goal for goal, _ in UNMEASURED_GOALS)
        + "."
    ]


def scope_section() -> str:
    """The HTML section body listing the goals outside the report's scope."""
    items = "".join(
        f"<li><b>{esc(goal)}</b>: needs {esc(source)}.</li>" for goal, source in UNMEASURED_GOALS
    )
    return (
        "<p>The development plan also has goals that no publication data can measure. This "
        "report does not cover them: their absence here is not a result, good or bad.</p>"
        f'<ul class="scope">{items}</ul>'
    )
