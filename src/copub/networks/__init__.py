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
from copub.networks.dynamic import write_dynamic_gexf
from copub.networks.export import ExportFormat, export_network, export_networks
from copub.networks.frames import NetworkFrames
from copub.networks.html_page import PartnerMap, partner_map, write_partner_map
from copub.networks.metrics import GraphSummary, communities, graph_summary, network_metrics
from copub.networks.nodes import NetworkKind
from copub.networks.normalize import Normalization, normalize_graph
from copub.networks.options import DEFAULT_MAX_NODES, Counting, NetworkOptions
from copub.networks.partners import partner_table
from copub.networks.plot import plot_country_network, plot_partner_network, plot_top_partners
from copub.networks.plot_periods import ego_periods, plot_ego_periods
from copub.networks.prepared import PreparedNetwork, prepare_network
from copub.networks.provenance import works_between
from copub.networks.vosviewer_online import vosviewer_online, write_vosviewer_online
from copub.networks.works_export import WorksFormat, export_with_works

__all__ = [
    "DEFAULT_MAX_NODES",
    "Counting",
    "ExportFormat",
    "GraphSummary",
    "NetworkFrames",
    "NetworkKind",
    "NetworkOptions",
    "Normalization",
    "PartnerMap",
    "PreparedNetwork",
    "WorksFormat",
    "build_network",
    "build_network_frames",
    "build_networks_by_period",
    "communities",
    "ego_periods",
    "export_network",
    "export_networks",
    "export_with_works",
    "graph_summary",
    "network_metrics",
    "normalize_graph",
    "partner_map",
    "partner_table",
    "period_ranges",
    "plot_country_network",
    "plot_ego_periods",
    "plot_partner_network",
    "plot_top_partners",
    "prepare_network",
    "vosviewer_online",
    "works_between",
    "write_dynamic_gexf",
    "write_partner_map",
    "write_vosviewer_online",
]
