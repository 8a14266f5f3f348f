"""The interactive partner map: one self-contained HTML page per network.

The page draws the country, institution or author network with sigma.js 3 on
graphology (both bundled in ``copub/networks/web/``, MIT licensed, copied from
the npm registry's builds; see the README for why they and not ipysigma).

For report.html: ``partner_map(tables, "country").fragment()`` is the map as an
HTML fragment (its style, markup, data and scripts) to place in a section;
one map per page, since its elements have fixed ids.
Nothing is fetched: the libraries, the page's own script and the data are
inlined, and a Content-Security-Policy forbids every request.

What the page holds
-------------------
One shared works table (id, year, type, title, DOI, first authors, the
number of nodes of the work and the home institution's weight), sorted by
year and id, and for every node the positions of its works in that table.
The works behind a link are the works its two nodes share, found in the
browser by intersecting the two lists: no list is stored per link, so the
page grows with the works and their nodes, not with the links. Because the
table is sorted by year, a year filter is a slice of every list, and the
counts in any year range take two binary searches.

- a node's ``works`` and ``fractional`` are the partner table's: works with
  the node, and the sum of the home institution's Leiden weight over them;
  its share is of the home institution's works in the chosen years;
- a link's ``works`` and ``fractional`` are the network's edge ``works`` and
  ``fractional`` (``Σ 1/(n − 1)``, :mod:`copub.networks.build`);
- the trend compares the share in the baseline and plan periods
  (:class:`~copub.classify.definitions.Definitions`).

The network's cap on nodes per work applies: the works behind a link are
exactly ``copub.works_between(tables, a, b, network=graph)`` for the graph
the page shows. The author network is shown as an ego view: the
``max_authors`` authors with most works among the home institution's works
(the cap is stated on the page).

Geometry: on country and institution pages with the home node, home is in
the centre and a partner's distance from it falls with the log of its
co-publications with home (:func:`.radial_layout`, the static picture's
geometry), with labelled rings; association strength orders the angles.
The author page keeps the force layout.

The data travel gzip-compressed in base64 and are opened with the browser's
own ``DecompressionStream``.
"""

from __future__ import annotations

import base64
import gzip
import html
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import orjson
import polars as pl

from copub.classify.definitions import Definitions
from copub.classify.groups import PartnerGroups
from copub.classify.policy import NOTE_COLUMN, with_policy_notes
from copub.errors import UsageError
from copub.indicators.labels import LabelledWorks
from copub.networks.categories import CATEGORIES, node_category
from copub.networks.frames import LAYOUT_MAX_NODES, NetworkFrames, network_frames
from copub.networks.layout_radial import RADIAL_CAPTION, radial_layout
from copub.networks.prepared import PreparedNetwork, prepare_network
from copub.normalize import Tables
from copub.progress import Progress
from copub.provenance import SYNTHETIC_ID

__all__ = [
    "DEFAULT_MAX_AUTHORS",
    "DEFAULT_MAX_LINKS",
    "PartnerMap",
    "check_page_caps",
    "partner_map",
    "partner_map_of",
    "shown_network",
    "write_partner_map",
]

#: Authors on the author page unless asked otherwise (the page says so).
DEFAULT_MAX_AUTHORS = 150
#: Links drawn unless asked otherwise: the strongest, and every link of home.
#: The sample's institution network has 94,000 links, a hairball that takes
#: a browser without a graphics card many seconds to draw.
DEFAULT_MAX_LINKS = 10_000
_FIRST_AUTHORS = 3
_DOI = "https://doi.org/"
_WEB = "copub.networks.web"
_SCRIPTS = ("graphology.umd.min.js", "sigma.min.js", "partner_map.js")
#: The page may load nothing: inline scripts and styles, data: images only.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)


