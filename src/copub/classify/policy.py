"""A partner's policy note, attached wherever the partner is shown.

The note is written once, as a member's ``note`` in the partner groups
(:func:`copub.classify.policy_notes`); every table, card and figure about the
partner reads it through these helpers, so the words never differ:

- :func:`with_policy_notes` adds a ``note`` column to a table of partners
  (countries, or institutions with their country);
- :func:`copub.render.fmt.policy_note` (and its HTML and wrapped forms) is
  the note as a reader sees it ("Policy note: …"), in the terminal, in
  Markdown and in HTML alike.
"""

from __future__ import annotations

import polars as pl

from copub.classify.group_data import load_groups, policy_notes
from copub.classify.membership import PartnerGroups

__all__ = ["NOTE_COLUMN", "partner_note", "with_policy_notes"]

#: The column :func:`with_policy_notes` adds.
NOTE_COLUMN = "note"


def partner_note(
    notes: dict[str, str], partner: str | None, country: str | None = None
) -> str | None:
    """The note of a partner: its own, and its country's (after the code) for an institution.

    Examples
    --------
    >>> notes = {"RU": "Cooperation frozen in March 2022"}
    >>> partner_note(notes, "RU"), partner_note(notes, "US") is None
    ('Cooperation frozen in March 2022', True)
    >>> partner_note(notes, "I123", "RU")
    'RU: Cooperation frozen in March 2022'
    """
    texts = [notes[partner]] if partner is not None and partner in notes else []
    if country is not None and country != partner and country in notes:
        texts.append(f"{country}: {notes[country]}")
    return "; ".join(texts) or None


def with_policy_notes(
    frame: pl.DataFrame,
    groups: PartnerGroups | None = None,
    *,
    partner: str = "partner_id",
    country: str | None = "country",
) -> pl.DataFrame:
    """``frame`` with a ``note`` column: each row's :func:`partner_note` (null when none).

    Parameters
    ----------
    frame : pl.DataFrame
        One row per partner.
    groups : PartnerGroups, optional
        Where the notes come from; default :func:`copub.classify.load_groups`.
    partner : str
        The column of the partner's key (a country code or an OpenAlex id).
    country : str or None
        The column of an institution's country, whose note the institution
        shares; None (or a column the frame lacks) to read ``partner`` only.

    Examples
    --------
    >>> frame = pl.DataFrame({"partner_id": ["RU", "US"], "country": [None, None]},
    ...                      schema_overrides={"country": pl.String})
    >>> noted = with_policy_notes(frame)
    >>> "March 2022" in noted["note"][0], noted["note"][1] is None
    (True, True)
    """
    notes = policy_notes(groups if groups is not None else load_groups())
    countries = (
        frame[country].to_list()
        if country is not None and country in frame.columns
        else [None] * frame.height
    )
    values = [
        partner_note(notes, key, place)
        for key, place in zip(frame[partner].to_list(), countries, strict=True)
    ]
    return frame.with_columns(pl.Series(NOTE_COLUMN, values, dtype=pl.String))
