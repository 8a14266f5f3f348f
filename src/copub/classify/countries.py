"""Countries of authorships and works, as ISO 3166-1 alpha-2 codes.

A work's countries are the union of every affiliated institution's
``country_code`` and every authorship's ``countries``. Codes that are not
ISO alpha-2 are kept aside in ``unknown_codes`` and counted, never dropped
silently. Hong Kong and Macao count as China by default (the Leiden Ranking
convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import polars as pl
import pycountry

from copub.classify.home import home_institution_ids
from copub.classify.keyed import AUTHORSHIP_STRIDE, KeyedTables
from copub.classify.sorted_search import in_sorted
from copub.normalize import Tables

__all__ = [
    "authorship_countries",
    "country_code_expr",
    "country_labels",
    "normalised_codes",
    "unknown_country_codes",
    "valid_country_codes",
    "work_countries",
]

#: Kosovo: used by OpenAlex and the World Bank, a user-assigned code in ISO 3166.
_EXTRA_CODES = frozenset({"XK"})
_MERGED_INTO_CHINA = ("HK", "MO")


@cache
def valid_country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to pycountry, plus Kosovo (XK)."""
    return frozenset(c.alpha_2 for c in pycountry.countries) | _EXTRA_CODES


def country_code_expr(expr: pl.Expr, *, merge_hk_mo: bool = True) -> pl.Expr:
    """Trim and upper-case a country code; Hong Kong and Macao become China when merging.

    Examples
    --------
    >>> frame = pl.DataFrame({"code": [" hk", "MO", "se"]})
    >>> frame.select(country_code_expr(pl.col("code")))["code"].to_list()
    ['CN', 'CN', 'SE']
    """
    code = expr.str.strip_chars().str.to_uppercase()
    if not merge_hk_mo:
        return code
    return code.replace(dict.fromkeys(_MERGED_INTO_CHINA, "CN"))


def normalised_codes(raw: pl.DataFrame, *, merge_hk_mo: bool) -> pl.DataFrame:
    """``raw``'s ``code`` column trimmed and upper-cased, with ``is_valid``; then merged.

    The one reading of a reported code: blank and null codes are dropped;
    ``is_valid`` says whether the code is ISO alpha-2 (or XK); Hong Kong and
    Macao then become China when merging (:func:`country_code_expr`).
    """
    valid = sorted(valid_country_codes())
    return (
        raw.with_columns(pl.col("code").str.strip_chars().str.to_uppercase())
        .filter(pl.col("code").is_not_null() & (pl.col("code") != ""))
        .with_columns(is_valid=pl.col("code").is_in(valid))
        .with_columns(code=country_code_expr(pl.col("code"), merge_hk_mo=merge_hk_mo))
    )


def _dictionary(raw: pl.Series, merge_hk_mo: bool) -> tuple[pl.Series, pl.DataFrame]:
    """Each raw string's ``cid`` (null: blank), and the ``cid -> code, is_valid`` table.

    ``cid`` ranks the distinct normalised codes, so ordering by ``cid`` is
    ordering by code.
    """
    frame = pl.DataFrame({"row": pl.int_range(raw.len(), dtype=pl.UInt32, eager=True), "code": raw})
    labelled = normalised_codes(frame, merge_hk_mo=merge_hk_mo)
    codes = labelled.select("code", "is_valid").unique("code").sort("code").with_row_index("cid")
    cids = (
        frame.select("row")
        .join(labelled.join(codes.select("code", "cid"), on="code"), on="row", how="left")
        .sort("row")["cid"]
    )
    return cids, codes


def _code_ids(keyed: KeyedTables, merge_hk_mo: bool) -> tuple[pl.Series, pl.Series, pl.DataFrame]:
    """Each reported string's ``cid`` (by ``rid``), each institution's (by ``iid``),
    and the ``cid -> code, is_valid`` table; null: no code."""
    institutions = keyed.institutions
    raw = pl.concat([keyed.reported_codes, institutions["country_code"]])
    cids, codes = _dictionary(raw, merge_hk_mo)
    return cids.head(keyed.reported_codes.len()), cids.tail(institutions.height), codes