@cache
def _asset(name: str) -> str:
    text = resources.files(_WEB).joinpath(name).read_text(encoding="utf-8")
    # A source-map comment would send the browser's developer tools looking for a file.
    lines = [line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")]
    return "\n".join(lines).replace("</script", "<\\/script")


@dataclass(frozen=True)
class PartnerMap:
    """An interactive partner map: its data, and its page as text.

    Attributes
    ----------
    title : str
        What the page's heading says.
    data : dict
        Everything the page shows (see the module notes), JSON-ready.
    synthetic : bool
        The synthetic sample: the page carries the SYNTHETIC banner.

    Use :meth:`html` for a whole page and :meth:`fragment` to place the map
    inside another page (one map per page: its elements have fixed ids).
    """

    title: str
    data: dict[str, Any]
    synthetic: bool

    def payload(self) -> str:
        """The data as base64 of gzipped JSON, as embedded in the page."""
        raw = orjson.dumps(self.data)
        return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")

    def fragment(self) -> str:
        """The map as an HTML fragment: its markup, style, data and scripts.

        Placed in the ``<body>`` of another page (report.html's Partner
        review section), it behaves as the stand-alone page does.
        """
        banner = (
            '<div class="cm-banner">SYNTHETIC sample data: not real publications</div>'
            if self.synthetic
            else ""
        )
        scripts = "".join(f"<script>{_asset(name)}</script>\n" for name in _SCRIPTS)
        return (
            f"<style>{_asset('partner_map.css')}</style>\n"
            f'<section id="copub-map" class="cm">{banner}'
            f'<h3 class="cm-title">{html.escape(self.title)}</h3>'
            f'<p class="cm-note" id="copub-map-note">{html.escape(self.data["note"])}</p>'
            f"{_asset('partner_map.html')}</section>\n"
            f'<script id="copub-map-data" type="application/octet-stream">'
            f"{self.payload()}</script>\n{scripts}"
        )

    def html(self) -> str:
        """The whole self-contained page."""
        return (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(self.title)}</title></head>\n<body>\n"
            f"{self.fragment()}</body></html>\n"
        )


def _first_authors(tables: Tables, works: pl.DataFrame) -> pl.DataFrame:
    """``work_id, authors``: the first three author names, then ``et al.``."""
    ranked = (
        tables.authorships.lazy()
        .join(works.lazy().select("work_id"), on="work_id", how="semi")
        .sort("work_id", "position")
        .group_by("work_id")
        .agg(names=pl.col("author_name").fill_null("?").head(_FIRST_AUTHORS), n=pl.len())
        .collect()
    )
    return ranked.select(
        "work_id",
        authors=pl.col("names").list.join(", ")
        + pl.when(pl.col("n") > _FIRST_AUTHORS).then(pl.lit(" et al.")).otherwise(pl.lit("")),
    )


def _deltas(positions: list[int]) -> list[int]:
    """Sorted positions as differences: small numbers that compress well."""
    return [b - a for a, b in zip([0, *positions], positions, strict=False)]


def _strongest_links(network: NetworkFrames, max_links: int) -> tuple[NetworkFrames, int]:
    """The network with its home links and strongest other links, up to ``max_links``."""
    if max_links < 1:
        raise UsageError(f"max_links must be 1 or more, not {max_links}")
    edges = network.edges
    if edges.height <= max_links:
        return network, 0
    home = network.nodes.filter(pl.col("is_home").fill_null(False))["node"].implode()
    on_home = pl.col("source").is_in(home) | pl.col("target").is_in(home)
    ranked = edges.with_columns(home_link=on_home).sort(
        ["home_link", "works", "source", "target"], descending=[True, True, False, False]
    )
    kept = ranked.head(max_links).drop("home_link").sort("source", "target")
    return NetworkFrames(network.nodes, kept, dict(network.attributes)), edges.height - kept.height


