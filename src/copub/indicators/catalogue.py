"""The indicator catalogue: one record per indicator, everything else derived.

Each record (:class:`~copub.indicators.definitions.Indicator`) has its key
(the column stem), label, short label, the goal it serves, its expression
(numerator and base over the labelled works), a one-sentence definition and
what it needs beyond the tables. The yearly and window specs, the goals
(:func:`goals`), the terminal's and the HTML's labels, the plots and the
README's column list are all read from :func:`catalogue`.

Adding an indicator means one record here (a label column in
:mod:`copub.indicators.labels` if it needs a new per-work label) and its stem
in ``reference/goals.toml`` if it serves a goal.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import polars as pl

from copub.classify.definitions import Definitions
from copub.classify.group_data import policy_notes
from copub.indicators.definitions import GoalDirection, Indicator
from copub.indicators.presets import PRESETS
from copub.render.fmt import policy_note

__all__ = [
    "DEFAULT_MIN_CHANGE",
    "GOALS",
    "Goal",
    "catalogue",
    "catalogue_markdown",
    "figure_groups",
    "goal_directions",
    "goals",
    "indicator_notes",
    "indicator_specs",
    "short_labels",
    "terminal_columns",
]

col = pl.col


def _core(definitions: Definitions) -> list[Indicator]:
    return [
        Indicator(
            "intl",
            "International co-publication",
            col("is_international"),
            None,
            "Works with at least two distinct countries among all affiliations and "
            "authorship countries (Leiden's PP(int collab), full counting). The fractional "
            "share (intl_share_frac) is copub's extension: Leiden defines no fractional "
            "PP(int collab).",
            short_label="International co-publication",
            goal="international",
        ),
        Indicator(
            "collab",
            "Collaboration",
            col("is_collab"),
            None,
            "Works with more than one organisation (the home institution and its child units, "
            "by OpenAlex lineage, are one; any other institution, a parent of the home "
            "included, is another), or more than one country (Leiden's PP(collab), full "
            "counting). The fractional share (collab_share_frac) is copub's extension: Leiden "
            "defines no fractional PP(collab).",
            short_label="Collaboration (any)",
            goal="international",
        ),
    ]


def _groups(definitions: Definitions) -> list[Indicator]:
    out = []
    intl_only = col("is_international")
    goal_of = {
        "priority": "priority",
        "lmic": "lmic",
        "devpartner": "lmic",
        "enhance": "alliances",
        "n5t": "alliances",
        "infrastructure": "infrastructure",
    }
    extra = 0
    for group in definitions.partner_groups.groups:
        if group.key == "home":
            continue
        partner = f"at least one co-author affiliated in {group.label}"
        goal = goal_of.get(group.key)
        shown: dict[str, object] = dict(_FIGURE.get(group.key, {}))
        header = _HEADER.get(group.key, "")
        if group.key not in _SHIPPED:
            # A user's own group is shown like the shipped ones: a terminal column, a line in
            # its kind's panel of the group figure, a row of the report's tables.
            header = group.label if len(group.label) <= 9 else group.key.upper()[:9]
            shown = {"figure": group.kind, "figure_rank": 100 + extra, "figure_label": group.label}
            extra += 1
        out.append(
            Indicator(
                group.key,
                group.label,
                col(group.key),
                None,
                f"Works with {partner}.",
                short_label=_SHORT.get(group.key, ""),
                goal=goal,
                column_header=header,
                **shown,  # type: ignore[arg-type]
            )
        )
        out.append(
            Indicator(
                f"{group.key}_of_intl",
                f"{group.label}, of international works",
                col(group.key),
                intl_only,
                f"International works with {partner}.",
                short_label=f"{_SHORT.get(group.key, group.label)}, of intl.",
                goal=goal,
            )
        )
    priority = definitions.partner_groups.get("priority")
    if priority is not None:
        notes = policy_notes(definitions.partner_groups)
        for code in sorted({m.code for m in priority.members}):
            noted = f" {policy_note(notes[code])}." if code in notes else ""
            out.append(
                Indicator(
                    f"priority_{code}",
                    f"Priority country {code}",
                    col(f"priority_{code}"),
                    None,
                    f"Works with at least one co-author in {code}.{noted}",
                    goal="priority",
                )
            )
    return out


def _channels_funding_coverage(definitions: Definitions) -> list[Indicator]:
    levels = col("level")
    has_register = definitions.register is not None
    return [
        Indicator(
            "level2",
            "Level 2 channels",
            levels == 2,
            levels.is_in([1, 2]),
            "Level-2 works among level-1 and level-2 works, by the register level of the "
            "work's source in the work's year.",
            available=has_register,
            short_label="Level-2 channels",
            goal="level2",
            needs=("register",),
            column_header="Level 2",
        ),
        Indicator(
            "channel_unmatched",
            "Channel not in register",
            ~col("in_register"),
            None,
            "Works whose source matches no ISSN of the register in the work's year.",
            available=has_register,
            short_label="Channel not in register",
            goal="level2",
            needs=("register",),
            goal_direction="decrease",
        ),
        Indicator(
            "fund_ec",
            "European Commission funding",
            col("funded_ec"),
            None,
            "Works acknowledging the European Commission (Horizon 2020, Horizon Europe).",
            goal="eu_funding",
        ),
        Indicator(
            "fund_erc",
            "ERC funding",
            col("funded_erc"),
            None,
            "Works acknowledging the European Research Council.",
            goal="eu_funding",
        ),
        Indicator(
            "fund_msca",
            "MSCA funding",
            col("funded_msca"),
            None,
            "Works acknowledging Marie Skłodowska-Curie Actions.",
            goal="eu_funding",
        ),
        Indicator(
            "country_missing",
            "Not provably domestic",
            col("country_missing"),
            None,
            "Works where some authorship outside the institution has no country: they "
            "cannot be proven domestic (coverage).",
            goal_direction="decrease",
        ),
    ]


#: Terminal column headers (the yearly table shows these shares, in catalogue order).
_HEADER = {"priority": "Priority", "lmic": "LMIC", "enhance": "ENHANCE", "n5t": "N5T"}

#: The group-shares figure: panel, order and line label of each group it draws.
_FIGURE: dict[str, dict[str, object]] = {
    key: {"figure": panel, "figure_rank": rank, "figure_label": label}
    for panel, rows in (
        (
            "country",
            (
                ("nordic", "Nordic"),
                ("eu", "EU27"),
                ("priority", "Priority countries"),
                ("lmic", "Low/middle income"),
                ("devpartner", "Development partners"),
            ),
        ),
        (
            "institution",
            (
                ("enhance", "ENHANCE"),
                ("n5t", "Nordic Five Tech"),
                ("infrastructure", "Research infrastructures"),
            ),
        ),
    )
    for rank, (key, label) in enumerate(rows)
}

#: The groups copub ships (classify/reference): every other group is a user's own.
_SHIPPED = frozenset(
    {"home", "nordic", "eu", "eea", "priority", "devpartner", "lmic", "enhance", "n5t",
     "infrastructure"}
)  # fmt: skip

_SHORT = {
    "priority": "Priority countries (Panorama)",
    "lmic": "Low- and middle-income countries",
    "devpartner": "Development-policy partners",
    "enhance": "ENHANCE alliance",
    "n5t": "Nordic Five Tech",
    "infrastructure": "Research infrastructures",
}


def catalogue(definitions: Definitions) -> tuple[Indicator, ...]:
    """Every indicator the yearly table reports under ``definitions``, in column order.

    Examples
    --------
    >>> stems = [i.name for i in catalogue(Definitions())]
    >>> stems[:2], "level2" in stems, "mcp" in stems
    (['intl', 'collab'], True, False)
    >>> "mcp" in [i.name for i in catalogue(Definitions(preset="bibliometrix"))]
    True
    """
    return (
        *_core(definitions),
        *_groups(definitions),
        *_channels_funding_coverage(definitions),
        *PRESETS[definitions.preset].extra,
    )


def indicator_specs(definitions: Definitions) -> list[Indicator]:
    """The yearly table's share specs: :func:`catalogue` as a list."""
    return list(catalogue(definitions))


