"""A dynamic GEXF: the network year by year, for Gephi's timeline.

``<graph mode="dynamic" timeformat="integer">`` (GEXF 1.2): every node and
link has spells, the runs of consecutive years in which it has works, and
per-year values of its dynamic attributes (``works`` for nodes; ``works``,
``fractional`` and Gephi's ``weight`` for links, each with ``start`` and
``end`` equal to the year). Spells and values are inclusive years. The nodes
and links are those of the partner page and VOSviewer Online map
(:func:`~copub.networks.html_page.shown_network`), every link among them
included unless ``max_links`` says otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

from copub.networks.build import edge_counts_by_year
from copub.networks.categories import CATEGORIES, node_category
from copub.networks.html_page import DEFAULT_MAX_AUTHORS, shown_network
from copub.networks.prepared import PreparedNetwork

__all__ = ["runs", "write_dynamic_gexf"]


def runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive years as inclusive ``(start, end)`` spells.

    Examples
    --------
    >>> runs([2012, 2013, 2015, 2016, 2017, 2020])
    [(2012, 2013), (2015, 2017), (2020, 2020)]
    """
    spells: list[tuple[int, int]] = []
    for year in sorted(set(years)):
        if spells and year == spells[-1][1] + 1:
            spells[-1] = (spells[-1][0], year)
        else:
            spells.append((year, year))
    return spells


def _attr(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def _spells(years: list[int]) -> str:
    return (
        "<spells>"
        + "".join(f'<spell start="{a}" end="{b}"/>' for a, b in runs(years))
        + "</spells>"
    )


def write_dynamic_gexf(
    prepared: PreparedNetwork,
    path: str | Path,
    *,
    max_authors: int = DEFAULT_MAX_AUTHORS,
    max_links: int | None = None,
    top: int | None = None,
) -> Path:
    """Write the network as a dynamic GEXF at ``path``; return the path.

    Examples
    --------
    >>> import copub, tempfile, networkx as nx
    >>> from copub.networks.prepared import prepare_network
    >>> net = prepare_network(copub.load_sample(scale=0.01), "country")
    >>> path = write_dynamic_gexf(net, tempfile.mkdtemp() + "/dynamic.gexf")
    >>> graph = nx.read_gexf(path)
    >>> graph.graph["mode"], graph.nodes["NO"]["spells"][0][0]
    ('dynamic', 2012)
    """
    links = max_links if max_links is not None else max(prepared.network.edges.height, 1)
    network, note = shown_network(
        prepared, max_authors=max_authors, max_links=links, top=top, laid_out=False
    )
    nodes, edges = network.nodes, network.edges
    ids = nodes["node"].implode()
    rows = prepared.kept_rows().filter(pl.col("node").is_in(ids))
    node_years = rows.group_by("node", "year").agg(works=pl.len()).sort("node", "year")
    per_node: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for node, year, works in node_years.iter_rows():
        per_node[node].append((year, works))
    link_years = edge_counts_by_year(rows).join(
        edges.select("source", "target"), on=["source", "target"], how="semi"
    )
    weight = "works" if prepared.options.counting == "full" else "fractional"
    labels = {key: label for key, label, _ in CATEGORIES}
    synthetic = prepared.data.synthetic
    description = (
        ("SYNTHETIC sample data (not real publications). " if synthetic else "")
        + f"{prepared.options.kind} co-authorship network of {prepared.home_name()} year by "
        f"year; link weight: {prepared.options.counting} counting. {note}"
    )
    target = Path(path)
    with target.open("w", encoding="utf-8") as out:
        out.write(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
            f"<meta><creator>copub</creator><description>{escape(description)}</description>"
            "</meta>\n"
            '<graph defaultedgetype="undirected" mode="dynamic" timeformat="integer">\n'
            '<attributes class="node" mode="static">'
            '<attribute id="group" title="group" type="string"/>'
            '<attribute id="is_home" title="is_home" type="boolean"/>'
            '<attribute id="country" title="country" type="string"/></attributes>\n'
            '<attributes class="node" mode="dynamic">'
            '<attribute id="works" title="works" type="integer"/></attributes>\n'
            '<attributes class="edge" mode="dynamic">'
            '<attribute id="works" title="works" type="integer"/>'
            '<attribute id="fractional" title="fractional" type="double"/>'
            '<attribute id="weight" title="Weight" type="double"/></attributes>\n'
            "<nodes>\n"
        )
        for row in nodes.select("node", "label", "is_home", "groups", "country").to_dicts():
            years = per_node.get(row["node"], [])
            values = "".join(
                f'<attvalue for="works" value="{n}" start="{y}" end="{y}"/>' for y, n in years
            )
            out.write(
                f'<node id="{_attr(row["node"])}" label="{_attr(row["label"] or row["node"])}">'
                f'<attvalues><attvalue for="group" value="{_attr(labels[node_category(row)])}"/>'
                f'<attvalue for="is_home" value="{str(bool(row["is_home"])).lower()}"/>'
                f'<attvalue for="country" value="{_attr(row["country"] or "")}"/>'
                f"{values}</attvalues>{_spells([y for y, _ in years])}</node>\n"
            )
        out.write("</nodes>\n<edges>\n")
        for number, ((source, target_node), group) in enumerate(
            link_years.group_by(["source", "target"], maintain_order=True)
        ):
            link_spells: list[int] = group["year"].to_list()
            values = "".join(
                f'<attvalue for="works" value="{w}" start="{y}" end="{y}"/>'
                f'<attvalue for="fractional" value="{f!r}" start="{y}" end="{y}"/>'
                f'<attvalue for="weight" value="{float(w if weight == "works" else f)!r}" '
                f'start="{y}" end="{y}"/>'
                for y, w, f in group.select("year", "works", "fractional").iter_rows()
            )
            total = float(group[weight].sum())
            out.write(
                f'<edge id="{number}" source="{_attr(source)}" target="{_attr(target_node)}" '
                f'weight="{total!r}"><attvalues>{values}</attvalues>{_spells(link_spells)}</edge>\n'
            )
        out.write("</edges>\n</graph>\n</gexf>\n")
    return target