def partner_map(
    tables: Tables | LabelledWorks,
    kind: Literal["country", "institution", "author"] = "country",
    definitions: Definitions | None = None,
    *,
    counting: Literal["full", "fractional"] = "full",
    max_nodes_per_work: int | Literal["auto"] | None = "auto",
    max_authors: int = DEFAULT_MAX_AUTHORS,
    max_links: int = DEFAULT_MAX_LINKS,
    top: int | None = None,
    groups: PartnerGroups | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> PartnerMap:
    """The interactive partner map of a network (see the module notes).

    Parameters
    ----------
    tables : Tables or LabelledWorks
    kind : {"country", "institution", "author"}
    definitions : Definitions, optional
        What is counted, as for :func:`copub.build_network`.
    counting : {"full", "fractional"}
        The counting the page opens with (the page switches between both).
    max_nodes_per_work : int, None or "auto"
        The network's cap, as for :func:`copub.build_network`.
    max_authors : int
        The author page's ego view: this many authors with most works
        (2 to 499, where the layout stays fast).
    max_links : int
        Draw the links of home and the strongest others (by works, then
        ids), up to this many in all; the page says how many it left out.
    top : int, optional
        Country and institution pages: only the ``top`` partners by works,
        and home.
    groups : PartnerGroups, optional
        Partner groups for the colours; the definitions' when omitted.
    seed : int
        Seed of the layout.
    progress : Progress, optional

    Returns
    -------
    PartnerMap

    Examples
    --------
    >>> import copub
    >>> page = partner_map(copub.load_sample(scale=0.01), "country")
    >>> page.synthetic, "NO" in page.data["nodes"]["id"]
    (True, True)
    >>> page.html().count("<script")  # data, graphology, sigma, the page's own
    4
    """
    check_page_caps(max_authors, max_links)
    prepared = prepare_network(
        tables,
        kind,
        definitions,
        counting=counting,
        max_nodes_per_work=max_nodes_per_work,
        groups=groups,
        progress=progress,
    )
    return partner_map_of(
        prepared, max_authors=max_authors, max_links=max_links, top=top, seed=seed,
        progress=progress,
    )  # fmt: skip


def check_page_caps(max_authors: int, max_links: int) -> None:
    """The author cap and the link cap of a page or map, checked (UsageError)."""
    if not 2 <= max_authors <= LAYOUT_MAX_NODES:
        raise UsageError(
            f"--max-authors must be between 2 and {LAYOUT_MAX_NODES}, not {max_authors}"
        )
    if max_links < 1:
        raise UsageError(f"--max-links must be 1 or more, not {max_links}")


def shown_network(
    prepared: PreparedNetwork,
    *,
    max_authors: int = DEFAULT_MAX_AUTHORS,
    max_links: int = DEFAULT_MAX_LINKS,
    top: int | None = None,
    laid_out: bool = True,
) -> tuple[NetworkFrames, str]:
    """The part of the network a page or map shows, and one note that says which part.

    Authors: the ``max_authors`` with most works; countries and
    institutions: all, or the ``top`` partners and home (with ``laid_out``,
    at most the 498 partners with most works, so the network has a layout);
    then home's links and the strongest others up to ``max_links``.
    """
    check_page_caps(max_authors, max_links)
    options = prepared.options
    network = prepared.network
    n_all = network.nodes.height
    if options.kind == "author":
        network = network.top(max_authors, keep_home=False)
        note = (
            f"Ego view of {prepared.home_name()}'s author network: the "
            f"{network.nodes.height:,} authors with most works (of {n_all:,}); the cap is "
            f"--max-authors {max_authors} (2 to {LAYOUT_MAX_NODES})."
        )
    elif top is not None or (laid_out and n_all > LAYOUT_MAX_NODES):
        # Above LAYOUT_MAX_NODES nodes there is no layout to draw: the strongest partners.
        partners = top if top is not None else LAYOUT_MAX_NODES - 1
        network = network.top(partners)
        note = (
            f"{network.nodes.height:,} {options.kind} nodes "
            f"(the top {partners} partners by works of {n_all - 1:,}, and home"
            + ("" if top is not None else "; --top N shows fewer")
            + ")."
        )
    else:
        note = f"{network.nodes.height:,} {options.kind} nodes."
    network, dropped = _strongest_links(network, max_links)
    if dropped:
        note += (
            f" The {network.edges.height:,} strongest links are drawn (every link of home "
            f"among them); {dropped:,} weaker ones are left out (--max-links {max_links:,})."
        )
    else:
        note += f" {network.edges.height:,} links."
    cap = options.max_nodes_per_work
    if cap:
        skipped = network.attributes.get("skipped_works", 0)
        note += (
            f" Works with more than {cap} {options.kind} nodes are left out ({skipped:,} works)."
        )
    return network, note


def partner_map_of(
    prepared: PreparedNetwork,
    *,
    max_authors: int = DEFAULT_MAX_AUTHORS,
    max_links: int = DEFAULT_MAX_LINKS,
    top: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> PartnerMap:
    """:func:`partner_map` of a network already built by :func:`.prepare_network`."""
    progress = progress or Progress.silent()
    options = prepared.options
    data = prepared.data
    network, note = shown_network(prepared, max_authors=max_authors, max_links=max_links, top=top)
    frames = network_frames(network, seed=seed, progress=progress)
    nodes = frames.nodes
    ids = nodes["node"].to_list()

    rows = prepared.kept_rows()
    rows = rows.filter(pl.col("node").is_in(ids))
    raw_tables = prepared.tables
    works = (
        rows.group_by("work_id")
        .agg(pl.col("n_nodes").first(), pl.col("home_weight").first())
        .join(raw_tables.works.select("work_id", "year", "type", "doi", "title"), on="work_id")
        .sort("year", "work_id")
        .with_row_index("at")
    )
    works = works.join(_first_authors(raw_tables, works), on="work_id", how="left")
    types = sorted(set(works["type"].drop_nulls().to_list()))
    positions = (
        rows.join(works.select("work_id", "at"), on="work_id")
        .group_by("node")
        .agg(pl.col("at").sort())
    )
    by_node = dict(zip(positions["node"].to_list(), positions["at"].to_list(), strict=True))

    home = [i for i, flag in enumerate(nodes["is_home"].fill_null(False).to_list()) if flag]
    records = nodes.select("is_home", "groups").to_dicts()
    category_keys = [key for key, _, _ in CATEGORIES]
    x, y = nodes["x"].to_list(), nodes["y"].to_list()
    rings: list[dict[str, Any]] = []
    label_angle = 0.0
    if options.kind != "author" and len(home) == 1:
        # Home in the centre, partners at a distance that says how much they
        # co-publish with home (the static picture's geometry, one function).
        radial = radial_layout(network.to_graph(), ids[home[0]], seed=seed)
        x = [radial.positions[node][0] for node in ids]
        y = [radial.positions[node][1] for node in ids]
        rings = [
            {"value": r.value, "radius": round(r.radius, 5), "label": r.label, "number": r.number}
            for r in radial.rings
        ]
        label_angle = radial.label_angle
        note += " " + RADIAL_CAPTION
    index = {node: i for i, node in enumerate(ids)}
    universe = data.universe.group_by("year").agg(n=pl.len(), w=pl.col("home_weight").sum())
    d = options.definitions
    page_data: dict[str, Any] = {
        "kind": options.kind,
        "institution": options.institution,
        "synthetic": data.synthetic,
        # ids matching this have no OpenAlex page: the works list shows them without a link
        "no_page": SYNTHETIC_ID,
        "counting": options.counting,
        "note": note,
        "baseline": list(d.baseline),
        "plan": list(d.plan),
        "home": home,
        "rings": rings,
        "label_angle": round(label_angle, 5),
        "categories": [list(c) for c in CATEGORIES],
        "universe": {
            str(year): [n, round(float(w), 6)] for year, n, w in universe.sort("year").iter_rows()
        },
        "nodes": {
            "id": ids,
            "label": nodes["label"].to_list(),
            "x": [round(v, 5) for v in x],
            "y": [round(v, 5) for v in y],
            "category": [category_keys.index(node_category(r)) for r in records],
            "groups": nodes["groups"].fill_null("").to_list(),
            "country": nodes["country"].fill_null("").to_list()
            if "country" in nodes.columns
            else [""] * nodes.height,
            "works": [_deltas(by_node.get(node, [])) for node in ids],
            "note": _policy_notes(nodes, d.partner_groups),
        },
        "edges": {
            "source": [index[s] for s in frames.edges["source"].to_list()],
            "target": [index[t] for t in frames.edges["target"].to_list()],
        },
        "works": {
            "id": works["work_id"].to_list(),
            "year": works["year"].to_list(),
            "type": [None if t is None else types.index(t) for t in works["type"].to_list()],
            "types": types,
            "title": works["title"].fill_null("").to_list(),
            "doi": works["doi"].fill_null("").str.strip_prefix(_DOI).to_list(),
            "authors": works["authors"].fill_null("").to_list(),
            "n": works["n_nodes"].to_list(),
            "weight": [round(float(w or 0.0), 6) for w in works["home_weight"].to_list()],
        },
    }
    years = "all years" if d.years is None else f"{d.years[0]}-{d.years[1]}"
    home_name = prepared.home_name()
    title = f"{options.kind.capitalize()} partner map of {home_name}, {years}"
    return PartnerMap(title=title, data=page_data, synthetic=data.synthetic)


def _policy_notes(nodes: pl.DataFrame, groups: PartnerGroups) -> list[str]:
    """Each node's policy note ("" for none): the tip and the panel show it with its numbers."""
    country = "country" if "country" in nodes.columns else None
    noted = with_policy_notes(nodes, groups, partner="node", country=country)
    return noted[NOTE_COLUMN].fill_null("").to_list()


def write_partner_map(partner: PartnerMap, path: str | Path) -> Path:
    """Write the page to ``path`` (a ``.html`` file) and return the path."""
    target = Path(path)
    target.write_text(partner.html(), encoding="utf-8")
    return target
