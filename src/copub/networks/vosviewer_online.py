"""VOSviewer Online maps: the JSON file app.vosviewer.com opens, with the works behind each item.

The shape follows VOSviewer Online's own sample files (its repository's
``data/*.json``); :func:`vosviewer_online_schema` is copub's JSON Schema of
that shape, and every map copub writes is checked against it in the tests.

- ``network.items``: ``id`` (copub's node id), ``label``, ``x``, ``y``,
  ``cluster`` (seeded Louvain), ``weights`` (``Works``, ``Works
  (fractional)``, ``Links``, ``Total link strength``), ``scores`` (``Avg.
  pub. year``, ``Share of home's works (%)``), ``url`` (the OpenAlex page of
  an institution or author), ``group`` (the partner group) and the top works;
- ``network.links``: ``source_id``, ``target_id``, ``strength`` (the
  network's weight, full or fractional), ``works``, ``fractional`` and the
  top works;
- ``config.terminology``: copub's words (co-publication links, works);
- ``config.templates``: the item and link descriptions VOSviewer Online shows
  on hover or click, listing the top works (most cited, then newest) as
  links to their DOI (else OpenAlex). VOSviewer Online puts a field's value
  into a template as text, so each of the top works has its own fields
  (``work1_title``, ``work1_url``, ``work1_year``, …);
- ``info``: title and description (SYNTHETIC for the sample).

The map shows what the partner page shows (:func:`~copub.networks.html_page.shown_network`):
the author network as an ego view, and home's links plus the strongest others.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from copub.networks.attributes import openalex_page_expr
from copub.networks.categories import CATEGORIES, node_category
from copub.networks.frames import network_frames
from copub.networks.html_page import DEFAULT_MAX_AUTHORS, DEFAULT_MAX_LINKS, shown_network
from copub.networks.prepared import PreparedNetwork
from copub.provenance import openalex_page

__all__ = [
    "TOP_WORKS",
    "vosviewer_online_map",
    "vosviewer_online_schema",
    "write_vosviewer_online",
]

#: Works listed in each item's and link's description.
TOP_WORKS = 3
_DOI = "https://doi.org/"
_WORDS = {"country": ("Country", "Countries"), "institution": ("Institution", "Institutions")}


@cache
def vosviewer_online_schema() -> dict[str, Any]:
    """copub's JSON Schema (draft 2020-12) of a VOSviewer Online JSON map."""
    text = resources.files("copub.networks").joinpath("vosviewer_online.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def _work_fields(ranked: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """``work1_title, work1_url, work1_year, …`` per key, from works ranked within each key."""
    url = (
        pl.when(pl.col("doi").fill_null("") != "")
        .then(
            pl.when(pl.col("doi").str.starts_with("http"))
            .then(pl.col("doi"))
            .otherwise(pl.lit(_DOI) + pl.col("doi"))
        )
        .otherwise(openalex_page_expr("work_id"))
    )
    top = (
        ranked.sort(
            [*key, "cited", "year", "work_id"], descending=[False] * len(key) + [True, True, False]
        )
        .group_by(key, maintain_order=True)
        .head(TOP_WORKS)
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over(key), url=url)
    )
    wide = top.select(*key).unique(maintain_order=True)
    for i in range(1, TOP_WORKS + 1):
        one = top.filter(pl.col("rank") == i).select(
            *key,
            pl.col("title").fill_null("(no title)").alias(f"work{i}_title"),
            pl.col("url").alias(f"work{i}_url"),
            pl.col("year").cast(pl.String).alias(f"work{i}_year"),
        )
        wide = wide.join(one, on=key, how="left")
    return wide


def _template(heading: str, label: str, count: str, *, linked: bool = True) -> str:
    """A description template; ``linked=False`` (synthetic data) names the works without links."""
    title = (
        "<a class='description_url' href='{{work{i}_url}}' target='_blank'>{{work{i}_title}}</a>"
        if linked
        else "{{work{i}_title}}"
    )
    works = "".join(
        f"<div class='description_text'>{title.format(i=i)} {{work{i}_year}}</div>"
        for i in range(1, TOP_WORKS + 1)
    )
    return (
        f"<div class='description_heading'>{heading}</div>{label}"
        f"<div class='description_text'>{count}</div>{works}"
    )


def vosviewer_online_map(
    prepared: PreparedNetwork,
    *,
    max_authors: int = DEFAULT_MAX_AUTHORS,
    max_links: int = DEFAULT_MAX_LINKS,
    top: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """The VOSviewer Online JSON map of a prepared network (see the module notes).

    Examples
    --------
    >>> import copub
    >>> from copub.networks.prepared import prepare_network
    >>> vos = vosviewer_online_map(prepare_network(copub.load_sample(scale=0.01), "country"))
    >>> sorted(vos), sorted(vos["network"])
    (['config', 'info', 'network'], ['clusters', 'items', 'links'])
    >>> vos["config"]["terminology"]["link_strength"]
    'Co-publications'
    """
    options = prepared.options
    network, note = shown_network(prepared, max_authors=max_authors, max_links=max_links, top=top)
    frames = network_frames(network, seed=seed)
    nodes, edges = frames.nodes, frames.edges
    ids = nodes["node"].implode()
    works = prepared.tables.works.select(
        "work_id", "year", "doi", "title", cited=pl.col("cited_by_count").fill_null(0)
    )
    rows = prepared.kept_rows().filter(pl.col("node").is_in(ids)).select("work_id", "node")
    item_works = _work_fields(rows.join(works, on="work_id"), ["node"])
    pairs = (
        rows.join(rows, on="work_id", suffix="_b")
        .filter(pl.col("node") < pl.col("node_b"))
        .select("work_id", source="node", target="node_b")
        .join(edges.select("source", "target"), on=["source", "target"], how="semi")
    )
    link_works = _work_fields(pairs.join(works, on="work_id"), ["source", "target"])
    n_universe = prepared.data.universe.height
    labels = {key: label for key, label, _ in CATEGORIES}
    groups = [labels[node_category(r)] for r in nodes.select("is_home", "groups").to_dicts()]
    kind = options.kind
    items_frame = nodes.with_columns(group=pl.Series(groups, dtype=pl.String)).join(
        item_works, on="node", how="left"
    )
    items = []
    for row in items_frame.iter_rows(named=True):
        item: dict[str, Any] = {
            "id": row["node"],
            "label": row["label"],
            "x": row["x"],
            "y": row["y"],
            "cluster": row["cluster"],
            "weights": {
                "Works": row["works"],
                "Works (fractional)": round(float(row["home_weight"] or 0.0), 4),
                "Links": row["links"],
                "Total link strength": row["strength"],
            },
            "scores": {
                "Avg. pub. year": round(float(row["mean_year"] or 0.0), 2),
                "Share of home's works (%)": round(100.0 * row["works"] / n_universe, 2)
                if n_universe
                else 0.0,
            },
            "url": openalex_page(row["node"]) if kind != "country" else "",
            "group": row["group"],
            "works": row["works"],
        }
        item.update({k: v for k, v in row.items() if k.startswith("work") and k[4:5].isdigit()})
        items.append({k: v for k, v in item.items() if v is not None})
    links_frame = edges.select("source", "target", "weight", "works", "fractional").join(
        link_works, on=["source", "target"], how="left"
    )
    links = [
        {k: v for k, v in row.items() if v is not None}
        | {
            "source_id": row["source"],
            "target_id": row["target"],
            "strength": row["weight"],
            "fractional": round(float(row["fractional"]), 4),
        }
        for row in links_frame.iter_rows(named=True)
    ]
    for link in links:
        del link["source"], link["target"], link["weight"]
    clusters = sorted({int(c) for c in nodes["cluster"].drop_nulls().to_list()})
    synthetic = "SYNTHETIC sample data · " if prepared.data.synthetic else ""
    one, many = _WORDS.get(kind, ("Author", "Authors"))
    return {
        "info": {
            "title": f"{one} co-publication map of {prepared.home_name()}",
            "description": ("SYNTHETIC sample data (not real publications). " if synthetic else "")
            + f"Link strength: {options.counting} counting. {note}",
        },
        "config": {
            "terminology": {
                "item": one,
                "items": many,
                "link": "Co-publication link",
                "links": "Co-publication links",
                "link_strength": "Co-publications",
                "total_link_strength": "Total co-publications",
            },
            "templates": {
                "item_description": _template(
                    f"{synthetic}{one} · {{group}}",
                    "<div class='description_label'><a class='description_url' href='{url}' "
                    "target='_blank'>{label}</a></div>"
                    if kind != "country" and not synthetic
                    else "<div class='description_label'>{label}</div>",
                    "{works} works with home; most cited:",
                    linked=not synthetic,  # invented works and institutions have no page
                ),
                "link_description": _template(
                    f"{synthetic}Co-publication link",
                    "<div class='description_label'>{source_label} – {target_label}</div>",
                    "{works} works; most cited:",
                    linked=not synthetic,
                ),
            },
        },
        "network": {
            "items": items,
            "links": links,
            "clusters": [{"cluster": c, "label": f"Cluster {c}"} for c in clusters],
        },
    }


def write_vosviewer_online(prepared: PreparedNetwork, path: str | Path, **options: Any) -> Path:
    """Write :func:`vosviewer_online_map` to ``path`` and return it."""
    target = Path(path)
    target.write_bytes(orjson.dumps(vosviewer_online_map(prepared, **options)))
    return target
