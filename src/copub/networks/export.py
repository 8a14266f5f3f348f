"""Network files for VOSviewer, Gephi, Pajek and any GEXF/GraphML reader.

Every export also writes ``<stem>_about.txt``: where the data came from
(SYNTHETIC for the sample), the counting method and the options, since most
of these formats have no place for it.

VOSviewer (https://app.vosviewer.com/docs/file-types/)
------------------------------------------------------
- ``<stem>_map.txt``, tab-separated with a header line: ``id, label,
  description, url, x, y, cluster, weight<Links>, weight<Total link strength>,
  weight<Documents>, score<Avg. pub. year>``. ``id`` is a positive integer;
  the copub node id (ISO code or OpenAlex id) is in ``description`` and, for
  institutions and authors, the OpenAlex page in ``url``. ``cluster`` is the
  seeded Louvain community (1 = largest; VOSviewer allows 1–1000, so any
  further small clusters share 1000). ``Links`` is the number of partners,
  ``Total link strength`` the sum of link weights, ``Documents`` the node's
  works, ``Avg. pub. year`` the mean publication year of its works (for
  VOSviewer's overlay view). Labels and descriptions containing a comma or
  semicolon are enclosed in double quotes, as the format requires; double
  quotes inside them become single quotes, and tabs and line breaks become
  spaces, since the format has no escape for them.
- ``<stem>_network.txt``: ``id, id, strength`` per link, no header.
- ``<stem>.json``: VOSviewer JSON, ``{"network": {"items": […], "links": […]}}``
  with the same values, the copub ids as item ids, and an ``info`` title.

Gephi: ``<stem>_nodes.csv`` (``Id, Label, …``) and ``<stem>_edges.csv``
(``Source, Target, Type, Weight, …``), the spreadsheet import's columns.
Pajek: ``<stem>.net`` with ``*Vertices`` (label and coordinates in [0, 1])
and ``*Edges`` (weights). GEXF and GraphML come from networkx, with list
attributes joined by ``"; "``, missing values as empty strings and the layout
as ``x``/``y`` (GEXF also as ``viz`` positions).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, get_args

import networkx as nx
import polars as pl

from copub.errors import UsageError
from copub.networks.layout import layout_positions
from copub.networks.metrics import communities

__all__ = ["ExportFormat", "export_network", "vosviewer_text", "write_about"]

ExportFormat = Literal["gexf", "graphml", "vosviewer", "gephi", "pajek"]
_MAX_CLUSTER = 1000
_OPENALEX = "https://openalex.org/"


def vosviewer_text(value: object) -> str:
    """A label or description as a VOSviewer map-file cell.

    Examples
    --------
    >>> vosviewer_text("Tsinghua University")
    'Tsinghua University'
    >>> vosviewer_text('Institute "A, B; C"')
    '"Institute \\'A, B; C\\'"'
    """
    text = "" if value is None else str(value)
    text = " ".join(text.replace('"', "'").split())
    return f'"{text}"' if ("," in text or ";" in text) else text


def _number(value: object) -> str:
    if value is None:
        return "0"
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return "0"
    return str(int(number)) if number.is_integer() else f"{number:.6g}"


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def _flat_copy(graph: nx.Graph, positions: dict[str, tuple[float, float]]) -> nx.Graph:
    """A copy whose attributes GEXF and GraphML writers accept (scalars only, no None)."""
    flat = nx.Graph()
    flat.graph.update({k: _scalar(v) for k, v in graph.graph.items()})
    if _synthetic(graph):
        flat.graph["warning"] = _SYNTHETIC
    for node, data in graph.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items()}
        attrs["x"], attrs["y"] = positions[node]
        flat.add_node(node, **attrs)
    for u, v, data in graph.edges(data=True):
        flat.add_edge(u, v, **{k: _scalar(val) for k, val in data.items()})
    return flat


_SYNTHETIC = "SYNTHETIC sample data (not real publications)"


def _synthetic(graph: nx.Graph) -> bool:
    return bool(graph.graph.get("synthetic"))


def _about(graph: nx.Graph, files: list[Path]) -> str:
    g = graph.graph
    origin = _SYNTHETIC if g.get("synthetic") else "tables built from OpenAlex records"
    lines = [
        *([_SYNTHETIC.upper()] if g.get("synthetic") else []),
        f"{g.get('name', 'co-authorship network')}",
        f"data: {origin}",
        f"kind: {g.get('kind', '?')}; institution: {g.get('institution', '?')}; "
        f"years: {g.get('years') or 'all'}; document types: {g.get('types', '?')}",
        f"edge weight: {g.get('counting', 'full')} counting "
        "(full = shared works; fractional = sum of 1/(n-1) over shared works, "
        "n = nodes of the work)",
        f"normalisation attribute: {g.get('normalization') or 'none'}",
        f"cap: works with more than {g.get('max_nodes_per_work')} nodes skipped "
        f"({g.get('skipped_works', 0)} works)"
        if g.get("max_nodes_per_work")
        else "cap: none",
        f"works in universe: {g.get('works_in_universe', '?')}; "
        f"in network: {g.get('works_in_network', '?')}",
        f"nodes: {graph.number_of_nodes()}; edges: {graph.number_of_edges()}",
        "files: " + ", ".join(dict.fromkeys(p.name for p in files)),
    ]
    return "\n".join(lines) + "\n"


def _description(node: str, data: dict[str, Any]) -> str:
    parts = [node]
    if data.get("country") and data.get("type") != "country":
        parts.append(str(data["country"]))
    if data.get("groups"):
        parts.append("groups: " + ", ".join(data["groups"]))
    return " | ".join(parts)


def _vos_items(
    graph: nx.Graph, positions: dict[str, tuple[float, float]], seed: int
) -> list[dict[str, Any]]:
    clusters = communities(graph, seed=seed)
    strength = dict(graph.degree(weight="weight"))
    kind = graph.graph.get("kind")
    items = []
    for number, node in enumerate(sorted(graph.nodes), start=1):
        data = graph.nodes[node]
        mean_year = data.get("mean_year")
        items.append(
            {
                "number": number,
                "id": node,
                "label": str(data.get("label") or node),
                "description": ("SYNTHETIC | " if _synthetic(graph) else "")
                + _description(node, data),
                "url": f"{_OPENALEX}{node}" if kind in ("institution", "author") else "",
                "x": positions[node][0],
                "y": positions[node][1],
                "cluster": min(clusters.get(node, 1), _MAX_CLUSTER),
                "weights": {
                    "Links": graph.degree(node),
                    "Total link strength": float(strength[node]),
                    "Documents": int(data.get("works") or 0),
                },
                "scores": {"Avg. pub. year": float(mean_year) if mean_year is not None else 0.0},
            }
        )
    return items


def _write_vosviewer(graph: nx.Graph, out: Path, stem: str, seed: int) -> list[Path]:
    positions = layout_positions(graph, seed=seed)
    items = _vos_items(graph, positions, seed)
    number = {item["id"]: item["number"] for item in items}
    header = [
        "id",
        "label",
        "description",
        "url",
        "x",
        "y",
        "cluster",
        "weight<Links>",
        "weight<Total link strength>",
        "weight<Documents>",
        "score<Avg. pub. year>",
    ]
    map_lines = ["\t".join(header)]
    for item in items:
        w, s = item["weights"], item["scores"]
        cells = [
            str(item["number"]),
            vosviewer_text(item["label"]),
            vosviewer_text(item["description"]),
            item["url"],
            f"{item['x']:.6f}",
            f"{item['y']:.6f}",
            str(item["cluster"]),
            str(w["Links"]),
            _number(w["Total link strength"]),
            str(w["Documents"]),
            f"{s['Avg. pub. year']:.2f}",
        ]
        map_lines.append("\t".join(cells))
    links = sorted(
        (number[u], number[v], d.get("weight", 1))
        if number[u] < number[v]
        else (number[v], number[u], d.get("weight", 1))
        for u, v, d in graph.edges(data=True)
    )
    net_lines = [f"{a}\t{b}\t{_number(w)}" for a, b, w in links]
    map_path, net_path, json_path = (
        out / f"{stem}_map.txt",
        out / f"{stem}_network.txt",
        out / f"{stem}.json",
    )
    map_path.write_text("\n".join(map_lines) + "\n", encoding="utf-8")
    net_path.write_text("\n".join(net_lines) + ("\n" if net_lines else ""), encoding="utf-8")
    by_number = {item["number"]: item["id"] for item in items}
    document = {
        "network": {
            "items": [
                {k: v for k, v in item.items() if k != "number" and v != ""} for item in items
            ],
            "links": [
                {"source_id": by_number[a], "target_id": by_number[b], "strength": float(w)}
                for a, b, w in links
            ],
        },
        "info": {
            "title": str(graph.graph.get("name", "co-authorship network")),
            "description": (
                "SYNTHETIC sample data (not real publications). "
                if graph.graph.get("synthetic")
                else ""
            )
            + f"Link strength: {graph.graph.get('counting', 'full')} counting.",
        },
    }
    json_path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return [map_path, net_path, json_path]


def _write_gephi(graph: nx.Graph, out: Path, stem: str, seed: int) -> list[Path]:
    clusters = communities(graph, seed=seed)
    node_rows = [
        {
            "Id": node,
            "Label": str(data.get("label") or node),
            **{
                k: _scalar(v)
                for k, v in data.items()
                if k not in ("label", "lineage") and not isinstance(v, dict)
            },
            "community": clusters.get(node, 0),
        }
        for node, data in sorted(graph.nodes(data=True))
    ]
    edge_rows = [
        {
            "Source": u,
            "Target": v,
            "Type": "Undirected",
            "Weight": float(d.get("weight", 1)),
            **{k: _scalar(val) for k, val in d.items() if k != "weight"},
        }
        for u, v, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
    ]
    nodes_path, edges_path = out / f"{stem}_nodes.csv", out / f"{stem}_edges.csv"
    nodes_frame = (
        pl.DataFrame(node_rows, infer_schema_length=None)
        if node_rows
        else pl.DataFrame(schema={"Id": pl.String, "Label": pl.String})
    )
    edges_frame = (
        pl.DataFrame(edge_rows, infer_schema_length=None)
        if edge_rows
        else pl.DataFrame(
            schema={
                "Source": pl.String,
                "Target": pl.String,
                "Type": pl.String,
                "Weight": pl.Float64,
            }
        )
    )
    if _synthetic(graph):
        mark = pl.lit(_SYNTHETIC).alias("synthetic")
        nodes_frame, edges_frame = nodes_frame.with_columns(mark), edges_frame.with_columns(mark)
    nodes_frame.write_csv(nodes_path)
    edges_frame.write_csv(edges_path)
    return [nodes_path, edges_path]


def _pajek_label(text: str) -> str:
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


def _write_pajek(graph: nx.Graph, out: Path, stem: str, seed: int) -> list[Path]:
    positions = layout_positions(graph, seed=seed)
    nodes = sorted(graph.nodes)
    number = {node: i for i, node in enumerate(nodes, start=1)}
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for node in nodes:
        label = str(graph.nodes[node].get("label") or node)
        seen[label] = seen.get(label, 0) + 1
        labels[node] = label
    # Pajek readers key vertices by label: disambiguate repeated labels with the id.
    for node in nodes:
        if seen[labels[node]] > 1:
            labels[node] = f"{labels[node]} ({node})"
    lines = [f"*Network {_pajek_label(_SYNTHETIC)}"] if _synthetic(graph) else []
    lines.append(f"*Vertices {len(nodes)}")
    for node in nodes:
        x, y = positions[node]
        lines.append(
            f"{number[node]} {_pajek_label(labels[node])} {(x + 1) / 2:.4f} {(y + 1) / 2:.4f}"
        )
    lines.append("*Edges")
    for u, v, d in sorted(graph.edges(data=True), key=lambda e: (number[e[0]], number[e[1]])):
        a, b = sorted((number[u], number[v]))
        lines.append(f"{a} {b} {_number(d.get('weight', 1))}")
    path = out / f"{stem}.net"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [path]


def _write_gexf(graph: nx.Graph, out: Path, stem: str, seed: int) -> list[Path]:
    positions = layout_positions(graph, seed=seed)
    flat = _flat_copy(graph, positions)
    for node, data in flat.nodes(data=True):
        x, y = positions[node]
        data["viz"] = {
            "position": {"x": 500.0 * x, "y": 500.0 * y, "z": 0.0},
            "size": 4.0 + 2.0 * math.sqrt(float(graph.nodes[node].get("works") or 0)),
        }
    path = out / f"{stem}.gexf"
    nx.write_gexf(flat, path)
    if _synthetic(graph):
        # GEXF's <meta> has a <description>: the place every Gephi user sees first.
        text = path.read_text(encoding="utf-8")
        note = f"</creator>\n    <description>{_SYNTHETIC}</description>"
        text = text.replace("</creator>", note, 1)
        path.write_text(text, encoding="utf-8")
    return [path]


def _write_graphml(graph: nx.Graph, out: Path, stem: str, seed: int) -> list[Path]:
    flat = _flat_copy(graph, layout_positions(graph, seed=seed))
    path = out / f"{stem}.graphml"
    nx.write_graphml(flat, path)
    return [path]


_WRITERS: dict[str, Callable[[nx.Graph, Path, str, int], list[Path]]] = {
    "gexf": _write_gexf,
    "graphml": _write_graphml,
    "vosviewer": _write_vosviewer,
    "gephi": _write_gephi,
    "pajek": _write_pajek,
}


def export_network(
    graph: nx.Graph,
    out_dir: str | Path,
    fmt: ExportFormat = "gexf",
    *,
    stem: str | None = None,
    seed: int = 0,
) -> list[Path]:
    """Write ``graph`` in one format; return the files written.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`copub.build_network`.
    out_dir : path
        Created if missing.
    fmt : {"gexf", "graphml", "vosviewer", "gephi", "pajek"}
        See the module notes for each format's files and columns.
    stem : str, optional
        File name stem; ``<kind>_network`` by default.
    seed : int
        Seed of the layout and of the Louvain clusters.

    Returns
    -------
    list of Path
        The files written, the ``_about.txt`` note last.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("NO", "SE", weight=2)
    >>> [p.name for p in export_network(g, tempfile.mkdtemp(), "pajek")]
    ['network.net', 'network_about.txt']
    """
    if fmt not in _WRITERS:
        raise UsageError(
            f"export format must be one of {', '.join(get_args(ExportFormat))}, not {fmt!r}"
        )
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output directory {out}: {exc}") from exc
    kind = graph.graph.get("kind")
    name = stem or (f"{kind}_network" if kind else "network")
    files = _WRITERS[fmt](graph, out, name, seed)
    return [*files, write_about(graph, out, files, stem=name)]


def write_about(
    graph: nx.Graph, out_dir: str | os.PathLike[str], files: list[Path], *, stem: str | None = None
) -> Path:
    """Write ``<stem>_about.txt``: the data's origin, the options and ``files``.

    :func:`export_network` writes it for its own files; a caller that writes
    several formats (and pictures) into one directory calls it once more with
    every file, so the note lists them all.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = nx.Graph(kind="country", synthetic=True)
    >>> g.add_edge("NO", "SE", weight=2)
    >>> out = tempfile.mkdtemp()
    >>> files = export_network(g, out, "gexf") + export_network(g, out, "pajek")
    >>> about = write_about(g, out, files).read_text()
    >>> "country_network.gexf" in about and "country_network.net" in about
    True
    >>> about.splitlines()[0]
    'SYNTHETIC SAMPLE DATA (NOT REAL PUBLICATIONS)'
    """
    kind = graph.graph.get("kind")
    name = stem or (f"{kind}_network" if kind else "network")
    about = Path(out_dir) / f"{name}_about.txt"
    listed = [p for p in files if p != about]
    about.write_text(_about(graph, listed), encoding="utf-8")
    return about
