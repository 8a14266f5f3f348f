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

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
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
    from copub.networks.vosviewer_online import vosviewer_online_map, write_vosviewer_online
    from copub.networks.works_export import WorksFormat, export_with_works

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "build_network": "copub.networks.build",
    "build_network_frames": "copub.networks.build",
    "build_networks_by_period": "copub.networks.build",
    "period_ranges": "copub.networks.build",
    "ExportFormat": "copub.networks.export",
    "export_network": "copub.networks.export",
    "export_networks": "copub.networks.export",
    "NetworkFrames": "copub.networks.frames",
    "GraphSummary": "copub.networks.metrics",
    "communities": "copub.networks.metrics",
    "graph_summary": "copub.networks.metrics",
    "network_metrics": "copub.networks.metrics",
    "NetworkKind": "copub.networks.nodes",
    "Normalization": "copub.networks.normalize",
    "normalize_graph": "copub.networks.normalize",
    "DEFAULT_MAX_NODES": "copub.networks.options",
    "Counting": "copub.networks.options",
    "NetworkOptions": "copub.networks.options",
    "partner_table": "copub.networks.partners",
    "plot_country_network": "copub.networks.plot",
    "plot_partner_network": "copub.networks.plot",
    "plot_top_partners": "copub.networks.plot",
    "works_between": "copub.networks.provenance",
    "write_dynamic_gexf": "copub.networks.dynamic",
    "PartnerMap": "copub.networks.html_page",
    "partner_map": "copub.networks.html_page",
    "write_partner_map": "copub.networks.html_page",
    "ego_periods": "copub.networks.plot_periods",
    "plot_ego_periods": "copub.networks.plot_periods",
    "PreparedNetwork": "copub.networks.prepared",
    "prepare_network": "copub.networks.prepared",
    "vosviewer_online_map": "copub.networks.vosviewer_online",
    "write_vosviewer_online": "copub.networks.vosviewer_online",
    "WorksFormat": "copub.networks.works_export",
    "export_with_works": "copub.networks.works_export",
}

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
    "vosviewer_online_map",
    "works_between",
    "write_dynamic_gexf",
    "write_partner_map",
    "write_vosviewer_online",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
