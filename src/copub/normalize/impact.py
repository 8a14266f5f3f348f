"""The works table's citation-impact columns, and the rule for a missing FWCI.

OpenAlex gives each work ``cited_by_count``, ``counts_by_year`` (citations per
calendar year), ``fwci`` (field-weighted citation impact: citations over the
citations expected for works of the same year, type and subfield),
``citation_normalized_percentile`` (``value`` in [0, 1] and the flags
``is_in_top_1_percent`` / ``is_in_top_10_percent``) and ``primary_topic``
(topic, subfield, field, domain). A field the record lacks (older pages, the
2024 schema) stays null: "unavailable", never 0.

**The missing-FWCI rule.** The OpenAlex snapshot writes a work with no FWCI
as ``fwci: 0``, so a 0 is only taken at its word where the data supports it.
A ``fwci`` of 0 is read as *missing* (null) when

1. the work has no ``citation_normalized_percentile``: OpenAlex normalised
   nothing for it (the API itself gives both as null together), or
2. the work has no ``primary_topic``: there is no subfield to normalise by, or
3. ``counts_by_year`` shows citations in the publication year or the three
   years after it (the window FWCI counts), which a true 0 cannot have.

Otherwise a 0 is a real zero (e.g. a work never cited, or cited only later).
The rule can only turn a 0 into null; it never invents a value.
"""

from __future__ import annotations

import polars as pl

__all__ = ["FWCI_WINDOW_YEARS", "fwci_expr", "impact_columns", "window_citations"]

#: FWCI counts citations in the publication year and this many years after it.
FWCI_WINDOW_YEARS = 3

_OPENALEX = "https://openalex.org/"


def window_citations(counts_by_year: pl.Expr, year: pl.Expr, years_after: int) -> pl.Expr:
    """Citations in calendar years ``year .. year + years_after``, from ``counts_by_year``.

    Null where ``counts_by_year`` is null (the field was absent); 0 where the
    list has no citations in the window.

    Examples
    --------
    >>> counts = pl.List(pl.Struct({"year": pl.Int32, "cited_by_count": pl.Int64}))
    >>> works = pl.DataFrame(
    ...     {"year": [2018, 2018, 2018],
    ...      "counts_by_year": [[{"year": 2019, "cited_by_count": 4},
    ...                          {"year": 2023, "cited_by_count": 9}], [], None]},
    ...     schema={"year": pl.Int32, "counts_by_year": counts},
    ... )
    >>> works.select(
    ...     c=window_citations(pl.col("counts_by_year"), pl.col("year"), 3)
    ... )["c"].to_list()
    [4, 0, None]
    """
    years = counts_by_year.list.eval(pl.element().struct.field("year"))
    cites = counts_by_year.list.eval(pl.element().struct.field("cited_by_count"))
    inside = (years - year).list.eval(pl.element().is_between(0, years_after).cast(pl.Int64))
    return (cites * inside).list.sum()


def fwci_expr() -> pl.Expr:
    """The work's FWCI under the missing-FWCI rule of this module (null = missing).

    Examples
    --------
    >>> raw = pl.DataFrame(
    ...     {
    ...         "fwci": [1.5, 0.0, 0.0, None],
    ...         "has_percentile": [True, True, False, True],
    ...     }
    ... )
    >>> pct = pl.when(pl.col("has_percentile")).then(pl.struct(value=pl.lit(0.5)))
    >>> raw = raw.with_columns(
    ...     citation_normalized_percentile=pct,
    ...     primary_topic=pl.struct(id=pl.lit("T1")),
    ...     counts_by_year=pl.lit([], pl.List(pl.Struct({"year": pl.Int32,
    ...                                                   "cited_by_count": pl.Int64}))),
    ...     publication_year=pl.lit(2020, pl.Int32),
    ... )
    >>> raw.select(fwci=fwci_expr())["fwci"].to_list()
    [1.5, 0.0, None, None]
    """
    fwci = pl.col("fwci")
    percentile = pl.col("citation_normalized_percentile").struct.field("value")
    topic = pl.col("primary_topic").struct.field("id")
    in_window = window_citations(
        pl.col("counts_by_year"), pl.col("publication_year"), FWCI_WINDOW_YEARS
    ).fill_null(0)
    zero_means_missing = percentile.is_null() | topic.is_null() | (in_window > 0)
    return pl.when((fwci == 0) & zero_means_missing).then(None).otherwise(fwci)


def _last_segment(expr: pl.Expr) -> pl.Expr:
    """``https://openalex.org/subfields/2308`` -> ``2308``; ``…/T13438`` -> ``T13438``."""
    return expr.str.strip_prefix(_OPENALEX).str.split("/").list.last()


def impact_columns() -> dict[str, pl.Expr]:
    """The works table's impact columns as expressions over raw works (by name)."""
    percentile = pl.col("citation_normalized_percentile")
    topic = pl.col("primary_topic")
    return {
        "cited_by_count": pl.col("cited_by_count"),
        "fwci": fwci_expr(),
        "citation_percentile": percentile.struct.field("value"),
        "is_top_1_percent": percentile.struct.field("is_in_top_1_percent"),
        "is_top_10_percent": percentile.struct.field("is_in_top_10_percent"),
        "counts_by_year": pl.col("counts_by_year"),
        "topic_id": _last_segment(topic.struct.field("id")),
        "topic_name": topic.struct.field("display_name"),
        "subfield_id": _last_segment(topic.struct.field("subfield").struct.field("id")),
        "subfield_name": topic.struct.field("subfield").struct.field("display_name"),
        "field_id": _last_segment(topic.struct.field("field").struct.field("id")),
        "field_name": topic.struct.field("field").struct.field("display_name"),
        "domain_id": _last_segment(topic.struct.field("domain").struct.field("id")),
        "domain_name": topic.struct.field("domain").struct.field("display_name"),
    }