def terminal_columns(definitions: Definitions | None = None) -> tuple[tuple[str, str], ...]:
    """The terminal's yearly share columns: ``(header, stem)`` in catalogue order.

    Examples
    --------
    >>> terminal_columns()[0], terminal_columns()[-1]
    (('Priority', 'priority'), ('Level 2', 'level2'))
    """
    return tuple(
        (i.column_header, i.name) for i in catalogue(definitions or _default()) if i.column_header
    )


def figure_groups(
    panel: str, definitions: Definitions | None = None
) -> tuple[tuple[str, str], ...]:
    """The group-shares figure's lines of one panel: ``(stem, label)`` in figure order.

    Examples
    --------
    >>> [stem for stem, _ in figure_groups("institution")]
    ['enhance', 'n5t', 'infrastructure']
    """
    chosen = [i for i in catalogue(definitions or _default()) if i.figure == panel]
    return tuple((i.name, i.figure_label) for i in sorted(chosen, key=lambda i: i.figure_rank))


def goal_directions(definitions: Definitions | None = None) -> dict[str, GoalDirection]:
    """The direction that is good news, by stem (``increase`` unless the catalogue says not).

    Examples
    --------
    >>> directions = goal_directions()
    >>> directions["intl"], directions["channel_unmatched"]
    ('increase', 'decrease')
    """
    return {i.name: i.goal_direction for i in catalogue(definitions or _default())}


