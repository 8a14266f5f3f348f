"""A network built once with the works behind it, for the exports that list works.

The interactive page, the VOSviewer Online map and the dynamic GEXF all need
the network's frames *and* its ``work_nodes`` (which works each node has)
and the works table; :func:`prepare_network` builds them once, so a command
writing several of them does not build the network several times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from copub.classify.definitions import Definitions
from copub.classify.groups import PartnerGroups
from copub.indicators.labels import LabelledWorks
from copub.networks.build import NetworkData, build_from_options
from copub.networks.frames import NetworkFrames
from copub.networks.options import NetworkOptions
from copub.normalize import Tables
from copub.progress import Progress

__all__ = ["PreparedNetwork", "prepare_network"]


@dataclass(frozen=True)
class PreparedNetwork:
    """A network, the frames it was built from, and the tables.

    Attributes
    ----------
    data : NetworkData
        The universe, ``work_nodes`` (before the cap) and node attributes.
    network : NetworkFrames
        The whole network, as :func:`copub.networks.build_network_frames` returns it.
    tables : Tables
        The tables (titles, DOIs, authors of the works).
    """

    data: NetworkData
    network: NetworkFrames
    tables: Tables

    @property
    def options(self) -> NetworkOptions:
        """The network's checked options."""
        return self.data.options

    def kept_rows(self) -> pl.DataFrame:
        """``work_nodes`` after the cap: the (work, node) rows the network counts."""
        cap = self.options.max_nodes_per_work
        rows = self.data.work_nodes
        return rows if cap is None else rows.filter(pl.col("n_nodes") <= cap)

    def home_name(self) -> str:
        """The home institution's name (its id when the tables have none)."""
        home = self.options.institution
        names = self.tables.institutions.filter(pl.col("institution_id") == home)
        name = names["name"][0] if names.height else None
        return str(name) if name else home


def prepare_network(
    tables: Tables | LabelledWorks,
    kind: Literal["country", "institution", "author"] = "country",
    definitions: Definitions | None = None,
    *,
    counting: Literal["full", "fractional"] = "full",
    normalization: Literal["association", "cosine", "jaccard", "inclusion", "equivalence"]
    | None = None,
    max_nodes_per_work: int | Literal["auto"] | None = "auto",
    groups: PartnerGroups | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> PreparedNetwork:
    """Build the network once, keeping what the works-listing exports need.

    Arguments as for :func:`copub.build_network`.

    Examples
    --------
    >>> import copub
    >>> prepared = prepare_network(copub.load_sample(scale=0.01), "country")
    >>> prepared.network.attributes["kind"], prepared.kept_rows().columns[:3]
    ('country', ['work_id', 'year', 'node'])
    """
    if isinstance(tables, LabelledWorks) and definitions is None:
        definitions = tables.definitions
    options = NetworkOptions.create(
        kind,
        definitions=definitions,
        counting=counting,
        normalization=normalization,
        max_nodes_per_work=max_nodes_per_work,
    )
    data, network = build_from_options(
        tables, options, groups=groups, progress=progress, force=force
    )
    raw = tables.tables if isinstance(tables, LabelledWorks) else tables
    return PreparedNetwork(data=data, network=network, tables=raw)
