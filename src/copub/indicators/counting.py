"""Full and fractional counting of an institution's works.

Fractional counting follows the Leiden Ranking Open Edition
(``calc_leiden_ranking_open_edition.sql``): each authorship weighs
``1 / n_authors``; that weight is split equally over the author's distinct
raw affiliation strings (``authorships[].affiliations``), and each string's
share equally over the institutions of that string — the institutions that
string names anywhere in the work, as the CWTS databases link a string to its
institutions once per work. A string with no institution keeps its share for
nobody, so an institution's weights over a work sum to at most 1. The home
institution's weight is the sum over the (string, institution) slots that are
a home institution or a child unit (OpenAlex lineage: Leiden merges its
"component" units into the university the same way, with its private list).

*Joint units*: a unit whose lineage holds k >= 2 top-level universities
(OpenAlex type ``education``; the Mahidol Oxford Tropical Medicine Research
Unit, say) gives each of them 1/k of its slot, as the Leiden Ranking splits a
joint organisation's weight between the universities it belongs to; so over
home institutions that are not each other's ancestors a work's weights sum to
at most 1. :func:`joint_unit_labels` marks the works where that happens.

Where a record has no ``affiliations`` field, the authorship's weight is split
over its distinct institutions instead (``rule="institutions"`` applies that to
every authorship); :func:`fallback_authorships` counts how often that happens.
``n_authors`` counts every authorship, including those with no institution.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from copub.classify.definitions import FractionalRule
from copub.classify.home import home_institution_ids
from copub.classify.keyed import AUTHORSHIP_STRIDE, KeyedTables
from copub.errors import UsageError
from copub.normalize import Tables

__all__ = [
    "fallback_authorships",
    "fallback_labels",
    "fractional_weights",
    "joint_unit_labels",
    "weight_labels",
]


#: The fixed-point unit of the exact sum of shares.
_UNIT = 2.0**100


def _home_share(keyed: KeyedTables) -> pl.Expr:
    """Each row's home share by its ``iid`` (:func:`~copub.classify.keyed.home_shares`)."""
    return pl.lit(keyed.institutions["home_share"]).gather(pl.col("iid")).fill_null(0.0)


def joint_unit_labels(keyed: KeyedTables) -> pl.DataFrame:
    """``wid, joint_unit``: some affiliation gives the home part of a joint unit.

    A joint unit's lineage holds two or more top-level universities; the home
    takes 1/k of its slots for each of them that is home (see the module docs).
    """
    shares = keyed.institutions["home_share"]
    # One flag per iid (the institutions' row), read by position: no hashing per row.
    is_joint = (shares > 0) & (shares < 1)
    affiliations = keyed.affiliations.lazy()
    if not is_joint.any():
        # Usually no home slot is part of a joint unit: one row per work, all False.
        flagged = affiliations.select("wid").unique().with_columns(joint_unit=pl.lit(False))
    else:
        flagged = affiliations.group_by("wid").agg(
            joint_unit=pl.lit(is_joint).gather(pl.col("iid")).any()
        )
    return flagged.sort("wid").collect()


def _by_institutions(keyed: KeyedTables, only_fallback: bool) -> pl.LazyFrame:
    """``wid, aid, string_id, share``: each authorship's 1/n_authors over its distinct
    institutions (``string_id`` null)."""
    affiliations = keyed.affiliations.lazy()
    if only_fallback:
        fallback = keyed.authorships.filter(pl.col("n_affiliation_strings").is_null())
        # Few works have such an authorship: their rows are cut by position first.
        affiliations = affiliations.filter(keyed.of_works(fallback["wid"])).join(
            fallback.lazy().select("aid"), on="aid", how="semi"
        )
    slots = (
        affiliations.with_columns(share=_home_share(keyed))
        .group_by("wid", "aid")
        .agg(home_slots=pl.col("share").sum(), n_slots=pl.len())
        .filter(pl.col("home_slots") > 0)
    )
    return slots.select(
        "wid",
        "aid",
        string_id=pl.lit(None, pl.Int32),
        share=pl.col("home_slots").cast(pl.Float64)
        / pl.col("n_slots")
        / keyed.work_column("n_authors").cast(pl.Float64),
    )


