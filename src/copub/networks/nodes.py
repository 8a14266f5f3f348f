"""Which network nodes each work of the universe holds: countries, institutions or authors.

Everything the network layer counts starts from one frame, ``work_nodes``:
one row per (work, node) of the institution's universe. The country network,
the partner table and the provenance lookup all read it, so a number in one
of them can always be traced to the same works.

Node ids:

- ``country``: ISO 3166-1 alpha-2 codes, the union of the work's institution
  countries and authorship countries (:func:`copub.classify.countries.work_countries`;
  Hong Kong and Macao count as China when ``Definitions.merge_hk_mo`` says so,
  as in the yearly figures);
- ``institution``: short OpenAlex ids; the home institution's child units
  (by OpenAlex lineage) are merged into the home institution, so the home
  node stands for the whole institution, as the universe does;
- ``author``: short OpenAlex author ids; authorships without an author id
  are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import polars as pl

from copub.classify.countries import work_countries
from copub.classify.home import home_affiliations
from copub.errors import UsageError
from copub.indicators.universe import TypesChoice, institution_works
from copub.normalize import Tables

__all__ = ["NetworkKind", "check_kind", "restrict_tables", "universe_nodes", "work_nodes"]

NetworkKind = Literal["country", "institution", "author"]


def check_kind(kind: str) -> NetworkKind:
    """Return ``kind`` if it is a network kind, else raise :class:`UsageError`."""
    kinds: tuple[str, ...] = get_args(NetworkKind)
    if kind not in kinds:
        raise UsageError(f"network kind must be one of {', '.join(kinds)}, not {kind!r}")
    return kind  # type: ignore[return-value]


def restrict_tables(tables: Tables, work_ids: pl.DataFrame) -> Tables:
    """The tables cut down to the given works (a frame with ``work_id``).

    Classifying a few thousand works of a large table set should not pay for
    the rest, so every per-work step runs on the restricted tables.
    """
    # A filter on membership keeps the rows in order, as a semi-join does, at a tenth of
    # its time on the authorships (measured: the semi-join was 40% of a country network).
    keep = work_ids.get_column("work_id").implode()

    def cut(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("work_id").is_in(keep))

    return tables.with_(
        works=cut(tables.works),
        authorships=cut(tables.authorships),
        affiliations=cut(tables.affiliations),
        funding=cut(tables.funding),
    )


def work_nodes(
    tables: Tables,
    kind: NetworkKind,
    *,
    institution: str | Sequence[str],
    years: tuple[int, int] | None = None,
    types: TypesChoice = "core",
    universe: pl.DataFrame | None = None,
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """One row per (work, node) in the institution's universe.

    Parameters
    ----------
    tables : Tables
    kind : {"country", "institution", "author"}
    institution : str or sequence of str
        Short OpenAlex id(s) of the home institution; institution nodes of
        the home and its units become the first id.
    years : (int, int), optional
        Inclusive publication-year range; all years when omitted.
    types : "core", "all" or a list of types
        The universe's document types (see
        :func:`copub.indicators.universe.institution_works`).
    universe : pl.DataFrame, optional
        The universe (``work_id, year``) if the caller has it already;
        ``years`` and ``types`` are then ignored.
    merge_hk_mo : bool
        Count Hong Kong and Macao as China (country nodes).

    Returns
    -------
    pl.DataFrame
        ``work_id, year, node, n_nodes``: each (work, node) once, sorted;
        ``n_nodes`` is the number of distinct nodes of the work. Works without
        any node of the kind (e.g. no known country) have no row.

    Examples
    --------
    >>> import copub
    >>> from copub.networks.nodes import work_nodes
    >>> rows = work_nodes(copub.Tables.empty(), "country", institution="I1")
    >>> rows.columns
    ['work_id', 'year', 'node', 'n_nodes']
    """
    check_kind(kind)
    homes = [institution] if isinstance(institution, str) else list(institution)
    if universe is None:
        universe = institution_works(tables, homes[0], years=years, types=types)
    return universe_nodes(
        restrict_tables(tables, universe), kind, homes, universe, merge_hk_mo=merge_hk_mo
    )


def universe_nodes(
    sub: Tables,
    kind: NetworkKind,
    homes: Sequence[str],
    universe: pl.DataFrame,
    *,
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """:func:`work_nodes` of tables already cut down to ``universe`` (restricting twice costs)."""
    if kind == "country":
        pairs = (
            work_countries(sub, merge_hk_mo=merge_hk_mo)
            .lazy()
            .select("work_id", node=pl.col("countries"))
            .explode("node")
            .filter(pl.col("node").is_not_null())
        )
    elif kind == "institution":
        pairs = (
            home_affiliations(sub, homes)
            .lazy()
            .select(
                "work_id",
                node=pl.when(pl.col("is_home"))
                .then(pl.lit(homes[0]))
                .otherwise(pl.col("institution_id")),
            )
        )
    else:
        pairs = (
            sub.authorships.lazy()
            .filter(pl.col("author_id").is_not_null())
            .select("work_id", node=pl.col("author_id"))
        )
    return (
        pairs.unique()
        .join(universe.lazy().select("work_id", "year"), on="work_id")
        .with_columns(n_nodes=pl.len().over("work_id").cast(pl.Int32))
        .select("work_id", "year", "node", "n_nodes")
        .sort("work_id", "node")
        .collect()
    )
