"""What each share counts: one :class:`ShareSpec` record per indicator.

The records are made in one place, :mod:`copub.indicators.catalogue`; the
yearly table, the period comparison, the goals, the terminal and HTML labels,
the plots and the README's column list all read them, so an indicator is
written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import polars as pl

__all__ = ["GoalDirection", "Indicator", "ShareSpec", "share_column", "share_columns"]

#: Which way a share should move for its goal to be met.
GoalDirection = Literal["increase", "decrease"]


@dataclass(frozen=True)
class ShareSpec:
    """One share: works with ``numerator`` among works with ``denominator``.

    Attributes
    ----------
    name : str
        Column stem: the table gets ``<name>_works``, ``<name>_share`` with
        ``_low``/``_high`` (Wilson, 95%) and ``<name>_share_frac`` with its
        bootstrap ``_frac_low``/``_frac_high``. The fractional share
        (Σ weight·flag / Σ weight) is copub's own: where an indicator bears a
        namesake's name (Leiden's PP(int collab), PP(collab)), the namesake
        defines it under full counting only, and the definition says so.
    label : str
        Short human label.
    numerator : pl.Expr
        Boolean expression over the per-work frame.
    denominator : pl.Expr or None
        Boolean mask of the works that form the base; ``None`` is every work.
    definition : str
        One sentence, for the report and the README.
    available : bool
        False when the inputs are missing (no register): the columns are then
        null, never zero.
    short_label : str
        A label short enough for the terminal's 100 columns (default ``label``).
    goal : str or None
        Key of the development-plan goal it serves (``goals.toml``), if any.
    needs : tuple of str
        Inputs beyond the tables, e.g. ``("register",)``.
    column_header : str
        Header of its column in the terminal's yearly table ("" when not shown).
    figure : {"country", "institution"} or None
        The group-shares figure panel that draws it, if any; ``figure_rank``
        orders the panel and ``figure_label`` names the line.
    goal_direction : {"increase", "decrease"}
        The direction that is good news: a fall of "channel not in register"
        serves the level-2 goal. Colours follow it, not the sign of a change.
    """

    name: str
    label: str
    numerator: pl.Expr
    denominator: pl.Expr | None
    definition: str
    available: bool = True
    short_label: str = ""
    goal: str | None = None
    needs: tuple[str, ...] = ()
    column_header: str = ""
    figure: str | None = None
    figure_rank: int = 0
    figure_label: str = ""
    goal_direction: GoalDirection = "increase"

    @property
    def short(self) -> str:
        """``short_label``, else ``label``."""
        return self.short_label or self.label


#: The catalogue's name for one record.
Indicator = ShareSpec


def share_column(name: str) -> str:
    """The share column of an indicator stem.

    Per-country priority shares follow the interface contract's
    ``priority_share_XX``; every other stem gets ``<name>_share``.

    Examples
    --------
    >>> share_column("intl"), share_column("priority_BR")
    ('intl_share', 'priority_share_BR')
    """
    match = re.fullmatch(r"priority_([A-Z]{2})", name)
    return f"priority_share_{match.group(1)}" if match else f"{name}_share"


def share_columns(name: str) -> list[str]:
    """The output columns of one share, in table order."""
    share = share_column(name)
    return [
        f"{name}_works",
        f"{name}_base",
        share,
        f"{share}_low",
        f"{share}_high",
        f"{name}_works_frac",
        f"{name}_base_frac",
        f"{share}_frac",
        f"{share}_frac_low",
        f"{share}_frac_high",
    ]
