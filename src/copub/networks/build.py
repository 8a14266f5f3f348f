"""Co-authorship networks of an institution's works: country, institution, author.

The graph is built from the ``work_nodes`` frame (:mod:`copub.networks.nodes`):
co-occurrence pairs come from a polars self-join of that frame on ``work_id``,
aggregated year by year, so no Python loop runs per work and the memory
needed is bounded by one year's pairs.

Counting
--------
- ``full``: an edge's ``weight`` is the number of works the two nodes share.
- ``fractional``: each work adds ``1 / (n − 1)`` to each of its edges, where
  ``n`` is the number of nodes (countries, institutions, authors) of the work.
  This is the fractional counting of co-authorship links of Perianes-Rodriguez,
  Waltman & van Eck (2016, *J. Informetrics* 10(4)), the one VOSviewer uses: a
  work gives each of its nodes a total link strength of exactly 1, whatever
  its team size, so consortium papers no longer dominate. Because ``n ≥ 2``
  for any work with an edge, fractional ≤ full on every edge. (The home
  institution's Leiden fractional weight is a property of the institution,
  not of a pair of partners; it is kept as the node attribute ``home_weight``
  and used by the partner table.)

Every edge carries both ``works`` (full count) and ``fractional``; ``weight``
is the one asked for. Normalised strengths (:mod:`copub.networks.normalize`)
are added as an edge attribute named after the method.

Cap
---
``max_nodes_per_work`` skips works with more than N nodes entirely (no node
occurrence and no edge from them), so the normalisations stay consistent.
It is off for country networks and 50 for institution and author networks;
``graph.graph["skipped_works"]`` says how many works it removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import polars as pl

from copub.classify.definitions import Definitions
from copub.classify.groups import PartnerGroups
from copub.errors import UsageError
from copub.indicators.labels import LabelledWorks, home_weights
from copub.indicators.universe import TypesChoice
from copub.networks.attributes import node_table
from copub.networks.frames import NetworkFrames
from copub.networks.memberships import node_groups
from copub.networks.nodes import restrict_tables, universe_nodes
from copub.networks.normalize import similarity_expr
from copub.networks.options import NetworkOptions
from copub.normalize import Tables
from copub.progress import Progress

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "MAX_LINKS",
    "NetworkData",
    "Selection",
    "build_from_options",
    "build_network",
    "build_network_frames",
    "build_networks_by_period",
    "data_frames",
    "edge_counts_by_year",
    "links_bound",
    "network_data",
    "period_ranges",
    "select_works",
    "top_nodes",
]


@dataclass(frozen=True)
class NetworkData:
    """Everything a graph is made of, computed once for all periods.

    Attributes
    ----------
    options : NetworkOptions
    work_nodes : pl.DataFrame
        ``work_id, year, node, n_nodes, home_weight`` for the universe.
    nodes : pl.DataFrame
        Node attributes: ``node, label, country, type, ror, lineage, is_home, groups``.
    universe : pl.DataFrame
        ``work_id, year, home_weight`` of every work in the universe (also
        those without any node of the kind).
    synthetic : bool
        True when the tables are the synthetic sample.
    """

    options: NetworkOptions
    work_nodes: pl.DataFrame
    nodes: pl.DataFrame
    universe: pl.DataFrame
    synthetic: bool


@dataclass(frozen=True)
class Selection:
    """The works a network counts, before any node attribute is looked up.

    Attributes
    ----------
    tables : Tables
        The tables cut down to the universe.
    universe : pl.DataFrame
        ``work_id, year, home_weight`` of every work in the universe.
    work_nodes : pl.DataFrame
        ``work_id, year, node, n_nodes, home_weight`` (no cap applied).
    """

    tables: Tables
    universe: pl.DataFrame
    work_nodes: pl.DataFrame


def _universe(
    tables: Tables | LabelledWorks, options: NetworkOptions
) -> tuple[Tables, pl.DataFrame]:
    """The tables and ``work_id, year, home_weight``: from the labelled works when they match."""
    d = options.definitions
    if isinstance(tables, LabelledWorks):
        served = tables.serving(d)
        if served is not None:
            return served.tables, served.works.select("work_id", "year", home_weight="weight")
        tables = tables.tables
    # label_works' universe and home weights, without the labels a network does not read.
    return tables, home_weights(tables, d).select("work_id", "year", home_weight="weight")


def select_works(tables: Tables | LabelledWorks, options: NetworkOptions) -> Selection:
    """The universe and its (work, node) rows, shared by graphs, partners and provenance.

    The universe and the home weights are those of :func:`copub.label_works`
    under ``options.definitions``, so they are the yearly figures' own.
    """
    d = options.definitions
    raw_tables, universe = _universe(tables, options)
    sub = restrict_tables(raw_tables, universe)
    rows = universe_nodes(sub, options.kind, d.institutions, universe, merge_hk_mo=d.merge)
    rows = rows.join(universe.select("work_id", "home_weight"), on="work_id", how="left")
    return Selection(tables=sub, universe=universe, work_nodes=rows)


def network_data(
    tables: Tables | LabelledWorks,
    options: NetworkOptions,
    *,
    groups: PartnerGroups | None = None,
    check_size: bool = False,
) -> NetworkData:
    """Prepare the frames a graph (or a partner table) is built from.

    ``groups`` defaults to the definitions' partner groups. ``check_size``
    refuses a network that could have more than :data:`MAX_LINKS` links
    before the node attributes are looked up (the slow part for authors).
    """
    selection = select_works(tables, options)
    rows = selection.work_nodes
    if check_size:
        cap = options.max_nodes_per_work
        _check_size(rows if cap is None else rows.filter(pl.col("n_nodes") <= cap), options)
    nodes = node_table(
        selection.tables,
        options.kind,
        rows,
        institution=options.institution,
        merge_hk_mo=options.definitions.merge,
    )
    chosen = groups if groups is not None else options.definitions.partner_groups
    memberships = node_groups(nodes, chosen, merge_hk_mo=options.definitions.merge)
    nodes = nodes.join(memberships, on="node", how="left", maintain_order="left")
    return NetworkData(
        options=options,
        work_nodes=rows,
        nodes=nodes,
        universe=selection.universe,
        synthetic=selection.tables.provenance.synthetic,
    )


_PAIR = 1 << 32  # a pair of node codes as one UInt64 key: a * _PAIR + b


def _pair_counts(kept: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series] | None:
    """``pair, year, k, n`` (works of each pair by year and team size ``k + 1``) and the names.

    Nodes and works are joined as integer codes (a node's code is its rank in
    sorted order, so ``a < b`` holds for codes and ids alike) and a pair is
    one integer key (``a * 2**32 + b``); the self-join runs one year at a
    time, so its memory is bounded by one year's pairs. None without pairs.
    """
    rows = kept.filter(pl.col("n_nodes") >= 2)
    if rows.is_empty():
        return None
    names = rows.select("node").unique().sort("node")["node"]
    codes = pl.DataFrame({"node": names}).with_row_index("code")
    works = rows.select("work_id").unique().with_row_index("w")
    coded = (
        rows.lazy()
        .join(codes.lazy(), on="node")
        .join(works.lazy(), on="work_id")
        .select("w", "year", "code", k=(pl.col("n_nodes") - 1).cast(pl.UInt32))
        .collect()
    )
    by_year = coded.partition_by("year", as_dict=True)
    parts = []
    for key in sorted(by_year):
        year_rows = by_year[key].lazy()
        parts.append(
            year_rows.select("w", "k", a="code")
            .join(year_rows.select("w", b="code"), on="w")
            .filter(pl.col("a") < pl.col("b"))
            .group_by(pair=pl.col("a").cast(pl.UInt64) * _PAIR + pl.col("b"), k="k")
            .agg(n=pl.len())
            .with_columns(year=pl.lit(key[0]))
            .collect()
        )
    return pl.concat(parts), names


_EDGE_SCHEMA = {"a": pl.String, "b": pl.String, "works": pl.UInt32, "fractional": pl.Float64}


def _edge_counts(kept: pl.DataFrame) -> pl.DataFrame:
    """``a, b, works, fractional`` with ``a < b``, sorted, aggregated one year at a time.

    ``fractional`` adds ``count / (n − 1)`` over the years and team sizes in
    a fixed order, so it is the same to the last bit on every run (a sum of
    per-work shares depended on the order of polars' parallel join).
    """
    counted = _pair_counts(kept)
    if counted is None:
        return pl.DataFrame(schema=_EDGE_SCHEMA)
    pairs, names = counted
    counts = (
        pairs.sort("pair", "year", "k", maintain_order=True)
        .group_by("pair", maintain_order=True)
        .agg(works=pl.col("n").sum(), fractional=(pl.col("n") / pl.col("k")).sum())
    )
    return _named_pairs(counts, names).cast(_EDGE_SCHEMA)  # type: ignore[arg-type]


def _named_pairs(counts: pl.DataFrame, names: pl.Series) -> pl.DataFrame:
    """``pair`` back to the node ids ``a, b``, the other columns kept."""
    return counts.select(
        names.gather(counts["pair"] // _PAIR).alias("a"),
        names.gather(counts["pair"] % _PAIR).alias("b"),
        *[c for c in counts.columns if c != "pair"],
    )


def edge_counts_by_year(kept: pl.DataFrame) -> pl.DataFrame:
    """``source, target, year, works, fractional``: each link's weights year by year.

    ``kept`` is a ``work_nodes`` frame after the cap; the sums over the years
    are the network's edge ``works`` and ``fractional``.

    Examples
    --------
    >>> rows = pl.DataFrame({"work_id": ["W1", "W1", "W2", "W2", "W2"],
    ...                      "year": [2020, 2020, 2021, 2021, 2021],
    ...                      "node": ["NO", "SE", "NO", "SE", "US"], "n_nodes": [2, 2, 3, 3, 3]})
    >>> edge_counts_by_year(rows).filter(pl.col("target") == "SE").rows()
    [('NO', 'SE', 2020, 1, 1.0), ('NO', 'SE', 2021, 1, 0.5)]
    """
    schema = {
        "source": pl.String,
        "target": pl.String,
        "year": pl.Int64,
        "works": pl.UInt32,
        "fractional": pl.Float64,
    }
    counted = _pair_counts(kept)
    if counted is None:
        return pl.DataFrame(schema=schema)
    pairs, names = counted
    counts = (
        pairs.sort("pair", "year", "k", maintain_order=True)
        .group_by("pair", "year", maintain_order=True)
        .agg(works=pl.col("n").sum(), fractional=(pl.col("n") / pl.col("k")).sum())
    )
    named = _named_pairs(counts, names).rename({"a": "source", "b": "target"})
    return named.cast(schema).sort("source", "target", "year")  # type: ignore[arg-type]


#: The most links a network may have (an upper bound: the sum over works of
#: n(n-1)/2) before it is built only when forced. The sample's author
#: network without a cap may have 62 million, which took more than 12 GB of
#: memory; with the default cap of 50 it has at most 2.3 million.
MAX_LINKS = 20_000_000


def links_bound(kept: pl.DataFrame) -> tuple[int, int]:
    """An upper bound of the links of ``kept`` (``Σ n(n−1)/2``) and the largest work's nodes.

    Examples
    --------
    >>> rows = pl.DataFrame({"work_id": ["W1"] * 3 + ["W2"] * 2, "node": list("abcab")})
    >>> links_bound(rows)
    (4, 3)
    """
    if kept.is_empty():
        return 0, 0
    k = kept.group_by("work_id").agg(k=pl.len())["k"].cast(pl.Int64)
    return int((k * (k - 1) // 2).sum()), int(k.max())  # type: ignore[arg-type]


def _check_size(kept: pl.DataFrame, options: NetworkOptions) -> None:
    bound, largest = links_bound(kept)
    if bound > MAX_LINKS:
        cap = options.max_nodes_per_work
        raise UsageError(
            f"the {options.kind} network could have up to {bound:,} links (works with up to "
            f"{largest:,} {options.kind} nodes{'' if cap is None else f', cap {cap}'}), more "
            f"than the {MAX_LINKS:,} copub builds unless forced (they need many GB of memory "
            "and disk): set --max-nodes-per-work N (default 50) or add --force"
        )


def _frames(
    data: NetworkData,
    years: tuple[int, int] | None,
    label: str,
    progress: Progress | None = None,
    *,
    force: bool = False,
) -> NetworkFrames:
    progress = progress or Progress.silent()
    options = data.options
    rows = data.work_nodes
    universe = data.universe
    if years is not None:
        rows = rows.filter(pl.col("year").is_between(*years))
        universe = universe.filter(pl.col("year").is_between(*years))
    cap = options.max_nodes_per_work
    kept = rows if cap is None else rows.filter(pl.col("n_nodes") <= cap)
    if not force:
        _check_size(kept, options)
    skipped = rows.filter(pl.col("n_nodes") > cap)["work_id"].n_unique() if cap else 0
    node_stats = kept.group_by("node").agg(
        works=pl.len().cast(pl.Int64),
        home_weight=pl.col("home_weight").sum(),
        mean_year=pl.col("year").mean(),
        first_year=pl.col("year").min(),
        last_year=pl.col("year").max(),
    )
    nodes = node_stats.join(data.nodes, on="node", how="left").sort("node")
    progress.note(f"counting the links of {nodes.height:,} {options.kind} nodes, year by year")
    edges = _edge_counts(kept)
    if options.normalization is not None:
        works = node_stats.select("node", "works")
        edges = (
            edges.join(works.rename({"node": "a", "works": "ci"}), on="a")
            .join(works.rename({"node": "b", "works": "cj"}), on="b")
            .with_columns(
                similarity_expr(
                    options.normalization, pl.col("works"), pl.col("ci"), pl.col("cj")
                ).alias(options.normalization)
            )
            .drop("ci", "cj")
        )
    weight = pl.col("works") if options.counting == "full" else pl.col("fractional")
    edges = edges.with_columns(weight=weight).sort("a", "b").rename({"a": "source", "b": "target"})
    attributes = options.graph_attributes()
    if years is not None:
        # A period's graph records its own years, so its works can be looked up again.
        attributes["years"] = f"{years[0]}-{years[1]}"
    attributes.update(
        name=f"{options.kind} co-authorship network of {options.institution}, {label}",
        period=label,
        works_in_universe=universe.height,
        works_in_network=kept["work_id"].n_unique(),
        skipped_works=skipped,
        synthetic=data.synthetic,
    )
    return NetworkFrames(nodes, edges, attributes)


def data_frames(
    data: NetworkData,
    years: tuple[int, int] | None = None,
    *,
    progress: Progress | None = None,
    force: bool = False,
) -> NetworkFrames:
    """The network of prepared :func:`network_data`, for all its years or for ``years``.

    What :func:`build_network_frames` returns, for callers that need the
    prepared data too (the partner page reads its ``work_nodes``).
    """
    label = _period_label(years if years is not None else data.options.years)
    return _frames(data, years, label, progress, force=force)


def _graph(
    data: NetworkData, years: tuple[int, int] | None, label: str, *, force: bool = False
) -> nx.Graph:
    return _frames(data, years, label, force=force).to_graph()


def _definitions_of(
    tables: Tables | LabelledWorks, definitions: Definitions | None
) -> Definitions | None:
    if definitions is not None:
        return definitions
    return tables.definitions if isinstance(tables, LabelledWorks) else None


def _period_label(years: tuple[int, int] | None) -> str:
    if years is None:
        return "all years"
    return str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"


def build_network(
    tables: Tables | LabelledWorks,
    kind: Literal["country", "institution", "author"] = "country",
    definitions: Definitions | None = None,
    *,
    institution: str | None = None,
    years: tuple[int, int] | None = None,
    types: TypesChoice | None = None,
    counting: Literal["full", "fractional"] = "full",
    normalization: Literal["association", "cosine", "jaccard", "inclusion", "equivalence"]
    | None = None,
    max_nodes_per_work: int | Literal["auto"] | None = "auto",
    groups: PartnerGroups | None = None,
    force: bool = False,
) -> nx.Graph:
    """The co-authorship network of the institution's works.

    Parameters
    ----------
    tables : Tables or LabelledWorks
    kind : {"country", "institution", "author"}
        Nodes are ISO alpha-2 codes, short OpenAlex institution ids (the home
        institution's child units merged into it) or short author ids.
    definitions : Definitions, optional
        What is counted: the home, years, universe, Hong Kong/Macao switch
        and partner groups, exactly as in the yearly figures (default: the
        labelled works' definitions, else NTNU under Leiden).
    institution, years, types
        The old keyword arguments; they override ``definitions``' fields
        (``types`` as in :func:`copub.yearly_indicators`).
    counting : {"full", "fractional"}
        What the edge ``weight`` holds (see the module notes): shared works,
        or the sum of ``1/(n−1)`` over them.
    normalization : {"association", "cosine", "jaccard", "inclusion", "equivalence"}, optional
        Adds that similarity index (bibliometrix's formulas, from full counts)
        as an edge attribute of the same name.
    max_nodes_per_work : int, None or "auto"
        Skip works with more than this many nodes; ``"auto"`` is off for
        countries and 50 for institutions and authors.
    groups : PartnerGroups, optional
        Partner groups for the node attribute ``groups``; the definitions'
        groups when omitted.
    force : bool
        Build it even when it could have more than :data:`MAX_LINKS` links
        (``Σ n(n−1)/2`` over its works); otherwise that is a UsageError.

    Returns
    -------
    networkx.Graph
        Undirected. Node attributes: ``label, country, type, ror, lineage,
        is_home, groups, works, home_weight, mean_year, first_year,
        last_year``. Edge attributes: ``weight, works, fractional`` and the
        normalisation. Graph attributes record the options (see
        :class:`~copub.networks.options.NetworkOptions`), ``works_in_universe``,
        ``works_in_network``, ``skipped_works`` and ``synthetic``.

    Raises
    ------
    UsageError
        For an unknown kind, counting or normalisation, a bad year range or
        cap, or an institution that does not occur in the tables.

    Examples
    --------
    >>> import copub
    >>> graph = copub.build_network(copub.load_sample(scale=0.01), "country")
    >>> graph.nodes["NO"]["is_home"], graph.graph["counting"]
    (True, 'full')
    """
    return build_network_frames(
        tables,
        kind,
        definitions,
        institution=institution,
        years=years,
        types=types,
        counting=counting,
        normalization=normalization,
        max_nodes_per_work=max_nodes_per_work,
        groups=groups,
        force=force,
    ).to_graph()


def build_network_frames(
    tables: Tables | LabelledWorks,
    kind: Literal["country", "institution", "author"] = "country",
    definitions: Definitions | None = None,
    *,
    institution: str | None = None,
    years: tuple[int, int] | None = None,
    types: TypesChoice | None = None,
    counting: Literal["full", "fractional"] = "full",
    normalization: Literal["association", "cosine", "jaccard", "inclusion", "equivalence"]
    | None = None,
    max_nodes_per_work: int | Literal["auto"] | None = "auto",
    groups: PartnerGroups | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> NetworkFrames:
    """:func:`build_network` as polars frames, without building the networkx graph.

    Takes the same arguments (and ``progress``, for notes on stderr while
    the node attributes and links are computed). The frames hold exactly
    the graph's nodes, edges and attributes (``.to_graph()`` is
    :func:`build_network`'s graph); :func:`copub.networks.export_networks`
    writes them without a graph, which for an author network of millions of
    links saves most of the time and memory.

    Examples
    --------
    >>> import copub
    >>> from copub.networks import build_network_frames
    >>> net = build_network_frames(copub.load_sample(scale=0.01), "country")
    >>> net.edges.columns[:2], net.attributes["kind"]
    (['source', 'target'], 'country')
    """
    progress = progress or Progress.silent()
    options = NetworkOptions.create(
        kind,
        definitions=_definitions_of(tables, definitions),
        institution=institution,
        years=years,
        types=types,
        counting=counting,
        normalization=normalization,
        max_nodes_per_work=max_nodes_per_work,
    )
    return build_from_options(tables, options, groups=groups, progress=progress, force=force)[1]


def build_from_options(
    tables: Tables | LabelledWorks,
    options: NetworkOptions,
    *,
    groups: PartnerGroups | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> tuple[NetworkData, NetworkFrames]:
    """The prepared data and the network of checked options (see :func:`build_network_frames`).

    The size is checked (``force`` skips it) before the node attributes are looked up.
    """
    progress = progress or Progress.silent()
    progress.note(f"selecting the works and the {options.kind} nodes' attributes")
    data = network_data(tables, options, groups=groups, check_size=not force)
    return data, data_frames(data, progress=progress, force=force)


def period_ranges(
    first: int, last: int, *, window: int = 1, step: int = 1
) -> list[tuple[int, int]]:
    """Single years (``window=1``) or complete rolling windows between two years.

    Examples
    --------
    >>> period_ranges(2018, 2021, window=1)
    [(2018, 2018), (2019, 2019), (2020, 2020), (2021, 2021)]
    >>> period_ranges(2016, 2021, window=4)
    [(2016, 2019), (2017, 2020), (2018, 2021)]
    """
    if window < 1 or step < 1:
        raise UsageError(f"window and step must be at least 1, not {window} and {step}")
    return [(end - window + 1, end) for end in range(first + window - 1, last + 1, step)]


def build_networks_by_period(
    tables: Tables | LabelledWorks,
    kind: Literal["country", "institution", "author"] = "country",
    definitions: Definitions | None = None,
    *,
    window: int = 1,
    step: int = 1,
    institution: str | None = None,
    years: tuple[int, int] | None = None,
    types: TypesChoice | None = None,
    counting: Literal["full", "fractional"] = "full",
    normalization: Literal["association", "cosine", "jaccard", "inclusion", "equivalence"]
    | None = None,
    max_nodes_per_work: int | Literal["auto"] | None = "auto",
    groups: PartnerGroups | None = None,
    force: bool = False,
) -> dict[str, nx.Graph]:
    """One network per year (``window=1``) or per rolling window of ``window`` years.

    The universe, node attributes and group memberships are computed once;
    each period's pairs are then built from that period's works only, so an
    institution network over many years is built one period at a time.
    Windows are complete: a 4-year window needs four years inside ``years``
    (or the years present in the data).

    Returns
    -------
    dict
        Period label (``"2020"`` or ``"2017-2020"``) to graph, in time order;
        each graph is what :func:`build_network` gives for that period.

    Examples
    --------
    >>> import copub
    >>> from copub.networks import build_networks_by_period
    >>> tables = copub.load_sample(scale=0.01)
    >>> graphs = build_networks_by_period(tables, window=4, years=(2016, 2021))
    >>> list(graphs)
    ['2016-2019', '2017-2020', '2018-2021']
    """
    options = NetworkOptions.create(
        kind,
        definitions=_definitions_of(tables, definitions),
        institution=institution,
        years=years,
        types=types,
        counting=counting,
        normalization=normalization,
        max_nodes_per_work=max_nodes_per_work,
    )
    data = network_data(tables, options, groups=groups)
    if options.years is not None:
        first, last = options.years
    elif data.universe.height:
        first, last = int(data.universe["year"].min()), int(data.universe["year"].max())  # type: ignore[arg-type]
    else:
        return {}
    ranges: Iterable[tuple[int, int]] = period_ranges(first, last, window=window, step=step)
    return {_period_label(r): _graph(data, r, _period_label(r), force=force) for r in ranges}


def top_nodes(graph: nx.Graph, top: int, *, keep_home: bool = True) -> nx.Graph:
    """The subgraph of the ``top`` nodes with most works (ties: by id), plus the home node(s).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("NO", {"works": 9, "is_home": True}), ("SE", {"works": 3}),
    ...                   ("US", {"works": 5})])
    >>> sorted(top_nodes(g, 1))
    ['NO', 'US']
    """
    if top < 1:
        raise UsageError(f"top must be at least 1, not {top}")
    partners = [(n, d) for n, d in graph.nodes(data=True) if not (keep_home and d.get("is_home"))]
    ranked = sorted(partners, key=lambda nd: (-(nd[1].get("works") or 0), nd[0]))
    keep = {n for n, _ in ranked[:top]}
    if keep_home:
        keep |= {n for n, d in graph.nodes(data=True) if d.get("is_home")}
    sub: nx.Graph = graph.subgraph(sorted(keep)).copy()
    return sub
