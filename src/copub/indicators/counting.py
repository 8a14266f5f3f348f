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
from copub.errors import UsageError
from copub.normalize import Tables

__all__ = ["fallback_authorships", "fractional_weights"]


def _by_institutions(tables: Tables, home_ids: list[str], only_fallback: bool) -> pl.LazyFrame:
    """``work_id, share``: each authorship's 1/n_authors over its distinct institutions."""
    affiliations = tables.affiliations.lazy()
    if only_fallback:
        fallback = tables.authorships.lazy().filter(pl.col("affiliation_strings").is_null())
        affiliations = affiliations.join(
            fallback.select("work_id", "position"), on=["work_id", "position"], how="semi"
        )
    slots = (
        affiliations.with_columns(is_home=pl.col("institution_id").is_in(home_ids))
        .group_by("work_id", "position")
        .agg(home_slots=pl.col("is_home").sum(), n_slots=pl.len())
        .filter(pl.col("home_slots") > 0)
    )
    return slots.join(tables.works.lazy().select("work_id", "n_authors"), on="work_id").select(
        "work_id",
        share=pl.col("home_slots").cast(pl.Float64)
        / pl.col("n_slots")
        / pl.col("n_authors").cast(pl.Float64),
    )


def _by_strings(tables: Tables, home_ids: list[str]) -> pl.LazyFrame:
    """``work_id, share``: Leiden's split over affiliation strings, then their institutions."""
    entries = (
        tables.authorships.lazy()
        .select("work_id", "position", s="affiliation_strings")
        .filter(pl.col("s").list.len() > 0)
        .explode("s")
        .select(
            "work_id",
            "position",
            string_id=pl.col("s").struct.field("string_id"),
            ids=pl.col("s").struct.field("institution_ids"),
        )
    )
    per_author = entries.group_by("work_id", "position").agg(
        n_strings=pl.col("string_id").n_unique()
    )
    string_institutions = (
        entries.select("work_id", "string_id", institution_id="ids")
        .explode("institution_id")
        .drop_nulls("institution_id")
        .unique()
        .group_by("work_id", "string_id")
        .agg(
            n_institutions=pl.len(),
            home_institutions=pl.col("institution_id").is_in(home_ids).sum(),
        )
        .filter(pl.col("home_institutions") > 0)
    )
    return (
        entries.select("work_id", "position", "string_id")
        .unique()
        .join(string_institutions, on=["work_id", "string_id"])
        .join(per_author, on=["work_id", "position"])
        .join(tables.works.lazy().select("work_id", "n_authors"), on="work_id")
        .select(
            "work_id",
            share=pl.col("home_institutions").cast(pl.Float64)
            / pl.col("n_institutions")
            / pl.col("n_strings")
            / pl.col("n_authors").cast(pl.Float64),
        )
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
    if rule not in ("affiliation_strings", "institutions"):
        raise UsageError(f"fractional rule must be affiliation_strings or institutions: {rule!r}")
    home_ids = home_institution_ids(tables, institution)
    if rule == "institutions":
        shares = _by_institutions(tables, home_ids, only_fallback=False)
    else:
        shares = pl.concat(
            [_by_strings(tables, home_ids), _by_institutions(tables, home_ids, only_fallback=True)]
        )
    return (
        shares.group_by("work_id")
        .agg(weight=pl.col("share").sum())
        .sort("work_id")
        .collect()
        .cast({"weight": pl.Float64})
    )


def fallback_authorships(tables: Tables) -> pl.DataFrame:
    """Per work, the authorships whose record has no ``affiliations`` field.

    Returns ``work_id, n_authorships_fallback`` (Int32) for every work.
    """
    return (
        tables.authorships.lazy()
        .group_by("work_id")
        .agg(n_authorships_fallback=pl.col("affiliation_strings").is_null().sum().cast(pl.Int32))
        .sort("work_id")
        .collect()
    )
