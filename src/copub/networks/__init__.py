"""Networks: co-authorship graphs, their metrics, the partner review, exports and pictures.

Examples
--------
>>> import copub
>>> from copub.networks import network_metrics
>>> graph = copub.build_network(copub.load_sample(scale=0.01), "country")
>>> network_metrics(graph).columns[:3]
['node', 'label', 'country']
"""

from __future__ import annotations

from copub.networks.build import (
    build_network,
    build_network_frames,
    build_networks_by_period,
    period_ranges,
)
from copub.networks.export import ExportFormat, export_network, export_networks
from copub.networks.frames import NetworkFrames
from copub.networks.metrics import GraphSummary, communities, graph_summary, network_metrics
from copub.networks.nodes import NetworkKind
from copub.networks.normalize import Normalization, normalize_graph
from copub.networks.options import DEFAULT_MAX_NODES, Counting, NetworkOptions
from copub.networks.partners import partner_table
from copub.networks.plot import plot_country_network, plot_partner_network, plot_top_partners
from copub.networks.provenance import works_between

__all__ = [
    "DEFAULT_MAX_NODES",
    "Counting",
    "ExportFormat",
    "GraphSummary",
    "NetworkFrames",
    "NetworkKind",
    "NetworkOptions",
    "Normalization",
    "build_network",
    "build_network_frames",
    "build_networks_by_period",
    "communities",
    "export_network",
    "export_networks",
    "graph_summary",
    "network_metrics",
    "normalize_graph",
    "partner_table",
    "period_ranges",
    "plot_country_network",
    "plot_partner_network",
    "plot_top_partners",
    "works_between",
]