def _work_strings(strings: pl.DataFrame) -> pl.DataFrame:
    """``strings`` (in work order) with ``key``: its (work, string) as one row number.

    The build numbers a work's distinct strings 0, 1, … (a dense rank,
    :mod:`copub.normalize.build`) and each string has a row, so the work's
    first row number plus the string's number is unique to the pair and
    names one of the work's rows: the strings are grouped by gathers into
    arrays as long as the rows, with no hash table. Strings numbered
    otherwise (frames made by hand) are renumbered that way first; a row
    without a string number names no string (it never carried a share).
    """
    strings = strings.filter(pl.col("string_id").is_not_null())
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    wid = pl.col("wid")
    first = pl.when((wid != wid.shift(1)).fill_null(True)).then(row).forward_fill()
    last = pl.when((wid != wid.shift(-1)).fill_null(True)).then(row).backward_fill()
    keyed = strings.with_columns(key=first + pl.col("string_id"), last=last)
    if not keyed.select(
        ((pl.col("string_id") >= 0) & (pl.col("key") <= pl.col("last"))).all()
    ).item():
        dense = (pl.col("string_id").rank("dense").over("wid") - 1).cast(pl.Int64)
        keyed = strings.with_columns(key=first + dense)
    return keyed.select(pl.exclude("last", "key"), pl.col("key").cast(pl.UInt32))


