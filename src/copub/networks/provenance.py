"""The works behind a partner or an edge: what a reviewer checks before trusting a number.

:func:`works_between` selects works with the same code path that counts them
(:func:`copub.networks.nodes.work_nodes`, the universe, the cap), so the rows
it returns are exactly the works behind a partner-table row or a graph edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import polars as pl

from copub.classify.definitions import Definitions
from copub.errors import UsageError
from copub.indicators.labels import LabelledWorks
from copub.indicators.universe import TypesChoice
from copub.networks.build import select_works
from copub.networks.options import NetworkOptions
from copub.normalize import Tables

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["works_between"]

_OPENALEX_PREFIX = "https://openalex.org/"


def _node_id(value: str) -> str:
    """Country codes and OpenAlex keys are upper case; URLs become short ids."""
    return value.strip().removeprefix(_OPENALEX_PREFIX).upper()


def works_between(
    tables: Tables | LabelledWorks,
    a: str,
    b: str | None = None,
    definitions: Definitions | None = None,
    *,
    kind: Literal["country", "institution", "author"] = "country",
    institution: str | None = None,
    years: tuple[int, int] | None = None,
    types: TypesChoice | None = None,
    max_nodes_per_work: int | None = None,
    network: nx.Graph | None = None,
) -> pl.DataFrame:
    """The works behind a partner (``a`` only) or an edge (``a`` and ``b``).

    Parameters
    ----------
    tables : Tables or LabelledWorks
    a, b : str
        Node ids: ISO alpha-2 codes or short OpenAlex ids (URLs are accepted).
    definitions : Definitions, optional
        As for :func:`copub.build_network` and :func:`copub.partner_table`
        (default: the labelled works' definitions, else NTNU under Leiden).
    kind, institution, years, types
        As for :func:`copub.build_network` and :func:`copub.partner_table`.
    max_nodes_per_work : int, optional
        Leave out works with more nodes, as the network's cap does. The
        default (no cap) matches the partner table and country networks.
    network : networkx.Graph, optional
        A graph from :func:`copub.build_network` or
        :func:`~copub.networks.build_networks_by_period`: its own kind,
        institution, years, universe, Hong Kong/Macao switch and cap are
        used instead of the arguments above, so the rows are exactly the works
        counted in its edge.

    Returns
    -------
    pl.DataFrame
        ``work_id, year, type, doi, title, n_authors, n_nodes, home_weight,
        fractional``, sorted by year and id. The row count is the edge's full
        weight (``works``); ``fractional`` (``1/(n_nodes − 1)``, edges only)
        sums to its fractional weight, and ``home_weight`` (the home
        institution's Leiden weight) sums to a partner's fractional count.

    Raises
    ------
    UsageError
        When ``a`` or ``b`` is not a node of any work in the selection.

    Examples
    --------
    >>> import copub
    >>> tables = copub.load_sample(scale=0.01)
    >>> graph = copub.build_network(tables, "country")
    >>> works = copub.works_between(tables, "NO", "SE", network=graph)
    >>> works.height == graph.edges["NO", "SE"]["works"]
    True
    """
    if definitions is None and isinstance(tables, LabelledWorks):
        definitions = tables.definitions
    if network is not None:
        options = NetworkOptions.from_graph(network.graph, definitions)
    else:
        options = NetworkOptions.create(
            kind,
            definitions=definitions,
            institution=institution,
            years=years,
            types=types,
            max_nodes_per_work=max_nodes_per_work,
        )
    selection = select_works(tables, options)
    rows = selection.work_nodes
    if options.max_nodes_per_work is not None:
        rows = rows.filter(pl.col("n_nodes") <= options.max_nodes_per_work)
    wanted = [_node_id(a)] + ([] if b is None else [_node_id(b)])
    present = set(rows.filter(pl.col("node").is_in(wanted))["node"].unique())
    for node in wanted:
        if node not in present:
            raise UsageError(
                f"{node!r} is not a {options.kind} of any work in this selection "
                f"(institution {options.institution}, years {options.years or 'all'})"
            )
    if len(set(wanted)) == 1 and b is not None:
        raise UsageError(f"an edge needs two different nodes, got {a!r} twice")
    selected = (
        rows.filter(pl.col("node").is_in(wanted))
        .group_by("work_id")
        .agg(
            n_nodes=pl.col("n_nodes").first(),
            home_weight=pl.col("home_weight").first(),
            matched=pl.len(),
        )
        .filter(pl.col("matched") == len(wanted))
    )
    fractional = (
        1.0 / (pl.col("n_nodes") - 1).cast(pl.Float64)
        if b is not None
        else pl.lit(None, pl.Float64)
    )
    return (
        selected.join(selection.tables.works, on="work_id")
        .select(
            "work_id",
            "year",
            "type",
            "doi",
            "title",
            "n_authors",
            "n_nodes",
            "home_weight",
            fractional=fractional,
        )
        .sort("year", "work_id")
    )
