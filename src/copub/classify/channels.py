"""Channel levels: each work's level in the Norwegian register for the work's year.

A work is matched on every ISSN its source has (the work's ``issns`` and
``issn_l``, plus the ``issns``/``issn_l`` of its source in the sources table),
normalised to ``NNNN-NNNX``. When a work's ISSNs disagree in a year (print and
online recorded as two channels, say), the highest level counts: the work was
published in a channel the register rates at that level. A work none of whose
ISSNs has a level in its year is "not in register" (``level`` null), which is
never the same as level 0.
"""

from __future__ import annotations

import polars as pl

from copub.classify.issn import normalize_issn, normalize_issn_expr
from copub.classify.register import LEVELS_SCHEMA, Register, load_register
from copub.normalize import Tables

__all__ = [
    "LEVELS_SCHEMA",
    "Register",
    "channel_levels",
    "level_labels",
    "load_register",
    "normalize_issn",
    "normalize_issn_expr",
]


def _work_issns(works: pl.LazyFrame, sources: pl.LazyFrame, by: str) -> pl.LazyFrame:
    """``by, year, issn`` for every normalised ISSN a work's source has."""
    sources = sources.select(
        "source_id",
        source_issns=pl.concat_list(
            pl.col("issn_l"), pl.col("issns").fill_null(pl.lit([], pl.List(pl.String)))
        ),
    )
    stated = (
        works.join(sources, on="source_id", how="left")
        .select(
            by,
            "year",
            issn=pl.concat_list(
                pl.col("issn_l"),
                pl.col("issns").fill_null(pl.lit([], pl.List(pl.String))),
                pl.col("source_issns").fill_null(pl.lit([], pl.List(pl.String))),
            ),
        )
        .explode("issn")
        .drop_nulls("issn")
        .unique()
    )
    # Normalise each distinct ISSN string once, not once per work.
    normalised = (
        stated.select("issn").unique().with_columns(valid=normalize_issn_expr(pl.col("issn")))
    )
    return (
        stated.join(normalised, on="issn")
        .filter(pl.col("valid").is_not_null())
        .select(by, "year", issn="valid")
        .unique()
    )


def level_labels(
    works: pl.LazyFrame, sources: pl.LazyFrame, register: Register, by: str
) -> pl.LazyFrame:
    """``by, level, in_register`` for every row of ``works`` (keyed by ``by``)."""
    matched = (
        _work_issns(works, sources, by)
        .join(register.levels.lazy(), on=["issn", "year"])
        .group_by(by)
        .agg(pl.col("level").max())
    )
    return (
        works.select(by)
        .join(matched, on=by, how="left")
        .select(by, pl.col("level").cast(pl.Int8), in_register=pl.col("level").is_not_null())
    )


def channel_levels(tables: Tables, register: Register) -> pl.DataFrame:
    """One row per work: its channel level in its year, and whether it is in the register.

    Parameters
    ----------
    tables : Tables
    register : Register
        From :func:`load_register`.

    Returns
    -------
    pl.DataFrame
        ``work_id, level (Int8; null when not in the register), in_register
        (Boolean)`` for every work in ``tables.works``.

    Examples
    --------
    >>> from copub import Tables
    >>> empty = Register(pl.DataFrame(schema=LEVELS_SCHEMA), "none", (0, 0), 0, 0)
    >>> channel_levels(Tables.empty(), empty).columns
    ['work_id', 'level', 'in_register']
    """
    return (
        level_labels(tables.works.lazy(), tables.sources.lazy(), register, "work_id")
        .sort("work_id")
        .collect()
    )
