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
and ``*Edges`` (weights). GEXF 1.2 and GraphML are written by copub in the
shape networkx writes them (networkx's own writers take minutes on a million
links; its readers are the tests' reference), with list attributes joined by
``"; "``, missing values left out, the layout as ``x``/``y`` (GEXF also as
``viz`` positions) and, in GraphML, the graph's provenance attributes.

Large graphs
------------
Every format is written from one pair of polars frames
(:mod:`copub.networks.frames`). Above ``LAYOUT_MAX_NODES`` nodes the files
carry no coordinates, and above ``CLUSTER_MAX_EDGES`` links no clusters:
VOSviewer and Gephi compute both when they open such files. A warning with
the expected size comes first when an export has more than a million links.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, get_args
from xml.sax.saxutils import escape as xml_escape

import orjson
import polars as pl

from copub.errors import DataError, UsageError
from copub.indicators.universe import universe_words
from copub.networks.attributes import openalex_page_expr
from copub.networks.frames import (
    CLUSTER_MAX_EDGES,
    LAYOUT_MAX_NODES,
    GraphFrames,
    NetworkFrames,
    graph_frames,
    network_frames,
)
from copub.networks.options import node_cap
from copub.progress import Progress

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ExportFormat", "export_network", "export_networks", "vosviewer_text", "write_error"]

ExportFormat = Literal["gexf", "graphml", "vosviewer", "gephi", "pajek"]
_MAX_CLUSTER = 1000


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


def _text(expr: pl.Expr) -> pl.Expr:
    """A number as text: integral values without a decimal part, null and NaN as 0."""
    number = expr.cast(pl.Float64).fill_null(0.0).fill_nan(0.0)
    return (
        pl.when(number == number.round(0))
        .then(number.cast(pl.Int64).cast(pl.String))
        .otherwise(number.cast(pl.String))
    )


def _vos_cell(expr: pl.Expr) -> pl.Expr:
    """:func:`vosviewer_text` as a polars expression."""
    text = (
        expr.cast(pl.String)
        .fill_null("")
        .str.replace_all('"', "'", literal=True)
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return pl.when(text.str.contains("[,;]")).then(pl.format('"{}"', text)).otherwise(text)


#: Characters that :func:`_xml` and :func:`_json_string` change.
_XML_SPECIAL = r'[&<>"\x00-\x08\x0B\x0C\x0E-\x1F]'
_JSON_SPECIAL = r'[\\"\x00-\x1F]'


def _clean(series: pl.Series, special: str) -> bool:
    """Whether no value holds a character to escape: one scan instead of several per link."""
    return not bool(series.cast(pl.String).str.contains(special).any())


def _xml(expr: pl.Expr) -> pl.Expr:
    """Text escaped for an XML attribute or element (characters XML 1.0 forbids dropped)."""
    return (
        expr.cast(pl.String)
        .str.replace_all(r"[\x00-\x08\x0B\x0C\x0E-\x1F]", "")
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
        .str.replace_all('"', "&quot;", literal=True)
    )


def _xml_value(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A column as XML text (null stays null): booleans as true/false, text escaped if needed."""
    col, dtype = pl.col(name), frame.schema[name]
    if dtype == pl.Boolean:
        return pl.when(col).then(pl.lit("true")).when(col.not_()).then(pl.lit("false"))
    if dtype == pl.String and _clean(frame[name], _XML_SPECIAL):
        return col
    if dtype.is_numeric():
        return col.cast(pl.String)
    return _xml(col)


def _xml_ids(frames: GraphFrames) -> tuple[pl.Expr, pl.Expr]:
    """The links' ends as XML text, escaped only if some node id needs it."""
    if _clean(frames.nodes["node"], _XML_SPECIAL):
        return pl.col("source"), pl.col("target")
    return _xml(pl.col("source")), _xml(pl.col("target"))


def _xml_type(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "long"
    if dtype.is_float():
        return "double"
    return "string"


def write_error(exc: OSError, what: str, out: Path) -> DataError:
    """One line for a failed write: what, where, why, and what to do.

    polars raises a bare ``OSError`` (no ``strerror``) when its writer
    fails, so the reason is taken from the message when there is no
    ``strerror``.

    Examples
    --------
    >>> write_error(OSError("No space left on device (os error 28)"), "the gephi files",
    ...             Path("net")).args[0]  # doctest: +NORMALIZE_WHITESPACE
    'cannot write the gephi files into net: No space left on device (os error 28);
    free some space or choose another --out'
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename and exc.strerror:
        reason = f"{exc.filename}: {reason}"
    return DataError(
        f"cannot write {what} into {out}: {reason}; free some space or choose another --out"
    )


def _write_lines(handle: IO[bytes], frame: pl.DataFrame, line: pl.Expr) -> None:
    """One text line per row, written by polars without quoting."""
    if frame.height:
        frame.select(line.alias("line")).write_csv(
            handle, include_header=False, quote_style="never"
        )


_SYNTHETIC = "SYNTHETIC sample data (not real publications)"


def _synthetic(frames: GraphFrames) -> bool:
    return bool(frames.attributes.get("synthetic"))


def _origin(frames: GraphFrames) -> str:
    return _SYNTHETIC if _synthetic(frames) else "tables built from OpenAlex records"


def _about(frames: GraphFrames, files: list[Path], *, drawn: bool = True) -> str:
    """The note; ``drawn=False`` when no format with a layout was written (no layout lines)."""
    g = frames.attributes
    layout = (
        []
        if not drawn
        else [
            "layout: "
            + (
                "seeded force-directed (Fruchterman-Reingold)"
                if frames.has_layout
                else f"none (more than {LAYOUT_MAX_NODES:,} nodes, where networkx's layout gets "
                "slow; the viewer lays it out)"
            ),
            "clusters: "
            + (
                "seeded Louvain"
                if frames.has_clusters
                else f"none (more than {CLUSTER_MAX_EDGES:,} links; the viewer clusters it)"
            ),
        ]
    )
    lines = [
        *([_SYNTHETIC.upper()] if _synthetic(frames) else []),
        f"{g.get('name', 'co-authorship network')}",
        f"data: {_origin(frames)}",
        f"kind: {g.get('kind', '?')}; institution: {g.get('institution', '?')}; "
        f"years: {g.get('years') or 'all'}; universe: "
        f"{universe_words(str(g.get('universe', '?')), str(g.get('types', '')).split(','))}",
        f"edge weight: {g.get('counting', 'full')} counting "
        "(full = shared works; fractional = sum of 1/(n-1) over shared works, "
        "n = nodes of the work)",
        f"normalisation attribute: {g.get('normalization') or 'none'}",
        f"cap: works with more than {cap} nodes skipped ({g.get('skipped_works', 0)} works)"
        if (cap := node_cap(g.get("max_nodes_per_work")))
        else "cap: none",
        f"works in universe: {g.get('works_in_universe', '?')}; "
        f"in network: {g.get('works_in_network', '?')}",
        f"nodes: {frames.nodes.height}; edges: {frames.edges.height}",
        *layout,
        "files: " + ", ".join(dict.fromkeys(p.name for p in files)),
    ]
    return "\n".join(lines) + "\n"


def _description(nodes: pl.DataFrame) -> pl.Expr:
    parts = [pl.col("node")]
    if "country" in nodes.columns and "type" in nodes.columns:
        parts.append(
            pl.when(pl.col("country").is_not_null() & (pl.col("type") != "country"))
            .then(pl.col("country"))
            .otherwise(None)
        )
    if "groups" in nodes.columns:
        parts.append(
            pl.when(pl.col("groups").fill_null("") != "")
            .then(pl.format("groups: {}", pl.col("groups").str.replace_all("; ", ", ")))
            .otherwise(None)
        )
    return pl.concat_list(parts).list.drop_nulls().list.join(" | ")


def _vos_nodes(frames: GraphFrames) -> pl.DataFrame:
    nodes = frames.nodes
    kind = frames.attributes.get("kind")
    # A synthetic id has no OpenAlex page: no url rather than a dead link.
    url = openalex_page_expr("node") if kind in ("institution", "author") else pl.lit("")
    works = pl.col("works").fill_null(0).cast(pl.Int64) if "works" in nodes.columns else pl.lit(0)
    year = (
        pl.col("mean_year").cast(pl.Float64).fill_null(0.0)
        if "mean_year" in nodes.columns
        else pl.lit(0.0)
    )
    return nodes.select(
        "number",
        "node",
        "label",
        "x",
        "y",
        cluster=pl.col("cluster").clip(upper_bound=_MAX_CLUSTER),
        description=pl.concat_str(
            [pl.lit("SYNTHETIC | " if _synthetic(frames) else ""), _description(nodes)]
        ),
        url=url,
        links="links",
        strength="strength",
        documents=works,
        mean_year=year,
    )


def _write_vosviewer(frames: GraphFrames, out: Path, stem: str) -> list[Path]:
    items = _vos_nodes(frames)
    g = frames.attributes
    header = ["id", "label", "description", "url"]
    cells = [
        pl.col("number").cast(pl.String),
        _vos_cell(pl.col("label")),
        _vos_cell(pl.col("description")),
        pl.col("url"),
    ]
    if frames.has_layout:
        header += ["x", "y"]
        cells += [pl.format("{}", pl.col(c).round(6)) for c in ("x", "y")]
    if frames.has_clusters:
        header.append("cluster")
        cells.append(pl.col("cluster").cast(pl.String))
    header += [
        "weight<Links>",
        "weight<Total link strength>",
        "weight<Documents>",
        "score<Avg. pub. year>",
    ]
    cells += [
        pl.col("links").cast(pl.String),
        _text(pl.col("strength")),
        pl.col("documents").cast(pl.String),
        pl.col("mean_year").round(2).cast(pl.String),
    ]
    map_path, net_path, json_path = (
        out / f"{stem}_map.txt",
        out / f"{stem}_network.txt",
        out / f"{stem}.json",
    )
    with map_path.open("wb") as handle:
        handle.write(("\t".join(header) + "\n").encode())
        _write_lines(handle, items, pl.concat_str(cells, separator="\t"))
    edges = frames.edges
    with net_path.open("wb") as handle:
        _write_lines(
            handle,
            edges,
            pl.concat_str(
                [
                    pl.col("source_number").cast(pl.String),
                    pl.col("target_number").cast(pl.String),
                    _text(pl.col("weight")),
                ],
                separator="\t",
            ),
        )
    json_items = [
        {
            k: v
            for k, v in {
                "id": row["node"],
                "label": row["label"],
                "description": row["description"],
                "url": row["url"],
                "x": row["x"],
                "y": row["y"],
                "cluster": row["cluster"],
                "weights": {
                    "Links": row["links"],
                    "Total link strength": row["strength"],
                    "Documents": row["documents"],
                },
                "scores": {"Avg. pub. year": row["mean_year"]},
            }.items()
            if v is not None and v != ""
        }
        for row in items.iter_rows(named=True)
    ]
    info = {
        "title": str(g.get("name", "co-authorship network")),
        "description": (
            "SYNTHETIC sample data (not real publications). " if g.get("synthetic") else ""
        )
        + f"Link strength: {g.get('counting', 'full')} counting.",
    }
    clean = _clean(frames.nodes["node"], _JSON_SPECIAL)
    link = pl.concat_str(
        [
            pl.lit('{"source_id":'),
            _json_string(pl.col("source"), escape=not clean),
            pl.lit(',"target_id":'),
            _json_string(pl.col("target"), escape=not clean),
            pl.lit(',"strength":'),
            pl.col("weight").cast(pl.String),
            # One link a line, each but the last followed by a comma.
            pl.when(pl.int_range(pl.len()) < pl.len() - 1)
            .then(pl.lit("},"))
            .otherwise(pl.lit("}")),
        ]
    )
    with json_path.open("wb") as handle:
        handle.write(b'{"network":{"items":' + orjson.dumps(json_items) + b',"links":[\n')
        _write_lines(handle, edges, link)
        if not edges.height:
            handle.write(b"\n")
        handle.write(b']},"info":' + orjson.dumps(info) + b"}\n")
    return [map_path, net_path, json_path]


def _json_string(expr: pl.Expr, *, escape: bool = True) -> pl.Expr:
    """Text as a JSON string literal (backslashes, quotes and control characters escaped).

    ``escape=False`` when the caller knows no value needs it.
    """
    if not escape:
        return pl.concat_str([pl.lit('"'), expr.cast(pl.String), pl.lit('"')])
    escaped = (
        expr.cast(pl.String)
        .str.replace_all("\\", "\\\\", literal=True)
        .str.replace_all('"', '\\"', literal=True)
        .str.replace_all(r"[\x00-\x1F]", " ")
    )
    return pl.concat_str([pl.lit('"'), escaped, pl.lit('"')])


def _write_gephi(frames: GraphFrames, out: Path, stem: str) -> list[Path]:
    attributes = [c for c in frames.node_attributes if c != "lineage"]
    community = [pl.col("cluster").alias("community")] if frames.has_clusters else []
    nodes = frames.nodes.select(
        pl.col("node").alias("Id"), pl.col("label").alias("Label"), *attributes, *community
    )
    edges = frames.edges.select(
        pl.col("source").alias("Source"),
        pl.col("target").alias("Target"),
        pl.lit("Undirected").alias("Type"),
        pl.col("weight").alias("Weight"),
        *frames.edge_attributes,
    )
    if _synthetic(frames):
        mark = pl.lit(_SYNTHETIC).alias("synthetic")
        nodes, edges = nodes.with_columns(mark), edges.with_columns(mark)
    nodes_path, edges_path = out / f"{stem}_nodes.csv", out / f"{stem}_edges.csv"
    nodes.write_csv(nodes_path)
    edges.write_csv(edges_path)
    return [nodes_path, edges_path]


def _write_pajek(frames: GraphFrames, out: Path, stem: str) -> list[Path]:
    label = (
        pl.col("label")
        .str.replace_all('"', "'", literal=True)
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    # Pajek readers key vertices by label: disambiguate repeated labels with the id.
    label = (
        pl.when(label.is_duplicated()).then(pl.format("{} ({})", label, "node")).otherwise(label)
    )
    vertex = [pl.col("number").cast(pl.String), pl.format('"{}"', label)]
    if frames.has_layout:
        vertex += [pl.format("{}", ((pl.col(c) + 1) / 2).round(4)) for c in ("x", "y")]
    path = out / f"{stem}.net"
    with path.open("wb") as handle:
        if _synthetic(frames):
            handle.write(f'*Network "{_SYNTHETIC}"\n'.encode())
        handle.write(f"*Vertices {frames.nodes.height}\n".encode())
        _write_lines(handle, frames.nodes, pl.concat_str(vertex, separator=" "))
        handle.write(b"*Edges\n")
        _write_lines(
            handle,
            frames.edges,
            pl.concat_str(
                [
                    pl.col("source_number").cast(pl.String),
                    pl.col("target_number").cast(pl.String),
                    _text(pl.col("weight")),
                ],
                separator=" ",
            ),
        )
    return [path]


def _attvalues(frame: pl.DataFrame, names: list[str], keys: dict[str, str], tag: str) -> pl.Expr:
    """``tag`` (``…{key}…{value}…``) for each non-null attribute of a row, concatenated.

    Plain concatenation (null in, null out, then empty), which polars does
    several times faster than ``pl.format`` under ``when``: it runs per link.
    """
    parts = []
    for name in names:
        before, after = tag.format(key=keys[name], value="\0").split("\0")
        part = pl.concat_str([pl.lit(before), _xml_value(frame, name), pl.lit(after)])
        parts.append(part.fill_null("") if frame[name].null_count() else part)
    return pl.concat_str(parts) if parts else pl.lit("")


def _write_gexf(frames: GraphFrames, out: Path, stem: str) -> list[Path]:
    nodes, edges = frames.nodes, frames.edges
    node_attrs = [*frames.node_attributes, *(["x", "y"] if frames.has_layout else [])]
    if frames.has_clusters:
        node_attrs.append("cluster")
    edge_attrs = frames.edge_attributes
    node_keys = {name: str(i) for i, name in enumerate(node_attrs)}
    edge_keys = {name: str(i) for i, name in enumerate(edge_attrs)}
    value = '<attvalue for="{key}" value="{value}"/>'
    size = (
        (4.0 + 2.0 * pl.col("works").cast(pl.Float64).fill_null(0.0).sqrt())
        if "works" in nodes.columns
        else pl.lit(4.0)
    )
    viz = (
        pl.format(
            '<viz:position x="{}" y="{}" z="0.0"/>',
            (500.0 * pl.col("x")).cast(pl.String),
            (500.0 * pl.col("y")).cast(pl.String),
        )
        if frames.has_layout
        else pl.lit("")
    )
    node_line = pl.concat_str(
        [
            pl.format(
                '<node id="{}" label="{}"><attvalues>', _xml(pl.col("node")), _xml(pl.col("label"))
            ),
            _attvalues(nodes, node_attrs, node_keys, value),
            pl.lit("</attvalues>"),
            viz,
            pl.format('<viz:size value="{}"/></node>', size.cast(pl.String)),
        ]
    )
    source, target = _xml_ids(frames)
    edge_line = pl.concat_str(
        [
            pl.lit('<edge source="'),
            source,
            pl.lit('" target="'),
            target,
            pl.lit('" id="'),
            pl.int_range(pl.len()).cast(pl.String),
            pl.lit('" weight="'),
            pl.col("weight").cast(pl.String),
            pl.lit('"><attvalues>'),
            _attvalues(edges, edge_attrs, edge_keys, value),
            pl.lit("</attvalues></edge>"),
        ]
    )

    def declarations(names: list[str], keys: dict[str, str], frame: pl.DataFrame, cls: str) -> str:
        rows = "".join(
            f'<attribute id="{keys[n]}" title="{_escape(n)}" type="{_xml_type(frame.schema[n])}"/>'
            for n in names
        )
        return f'<attributes mode="static" class="{cls}">{rows}</attributes>\n'

    g = frames.attributes
    description = _escape(
        f"{_origin(frames)}; {g.get('counting', 'full')} counting; {g.get('name', '')}"
    )
    path = out / f"{stem}.gexf"
    with path.open("wb") as handle:
        handle.write(
            (
                "<?xml version='1.0' encoding='utf-8'?>\n"
                '<gexf xmlns="http://www.gexf.net/1.2draft" '
                'xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">\n'
                f"<meta><creator>copub</creator><description>{description}</description></meta>\n"
                '<graph defaultedgetype="undirected" mode="static">\n'
                + declarations(node_attrs, node_keys, nodes, "node")
                + declarations(edge_attrs, edge_keys, edges, "edge")
                + "<nodes>\n"
            ).encode()
        )
        _write_lines(handle, nodes, node_line)
        handle.write(b"</nodes>\n<edges>\n")
        _write_lines(handle, edges, edge_line)
        handle.write(b"</edges>\n</graph>\n</gexf>\n")
    return [path]


def _write_graphml(frames: GraphFrames, out: Path, stem: str) -> list[Path]:
    nodes, edges = frames.nodes, frames.edges
    node_attrs = ["label", *frames.node_attributes, *(["x", "y"] if frames.has_layout else [])]
    if frames.has_clusters:
        node_attrs.append("cluster")
    edge_attrs = ["weight", *frames.edge_attributes]
    graph_attrs = {
        k: v for k, v in frames.attributes.items() if isinstance(v, str | int | float | bool)
    }
    if _synthetic(frames):
        graph_attrs["warning"] = _SYNTHETIC
    node_keys = {name: f"n{i}" for i, name in enumerate(node_attrs)}
    edge_keys = {name: f"e{i}" for i, name in enumerate(edge_attrs)}
    data = '<data key="{key}">{value}</data>'
    keys = "".join(
        f'<key id="{node_keys[n]}" for="node" attr.name="{_escape(n)}" '
        f'attr.type="{_xml_type(nodes.schema[n])}"/>\n'
        for n in node_attrs
    ) + "".join(
        f'<key id="{edge_keys[n]}" for="edge" attr.name="{_escape(n)}" '
        f'attr.type="{_xml_type(edges.schema[n])}"/>\n'
        for n in edge_attrs
    )
    graph_types = {bool: "boolean", int: "long", float: "double", str: "string"}
    keys += "".join(
        f'<key id="g{i}" for="graph" attr.name="{_escape(k)}" '
        f'attr.type="{graph_types[type(v)]}"/>\n'
        for i, (k, v) in enumerate(graph_attrs.items())
    )
    graph_data = "".join(
        f'<data key="g{i}">{_escape(str(v).lower() if isinstance(v, bool) else str(v))}</data>'
        for i, v in enumerate(graph_attrs.values())
    )
    node_line = pl.concat_str(
        [
            pl.format('<node id="{}">', _xml(pl.col("node"))),
            _attvalues(nodes, node_attrs, node_keys, data),
            pl.lit("</node>"),
        ]
    )
    source, target = _xml_ids(frames)
    edge_line = pl.concat_str(
        [
            pl.lit('<edge source="'),
            source,
            pl.lit('" target="'),
            target,
            pl.lit('">'),
            _attvalues(edges, edge_attrs, edge_keys, data),
            pl.lit("</edge>"),
        ]
    )
    path = out / f"{stem}.graphml"
    with path.open("wb") as handle:
        handle.write(
            (
                "<?xml version='1.0' encoding='utf-8'?>\n"
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
                + keys
                + f'<graph edgedefault="undirected">{graph_data}\n'
            ).encode()
        )
        _write_lines(handle, nodes, node_line)
        _write_lines(handle, edges, edge_line)
        handle.write(b"</graph>\n</graphml>\n")
    return [path]


def _escape(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


_WRITERS: dict[str, Callable[[GraphFrames, Path, str], list[Path]]] = {
    "gexf": _write_gexf,
    "graphml": _write_graphml,
    "vosviewer": _write_vosviewer,
    "gephi": _write_gephi,
    "pajek": _write_pajek,
}
#: Bytes per link of each format on the sample's author network, for the warning.
_BYTES_PER_LINK = {"gexf": 195, "graphml": 155, "vosviewer": 100, "gephi": 110, "pajek": 14}
LARGE_EXPORT_LINKS = 1_000_000


def _node_ids(graph: nx.Graph | NetworkFrames) -> list[object]:
    return graph.nodes["node"].to_list() if isinstance(graph, NetworkFrames) else list(graph.nodes)


def export_networks(
    graph: nx.Graph | NetworkFrames,
    out_dir: str | Path,
    formats: Sequence[ExportFormat] = ("gexf",),
    *,
    stem: str | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    also_listed: Sequence[str | Path] = (),
) -> list[Path]:
    """Write ``graph`` in every format asked for; return the files written.

    The graph is turned into frames once (layout and clusters included), so
    each further format costs only its own writing.

    Parameters
    ----------
    graph : networkx.Graph or NetworkFrames
        A graph from :func:`copub.build_network`, or the same network as
        frames from :func:`copub.networks.build_network_frames` (the same
        files, without building a networkx graph: much faster for large
        networks).
    out_dir : path
        Created if missing.
    formats : sequence of {"gexf", "graphml", "vosviewer", "gephi", "pajek"}
        See the module notes for each format's files and columns.
    stem : str, optional
        File name stem; ``<kind>_network`` by default.
    seed : int
        Seed of the layout and of the Louvain clusters.
    progress : Progress, optional
        Where to report each format and warn before a large export.
    also_listed : sequence of paths
        Other files of the same directory (pictures of the graph) that the
        ``_about.txt`` note lists beside the exports.

    Returns
    -------
    list of Path
        The files written, the ``_about.txt`` note (listing them all) last.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("NO", "SE", weight=2)
    >>> [p.name for p in export_networks(g, tempfile.mkdtemp(), ["pajek", "gephi"])]
    ['network.net', 'network_nodes.csv', 'network_edges.csv', 'network_about.txt']
    """
    unknown = [fmt for fmt in formats if fmt not in _WRITERS]
    if unknown:
        raise UsageError(
            f"export format must be one of {', '.join(get_args(ExportFormat))}, not {unknown[0]!r}"
        )
    progress = progress or Progress.silent()
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output directory {out}: {exc}") from exc
    attributes = graph.attributes if isinstance(graph, NetworkFrames) else graph.graph
    kind = attributes.get("kind")
    name = stem or (f"{kind}_network" if kind else "network")
    nodes, links = graph.number_of_nodes(), graph.number_of_edges()
    chosen = list(dict.fromkeys(formats))
    if links > LARGE_EXPORT_LINKS:
        megabytes = sum(_BYTES_PER_LINK[fmt] for fmt in chosen) * links / 1e6
        progress.note(
            f"warning: {links:,} links: the {', '.join(chosen)} files will take about "
            f"{megabytes:,.0f} MB; --top N or --max-nodes-per-work N make a smaller map"
        )
    if not chosen:
        # Only the note: no layout or clusters to compute (the page and the other
        # works-listing files lay themselves out).
        frames = GraphFrames(
            pl.DataFrame({"node": [str(n) for n in _node_ids(graph)]}),
            pl.DataFrame({"source": [None] * links}),
            has_layout=False,
            has_clusters=False,
            attributes=dict(attributes),
        )
    elif isinstance(graph, NetworkFrames):
        frames = network_frames(graph, seed=seed, progress=progress)
    else:
        frames = graph_frames(graph, seed=seed, progress=progress)
    files: list[Path] = []
    for fmt in chosen:
        progress.note(f"writing {fmt} ({nodes:,} nodes, {links:,} links)")
        started = time.perf_counter()
        try:
            written = _WRITERS[fmt](frames, out, name)
        except OSError as exc:
            raise write_error(exc, f"the {fmt} files", out) from exc
        seconds = time.perf_counter() - started
        if seconds >= 1.0:
            size = sum(p.stat().st_size for p in written) / 1e6
            progress.note(f"wrote {fmt}: {size:,.0f} MB in {seconds:.1f} s")
        files += written
    about = out / f"{name}_about.txt"
    listed = [*files, *(Path(p) for p in also_listed)]
    try:
        about.write_text(_about(frames, listed, drawn=bool(chosen)), encoding="utf-8")
    except OSError as exc:
        raise write_error(exc, about.name, out) from exc
    return [*files, about]


def export_network(
    graph: nx.Graph | NetworkFrames,
    out_dir: str | Path,
    fmt: ExportFormat = "gexf",
    *,
    stem: str | None = None,
    seed: int = 0,
) -> list[Path]:
    """Write ``graph`` in one format: :func:`export_networks` with one format.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("NO", "SE", weight=2)
    >>> [p.name for p in export_network(g, tempfile.mkdtemp(), "pajek")]
    ['network.net', 'network_about.txt']
    """
    return export_networks(graph, out_dir, [fmt], stem=stem, seed=seed)
