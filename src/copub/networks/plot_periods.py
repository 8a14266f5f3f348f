"""Home's ego network in the baseline and the plan period, side by side, in the same places.

Small multiples: one panel per period, the home node in the middle and its
strongest partners at the same positions in every panel (one radial layout:
distance from home falls with the co-publications with home in the periods
drawn together, :func:`.radial_layout`), node areas and link widths on one scale across the
panels, so what grew, shrank, appeared or vanished between the periods is
visible at a glance. Colours and stamps are those of the other network
pictures (:mod:`copub.networks.plot`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from copub.errors import UsageError
from copub.networks.build import data_frames
from copub.networks.categories import CATEGORIES, CATEGORY_COLOURS, node_category
from copub.networks.frames import NetworkFrames
from copub.networks.layout_radial import radial_layout
from copub.networks.plot import _FORMATS, _draw_rings, _save, _stamp
from copub.networks.prepared import PreparedNetwork

__all__ = ["ego_periods", "plot_ego_periods"]


def ego_periods(
    prepared: PreparedNetwork,
    periods: Sequence[tuple[int, int]] | None = None,
    *,
    top: int = 20,
) -> pl.DataFrame:
    """Home's links in each period: ``period, partner, label, category, works, fractional``.

    ``partner`` runs over the union of each period's ``top`` partners by
    works (a partner missing from a period has ``works`` 0 there). The
    periods default to the definitions' baseline and plan.

    Examples
    --------
    >>> import copub
    >>> from copub.networks.prepared import prepare_network
    >>> ego = ego_periods(prepare_network(copub.load_sample(scale=0.01), "country"), top=3)
    >>> ego["period"].unique(maintain_order=True).to_list()
    ['2018-2021', '2022-2025']
    """
    options = prepared.options
    if options.kind == "author":
        raise UsageError("the ego network over periods is drawn for countries and institutions")
    chosen = list(periods) if periods is not None else [
        options.definitions.baseline,
        options.definitions.plan,
    ]  # fmt: skip
    nodes = prepared.network.nodes
    home = nodes.filter(pl.col("is_home").fill_null(False))["node"].to_list()
    if len(home) != 1:
        raise UsageError("the ego network needs exactly one home node in the network")
    category = {
        row["node"]: node_category(row)
        for row in nodes.select("node", "is_home", "groups").to_dicts()
    }
    labels = dict(zip(nodes["node"].to_list(), nodes["label"].to_list(), strict=True))
    frames = []
    for first, last in chosen:
        edges = data_frames(prepared.data, (first, last)).edges
        ego = edges.filter((pl.col("source") == home[0]) | (pl.col("target") == home[0])).select(
            partner=pl.when(pl.col("source") == home[0])
            .then(pl.col("target"))
            .otherwise(pl.col("source")),
            works=pl.col("works").cast(pl.Int64),
            fractional=pl.col("fractional"),
        )
        frames.append(ego.with_columns(period=pl.lit(f"{first}-{last}")))
    tops = pl.concat(
        [f.sort(["works", "partner"], descending=[True, False]).head(top) for f in frames]
    )["partner"].unique()
    grid = pl.DataFrame({"period": [f"{a}-{b}" for a, b in chosen]}).join(
        pl.DataFrame({"partner": sorted(tops.to_list())}), how="cross"
    )
    table = grid.join(pl.concat(frames), on=["period", "partner"], how="left").with_columns(
        pl.col("works").fill_null(0), pl.col("fractional").fill_null(0.0)
    )
    return table.with_columns(
        label=pl.col("partner").replace_strict(labels, default=pl.col("partner")),
        category=pl.col("partner").replace_strict(category, default="other"),
        home=pl.lit(home[0]),
    ).select("period", "partner", "label", "category", "works", "fractional", "home")


def plot_ego_periods(
    prepared: PreparedNetwork,
    path: str | Path,
    *,
    periods: Sequence[tuple[int, int]] | None = None,
    top: int = 20,
    labels: int = 20,
    seed: int = 0,
    formats: Sequence[str] = _FORMATS,
    footer: str | None = None,
) -> list[Path]:
    """Draw :func:`ego_periods` as small multiples (one panel a period); return the files.

    The same partners sit at the same places in every panel; areas and
    widths share one scale, so a partner drawn larger had more works.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    table = ego_periods(prepared, periods, top=top)
    if table.is_empty():
        raise UsageError("home has no partner in these periods: nothing to draw")
    home = table["home"][0]
    shown = {home, *table["partner"].to_list()}
    keep = pl.Series(sorted(shown)).implode()
    network = prepared.network
    sub = NetworkFrames(
        network.nodes.filter(pl.col("node").is_in(keep)),
        network.edges.filter(pl.col("source").is_in(keep) & pl.col("target").is_in(keep)),
    )
    # One radial layout for every panel: distance from home falls with the partner's
    # co-publications with home over the periods drawn (so the same places in every
    # panel); the links among the partners, by association strength, set the angles.
    graph = sub.to_graph()
    together = table.group_by("partner").agg(pl.col("works").sum())
    for partner, works in together.iter_rows():
        graph.add_edge(home, partner, works=works)
    radial = radial_layout(graph, home, seed=seed)
    positions = radial.positions
    most = max(int(table["works"].max()), 1)  # type: ignore[arg-type]
    named = set(
        table.group_by("partner")
        .agg(pl.col("works").max())
        .sort(["works", "partner"], descending=[True, False])
        .head(labels)["partner"]
    )
    period_names = table["period"].unique(maintain_order=True).to_list()
    figure = Figure(figsize=(6.0 * len(period_names), 6.4), layout="constrained")
    axes = figure.subplots(1, len(period_names), squeeze=False)[0]
    hx, hy = positions[home]
    home_label = prepared.home_name() if prepared.options.kind == "institution" else home
    for ax, name in zip(axes, period_names, strict=True):
        _draw_rings(ax, radial.rings, radial.label_angle)
        rows = table.filter(pl.col("period") == name)
        for row in rows.iter_rows(named=True):
            x, y = positions[row["partner"]]
            if row["works"]:
                width = 0.3 + 6.0 * math.sqrt(row["works"] / most)
                ax.plot([hx, x], [hy, y], color="#9aa7b4", linewidth=width, alpha=0.6, zorder=1)
                ax.scatter(
                    [x], [y], s=20 + 600 * row["works"] / most,
                    c=CATEGORY_COLOURS[row["category"]], edgecolors="#333333", zorder=3,
                )  # fmt: skip
            else:
                ax.scatter([x], [y], s=20, facecolors="none", edgecolors="#999999", zorder=2)
            if row["partner"] in named:
                ax.annotate(
                    str(row["label"])[:28], (x, y), xytext=(4, 4), textcoords="offset points",
                    fontsize=7, color="#333333",
                )  # fmt: skip
        ax.scatter([hx], [hy], s=700, c=CATEGORY_COLOURS["home"], zorder=4)
        ax.annotate(str(home_label)[:30], (hx, hy), xytext=(6, -12), textcoords="offset points",
                    fontsize=8, fontweight="bold")  # fmt: skip
        total = int(rows["works"].sum())
        ax.set_title(f"{name}: {total:,} co-publications with these partners", fontsize=10)
        ax.set_xlim(-1.2, 1.2)
        ax.set_ylim(-1.2, 1.2)
        ax.set_aspect("equal")
        ax.axis("off")
    present = set(table["category"].to_list())
    figure.legend(
        handles=[
            Line2D([], [], marker="o", linestyle="", markersize=8, color=colour, label=label)
            for key, label, colour in CATEGORIES
            if key in present
        ]
        + [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=6,
                markerfacecolor="none",
                color="#999999",
                label="no co-publication in the period",
            )
        ],
        title=(
            f"Distance from home: co-publications with home in {' and '.join(period_names)} "
            "together (log scale, dashed rings); the same places in both panels. Spoke width "
            "and dot size: the period's co-publications."
        ),
        title_fontsize=8,
        loc="outside lower center",
        ncols=4,
        frameon=False,
        fontsize=8,
    )
    kind = prepared.options.kind
    figure.suptitle(
        f"{prepared.home_name()}: its top {top} partner {kind} links per period, same positions",
        fontsize=11,
        x=0.01,
        ha="left",
    )
    synthetic = prepared.data.synthetic
    _stamp(figure, synthetic=synthetic, footer=footer)
    return _save(figure, path, formats, synthetic=synthetic, footer=footer)