def indicator_notes(definitions: Definitions | None = None) -> dict[str, str]:
    """The policy note of every indicator about one partner, by stem.

    An indicator of one country (``priority_XX``) carries that country's note
    from the partner groups (:func:`copub.classify.policy_notes`), so its
    rows, cards and columns show it.

    Examples
    --------
    >>> notes = indicator_notes()
    >>> "March 2022" in notes["priority_RU"], "priority_US" in notes
    (True, False)
    """
    chosen = definitions or _default()
    notes = policy_notes(chosen.partner_groups)
    return {
        i.name: notes[code]
        for i in catalogue(chosen)
        if i.name.startswith("priority_") and (code := i.name.removeprefix("priority_")) in notes
    }


def short_labels(definitions: Definitions | None = None) -> dict[str, str]:
    """Terminal labels by stem (``short_label``, else ``label``)."""
    return {i.name: i.short for i in catalogue(definitions or _default())}


#: The smallest change that matters, unless a goal says otherwise: one percentage
#: point. With tens of thousands of works a far smaller change is "significant";
#: significance says a change is real, this says it is worth reporting.
DEFAULT_MIN_CHANGE = 0.01


@dataclass(frozen=True)
class Goal:
    """One development goal and every indicator (share stem) that measures it.

    ``min_change`` is the smallest plan-minus-baseline change (a share
    difference, 0.01 = one percentage point) that the goal counts as
    mattering; ``goals.toml`` may set it per goal.
    """

    key: str
    title: str
    text: str
    indicators: tuple[str, ...]
    min_change: float = DEFAULT_MIN_CHANGE


@cache
def _goal_records() -> tuple[dict[str, object], ...]:
    text = (resources.files("copub.indicators") / "reference" / "goals.toml").read_text("utf-8")
    return tuple(tomllib.loads(text)["goals"])


def goals(definitions: Definitions | None = None) -> tuple[Goal, ...]:
    """The development-plan goals with their indicators expanded against the catalogue.

    A stem ``"priority_*"`` becomes every catalogue stem with that prefix;
    stems the catalogue lacks under these definitions are dropped.

    Examples
    --------
    >>> [g.key for g in goals()][:2]
    ['international', 'level2']
    >>> "priority_BR" in goals()[2].indicators
    True
    """
    stems = [i.name for i in catalogue(definitions or _default())]
    out = []
    for record in _goal_records():
        chosen: list[str] = []
        for pattern in record["indicators"]:  # type: ignore[attr-defined]
            if pattern.endswith("*"):
                prefix = pattern[:-1]
                chosen += [
                    s
                    for s in stems
                    if s.startswith(prefix) and not s.endswith("_of_intl") and s not in chosen
                ]
            elif pattern in stems and pattern not in chosen:
                chosen.append(pattern)
        out.append(
            Goal(
                str(record["key"]),
                str(record["title"]),
                str(record["text"]),
                tuple(chosen),
                float(record.get("min_change", DEFAULT_MIN_CHANGE)),  # type: ignore[arg-type]
            )
        )
    return tuple(out)


@cache
def _default() -> Definitions:
    return Definitions()


if TYPE_CHECKING:
    #: The goals under the default definitions (NTNU's partner groups).
    GOALS: tuple[Goal, ...]


@cache
def _default_goals() -> tuple[Goal, ...]:
    return goals()


def __getattr__(name: str) -> object:
    # GOALS reads the goal and partner-group files: on first use, not when copub starts.
    if name == "GOALS":
        return _default_goals()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def catalogue_markdown(definitions: Definitions | None = None) -> str:
    """The README's indicator list, generated from the catalogue (a test keeps them equal).

    Examples
    --------
    >>> catalogue_markdown().splitlines()[0]
    '| stem | share column | label | goal | definition |'
    """
    from copub.indicators.definitions import share_column

    rows = ["| stem | share column | label | goal | definition |", "|---|---|---|---|---|"]
    shown = [i for i in catalogue(definitions or _default()) if not i.name.startswith("priority_")]
    for i in shown:
        needs = f" Needs: {', '.join(i.needs)}." if i.needs else ""
        rows.append(
            f"| `{i.name}` | `{share_column(i.name)}` | {i.label} | {i.goal or '—'} | "
            f"{i.definition}{needs} |"
        )
    rows.append(
        "| `priority_XX` | `priority_share_XX` | Priority country XX | priority | "
        "Works with at least one co-author in XX (each priority country). |"
    )
    return "\n".join(rows)
