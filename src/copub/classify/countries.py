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

from copub.classify.home import home_authorships
from copub.normalize import Tables

__all__ = [
    "authorship_countries",
    "country_code_expr",
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


def _codes(tables: Tables) -> pl.LazyFrame:
    """One row per (authorship, reported code), from both places OpenAlex reports it."""
    reported = (
        tables.authorships.lazy()
        .select("work_id", "position", code=pl.col("countries"))
        .explode("code")
    )
    institutional = (
        tables.affiliations.lazy()
        .join(
            tables.institutions.lazy().select("institution_id", code="country_code"),
            on="institution_id",
        )
        .select("work_id", "position", "code")
    )
    return (
        pl.concat([reported, institutional])
        .with_columns(pl.col("code").str.strip_chars().str.to_uppercase())
        .filter(pl.col("code").is_not_null() & (pl.col("code") != ""))
    )


def _labelled_codes(tables: Tables, merge_hk_mo: bool) -> pl.LazyFrame:
    """``work_id, position, code, is_valid`` for every reported code."""
    valid = sorted(valid_country_codes())
    return (
        _codes(tables)
        .with_columns(is_valid=pl.col("code").is_in(valid))
        .with_columns(code=country_code_expr(pl.col("code"), merge_hk_mo=merge_hk_mo))
    )


def _as_lists(keys: list[str], codes: pl.LazyFrame) -> pl.LazyFrame:
    """Group ``codes`` by ``keys`` into sorted ``countries`` (known) and ``unknown_codes`` lists.

    Distinct rows first, then small per-group lists sorted in one vectorised
    pass: several times faster than sorting or deduplicating inside groups.
    """
    return (
        codes.select(*keys, "code", "is_valid")
        .unique()
        .group_by(keys)
        .agg(
            countries=pl.col("code").filter(pl.col("is_valid")),
            unknown_codes=pl.col("code").filter(~pl.col("is_valid")),
        )
        .with_columns(pl.col("countries").list.sort(), pl.col("unknown_codes").list.sort())
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
    grouped = _as_lists(["work_id", "position"], _labelled_codes(tables, merge_hk_mo))
    return (
        tables.authorships.lazy()
        .select("work_id", "position")
        .join(grouped, on=["work_id", "position"], how="left")
        .with_columns(_empty_lists())
        .sort("work_id", "position")
        .collect()
    )


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
    codes = _labelled_codes(tables, merge_hk_mo)
    per_work_codes = _as_lists(["work_id"], codes)
    known = (
        codes.filter(pl.col("is_valid"))
        .select("work_id", "position")
        .unique()
        .with_columns(has_country=pl.lit(True))
    )
    authorships = tables.authorships.lazy().select("work_id", "position")
    if institution is not None:
        authorships = authorships.join(
            home_authorships(tables, institution).lazy(), on=["work_id", "position"], how="left"
        )
    else:
        authorships = authorships.with_columns(is_home=pl.lit(False))
    no_country = ~pl.col("has_country")
    per_work_counts = (
        authorships.join(known, on=["work_id", "position"], how="left")
        .with_columns(pl.col("has_country").fill_null(False))
        .group_by("work_id")
        .agg(
            n_authorships_no_country=no_country.sum().cast(pl.Int32),
            country_missing=(no_country & ~pl.col("is_home")).any(),
        )
    )
    return (
        tables.works.lazy()
        .select("work_id")
        .join(per_work_codes, on="work_id", how="left")
        .join(per_work_counts, on="work_id", how="left")
        .with_columns(
            *_empty_lists(),
            pl.col("n_authorships_no_country").fill_null(0),
            pl.col("country_missing").fill_null(False),
        )
        .with_columns(n_countries=pl.col("countries").list.len().cast(pl.Int32))
        .with_columns(is_international=pl.col("n_countries") >= 2)
        .select(
            "work_id",
            "countries",
            "n_countries",
            "is_international",
            "unknown_codes",
            "n_authorships_no_country",
            "country_missing",
        )
        .sort("work_id")
        .collect()
    )


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
    valid = sorted(valid_country_codes())
    return (
        _codes(tables)
        .filter(~pl.col("code").is_in(valid))
        .group_by("code")
        .agg(
            n_authorships=pl.struct("work_id", "position").n_unique().cast(pl.Int64),
            n_works=pl.col("work_id").n_unique().cast(pl.Int64),
        )
        .sort(["n_authorships", "code"], descending=[True, False])
        .collect()
    )
