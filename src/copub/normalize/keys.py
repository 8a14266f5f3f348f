"""Integer keys beside the string ids, made once when the tables are built.

Labelling joins the tables on the work and the institution many times over;
it reads them on integer keys (:mod:`copub.classify.keyed`). Ranking millions
of string ids to make those keys was most of the cost of keying, so the keys
are made here, once, and stored in the tables' generation:

``work_key`` (UInt32)
    In ``works``, ``authorships``, ``affiliations`` and ``funding``: the
    rank of the row's ``work_id`` among the works table's distinct work ids,
    sorted (so ordering by key is ordering by id). Null for a null id, or a
    work the works table lacks.
``institution_key`` (UInt32)
    In ``institutions`` and ``affiliations``: the rank of ``institution_id``
    among the institutions table's distinct ids, sorted. Null for an id the
    institutions table lacks.

The keys are ranks within one generation, so every table of it agrees on
them. Tables without them (written by an older copub, or frames built by
hand) are keyed when they are loaded or made (:func:`add_keys`, once). A
key is an aid, never the truth: labelling checks each row's key against its
id (an integer gather and a comparison, no join) and ranks any row whose key
does not agree, so frames cut or mixed by hand give the same labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, TypeVar

import polars as pl

__all__ = [
    "INSTITUTION_KEY",
    "KEY_COLUMNS",
    "WORK_KEY",
    "add_keys",
    "has_keys",
    "institution_key_map",
    "with_keys",
    "work_key_map",
]

WORK_KEY: Final = "work_key"
INSTITUTION_KEY: Final = "institution_key"

#: The key columns of each table, appended (in this order) after its other columns.
KEY_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "works": (WORK_KEY,),
    "authorships": (WORK_KEY,),
    "affiliations": (WORK_KEY, INSTITUTION_KEY),
    "institutions": (INSTITUTION_KEY,),
    "sources": (),
    "funding": (WORK_KEY,),
}

#: Which id each key stands for.
_ID_OF: Final = {WORK_KEY: "work_id", INSTITUTION_KEY: "institution_id"}

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)


def _key_map(ids: pl.Series, key: str) -> pl.DataFrame:
    """``<id>, <key>``: the distinct non-null ``ids``, sorted, and their ranks."""
    distinct = ids.drop_nulls().unique().sort()
    return pl.DataFrame({_ID_OF[key]: distinct}).with_row_index(key).select(_ID_OF[key], key)


def work_key_map(work_ids: pl.Series) -> pl.DataFrame:
    """``work_id, work_key`` for the works table's ``work_id`` column.

    Examples
    --------
    >>> work_key_map(pl.Series(["W9", "W10", None, "W9"])).rows()
    [('W10', 0), ('W9', 1)]
    """
    return _key_map(work_ids, WORK_KEY)


def institution_key_map(institution_ids: pl.Series) -> pl.DataFrame:
    """``institution_id, institution_key`` for the institutions table's ids."""
    return _key_map(institution_ids, INSTITUTION_KEY)


def with_keys(
    frames: Mapping[str, Frame], works: pl.DataFrame, institutions: pl.DataFrame
) -> dict[str, Frame]:
    """``frames`` with their key columns (:data:`KEY_COLUMNS`) last, read from the key maps.

    Parameters
    ----------
    frames : mapping of str to DataFrame or LazyFrame
        Tables by name (any of the six), without key columns; lazy frames
        stay lazy (the build streams them to disk).
    works, institutions : pl.DataFrame
        :func:`work_key_map` and :func:`institution_key_map` of the
        generation's works and institutions tables.

    Examples
    --------
    >>> funding = pl.DataFrame({"work_id": ["W9", "W7"], "funder_id": ["F1", "F2"]})
    >>> keyed = with_keys({"funding": funding}, work_key_map(pl.Series(["W9"])), pl.DataFrame())
    >>> keyed["funding"].rows()
    [('W9', 'F1', 0), ('W7', 'F2', None)]
    """
    maps = {WORK_KEY: works, INSTITUTION_KEY: institutions}
    out: dict[str, Frame] = {}
    for name, frame in frames.items():
        keyed = frame
        for key in KEY_COLUMNS[name]:
            keyed = keyed.join(  # type: ignore[assignment]
                maps[key].lazy() if isinstance(keyed, pl.LazyFrame) else maps[key],
                on=_ID_OF[key],
                how="left",
                maintain_order="left",
            )
        out[name] = keyed
    return out


def has_keys(frames: Mapping[str, pl.DataFrame]) -> bool:
    """True when every table has its key columns, and the works and institutions keys are whole.

    Whole: a key for every non-null id (a frame built on an empty table's
    schema has the columns, all null).
    """
    for name, keys in KEY_COLUMNS.items():
        if any(key not in frames[name].columns for key in keys):
            return False
    for name, key in (("works", WORK_KEY), ("institutions", INSTITUTION_KEY)):
        frame = frames[name]
        if frame[key].null_count() != frame[_ID_OF[key]].null_count():
            return False
    return True


def add_keys(frames: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every table keyed anew from its ids (older generations, frames built by hand).

    Any key columns present are replaced. The keys are the ones the build
    would have made for these tables.

    Examples
    --------
    >>> from copub.normalize.schemas import SCHEMAS
    >>> empty = {name: pl.DataFrame(schema=schema) for name, schema in SCHEMAS.items()}
    >>> works = pl.DataFrame({"work_id": ["W2", "W1"]})
    >>> keyed = add_keys({**empty, "works": works})
    >>> keyed["works"].rows()
    [('W2', 1), ('W1', 0)]
    """
    bare = {
        name: frame.drop([k for k in KEY_COLUMNS[name] if k in frame.columns])
        for name, frame in frames.items()
    }
    return with_keys(
        bare,
        work_key_map(bare["works"]["work_id"]),
        institution_key_map(bare["institutions"]["institution_id"]),
    )