def _codes(keyed: KeyedTables, merge_hk_mo: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``wid, aid, cid`` for every code an authorship has, from both places OpenAlex
    reports it (the authorship's ``countries`` and its institutions' ``country_code``),
    and the ``cid -> code, is_valid`` table."""
    by_rid, by_iid, codes = _code_ids(keyed, merge_hk_mo)
    return _code_rows(keyed, by_rid, by_iid), codes


def _code_rows(keyed: KeyedTables, by_rid: pl.Series, by_iid: pl.Series) -> pl.DataFrame:
    """``wid, aid, cid``: the reported codes, then the institutional ones (see :func:`_codes`)."""
    return pl.concat(
        [
            keyed.reported.select("wid", "aid", cid=pl.lit(by_rid).gather(pl.col("rid"))),
            keyed.affiliations.select("wid", "aid", cid=pl.lit(by_iid).gather(pl.col("iid"))),
        ]
    ).drop_nulls("cid")


def _as_lists(
    key: str, rows: pl.DataFrame, codes: pl.DataFrame, every: pl.DataFrame | None = None
) -> pl.LazyFrame:
    """Group ``rows`` by ``key`` into sorted ``countries`` (known) and ``unknown_codes``.

    Distinct (key, code) pairs first, sorted by key then code (packed into one
    integer when the key is a 32-bit ``wid``), then one list per key: the
    lists come out sorted. ``every`` (``key`` sorted, ``cid`` null) adds a
    row, and so a list, for each of its keys.
    """
    if rows.schema[key] == pl.UInt32:
        stride = 2**32
        pair = pl.col(key).cast(pl.UInt64) * stride + pl.col("cid").cast(pl.UInt64)
        new_run = (pl.col("pair") != pl.col("pair").shift(1)).fill_null(True)
        # ``rows`` comes in runs of one work (its two halves are in work order):
        # repeats within a run go before the sort.
        pairs = (
            rows.lazy()
            .select(pair=pair)
            .filter(new_run)
            .sort("pair")
            .filter(new_run)
            .select(
                (pl.col("pair") // stride).cast(pl.UInt32).set_sorted().alias(key),
                cid=(pl.col("pair") % stride).cast(pl.UInt32),
            )
        )
    else:
        pairs = rows.lazy().select(key, "cid").unique().sort(key, "cid")
    if every is not None:
        pairs = every.lazy().merge_sorted(pairs, key=key)
    code, valid = pl.lit(codes["code"]), pl.lit(codes["is_valid"])
    if codes["is_valid"].all():
        # Every code is known (the usual case): one list per key, no code set aside.
        return (
            pairs.with_columns(code=code.gather(pl.col("cid")))
            .group_by(key, maintain_order=True)
            .agg(countries=pl.col("code").drop_nulls())
            .with_columns(unknown_codes=pl.lit([], pl.List(pl.String)))
        )
    return (
        pairs.with_columns(code=code.gather(pl.col("cid")), is_valid=valid.gather(pl.col("cid")))
        .group_by(key, maintain_order=True)
        .agg(
            countries=pl.col("code").filter(pl.col("is_valid")),
            unknown_codes=pl.col("code").filter(~pl.col("is_valid")),
        )
    )


def _empty_lists() -> list[pl.Expr]:
    return [
        pl.col("countries").fill_null(pl.lit([], pl.List(pl.String))),
        pl.col("unknown_codes").fill_null(pl.lit([], pl.List(pl.String))),
    ]


def authorship_countries(tables: Tables, *, merge_hk_mo: bool = True) -> pl.DataFrame:
    """One row per authorship with its known countries and any unknown codes.

    Returns
    -------
    pl.DataFrame
        ``work_id, position, countries (list, sorted), unknown_codes (list)``,
        one row for every authorship, including those with no country.

    Examples
    --------
    >>> authorship_countries(Tables.empty()).columns
    ['work_id', 'position', 'countries', 'unknown_codes']
    """
    keyed = KeyedTables.from_tables(tables)
    rows, codes = _codes(keyed, merge_hk_mo)
    grouped = keyed.with_work_ids(
        _as_lists("aid", rows, codes)
        .with_columns(
            wid=(pl.col("aid") // AUTHORSHIP_STRIDE).cast(pl.UInt32),
            position=(pl.col("aid") % AUTHORSHIP_STRIDE).cast(pl.Int32),
        )
        .select("wid", "position", "countries", "unknown_codes")
        .collect()
    )
    return (
        tables.authorships.select("work_id", "position")
        .join(grouped, on=["work_id", "position"], how="left")
        .with_columns(_empty_lists())
        .sort("work_id", "position")
    )


def _country_counts(keyed: KeyedTables, by_rid: pl.Series, by_iid: pl.Series) -> pl.DataFrame:
    """``n_authorships_no_country, country_missing`` for every work of ``keyed.works``.

    An authorship has a country when a string it reports or one of its
    institutions has a known code (``by_rid``, ``by_iid``: True for those).
    Both sides are in authorship order, as the authorships are, so each is
    looked up with :func:`~copub.classify.sorted_search.in_sorted`; only the
    few authorships without a country are then grouped by work.
    """

    def known(rows: pl.DataFrame, key: str, valid: pl.Series) -> pl.Series:
        return rows.filter(pl.lit(valid).gather(pl.col(key)).fill_null(False))["aid"]

    aid = keyed.authorships["aid"]
    has_country = in_sorted(aid, known(keyed.reported, "rid", by_rid)) | in_sorted(
        aid, known(keyed.affiliations, "iid", by_iid)
    )
    without = (
        keyed.authorships.lazy()
        .filter(~pl.lit(has_country))
        .group_by("wid", maintain_order=True)
        .agg(
            n_authorships_no_country=pl.len().cast(pl.Int32),
            country_missing=(~pl.col("is_home")).any(),
        )
    )
    return (
        keyed.per_work(without)
        .select(
            pl.col("n_authorships_no_country").fill_null(0),
            pl.col("country_missing").fill_null(False),
        )
        .collect()
    )


def country_labels(keyed: KeyedTables, *, merge_hk_mo: bool = True) -> pl.DataFrame:
    """:func:`work_countries` on keyed tables: the same columns with ``wid`` for ``work_id``.

    One row per work of ``keyed.works``, in its order: the lists are grouped
    with one empty row per work merged in, so no list is moved by a join.
    """
    by_rid, by_iid, codes = _code_ids(keyed, merge_hk_mo)
    valid = codes["is_valid"]
    per_work_counts = _country_counts(keyed, valid.gather(by_rid), valid.gather(by_iid))
    rows = _code_rows(keyed, by_rid, by_iid)
    every_work = keyed.works.select("wid", cid=pl.lit(None, pl.UInt32))
    lists = (
        _as_lists("wid", rows, codes, every_work)
        .with_columns(n_countries=pl.col("countries").list.len().cast(pl.Int32))
        .with_columns(is_international=pl.col("n_countries") >= 2)
        .select("wid", "countries", "n_countries", "is_international", "unknown_codes")
        .collect()
    )
    return pl.concat([lists, per_work_counts], how="horizontal")


def work_countries(
    tables: Tables, *, institution: str | Sequence[str] | None = None, merge_hk_mo: bool = True
) -> pl.DataFrame:
    """Per-work country labels.

    Parameters
    ----------
    tables : Tables
    institution : str, optional
        The home institution; needed for ``country_missing``.
    merge_hk_mo : bool
        Count Hong Kong and Macao as China (default, as in the Leiden Ranking).

    Returns
    -------
    pl.DataFrame
        One row per work: ``work_id, countries, n_countries, is_international,
        unknown_codes, n_authorships_no_country, country_missing``.
        ``is_international`` holds when a work has at least two countries.
        ``country_missing`` holds when some authorship outside the home
        institution has no known country, so the work cannot be proven domestic.

    Examples
    --------
    >>> work_countries(Tables.empty()).columns[:4]
    ['work_id', 'countries', 'n_countries', 'is_international']
    """
    home = () if institution is None else home_institution_ids(tables, institution)
    keyed = KeyedTables.from_tables(tables, home)
    return keyed.with_work_ids(country_labels(keyed, merge_hk_mo=merge_hk_mo))


def unknown_country_codes(tables: Tables) -> pl.DataFrame:
    """The codes that are not ISO alpha-2, counted, for the data-quality notes.

    Returns
    -------
    pl.DataFrame
        ``code, n_authorships, n_works``, most frequent first; empty when every
        code is known.

    Examples
    --------
    >>> unknown_country_codes(Tables.empty()).columns
    ['code', 'n_authorships', 'n_works']
    """
    rows, codes = _codes(KeyedTables.from_tables(tables), merge_hk_mo=False)
    return (
        rows.lazy()
        .join(codes.lazy().filter(~pl.col("is_valid")), on="cid")
        .group_by("code")
        .agg(
            n_authorships=pl.col("aid").n_unique().cast(pl.Int64),
            n_works=pl.col("wid").n_unique().cast(pl.Int64),
        )
        .sort(["n_authorships", "code"], descending=[True, False])
        .collect()
    )
