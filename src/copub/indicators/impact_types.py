"""The collaboration types impact is compared across: who the co-authors are.

Each type is a Boolean mask over the per-work frame of
:func:`copub.indicators.base.per_work_frame`; a work can be in several
(international and priority, say). ``domestic`` is only the works proven
domestic: a work with an authorship of unknown country outside the
institution is in neither ``domestic`` nor ``international``.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from copub.classify import PartnerGroups

__all__ = ["Collaboration", "collaboration_types"]


@dataclass(frozen=True)
class Collaboration:
    """One collaboration type: a key (column value), a label and its mask."""

    key: str
    label: str
    mask: pl.Expr
    definition: str


def collaboration_types(
    groups: PartnerGroups, *, register_available: bool, columns: tuple[str, ...] = ()
) -> list[Collaboration]:
    """Every collaboration type, in display order.

    ``columns`` are the per-work frame's columns; a group with no column (a
    custom group the frame was not built with) is left out. Channel-level
    types are there only with a register.

    Examples
    --------
    >>> from copub.classify import load_groups
    >>> keys = [c.key for c in collaboration_types(load_groups(), register_available=False)]
    >>> keys[:3], "priority" in keys, "level2" in keys
    (['all', 'domestic', 'international'], True, False)
    """
    col = pl.col
    types = [
        Collaboration("all", "All works", pl.lit(True), "Every work in the universe."),
        Collaboration(
            "domestic",
            "Domestic only",
            ~col("is_international") & ~col("country_missing"),
            "Works whose every authorship is in the home country (proven domestic).",
        ),
        Collaboration(
            "international",
            "International",
            col("is_international"),
            "Works with at least two distinct countries (Leiden's P(int collab)).",
        ),
    ]
    for group in groups.groups:
        if group.key == "home" or (columns and group.key not in columns):
            continue
        types.append(
            Collaboration(
                group.key,
                f"With {group.label}",
                col(group.key),
                f"Works with at least one co-author affiliated in {group.label}.",
            )
        )
    types.append(
        Collaboration(
            "eu_funded",
            "EU-funded",
            col("funded_ec"),
            "Works acknowledging the European Commission (Horizon 2020, Horizon Europe, "
            "ERC, MSCA).",
        )
    )
    if register_available:
        level = col("level")
        types += [
            Collaboration(f"level{n}", f"Level {n} channel", level == n, f"Level-{n} channels.")
            for n in (2, 1, 0)
        ]
        types.append(
            Collaboration(
                "not_in_register",
                "Channel not in register",
                ~col("in_register"),
                "Sources that match no ISSN of the register in the work's year.",
            )
        )
    return types