def _by_strings(keyed: KeyedTables) -> pl.LazyFrame:
    """``wid, aid, string_id, share``: Leiden's split over affiliation strings, then
    their institutions.

    Only strings that name a home institution carry a share, so those are
    found first (flagged by their ``key``, :func:`_work_strings`, and
    numbered ``sid``) and only their rows are read further: each
    (authorship, string) once, with the authorship's number of strings and
    the string's distinct institutions in the whole work (sorted by
    ``sid, iid``, counted and their home shares summed per string).
    """
    entries = _work_strings(keyed.strings).with_columns(home_share=_home_share(keyed))
    key = entries["key"]
    flagged = pl.repeat(False, entries.height, eager=True).scatter(
        key.filter(entries["home_share"] > 0), True
    )
    sid = flagged.cast(pl.UInt32).cum_sum() - 1
    named = entries.filter(flagged.gather(key)).with_columns(sid=pl.lit(sid).gather(pl.col("key")))
    pair = pl.col("sid").cast(pl.UInt64) * AUTHORSHIP_STRIDE + pl.col("iid").cast(pl.UInt64)
    pairs = (
        named.lazy()
        .drop_nulls("iid")
        .select(pair=pair, home_share="home_share")
        .sort("pair")
        .filter((pl.col("pair") != pl.col("pair").shift(1)).fill_null(True))
        .collect()
    )
    # Per string (``sid`` 0, 1, …): its distinct institutions and their home shares
    # summed, in iid order (a count and a sum by position, no hash table).
    import numpy as np

    string = (pairs["pair"] // AUTHORSHIP_STRIDE).cast(pl.Int64).to_numpy()
    size = int(flagged.sum())
    n_institutions = pl.Series(np.bincount(string, minlength=size))
    home_institutions = pl.Series(
        np.bincount(string, weights=pairs["home_share"].to_numpy(), minlength=size)
    )
    return (
        named.lazy()
        .filter("is_first")
        .select(
            "wid",
            "aid",
            "string_id",
            share=pl.lit(home_institutions).gather(pl.col("sid"))
            / pl.lit(n_institutions).gather(pl.col("sid")).cast(pl.Float64)
            / pl.col("n_strings")
            / keyed.work_column("n_authors").cast(pl.Float64),
        )
    )


def weight_labels(
    keyed: KeyedTables, *, rule: FractionalRule = "affiliation_strings"
) -> pl.DataFrame:
    """:func:`fractional_weights` on keyed tables (``wid``; the home from ``keyed``).

    A work's shares are summed exactly and rounded once, so its weight does
    not depend on how the rows arrived or on which other works are labelled
    with it.
    """
    if rule not in ("affiliation_strings", "institutions"):
        raise UsageError(f"fractional rule must be affiliation_strings or institutions: {rule!r}")
    if rule == "institutions":
        shares = _by_institutions(keyed, only_fallback=False)
    else:
        shares = pl.concat([_by_strings(keyed), _by_institutions(keyed, only_fallback=True)])
    # Summed exactly, as integers in units of 2**-100 (a float share of at least
    # 2**-48 is a whole number of them), then rounded once: the weight is the
    # correctly rounded sum, whatever the order of the rows or where they lie in
    # memory (polars' vectorised float sum groups the additions by position,
    # which differs between the whole tables and a pass over part of them).
    return (
        shares.group_by("wid")
        .agg(units=(pl.col("share") * _UNIT).cast(pl.Int128).sum())
        .select("wid", weight=pl.col("units").cast(pl.Float64) / _UNIT)
        .sort("wid")
        .collect()
        .cast({"weight": pl.Float64})
    )


def fractional_weights(
    tables: Tables,
    institution: str | Sequence[str],
    *,
    rule: FractionalRule = "affiliation_strings",
) -> pl.DataFrame:
    """The institution's fractional weight in each of its works.

    Returns
    -------
    pl.DataFrame
        ``work_id, weight`` (Float64, in [0, 1]) for every work where a home
        slot carries weight.

    Examples
    --------
    One author at the home institution (I1) with two affiliation strings, one
    naming I1 and a partner (I2), one naming nothing; a second author at I2.
    The home gets 1/2 (authors) x 1/2 (strings) x 1/2 (institutions) = 0.125.

    >>> import json, tempfile, pathlib
    >>> from copub.normalize import read_works
    >>> work = {"id": "W1", "publication_year": 2020, "authorships": [
    ...     {"institutions": [{"id": "I1"}, {"id": "I2"}], "affiliations": [
    ...         {"raw_affiliation_string": "Home and partner", "institution_ids": ["I1", "I2"]},
    ...         {"raw_affiliation_string": "Somewhere", "institution_ids": []}]},
    ...     {"institutions": [{"id": "I2"}], "affiliations": [
    ...         {"raw_affiliation_string": "Partner", "institution_ids": ["I2"]}]}]}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "w.jsonl"
    >>> _ = path.write_text(json.dumps(work))
    >>> tables = read_works(path)
    >>> fractional_weights(tables, "I1")["weight"].to_list()
    [0.125]
    >>> fractional_weights(tables, "I1", rule="institutions")["weight"].to_list()
    [0.25]
    """
    keyed = KeyedTables.from_tables(tables, home_institution_ids(tables, institution))
    return keyed.with_work_ids(weight_labels(keyed, rule=rule))


def fallback_authorships(tables: Tables) -> pl.DataFrame:
    """Per work, the authorships whose record has no ``affiliations`` field.

    Returns ``work_id, n_authorships_fallback`` (Int32) for every work.
    """
    keyed = KeyedTables.from_tables(tables)
    return keyed.with_work_ids(fallback_labels(keyed))


def fallback_labels(keyed: KeyedTables) -> pl.DataFrame:
    """:func:`fallback_authorships` on keyed tables (``wid`` for ``work_id``)."""
    return (
        keyed.authorships.lazy()
        .group_by("wid")
        .agg(n_authorships_fallback=pl.col("n_affiliation_strings").is_null().sum().cast(pl.Int32))
        .sort("wid")
        .collect()
    )
